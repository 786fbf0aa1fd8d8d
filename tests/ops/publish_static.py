#!/usr/bin/env python3
"""Static mirrors (issue 27): deploy/publish-static.sh pushes a built site to a second nginx root
(a mirror served by Debian's nginx with deploy/nginx/'s configuration, no serve behind it):

- after a publish the mirror serves the site's files byte for byte;
- after a one-page change only changed files are copied (the rest hard-linked from the previous
  release);
- a reader hammering the mirror during the swap gets every file whole: 200s only, each body the
  old or the new one exactly, and once the new page is seen, never the old one again;
- with PRECOMPRESS=1 the mirror sends .gz files (gzip_static), new ones only for changed files;
- old releases are pruned to KEEP; a target that cannot be written fails alone, the others are
  published.
Prints the publish-to-mirror time.

Usage: publish_static.py CLEMENCY PROJECT_DIR   (prints "N passed, M failed")
"""
import gzip
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
sys.path.insert(0, HERE)
from checks import check, summary  # noqa: E402
from mirror import (PAGE, WATCHED, copied_of, mirror_nginx, publish,  # noqa: E402
                    publish_under_reads, read_file)
from ops_common import get, run, scratch  # noqa: E402


def main():
    clemency, project = os.path.abspath(sys.argv[1]), sys.argv[2]
    with scratch("clemency-mirror-") as (tmp, stop_at_end):
        for part in ("site", "content"):
            shutil.copytree(os.path.join(project, part), os.path.join(tmp, part))
        public, mirror = os.path.join(tmp, "public"), os.path.join(tmp, "mirror")
        code, out = run([clemency, "build", "--source", tmp, "--out", public])
        check("build the site", code == 0, out)
        code, out, _ = publish(public, mirror)
        check("first publish to the mirror", code == 0, out)
        check("current is a link to a release",
              os.readlink(os.path.join(mirror, "current")).startswith("releases/"))

        port = mirror_nginx(tmp, stop_at_end, os.path.join(mirror, "current"))
        old = {p: get(port, p)[2] for p in WATCHED}
        check("the mirror serves the site byte for byte",
              all(old[p] == read_file(public, p) for p in WATCHED))

        marker = "Một câu mới cho gương " + str(os.getpid())
        source = os.path.join(tmp, "content", "guides", "dac-xa-la-gi.vi.md")
        with open(source, "a", encoding="utf-8") as f:
            f.write("\n" + marker + "\n")
        code, out = run([clemency, "build", "--source", tmp, "--out", public])
        check("rebuild after a one-page change", code == 0, out)
        new = {p: read_file(public, p) for p in WATCHED}
        code, out, seconds, reached = publish_under_reads(port, public, mirror, old)
        check("publish during reads", code == 0, out)
        copied, total = copied_of(out)
        check(f"only changed files copied ({copied} of {total})", 0 < copied < total / 4, out)
        releases = sorted(os.listdir(os.path.join(mirror, "releases")))
        a, b = (os.stat(os.path.join(mirror, "releases", r, "assets", "style.css")).st_ino
                for r in releases[-2:])
        check("an unchanged file is a hard link to the previous release's", a == b)
        if reached is not None:
            print(f"publish-static: {seconds:.2f} s to run; the mirror served the new page "
                  f"{reached:.2f} s after it started ({total} files, {copied} copied)")

        env = dict(os.environ, PRECOMPRESS="1")
        code, out, _ = publish(public, mirror, env=env)
        check("a publish with PRECOMPRESS=1", code == 0, out)
        status, head, body = get(port, PAGE, {"Accept-Encoding": "gzip"})
        check("the mirror sends the precompressed page (gzip_static: a length, not chunks)",
              status == 200 and head.get("content-encoding") == "gzip" and
              "content-length" in head and gzip.decompress(body) == new[PAGE], str(head))
        with open(source, "a", encoding="utf-8") as f:
            f.write("\nMột câu nữa.\n")
        run([clemency, "build", "--source", tmp, "--out", public])
        publish(public, mirror, env=env)
        releases = sorted(os.listdir(os.path.join(mirror, "releases")))
        a, b = (os.path.join(mirror, "releases", r) for r in releases[-2:])
        with open(f"{b}/vi/guides/dac-xa-la-gi/index.html.gz", "rb") as f:
            fresh = b"M\xe1\xbb\x99t c\xc3\xa2u n\xe1\xbb\xafa." in gzip.decompress(f.read())
        check("a changed file gets a new .gz", fresh)
        check("an unchanged file's .gz is linked from the previous release",
              os.stat(f"{a}/assets/style.css.gz").st_ino ==
              os.stat(f"{b}/assets/style.css.gz").st_ino)
        for _ in range(3):
            publish(public, mirror)
        check("releases pruned to KEEP=3", len(os.listdir(os.path.join(mirror, "releases"))) == 3)
        blocked = os.path.join(tmp, "not-a-folder")
        open(blocked, "w").close()
        other = os.path.join(tmp, "mirror2")
        code, out, _ = publish(public, blocked, other)
        check("a target that fails makes the run fail", code != 0, out)
        check("and the other target is still published",
              os.path.exists(os.path.join(other, "current", "index.html")), out)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
