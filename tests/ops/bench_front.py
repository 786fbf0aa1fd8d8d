#!/usr/bin/env python3
"""The numbers of docs/operations.md (not a ctest: minutes of wrk, and a quiet machine wanted).

wrk -t2 -c64 at each URL, alternating, RUNS times each (median): a page, a feed and the API list
through the project's nginx configuration (deploy/nginx/), the same files through a bare nginx
(tests/bench/run.sh's configuration: root, sendfile, etag, and gzip_static for the rows with .gz
files), and serve itself. Then a
restart of serve (SIGTERM, start again) while a client reads the API and pages through nginx:
how long serve was away and how many reads failed; and 50 publishes while readers go through
nginx (errors, bodies cut short).

Usage: bench_front.py CLEMENCY PROJECT_DIR [SECONDS] [RUNS]   (prints markdown rows)
"""
import os
import re
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from ops_common import (Nginx, Serve, free_port, scratch, get, make_certificate,  # noqa: E402
                        nginx_main_conf, reads_during_publishes, render_nginx, site_copy)

PAGE = "/vi/guides/dac-xa-la-gi/"
API = "/api/v1/pages?lang=vi&limit=20"


def wrk(url, seconds, gzip=False):
    args = ["wrk", "-t2", "-c64", f"-d{seconds}s", "--latency", url]
    if gzip:
        args[1:1] = ["-H", "Accept-Encoding: gzip"]
    out = subprocess.run(args, stdout=subprocess.PIPE, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p99, int(errors.group(1)) if errors else 0


def restart_window(clemency, root, serve, serve_port, front):
    """SIGTERM serve and start it again while reads go through nginx; (seconds away, reads,
    failed reads)."""
    results, stop = [], [False]

    def reader():
        while not stop[0]:
            for path in (API, PAGE, "/vi/nope/"):
                status = get(front, path)[0]
                results.append((path, status))
    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    start = time.time()
    serve.stop()
    serve = Serve(clemency, root, serve_port, ["--behind-tls"])
    away = time.time() - start
    time.sleep(0.5)
    stop[0] = True
    for t in threads:
        t.join()
    failed = [(p, s) for p, s in results if s not in (200, 404)]
    return serve, away, len(results), failed


def main():
    clemency, project = os.path.abspath(sys.argv[1]), sys.argv[2]
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    with scratch("clemency-bench-front-") as (tmp, stop_at_end):
        site_copy(clemency, project, tmp)
        serve_port, front, tls, bare = free_port(), free_port(), free_port(), free_port()
        serve = stop_at_end(Serve(clemency, tmp, serve_port, ["--behind-tls"]))
        public = os.path.join(tmp, "public")
        with open(os.path.join(public, "api-list.json"), "wb") as f:
            f.write(get(serve_port, API)[2])
        prefix = os.path.join(tmp, "front")
        os.makedirs(prefix)
        cert, key = make_certificate(prefix)
        conf = render_nginx(os.path.join(prefix, "conf"), public=public,
                            serve=f"127.0.0.1:{serve_port}", http_listen=f"127.0.0.1:{front}",
                            https_listen=f"127.0.0.1:{tls}", server_name="localhost",
                            tls_cert=cert, tls_key=key, cache_dir=os.path.join(prefix, "cache"),
                            default_lang="vi")
        main_conf = nginx_main_conf(prefix, f"  include {conf};")
        with open(main_conf) as f:
            text = f.read().replace("worker_processes 1;", "worker_processes auto;")
        with open(main_conf, "w") as f:
            f.write(text)
        front_nginx = stop_at_end(Nginx(prefix, main_conf, [front]))
        bare_prefix = os.path.join(tmp, "bare")
        os.makedirs(bare_prefix)
        bare_conf = nginx_main_conf(bare_prefix, f"""  include /etc/nginx/mime.types;
  types {{ application/atom+xml atom; application/rss+xml rss; }}
  sendfile on; tcp_nopush on; etag on; gzip_static on;
  server {{ listen 127.0.0.1:{bare}; root {public}; index index.html; }}""")
        with open(bare_conf) as f:
            text = f.read().replace("worker_processes 1;", "worker_processes auto;")
        with open(bare_conf, "w") as f:
            f.write(text)
        bare_nginx = stop_at_end(Nginx(bare_prefix, bare_conf, [bare]))

        cases = [
            ("page", f"http://127.0.0.1:{front}{PAGE}", f"http://127.0.0.1:{bare}{PAGE}", False),
            ("page, gzip", f"http://127.0.0.1:{front}{PAGE}", f"http://127.0.0.1:{bare}{PAGE}",
             True),
            ("feed", f"http://127.0.0.1:{front}/vi/feed.atom",
             f"http://127.0.0.1:{bare}/vi/feed.atom", False),
            ("API list (micro-cache) vs its bytes as a file", f"http://127.0.0.1:{front}{API}",
             f"http://127.0.0.1:{bare}/api-list.json", False),
        ]
        precompressed = [
            ("page, gzip, precompressed (both gzip_static)", f"http://127.0.0.1:{front}{PAGE}",
             f"http://127.0.0.1:{bare}{PAGE}", True),
            ("feed, gzip, precompressed (both gzip_static)",
             f"http://127.0.0.1:{front}/vi/feed.atom", f"http://127.0.0.1:{bare}/vi/feed.atom",
             True),
        ]
        print("| request | project config req/s | bare nginx req/s | ratio | project p99 ms | "
              "bare p99 ms | serve alone req/s | serve p99 ms |")
        print("|---|---|---|---|---|---|---|---|")
        for label, url, bare_url, gz in cases + precompressed:
            if label.startswith("page, gzip, pre"):  # as publish-static.sh PRECOMPRESS=1 makes
                for path in (PAGE + "index.html", "/vi/feed.atom"):
                    subprocess.run(["gzip", "-6", "-n", "-k", "-f", public + path], check=True)
            ours, theirs, alone = [], [], []
            serve_url = url.replace(f":{front}", f":{serve_port}")
            for _ in range(runs):
                ours.append(wrk(url, seconds, gz))
                theirs.append(wrk(bare_url, seconds, gz))
                alone.append(wrk(serve_url, seconds, gz))
            med = [tuple(statistics.median(r[i] for r in rs) for i in range(3))
                   for rs in (ours, theirs, alone)]
            print(f"| {label} | {med[0][0]:.0f} | {med[1][0]:.0f} | {med[0][0] / med[1][0]:.2f} | "
                  f"{med[0][1]:.2f} | {med[1][1]:.2f} | {med[2][0]:.0f} | {med[2][1]:.2f} |",
                  flush=True)
        start = time.time()
        failures, reads, bad = reads_during_publishes(clemency, tmp, front, 50)
        print(f"\n50 publishes in {time.time() - start:.1f} s while 4 readers went through nginx: "
              f"{len(failures)} failed publishes, {reads} reads, {len(bad)} errors or cut short "
              f"{bad[:5]}")
        serve, away, reads, failed = restart_window(clemency, tmp, serve, serve_port, front)
        stop_at_end(serve)
        print(f"\nrestart of serve: away {away:.2f} s; {reads} reads through nginx meanwhile "
              f"(API, a page, a 404), {len(failed)} failed: {failed[:5]}")


if __name__ == "__main__":
    main()
