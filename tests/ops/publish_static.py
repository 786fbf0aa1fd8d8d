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
import re
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
sys.path.insert(0, HERE)
from checks import check, summary  # noqa: E402
from ops_common import (DEPLOY, Nginx, free_port, scratch, get, make_certificate,  # noqa: E402
                        nginx_main_conf, render_nginx, run)

PAGE = "/vi/guides/dac-xa-la-gi/"
WATCHED = (PAGE, "/vi/", "/vi/feed.atom", "/assets/style.css", "/sitemap.xml")


def publish(public, *targets, env=None):
    """Runs publish-static.sh; (exit status, output, seconds)."""
    start = time.time()
    p = subprocess.run(["bash", os.path.join(DEPLOY, "publish-static.sh"), public, *targets],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    return p.returncode, p.stdout, time.time() - start


class Reader(threading.Thread):
    """GETs the watched paths in a loop until stopped; keeps (path, status, body, time)."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port, self.seen, self.stopping = port, [], False

    def run(self):
        while not self.stopping:
            for path in WATCHED:
                status, _, body = get(self.port, path)
                self.seen.append((path, status, body, time.time()))


def read_file(public, path):
    with open(os.path.join(public, path.lstrip("/") + ("index.html" if path.endswith("/") else "")),
              "rb") as f:
        return f.read()


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

        port, tls_port = free_port(), free_port()
        prefix = os.path.join(tmp, "nginx")
        os.makedirs(prefix)
        cert, key = make_certificate(prefix)
        conf = render_nginx(os.path.join(prefix, "conf"), public=os.path.join(mirror, "current"),
                            serve=f"127.0.0.1:{free_port()}", http_listen=f"127.0.0.1:{port}",
                            https_listen=f"127.0.0.1:{tls_port}", server_name="localhost",
                            tls_cert=cert, tls_key=key, cache_dir=os.path.join(prefix, "cache"),
                            default_lang="vi")
        nginx = stop_at_end(Nginx(prefix, nginx_main_conf(prefix, f"  include {conf};"), [port]))
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

        reader = Reader(port)
        reader.start()
        time.sleep(0.3)
        started = time.time()
        code, out, seconds = publish(public, mirror)
        time.sleep(1.5)  # open_file_cache revalidates within 1 s
        reader.stopping = True
        reader.join(10)
        check("publish during reads", code == 0, out)
        copied = re.search(r"regular files transferred: ([\d,]+)", out)
        total = re.search(r"Number of files: [\d,]+ \(reg: ([\d,]+)", out)
        copied, total = (int(m.group(1).replace(",", "")) if m else -1 for m in (copied, total))
        check(f"only changed files copied ({copied} of {total})", 0 < copied < total / 4, out)
        releases = sorted(os.listdir(os.path.join(mirror, "releases")))
        a, b = (os.stat(os.path.join(mirror, "releases", r, "assets", "style.css")).st_ino
                for r in releases[-2:])
        check("an unchanged file is a hard link to the previous release's", a == b)

        bad = [(p, s) for p, s, _, _ in reader.seen if s != 200]
        check(f"{len(reader.seen)} reads during the swap: all 200", not bad, str(bad[:5]))
        mixed = [p for p, _, body, _ in reader.seen if body not in (old[p], new[p])]
        check("every page read was the old or the new one, whole", not mixed, str(mixed[:5]))
        page_reads = [(body == new[PAGE], at) for p, _, body, at in reader.seen if p == PAGE]
        first_new = next((i for i, (is_new, _) in enumerate(page_reads) if is_new), None)
        check("the new page is seen", first_new is not None)
        if first_new is not None:
            check("and never the old one after it", all(n for n, _ in page_reads[first_new:]))
            reached = page_reads[first_new][1] - started
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
