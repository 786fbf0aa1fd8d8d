#!/usr/bin/env python3
"""Backing up a large store while serve answers reads (issue 27's target): the bench corpus of
PAGES pages imported into a store, `clemency serve` on it, then `wrk -t1 -c32 --latency` reading
100 of its pages for SECONDS without a backup and for SECONDS while `clemency backup --to` runs
again and again (each to a new file), alternating ROUNDS times. The last backup is restored into a
fresh folder (`clemency restore`, which rebuilds public/ from it) and that public/ must equal
serve's (`diff -r`).

    tests/bench/backup.py CLEMENCY WORK_DIR [--pages 15000] [--seconds 10] [--rounds 2]

Prints a Markdown section (for tests/bench/RESULTS.md) and exits non-zero when the restored site
differs or a backup failed. Not a pass/fail test of speed: p99 is printed against its target.
"""
import argparse
import os
import pathlib
import random
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
PORT = 18193
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def wrk_script(work, paths):
    """A wrk script asking for `paths` in turn."""
    script = work / "backup-reads.lua"
    quoted = ", ".join(f'"{p}"' for p in paths)
    script.write_text("local paths = {" + quoted + "}\nlocal i = 0\n"
                      "request = function()\n  i = i + 1\n"
                      "  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n")
    return script


def wrk_numbers(out):
    """(requests/s, p50 ms, p99 ms, non-2xx + socket errors) from wrk --latency's report."""
    def latency(pct):
        m = re.search(rf"^\s*{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        return float(m.group(1)) * UNITS[m.group(2)]
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    bad = (sum(map(int, errors.groups())) if errors else 0) + (int(non2xx.group(1)) if non2xx else 0)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), latency(50), latency(99), bad


def start_wrk(script, seconds):
    return subprocess.Popen(["wrk", "-t1", "-c32", f"-d{seconds}s", "--latency", "-s", str(script),
                             f"http://127.0.0.1:{PORT}"], stdout=subprocess.PIPE, text=True)


def backups_while(wrk, clemency, corpus, folder, round_no):
    """Runs `clemency backup` into new files of `folder` until wrk ends; (seconds of each, the
    last file). Exits on a failed backup. Files are named by round, so a round never meets the
    file an earlier round kept."""
    times, last, n = [], None, 0
    while wrk.poll() is None:
        n += 1
        target = folder / f"backup-{round_no}-{n}.db"
        start = time.time()
        p = subprocess.run([clemency, "backup", "--to", str(target), "--source", str(corpus)],
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit("backup failed:\n" + p.stdout + p.stderr)
        times.append(time.time() - start)
        if last:
            last.unlink()  # only the newest is kept: a 15k store's backup is large
        last = target
    return times, last


def prepare(clemency, work, pages):
    """The corpus with its store imported (from scratch); returns its folder."""
    corpus = work / f"backup-{pages}"
    if not (corpus / "content").is_dir():
        subprocess.run([str(ROOT / "tests/bench/make_corpus"), str(corpus), str(pages)],
                       check=True, stdout=subprocess.DEVNULL)
    for leftover in ["var", "public", "public.manifest", "public.pages", "public.search.sqlite"]:
        path = corpus / leftover
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    subprocess.run([clemency, "import", "content", "--source", str(corpus)], check=True,
                   stdout=subprocess.DEVNULL)
    return corpus


def restored_site(clemency, corpus, backup, work):
    """Restores `backup` into a fresh folder (site/ copied, no store) and returns (its public/,
    seconds the restore and rebuild took)."""
    fresh = work / "backup-restored"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    shutil.copytree(corpus / "site", fresh / "site")
    (fresh / "var").mkdir(mode=0o700)  # restore does not make the store's folder
    start = time.time()
    p = subprocess.run([clemency, "restore", str(backup), "--source", str(fresh)],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit("restore failed:\n" + p.stdout + p.stderr)
    return fresh / "public", time.time() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("clemency")
    parser.add_argument("work")
    parser.add_argument("--pages", type=int, default=15000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    clemency, work = os.path.abspath(args.clemency), pathlib.Path(args.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    corpus = prepare(clemency, work, args.pages)
    slugs = sorted(p.name.split(".")[0] for p in (corpus / "content/guides").glob("*.vi.md")
                   if not p.name.startswith("_"))
    script = wrk_script(work, [f"/vi/guides/{s}/" for s in random.Random(1).sample(slugs, min(100, len(slugs)))])
    backups = work / "backups"
    shutil.rmtree(backups, ignore_errors=True)
    backups.mkdir()
    log = open(work / "backup-serve.log", "w")
    started = time.time()
    server = subprocess.Popen([clemency, "serve", "--source", str(corpus), "--port", str(PORT)],
                              stdout=log, stderr=log)
    quiet, during, durations, last = [], [], [], None
    loads = [load_average()]
    try:
        while "Serving on" not in open(work / "backup-serve.log").read():
            if server.poll() is not None:
                raise SystemExit("serve did not start:\n" + open(work / "backup-serve.log").read())
            time.sleep(0.2)
        build_seconds = time.time() - started
        for round_no in range(args.rounds):
            quiet.append(wrk_numbers(start_wrk(script, args.seconds).communicate()[0]))
            wrk = start_wrk(script, args.seconds)
            if last:
                last.unlink()  # the previous round's newest; this round makes its own
            times, last = backups_while(wrk, clemency, corpus, backups, round_no + 1)
            during.append(wrk_numbers(wrk.communicate()[0]))
            durations += times
            loads.append(load_average())
    finally:
        server.terminate()
        server.wait(60)
    size = last.stat().st_size
    public, restore_seconds = restored_site(clemency, corpus, last, work)
    diff = subprocess.run(["diff", "-r", "-q", str(corpus / "public"), str(public)],
                          capture_output=True, text=True)
    report(args, quiet, during, durations, size, build_seconds, restore_seconds, diff, loads)
    return 0 if diff.returncode == 0 else 1


def report(args, quiet, during, durations, size, build_seconds, restore_seconds, diff, loads):
    """Prints the Markdown section."""
    def cell(rows, i, fmt):
        return " / ".join(fmt.format(r[i]) for r in rows)
    print(f"## Backup while serving ({args.pages} pages; wrk -t1 -c32 --latency, "
          f"{args.seconds} s windows, {args.rounds} rounds alternating)\n")
    print("| measure | without a backup | during backups | target |\n|---|---:|---:|---:|")
    print(f"| page reads/s | {cell(quiet, 0, '{:.0f}')} | {cell(during, 0, '{:.0f}')} | |")
    print(f"| read p50, ms | {cell(quiet, 1, '{:.2f}')} | {cell(during, 1, '{:.2f}')} | |")
    print(f"| read p99, ms | {cell(quiet, 2, '{:.2f}')} | {cell(during, 2, '{:.2f}')} | ≤ 10 ms |")
    print(f"| non-2xx and socket errors | {cell(quiet, 3, '{}')} | {cell(during, 3, '{}')} | 0 |")
    print(f"\n- {len(durations)} backups during the reads: {statistics.median(durations):.2f} s "
          f"median ({min(durations):.2f}–{max(durations):.2f} s); a backup is "
          f"{size / 2**20:.1f} MiB.")
    print(f"- serve's first build of the store took {build_seconds:.1f} s; the restore into a "
          f"fresh folder with its rebuild {restore_seconds:.1f} s.")
    print("- the restored store's public/ equals serve's (diff -r): "
          + ("yes" if diff.returncode == 0 else "NO:\n" + diff.stdout[:2000]))
    print(f"- load average (1, 5, 15 min) before and after each round: {'; '.join(loads)}\n")


if __name__ == "__main__":
    sys.exit(main())
