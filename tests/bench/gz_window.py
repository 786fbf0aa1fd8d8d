#!/usr/bin/env python3
"""How long a page and its precompressed .gz disagree after a publish (issue 27, "the .gz
instant"): serve --precompress commits a page by renaming the new file over the old one and then
the new .gz over the old .gz (render/output_folder OrderForRenames), so for a moment nginx's
gzip_static sends the old .gz while a client without gzip gets the new file.

`clemency serve --precompress` with the project's nginx in front; PUBLISHES publishes of one page,
1.5 s apart, while
- a poller stats the page's file and its .gz in a tight loop: the window on disk is the time from
  the file's new inode to the .gz's new inode (its resolution, one loop, is printed);
- two readers GET the page through nginx, one with Accept-Encoding: gzip and one without: the
  window a reader can see is the time between each reader's first sight of the new version (it
  includes nginx's open_file_cache, which revalidates each file on its own within 1 s).

    tests/bench/gz_window.py CLEMENCY PROJECT_DIR [PUBLISHES] [OFFSET]   (prints Markdown)

OFFSET (seconds, default 0) starts the gzip reader that long after the plain one: nginx's
open_file_cache entries of the file and of its .gz are then revalidated OFFSET apart.
"""
import gzip
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "ops"))
from ops_common import (Nginx, Serve, edited_copy, free_port, get, make_certificate,  # noqa: E402
                        nginx_main_conf, render_nginx, run, scratch, site_copy)

PAGE = "/vi/guides/dac-xa-la-gi/"


def poll(path):
    """Stats `path`, `path`.gz and `path` again in a tight loop until SIGTERM (a process of its
    own, so that the readers' threads do not slow it); prints JSON: the times each one's inode changed, the
    loops made, the loops that found the two of different versions (a new inode of one and not
    yet of the other) and those that found no .gz."""
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    changes, last, loops, start = {"file": [], "gz": []}, {}, 0, time.perf_counter()
    mixed = missing = 0
    print("polling", flush=True)

    def inode(name):
        try:
            return os.stat(name).st_ino
        except FileNotFoundError:
            return None
    while not stopping:
        loops += 1
        # The file is stat'ed before and after its .gz: a loop in which it changed is not a
        # snapshot of one moment, and is only counted for its times.
        before, gz, after = inode(path), inode(path + ".gz"), inode(path)
        for kind, ino in (("file", before), ("gz", gz), ("file", after)):
            if ino is not None and kind in last and last[kind] != ino:
                changes[kind].append(time.perf_counter())
            if ino is not None:
                last[kind] = ino
        if before != after:
            continue
        if gz is None:
            missing += 1
        elif len(changes["file"]) != len(changes["gz"]):
            mixed += 1
    print(json.dumps({"changes": changes, "loop": (time.perf_counter() - start) / loops,
                      "loops": loops, "mixed": mixed, "missing": missing}))


class Reader(threading.Thread):
    """GETs the page through nginx (with or without gzip) until stopped; keeps the time each
    edit number was first seen."""

    def __init__(self, port, use_gzip):
        super().__init__(daemon=True)
        self.port, self.use_gzip, self.stopping, self.first_seen, self.reads = port, use_gzip, False, {}, 0
        self.bad = []

    def run(self):
        headers = {"Accept-Encoding": "gzip"} if self.use_gzip else {}
        while not self.stopping:
            status, head, body = get(self.port, PAGE, headers)
            at = time.perf_counter()
            self.reads += 1
            if status != 200 or (head.get("content-encoding") == "gzip") != self.use_gzip:
                self.bad.append((status, head.get("content-encoding")))
                continue
            text = (gzip.decompress(body) if self.use_gzip else body).decode()
            numbers = [int(n) for n in re.findall(r"Lần sửa số (\d+)\.", text)]
            self.first_seen.setdefault(max(numbers) if numbers else -1, at)


def front(tmp, stop_at_end, serve_port):
    """The project's nginx before serve; returns its port."""
    port, tls = free_port(), free_port()
    prefix = os.path.join(tmp, "front")
    os.makedirs(prefix)
    cert, key = make_certificate(prefix)
    conf = render_nginx(os.path.join(prefix, "conf"), public=os.path.join(tmp, "public"),
                        serve=f"127.0.0.1:{serve_port}", http_listen=f"127.0.0.1:{port}",
                        https_listen=f"127.0.0.1:{tls}", server_name="localhost", tls_cert=cert,
                        tls_key=key, cache_dir=os.path.join(prefix, "cache"), default_lang="vi")
    stop_at_end(Nginx(prefix, nginx_main_conf(prefix, f"  include {conf};"), [port]))
    return port


def describe(values_ms):
    return (f"median {statistics.median(values_ms):.3f} ms, max {max(values_ms):.3f} ms "
            f"(min {min(values_ms):.3f} ms)")


def main():
    clemency, project = os.path.abspath(sys.argv[1]), sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    offset = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
    with scratch("clemency-gz-window-") as (tmp, stop_at_end):
        site_copy(clemency, project, tmp)
        serve_port = free_port()
        stop_at_end(Serve(clemency, tmp, serve_port, ["--behind-tls", "--precompress"]))
        port = front(tmp, stop_at_end, serve_port)
        poller = subprocess.Popen([sys.executable, __file__, "--poll",
                                   os.path.join(tmp, "public", PAGE.strip("/"), "index.html")],
                                  stdout=subprocess.PIPE, text=True)
        poller.stdout.readline()
        readers = [Reader(port, True), Reader(port, False)]
        readers[1].start()
        time.sleep(offset)  # when each reader first opens its file sets its cache entry's phase
        readers[0].start()
        time.sleep(0.5)
        for i in range(count):
            change = edited_copy(tmp, "guides", "dac-xa-la-gi.vi.md", f"\nLần sửa số {i}.\n")
            code, out = run([clemency, "publish", change, "--source", tmp, "--change", "minor",
                             "--note", f"Lần {i}."])
            if code != 0:
                raise SystemExit("publish failed:\n" + out)
            time.sleep(1.5)
        for t in readers:
            t.stopping = True
            t.join(10)
        poller.terminate()
        polled = json.loads(poller.communicate()[0])
    files, gzs = polled["changes"]["file"], polled["changes"]["gz"]
    if len(files) != count or len(gzs) != count:
        raise SystemExit(f"saw {len(files)} new files and {len(gzs)} new .gz for {count} publishes")
    disk = [(g - f) * 1000 for f, g in zip(files, gzs)]
    zipped, plain = readers
    seen = [(zipped.first_seen[i] - plain.first_seen[i]) * 1000 for i in range(count)
            if i in zipped.first_seen and i in plain.first_seen]
    print(f"## The .gz instant ({count} publishes of one page, serve --precompress behind the "
          f"project's nginx; gzip reader started {offset} s after the plain one; load average {' '.join(open('/proc/loadavg').read().split()[:3])})\n")
    print(f"- on disk, the new .gz lands after the new file by: {describe(disk)}; the poller's "
          f"resolution (one loop, three stats) {polled['loop'] * 1e6:.1f} µs; of {polled['loops']} "
          f"loops, {polled['mixed']} found the file and the .gz of different versions and "
          f"{polled['missing']} found no .gz")
    print(f"- through nginx, a gzip reader first saw each version later than a plain reader by "
          f"(negative: earlier): {describe(seen)}; {len(seen)} of {count} versions seen by both, "
          f"{zipped.reads} + {plain.reads} reads, "
          f"{len(zipped.bad) + len(plain.bad)} not 200 or of the wrong encoding")
    print(f"- widest disagreement through nginx: {max(abs(s) for s in seen):.1f} ms\n")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--poll"]:
        sys.exit(poll(sys.argv[2]))
    sys.exit(main())
