#!/usr/bin/env python3
"""The restore drill (issue 27): back up the store while serve runs and publishes, change things,
restore, and the store and public/ are exactly as at the backup. A damaged backup, a file that is
not a store and a restore under a running serve are refused with nothing changed.

Usage: backup_restore.py CLEMENCY PROJECT_DIR   (prints "N passed, M failed")
"""
import os
import shutil
import sqlite3
import stat
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "publish"))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from checks import check, summary  # noqa: E402
from crash import differences  # noqa: E402
from partner_records import Serve, run, unlinked_story  # noqa: E402
from ops_common import scratch  # noqa: E402

TABLES = ("pages", "page_revisions", "support_entries", "support_services", "edits", "edit_versions",
          "audit_log", "users", "api_tokens", "publish_log")


def rows(db):
    """{table: sorted rows} of the tables a backup must keep (those the store has)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"')))
                for t in TABLES if t in names}
    finally:
        con.close()


def edit(tmp, section, name, add):
    """A copy of content/<section>/<name> with `add` appended, in edits/; returns its path."""
    path = os.path.join(tmp, "edits", section, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(os.path.join(tmp, "content", section, name), encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + add)
    return path


def without_times(folder):
    """Blanks the manifest's time line (a build's own time) in a copy of public/."""
    for dirpath, _, files in os.walk(folder):
        for name in files:
            if "manifest" in name:
                path = os.path.join(dirpath, name)
                with open(path, "rb") as f:
                    lines = f.read().split(b"\n")
                with open(path, "wb") as f:
                    f.write(b"\n".join(l for l in lines if b"time" not in l.lower()))


def main():
    clemency, project = os.path.abspath(sys.argv[1]), sys.argv[2]
    with scratch("clemency-backup-") as (tmp, stop_at_end):
        db = os.path.join(tmp, "var/clemency.db")
        for part in ("site", "content"):
            shutil.copytree(os.path.join(project, part), os.path.join(tmp, part))
        code, out = run([clemency, "import", "content", "--source", tmp])
        check("import the fixture content", code == 0, out)
        serve = stop_at_end(Serve(clemency, tmp))

        # A backup taken while a publish goes through serve holds the store of one moment.
        during = os.path.join(tmp, "during.db")
        change = edit(tmp, "guides", "dac-xa-la-gi.vi.md", "\nMột câu mới.\n")
        publishing = subprocess.Popen([clemency, "publish", change, "--source", tmp, "--change",
                                       "major", "--note", "Thêm một câu."],
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        code, out = run([clemency, "backup", "--to", during, "--source", tmp])
        published = publishing.communicate()[0]
        check("a backup while serve publishes", code == 0, out)
        check("the publish it ran alongside", publishing.returncode == 0, published)
        con = sqlite3.connect(during)
        check("that backup passes integrity_check",
              con.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
        latest = con.execute(
            "SELECT p.content_hash = (SELECT r.content_hash FROM page_revisions r "
            "WHERE r.page_id = p.id ORDER BY r.id DESC LIMIT 1) FROM pages p "
            "WHERE section = 'guides' AND slug = 'dac-xa-la-gi' AND lang = 'vi'").fetchone()
        con.close()
        check("and has the page and its last revision from the same moment", latest == (1,))

        code, out = run([clemency, "restore", during, "--source", tmp])
        check("restore is refused while serve runs", code != 0 and "stop serve" in out, out)

        backup = os.path.join(tmp, "backup.db")
        code, out = run([clemency, "backup", "--to", backup, "--source", tmp])
        check("the backup to restore", code == 0, out)
        code, out = run([clemency, "backup", "--to", backup, "--source", tmp])
        check("an existing backup file is not overwritten", code != 0, out)
        at_backup = rows(backup)
        check("the live store's audit log records the backup (store.backup)",
              any("store.backup" in r for r in rows(db)["audit_log"]))
        serve.stop()
        serve = None
        saved = os.path.join(tmp, "public-at-backup")
        shutil.copytree(os.path.join(tmp, "public"), saved)

        # Things change after the backup.
        later = edit(tmp, "guides", "quy-trinh-dac-xa.vi.md", "\nCâu sửa lỗi.\n")
        code, out = run([clemency, "publish", later, "--source", tmp, "--change", "correction",
                         "--note", "Sửa một lỗi."])
        check("publish a change after the backup", code == 0, out)
        story = unlinked_story(tmp)
        code, out = run([clemency, "unpublish", f"stories/{story}", "--source", tmp,
                         "--reason", "Gỡ để kiểm tra."])
        check("unpublish a page after the backup", code == 0, out)
        changed = rows(db)
        check("the store has moved on", changed != at_backup)

        # Refusals change nothing.
        damaged = os.path.join(tmp, "damaged.db")
        shutil.copyfile(backup, damaged)
        os.truncate(damaged, os.path.getsize(damaged) // 2)
        text = os.path.join(tmp, "notes.txt")
        with open(text, "w") as f:
            f.write("not a database\n")
        for name, path in (("a truncated backup", damaged), ("a text file", text)):
            code, out = run([clemency, "restore", path, "--source", tmp])
            check(f"{name} is refused", code != 0, out)
            check(f"and the store is unchanged ({name})", rows(db) == changed)
        check("no old store was set aside by a refusal",
              not [n for n in os.listdir(os.path.dirname(db)) if "before-restore" in n])

        code, out = run([clemency, "restore", backup, "--source", tmp])
        check("restore the backup", code == 0, out)
        restored = rows(db)
        for table in at_backup:
            check(f"{table} has exactly the rows of the backup",
                  restored.get(table) == at_backup[table])
        kept = [n for n in os.listdir(os.path.dirname(db)) if "before-restore" in n]
        check("the old store is kept beside it", len(kept) == 1, str(kept))
        if kept:
            mode = stat.S_IMODE(os.stat(os.path.join(os.path.dirname(db), kept[0])).st_mode)
            check("owner-only", mode == 0o600, oct(mode))
        check("the backup file is owner-only",
              stat.S_IMODE(os.stat(backup).st_mode) == 0o600, oct(os.stat(backup).st_mode))
        now = os.path.join(tmp, "public-now")
        shutil.copytree(os.path.join(tmp, "public"), now)
        without_times(saved)
        without_times(now)
        diff = differences(saved, now)
        check("public/ is what it was right after the backup", not diff,
              f"{len(diff)} files differ: " + ", ".join(diff[:8]))
    return summary()


if __name__ == "__main__":
    sys.exit(main())
