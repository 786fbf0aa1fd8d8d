#!/usr/bin/env python3
"""`clemency export` then `clemency build` gives, byte for byte, the public/ a running serve
publishes (issue 20, item 10), after revisions of every kind, a withdrawal and a restore, and
pages withdrawn or removed for good: the export carries the pages' announced revisions
(history/<section>/<slug>.<lang>.yaml) and the withdrawn pages (history/withdrawn.yaml).
A library image (media/ with its record, imported into serve's new store) shown by a published
page is written under public/media/ with every copy, and the export carries the library; an image
no live page shows is not public, and a page showing an image not in the library is refused.

Usage: export_roundtrip.py CLEMENCY PROJECT_DIR   (prints "N passed, M failed")
"""
import os
import shutil
import subprocess
import sys
import tempfile
import struct
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import check, summary  # noqa: E402
from crash import differences  # noqa: E402
from partner_records import Serve, run, unlinked_story, wait_for  # noqa: E402


def try_publish(clemency, tmp, section, name, change, note="", add=""):
    """Publishes content/<section>/<name> with `add` appended to its body; returns (status,
    output)."""
    edit = os.path.join(tmp, "edits", section, name)
    os.makedirs(os.path.dirname(edit), exist_ok=True)
    with open(os.path.join(tmp, "content", section, name), encoding="utf-8") as f:
        text = f.read()
    with open(edit, "w", encoding="utf-8") as f:
        f.write(text + add)
    args = [clemency, "publish", edit, "--source", tmp, "--change", change]
    return run(args + (["--note", note] if note else []))


def publish(clemency, tmp, section, name, change, note, add=""):
    """try_publish, checked to succeed; returns its output."""
    code, out = try_publish(clemency, tmp, section, name, change, note, add)
    check(f"publish {section}/{name} ({change})", code == 0, out)
    return out


MEDIA_HASH = "0a1b2c3d4e5f6789"
MEDIA_COPIES = ((1000, 500), (960, 480), (480, 240))  # the full copy, then paths::MediaVariantWidths


def png(width, height, rgb):
    """A plain PNG of one colour."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def media_name(width, height, digest=MEDIA_HASH):
    return f"{digest}-{width}x{height}.png"


def add_library(tmp):
    """An export's media library: two images' copies and their records (the second unused)."""
    folder = os.path.join(tmp, "media")
    os.makedirs(folder)
    records = ""
    for digest, colour in ((MEDIA_HASH, (200, 40, 40)), ("9f8e7d6c5b4a3210", (40, 40, 200))):
        for width, height in MEDIA_COPIES:
            with open(os.path.join(folder, media_name(width, height, digest)), "wb") as f:
                f.write(png(width, height, colour))
        records += (f'- path: "/media/{media_name(1000, 500, digest)}"\n  alt:\n'
                    '    vi: "Ảnh thử"\n    en: "A test image"\n    km: "រូបភាពសាកល្បង"\n'
                    '  alt_search: "anh thu a test image"\n  caption: "Chú thích"\n'
                    '  credit: "Bộ Tư pháp"\n  consent_basis: "no-person"\n'
                    '  consent_given_by: ""\n  uploaded_by: "lan"\n'
                    '  uploaded_at: "2026-12-01T09:00:00+07:00"\n')
    with open(os.path.join(folder, "library.yaml"), "w", encoding="utf-8") as f:
        f.write(records)


def check_media(tmp, clemency):
    """The image a published page shows is public with every copy; the unused one is not; an
    image not in the library is refused, naming the file and line."""
    public = os.path.join(tmp, "public", "media")
    check("no library image is public before a page shows it", not os.path.exists(public),
          str(os.listdir(public)) if os.path.isdir(public) else "")
    publish(clemency, tmp, "guides", "quy-trinh-dac-xa.vi.md", "major", "Thêm một ảnh.",
            f"\n![Ảnh thử](/media/{media_name(1000, 500)})\n")
    written = sorted(os.listdir(public)) if os.path.isdir(public) else []
    check("the image and its narrower copies are under public/media/",
          written == sorted(media_name(w, h) for w, h in MEDIA_COPIES), str(written))
    page = os.path.join(tmp, "public", "vi", "guides", "quy-trinh-dac-xa", "index.html")
    with open(page, encoding="utf-8") as f:
        html = f.read()
    check("the page's <img> names the copies", f"/media/{media_name(480, 240)} 480w" in html)
    missing = "/media/ffffffffffffffff-100x100.png"
    code, out = try_publish(clemency, tmp, "guides", "dac-xa-la-gi.vi.md", "minor",
                            add=f"\n![Không có](%s)\n" % missing)
    check("a page showing an image not in the library is refused, with its file and line",
          code != 0 and missing in out and "dac-xa-la-gi.vi.md:" in out, out)


def main():
    clemency, project = os.path.abspath(sys.argv[1]), sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="clemency-export-")
    serve = None
    try:
        for part in ("site", "content"):
            shutil.copytree(os.path.join(project, part), os.path.join(tmp, part))
        add_library(tmp)
        serve = Serve(clemency, tmp)
        check_media(tmp, clemency)
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
        exported_media = sorted(os.listdir(os.path.join(exported, "media")))
        check("the export carries the media library (every copy and the records)",
              exported_media == sorted(["library.yaml"] + [media_name(w, h, d) for w, h in MEDIA_COPIES
                                                           for d in (MEDIA_HASH, "9f8e7d6c5b4a3210")]),
              str(exported_media))
        with open(os.path.join(exported, "media", "library.yaml"), encoding="utf-8") as f:
            records = f.read()
        check("the records keep alt text, caption, credit and consent",
              all(part in records for part in ("Ảnh thử", "រូបភាពសាកល្បង", "Bộ Tư pháp", "no-person")),
              records)
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
