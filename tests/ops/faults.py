#!/usr/bin/env python3
"""Faults (issue 27), short: each ends in a clear error or a clean recovery, the store passes
PRAGMA integrity_check, public/ is a complete earlier or later site, nothing committed is lost.

- kill -9 of serve during its build, during a publish and during a backup (and of the backup);
- a full disk: a small tmpfs mounted by the test (as root); where mounting is not allowed, a file
  size limit (RLIMIT_FSIZE, as `ulimit -f`, with SIGXFSZ ignored so writes fail with EFBIG);
- a read-only store (as nobody through setpriv when run as root, whom modes do not stop);
- a corrupted store file, then a restore of a good backup;
- a restore of a damaged (truncated) backup.
(kill -9 at random moments of many publishes is publish.crash's; the restore drill is
ops.backup_restore's.)

Usage: faults.py CLEMENCY PROJECT_DIR   (prints "N passed, M failed")
"""
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
sys.path.insert(0, os.path.join(HERE, "..", "publish"))
sys.path.insert(0, HERE)
from checks import check, summary  # noqa: E402
from crash import differences  # noqa: E402
from ops_common import Serve, free_port, run, site_copy  # noqa: E402


def integrity(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def page_text(db, section, slug, lang="vi"):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT * FROM pages WHERE section = ? AND slug = ? AND lang = ?",
                          (section, slug, lang)).fetchone()
        return repr(row)
    finally:
        con.close()


def fresh_build_equal(clemency, root, what):
    """public/ equals a full build of the store (a complete site, the store's own)."""
    fresh = os.path.join(root, "fresh")
    shutil.rmtree(fresh, ignore_errors=True)
    code, out = run([clemency, "build", "--source", root, "--out", fresh])
    diff = differences(os.path.join(root, "public"), fresh) if code == 0 else [out]
    check(f"{what}: public/ is a complete site, a full build of the store", not diff,
          ", ".join(diff[:5]))
    shutil.rmtree(fresh, ignore_errors=True)


def edited(root, section, name, add):
    path = os.path.join(root, "edits", section, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(os.path.join(root, "content", section, name), encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + add)
    return path


def clear_error(code, out):
    """Exited by itself (not by a signal) with a non-zero status and a message."""
    return code > 0 and out.strip() != ""


def kill_serve_during_build(clemency, root, db):
    shutil.rmtree(os.path.join(root, "public"), ignore_errors=True)
    proc = subprocess.Popen([clemency, "serve", "--source", root, "--port", str(free_port())],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # the first build of 372 files takes ~3 s
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    check("kill -9 during serve's build: the store passes integrity_check", integrity(db) == "ok")
    serve = Serve(clemency, root, free_port())
    serve.stop()
    fresh_build_equal(clemency, root, "serve started again after kill -9 during its build")


def kill_serve_during_publish(clemency, root, db):
    serve = Serve(clemency, root, free_port())
    change = edited(root, "guides", "quy-trinh-dac-xa.vi.md", "\nCâu thêm khi bị giết.\n")
    publish = subprocess.Popen([clemency, "publish", change, "--source", root, "--change",
                                "major", "--note", "Thêm."], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    time.sleep(0.15)
    serve.stop(signal.SIGKILL)
    out = publish.communicate()[0]
    check("publish while serve is killed: done or a clear error", publish.returncode == 0 or
          clear_error(publish.returncode, out), f"{publish.returncode} {out}")
    check("the store passes integrity_check", integrity(db) == "ok")
    serve = Serve(clemency, root, free_port())  # its start rebuilds public/ from the store
    serve.stop()
    if publish.returncode == 0:
        check("the publish reported done is in the store",
              "Câu thêm khi bị giết" in page_text(db, "guides", "quy-trinh-dac-xa"))
    fresh_build_equal(clemency, root, "after kill -9 during a publish")


def kill_during_backup(clemency, root, db):
    serve = Serve(clemency, root, free_port())
    target = os.path.join(root, "during-kill.db")
    backup = subprocess.Popen([clemency, "backup", "--to", target, "--source", root],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(0.05)
    serve.stop(signal.SIGKILL)
    out = backup.communicate()[0]
    ok = (backup.returncode == 0 and integrity(target) == "ok") or \
         (clear_error(backup.returncode, out) and not os.path.exists(target))
    check("kill -9 of serve during a backup: a whole backup or a clear error and none", ok,
          f"{backup.returncode} {out}")
    target2 = os.path.join(root, "killed.db")
    backup = subprocess.Popen([clemency, "backup", "--to", target2, "--source", root],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.02)
    backup.send_signal(signal.SIGKILL)
    backup.wait()
    check("kill -9 of the backup: no file at its target, or a whole backup",
          not os.path.exists(target2) or integrity(target2) == "ok")
    check("the store passes integrity_check", integrity(db) == "ok")
    for path in (target, target2):
        if os.path.exists(path):
            os.unlink(path)


def mount_tmpfs(folder, size):
    """Mounts a tmpfs of `size` at `folder`; False where mounting is not allowed."""
    os.makedirs(folder, exist_ok=True)
    if os.geteuid() != 0:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", folder],
                          stderr=subprocess.DEVNULL).returncode == 0


def fill(folder):
    """Writes a file in `folder` until the disk is full; returns its path."""
    path = os.path.join(folder, "filler")
    try:
        with open(path, "wb") as f:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
    except OSError:  # the write, or the flush as the file closes
        pass
    try:
        with open(path, "ab") as f:  # the last few bytes
            while True:
                f.write(b"\0" * 512)
                f.flush()
    except OSError:
        pass
    return path


def full_disk(clemency, project, tmp):
    """The whole site (store, public/) on a small disk that fills up."""
    root = os.path.join(tmp, "small")
    mounted = mount_tmpfs(root, "24m")
    print("full disk: " + ("a 24 MiB tmpfs" if mounted else "RLIMIT_FSIZE (ulimit -f)"))
    if not mounted:
        return full_disk_by_limit(clemency, project, tmp)
    try:
        site_copy(clemency, project, root)
        db = os.path.join(root, "var", "clemency.db")
        public = os.path.join(root, "public")
        code, out = run([clemency, "build", "--source", root, "--out", public])
        check("full disk: the site builds while there is room", code == 0, out)
        stored = page_text(db, "guides", "dac-xa-la-gi")
        change = edited(root, "guides", "dac-xa-la-gi.vi.md", "\nCâu mới khi đĩa đầy.\n" * 200)
        filler = fill(root)
        code, out = run([clemency, "publish", change, "--source", root, "--change", "major",
                         "--note", "Thêm."])
        check("full disk: publish ends in a clear error", clear_error(code, out), f"{code} {out}")
        check("full disk: the store passes integrity_check", integrity(db) == "ok")
        check("full disk: the store kept the page as it was",
              page_text(db, "guides", "dac-xa-la-gi") == stored)
        target = os.path.join(root, "backup.db")
        code, out = run([clemency, "backup", "--to", target, "--source", root])
        check("full disk: backup ends in a clear error and leaves no file",
              clear_error(code, out) and not os.path.exists(target), f"{code} {out}")
        os.unlink(filler)
        code, out = run([clemency, "publish", change, "--source", root, "--change", "major",
                         "--note", "Thêm."])
        check("room again: the same publish goes through", code == 0, out)
        # The rebuild of public/ (what serve does at start) on a disk that fills up.
        before = os.path.join(tmp, "public-before-full")
        shutil.copytree(public, before, symlinks=True)
        filler = fill(root)
        code, out = run([clemency, "build", "--source", root, "--out", public])
        check("full disk: the rebuild ends in a clear error", clear_error(code, out),
              f"{code} {out}")
        diff = differences(public, before)
        check("full disk: public/ is the earlier site, whole", not diff, ", ".join(diff[:5]))
        os.unlink(filler)
        code, out = run([clemency, "build", "--source", root, "--out", public])
        check("room again: the rebuild goes through", code == 0, out)
        check("the store passes integrity_check", integrity(db) == "ok")
        fresh_build_equal(clemency, root, "room again")
    finally:
        subprocess.run(["umount", "-l", root])


def full_disk_by_limit(clemency, project, tmp):
    root = os.path.join(tmp, "limited")
    site_copy(clemency, project, root)
    db = os.path.join(root, "var", "clemency.db")
    code, out = run([clemency, "build", "--source", root, "--out", os.path.join(root, "public")])
    check("the site builds", code == 0, out)
    target = os.path.join(root, "backup.db")

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))
    p = subprocess.run([clemency, "backup", "--to", target, "--source", root],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       preexec_fn=limit)
    check("file size limit: backup ends in a clear error and leaves no file",
          clear_error(p.returncode, p.stdout) and not os.path.exists(target), p.stdout)
    check("the store passes integrity_check", integrity(db) == "ok")


def read_only_store(clemency, root, db):
    stored = page_text(db, "guides", "dac-xa-la-gi")
    change = edited(root, "guides", "dac-xa-la-gi.vi.md", "\nCâu trên kho chỉ đọc.\n")
    var = os.path.dirname(db)
    modes = {p: os.stat(p).st_mode for p in [var] + [os.path.join(var, n) for n in os.listdir(var)]}
    prefix = []
    if os.geteuid() == 0:  # root ignores modes: run as nobody, who may read everything
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        for d, dirs, files in os.walk(root):
            for n in dirs + files:
                p = os.path.join(d, n)
                if not os.path.islink(p):
                    os.chmod(p, os.stat(p).st_mode | 0o444 | (0o111 if os.path.isdir(p) else 0))
        os.chmod(root, 0o755)
        os.chmod(os.path.dirname(root), 0o755)
    os.chmod(var, 0o555)
    for n in os.listdir(var):
        os.chmod(os.path.join(var, n), 0o444)
    try:
        code, out = run(prefix + [clemency, "publish", change, "--source", root, "--change",
                                  "major", "--note", "Thêm."])
        check("read-only store: publish ends in a clear error", clear_error(code, out),
              f"{code} {out}")
    finally:
        for p, mode in modes.items():
            os.chmod(p, mode)
    check("read-only store: unchanged, passes integrity_check",
          integrity(db) == "ok" and page_text(db, "guides", "dac-xa-la-gi") == stored)


def corrupted_store(clemency, root, db):
    good = os.path.join(root, "good-backup.db")
    code, out = run([clemency, "backup", "--to", good, "--source", root])
    check("a backup of the good store", code == 0, out)
    with open(db, "r+b") as f:  # the schema's page: the store cannot even be read
        f.seek(100)
        f.write(os.urandom(3000))
    for args in (["build", "--out", os.path.join(root, "out-corrupt")], ["backup", "--to",
                 os.path.join(root, "of-corrupt.db")]):
        code, out = run([clemency, *args, "--source", root])
        check(f"corrupted store: {args[0]} ends in a clear error", clear_error(code, out),
              f"{code} {out}")
    check("corrupted store: no backup made of it",
          not os.path.exists(os.path.join(root, "of-corrupt.db")))
    port = free_port()
    proc = subprocess.run([clemency, "serve", "--source", root, "--port", str(port)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
    check("corrupted store: serve refuses to start with a clear error",
          clear_error(proc.returncode, proc.stdout), f"{proc.returncode} {proc.stdout}")
    code, out = run([clemency, "restore", good, "--source", root])
    check("restore of the good backup", code == 0, out)
    check("the restored store passes integrity_check", integrity(db) == "ok")
    fresh_build_equal(clemency, root, "after the restore")


def damaged_backup(clemency, root, db):
    backup = os.path.join(root, "to-damage.db")
    code, out = run([clemency, "backup", "--to", backup, "--source", root])
    check("a backup to damage", code == 0, out)
    stored = page_text(db, "guides", "dac-xa-la-gi")
    size = os.path.getsize(backup)
    with open(backup, "r+b") as f:
        f.truncate(size // 2)
    code, out = run([clemency, "restore", backup, "--source", root])
    check("restore of a truncated backup is refused", clear_error(code, out), f"{code} {out}")
    check("and the store is as it was", integrity(db) == "ok" and
          page_text(db, "guides", "dac-xa-la-gi") == stored)


def main():
    clemency, project = os.path.abspath(sys.argv[1]), sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="clemency-faults-")
    root = os.path.join(tmp, "site")
    db = os.path.join(root, "var", "clemency.db")
    try:
        site_copy(clemency, project, root)
        kill_serve_during_build(clemency, root, db)
        kill_serve_during_publish(clemency, root, db)
        kill_during_backup(clemency, root, db)
        read_only_store(clemency, root, db)
        damaged_backup(clemency, root, db)
        corrupted_store(clemency, root, db)
        full_disk(clemency, project, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
