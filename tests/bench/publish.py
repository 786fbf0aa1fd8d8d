#!/usr/bin/env python3
"""Publishing while serving, measured: the time from `clemency publish` starting to the running
server having swapped the change in, on a corpus of PAGES pages, quiet and while wrk -t1 -c32
reads pages on the same cores; serve's RSS; and, when wrk is installed, read throughput (a page and a feed in turn, wrk -c64) without publishes and during 50
more, with the non-2xx responses and socket errors (a body cut short is a read error) meanwhile.

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


def wrk_script(work, paths):
    """A wrk script that asks for `paths` in turn (a page and a feed)."""
    script = work / "publish-reads.lua"
    quoted = ", ".join(f'"{p}"' for p in paths)
    script.write_text("local paths = {" + quoted + "}\nlocal i = 0\n"
                      "request = function()\n  i = i + 1\n"
                      "  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n")
    return script


def wrk_result(out):
    """Requests/s, non-2xx responses and socket errors (a cut-short body is a read error)."""
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return (float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            int(non2xx.group(1)) if non2xx else 0,
            sum(int(n) for n in errors.groups()) if errors else 0)


def wrk(base, script, seconds):
    if not shutil.which("wrk"):
        return None
    out = subprocess.run(["wrk", "-t2", "-c64", f"-d{seconds}s", "-s", str(script), base],
                         capture_output=True, text=True).stdout
    return wrk_result(out)


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
        # Publishes `count` pages in turn, each timed from the command's start to the swap (ms).
        def timed_publishes(count, first):
            times = []
            for i in range(first, first + count):
                page = guides[i % len(guides)]
                target = edits / page.name
                target.write_text(page.read_text(encoding="utf-8") + f"\nCâu thêm số {i}.\n",
                                  encoding="utf-8")
                before = last_serve_row(db)
                start = time.time()
                subprocess.run([args.clemency, "publish", str(target), "--source", str(corpus),
                                "--note", f"Sửa lần {i}."], check=True, stdout=subprocess.DEVNULL)
                _, swapped = wait_for_republish(db, before)
                times.append((swapped - start) * 1000)
            return sorted(times)

        def p99_of(times):
            return times[min(len(times) - 1, int(len(times) * 0.99))]

        timed_publishes(1, 0)  # not counted: it fills the server's page cache
        times = timed_publishes(args.publishes, 1)
        p99 = p99_of(times)
        base = "http://127.0.0.1:18191"
        script = wrk_script(work, ["/vi/guides/" + guides[-1].name.split(".")[0] + "/",
                                   "/vi/feed.atom"])
        loaded = None
        if shutil.which("wrk"):
            # Publish -> live while wrk -t1 -c32 reads a page and a feed on the same cores.
            wrk_proc = subprocess.Popen(["wrk", "-t1", "-c32", "-d600s", "-s", str(script), base],
                                        stdout=subprocess.DEVNULL)
            time.sleep(1)
            try:
                loaded = timed_publishes(args.publishes, args.publishes + 1)
            finally:
                wrk_proc.terminate()
                wrk_proc.wait(30)
        quiet = wrk(base, script, 5)
        busy = None
        if quiet:
            # Reads of a page and a feed with wrk -c64 while 50 more publishes go live.
            wrk_proc = subprocess.Popen(["wrk", "-t2", "-c64", "-d12s", "-s", str(script), base],
                                        stdout=subprocess.PIPE, text=True)
            time.sleep(1)
            for i in range(50):
                page = guides[i % len(guides)]
                target = edits / page.name
                # With fewer than 50 timed publishes, not every page has an edit yet.
                text = (target if target.exists() else page).read_text(encoding="utf-8")
                target.write_text(text + "\nThêm.\n", encoding="utf-8")
                subprocess.run([args.clemency, "publish", str(target), "--source", str(corpus),
                                "--note", "Thêm."], check=True, stdout=subprocess.DEVNULL)
                time.sleep(0.1)
            busy = wrk_result(wrk_proc.communicate()[0])
        rss = rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(30)
    print(f"## Publishing while serving ({args.pages} pages; {args.publishes} publishes of one page)\n")
    print("| measure | value | target |\n|---|---:|---:|")
    print(f"| publish → live, median | {statistics.median(times):.0f} ms | ≤ 50 ms |")
    print(f"| publish → live, p99 | {p99:.0f} ms | ≤ 150 ms |")
    if loaded:
        print(f"| publish → live under wrk -t1 -c32 reads, median | {statistics.median(loaded):.0f} ms "
              f"| ≤ 75 ms |")
        print(f"| publish → live under wrk -t1 -c32 reads, p99 | {p99_of(loaded):.0f} ms | ≤ 150 ms |")
    print(f"| serve RSS after the publishes | {rss:.0f} MiB | ≤ 150 MiB |")
    if quiet and busy:
        print(f"| page and feed reads/s, quiet → during 50 publishes | {quiet[0]:.0f} → {busy[0]:.0f} "
              f"({busy[0] / quiet[0]:.2f}×) | ≥ 0.8× |")
        print(f"| non-2xx responses during the publishes | {busy[1]} | 0 |")
        print(f"| socket errors (cut-short bodies among them) | {busy[2]} | 0 |")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
