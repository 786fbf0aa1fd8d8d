#!/usr/bin/env python3
"""`clemency export` then `clemency build` gives, byte for byte, the public/ a running serve
publishes (issue 20, item 10), after revisions of every kind, a withdrawal and a restore, and
pages withdrawn or removed for good: the export carries the pages' announced revisions
(history/<section>/<slug>.<lang>.yaml) and the withdrawn pages (history/withdrawn.yaml).

Usage: export_roundtrip.py CLEMENCY PROJECT_DIR   (prints "N passed, M failed")
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import check, summary  # noqa: E402
from crash import differences  # noqa: E402
from partner_records import Serve, run, unlinked_story, wait_for  # noqa: E402


def publish(clemency, tmp, section, name, change, note, add=""):
    """Publishes content/<section>/<name> with `add` appended to its body; returns its output."""
    edit = os.path.join(tmp, "edits", section, name)
    os.makedirs(os.path.dirname(edit), exist_ok=True)
    with open(os.path.join(tmp, "content", section, name), encoding="utf-8") as f:
        text = f.read()
    with open(edit, "w", encoding="utf-8") as f:
        f.write(text + add)
    args = [clemency, "publish", edit, "--source", tmp, "--change", change]
    code, out = run(args + (["--note", note] if note else []))
    check(f"publish {section}/{name} ({change})", code == 0, out)
    return out


def main():
    clemency, project = os.path.abspath(sys.argv[1]), sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="clemency-export-")
    serve = None
    try:
        for part in ("site", "content"):
            shutil.copytree(os.path.join(project, part), os.path.join(tmp, part))
        serve = Serve(clemency, tmp)
        publish(clemency, tmp, "guides", "dac-xa-la-gi.vi.md", "major", "Thêm một câu.",
                "\nĐây là câu mới thêm vào.\n")
        publish(clemency, tmp, "guides", "dac-xa-la-gi.vi.md", "minor", "",
                "\nĐây là câu mới thêm vào, đã sửa.\n")
        publish(clemency, tmp, "guides", "quy-trinh-dac-xa.vi.md", "correction", "Sửa một lỗi.",
                "\nCâu sửa lỗi.\n")
        publish(clemency, tmp, "guides", "dac-xa-la-gi.vi.md", "major", "Thay đổi lớn lần hai.",
                "\nĐây là câu mới thêm vào, đã sửa.\n\nThêm một đoạn nữa.\n")
        publish(clemency, tmp, "guides", "dac-xa-la-gi.en.md", "major", "A new sentence.",
                "\nThis is a new sentence.\n")
        story = unlinked_story(tmp)
        code, out = run([clemency, "unpublish", f"stories/{story}", "--source", tmp,
                         "--reason", "Gỡ để kiểm tra."])
        check("withdraw a story in every language", code == 0, out)
        check("the withdrawal is live",
              wait_for(lambda: serve.get(f"/en/stories/{story}/")[1].find(b"Withdrawn") >= 0
                       or b"withdrawn" in serve.get(f"/en/stories/{story}/")[1]))
        for lang, note in (("vi", "Đăng lại."), ("en", "Published again."),
                           ("km", "បានដាក់ផ្សាយម្តងទៀត។")):
            publish(clemency, tmp, "stories", f"{story}.{lang}.md", "correction", note)
        kept = unlinked_story(tmp, 1)  # stays withdrawn, with a reason per language
        code, out = run([clemency, "unpublish", f"stories/{kept}", "--source", tmp,
                         "--reason", "Gỡ hẳn.", "--reason-en", "Withdrawn for good."])
        check("withdraw a second story for good", code == 0, out)
        gone = unlinked_story(tmp, 2)
        code, out = run([clemency, "unpublish", f"stories/{gone}", "--source", tmp,
                         "--reason", "Sai.", "--gone"])
        check("remove a third story (410)", code == 0, out)
        check("the removal is live", wait_for(lambda: serve.get(f"/vi/stories/{gone}/")[0] == 410))
        time.sleep(0.5)  # the watcher's last look
        serve.stop()
        serve = None
        exported = os.path.join(tmp, "exported")
        code, out = run([clemency, "export", "--to", exported, "--source", tmp])
        check("export", code == 0, out)
        check("the export carries the pages' histories",
              os.path.isfile(os.path.join(exported, "history/guides/dac-xa-la-gi.vi.yaml")))
        code, out = run([clemency, "build", "--source", exported, "--out",
                         os.path.join(tmp, "rebuilt")])
        check("build the export", code == 0, out)
        diff = differences(os.path.join(tmp, "public"), os.path.join(tmp, "rebuilt"))
        check("export then build gives the public/ serve published, byte for byte", not diff,
              f"{len(diff)} files differ: " + ", ".join(diff[:8]))
    finally:
        if serve:
            serve.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
