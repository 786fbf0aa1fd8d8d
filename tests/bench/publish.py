#!/usr/bin/env python3
"""Publishing while serving, measured: the time from `clemency publish` starting to the running
server having swapped the change in, on a corpus of PAGES pages; serve's RSS; and, when wrk is
installed, read throughput with and without publishes going on.

    tests/bench/publish.py CLEMENCY WORK_DIR [--pages 15000] [--publishes 50]

The swap time is the `at` of the server's publish_log row for the republish (SQLite's clock,
milliseconds), minus the wall clock when the command started; both read the system clock.
Prints a Markdown section (appended to tests/bench/RESULTS.md by run.sh). Not a pass/fail test.
"""
import argparse
import datetime
import os
import pathlib
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024


def last_serve_row(db):
    row = db.execute("SELECT max(id) FROM publish_log WHERE actor = 'serve'").fetchone()
    return row[0] or 0


def wait_for_republish(db, after_id, timeout=30.0):
    """The `at` (epoch seconds) of the first serve row after `after_id`."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        row = db.execute("SELECT id, at FROM publish_log WHERE actor = 'serve' AND id > ? "
                         "ORDER BY id LIMIT 1", (after_id,)).fetchone()
        if row:
            at = datetime.datetime.strptime(row[1], "%Y-%m-%dT%H:%M:%S.%fZ")
            return row[0], at.replace(tzinfo=datetime.timezone.utc).timestamp()
        time.sleep(0.002)
    raise SystemExit("the server did not republish within 30 s")


def wrk(url, seconds):
    if not shutil.which("wrk"):
        return None
    out = subprocess.run(["wrk", "-t2", "-c64", f"-d{seconds}s", url], capture_output=True,
                         text=True).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), int(non2xx.group(1)) if non2xx else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("clemency")
    parser.add_argument("work")
    parser.add_argument("--pages", type=int, default=15000)
    parser.add_argument("--publishes", type=int, default=50)
    args = parser.parse_args()
    work = pathlib.Path(args.work)
    corpus = work / f"publish-{args.pages}"
    if not (corpus / "content").is_dir():
        subprocess.run([str(ROOT / "tests/bench/make_corpus"), str(corpus), str(args.pages)],
                       check=True, stdout=subprocess.DEVNULL)
    for leftover in ["var", "public", "public.manifest", "public.pages", "edits"]:
        path = corpus / leftover
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    subprocess.run([args.clemency, "import", "content", "--source", str(corpus)], check=True,
                   stdout=subprocess.DEVNULL)
    log = open(work / "publish-serve.log", "w")
    server = subprocess.Popen([args.clemency, "serve", "--source", str(corpus), "--port", "18191"],
                              stdout=log, stderr=log)
    try:
        while "Serving on" not in open(work / "publish-serve.log").read():
            time.sleep(0.1)
        db = sqlite3.connect(corpus / "var/clemency.db")
        guides = sorted(p for p in (corpus / "content/guides").glob("*.vi.md") if not p.name.startswith("_"))
        edits = corpus / "edits/guides"
        edits.mkdir(parents=True)
        # A first publish fills the server's page cache (its first republish reads everything).
        times = []
        for i in range(args.publishes + 1):
            page = guides[i % len(guides)]
            target = edits / page.name
            target.write_text(page.read_text(encoding="utf-8") + f"\nCâu thêm số {i}.\n", encoding="utf-8")
            before = last_serve_row(db)
            start = time.time()
            subprocess.run([args.clemency, "publish", str(target), "--source", str(corpus),
                            "--note", f"Sửa lần {i}."], check=True, stdout=subprocess.DEVNULL)
            _, swapped = wait_for_republish(db, before)
            if i > 0:
                times.append((swapped - start) * 1000)
        times.sort()
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        page_url = "http://127.0.0.1:18191/vi/guides/" + guides[-1].name.split(".")[0] + "/"
        quiet = wrk(page_url, 5)
        busy = None
        if quiet:
            wrk_proc = subprocess.Popen(["wrk", "-t2", "-c64", "-d10s", page_url],
                                        stdout=subprocess.PIPE, text=True)
            for i in range(5):
                target = edits / guides[i].name
                target.write_text(target.read_text(encoding="utf-8") + "\nThêm.\n", encoding="utf-8")
                subprocess.run([args.clemency, "publish", str(target), "--source", str(corpus),
                                "--note", "Thêm."], check=True, stdout=subprocess.DEVNULL)
                time.sleep(1)
            out = wrk_proc.communicate()[0]
            non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            busy = (float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
                    int(non2xx.group(1)) if non2xx else 0)
        rss = rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(30)
    print(f"## Publishing while serving ({args.pages} pages; {args.publishes} publishes of one page)\n")
    print("| measure | value | target |\n|---|---:|---:|")
    print(f"| publish → live, median | {statistics.median(times):.0f} ms | ≤ 50 ms |")
    print(f"| publish → live, p99 | {p99:.0f} ms | ≤ 150 ms |")
    print(f"| serve RSS after the publishes | {rss:.0f} MiB | ≤ 150 MiB |")
    if quiet and busy:
        print(f"| page reads/s, quiet → while publishing | {quiet[0]:.0f} → {busy[0]:.0f} "
              f"({busy[0] / quiet[0]:.2f}×) | ≥ 0.8× |")
        print(f"| non-2xx responses while publishing | {busy[1]} | 0 |")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
