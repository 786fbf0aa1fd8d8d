#!/usr/bin/env python3
"""kill -9 of `clemency serve` or `clemency publish` at random moments during publishes.

After every kill the server is started again; at the end the store must pass PRAGMA
integrity_check, every publish the command reported as done must be in the store and live, and
public/ must equal a fresh build of the store's published pages (diff -r).

Usage: crash.py CLEMENCY PROJECT_DIR [--tries N]   (prints "N passed, M failed")
"""
import argparse
import filecmp
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import check, summary  # noqa: E402


class Serve:
    def __init__(self, clemency, root):
        self.log = open(os.path.join(root, "serve.log"), "a")
        self.out = os.path.join(root, "serve.out")
        open(self.out, "w").close()
        self.proc = subprocess.Popen([clemency, "serve", "--source", root, "--port", "0"],
                                     stdout=open(self.out, "a"), stderr=self.log)
        deadline = time.time() + 60
        while "Serving on" not in open(self.out).read():
            if self.proc.poll() is not None or time.time() > deadline:
                raise SystemExit("serve did not start:\n" + open(self.out).read())
            time.sleep(0.05)

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(30)


def check_public_is_fresh_build(clemency, tmp):
    """public/ must equal a full build of the store the crashes left."""
    fresh = os.path.join(tmp, "fresh")
    subprocess.run([clemency, "build", "--source", tmp, "--out", fresh], check=True,
                   stdout=subprocess.DEVNULL)
    diff = differences(os.path.join(tmp, "public"), fresh)
    check("public/ equals a full build of the store", not diff, ", ".join(diff[:5]))


def differences(a, b):
    """Relative paths that differ between two folder trees."""
    out = []
    comparison = filecmp.dircmp(a, b)
    stack = [("", comparison)]
    while stack:
        prefix, c = stack.pop()
        out += [prefix + n for n in c.left_only + c.right_only + c.diff_files + c.funny_files]
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        out += [prefix + n for n in mismatch + errors]
        stack += [(prefix + name + "/", sub) for name, sub in c.subdirs.items()]
    return sorted(set(out))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("clemency")
    parser.add_argument("project")
    parser.add_argument("--tries", type=int, default=12)
    args = parser.parse_args()
    clemency = os.path.abspath(args.clemency)
    tmp = tempfile.mkdtemp(prefix="clemency-publish-crash-")
    try:
        for part in ("site", "content"):
            shutil.copytree(os.path.join(args.project, part), os.path.join(tmp, part))
        subprocess.run([clemency, "import", "content", "--source", tmp], check=True,
                       stdout=subprocess.DEVNULL)
        guides = sorted(f for f in os.listdir(os.path.join(tmp, "content/guides"))
                        if f.endswith(".vi.md") and not f.startswith("_"))
        os.makedirs(os.path.join(tmp, "edits/guides"))
        serve = Serve(clemency, tmp)
        reported = {}  # file name -> the line its last reported publish added
        done = 0  # publishes reported done
        rng = random.Random()
        for attempt in range(args.tries):
            name = guides[attempt % len(guides)]
            line = f"Câu thử số {attempt}."
            edit = os.path.join(tmp, "edits/guides", name)
            with open(os.path.join(tmp, "content/guides", name), encoding="utf-8") as f:
                text = f.read()
            with open(edit, "w", encoding="utf-8") as f:
                f.write(text + "\n" + line + "\n")
            publish = subprocess.Popen([clemency, "publish", edit, "--source", tmp, "--note", line],
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            victim = "publish" if attempt % 2 == 0 else "serve"
            # A publish of this site takes ~50 ms; serve republishes within ~0.3 s of its commit.
            time.sleep(rng.uniform(0, 0.05 if victim == "publish" else 0.4))
            if victim == "publish":
                publish.send_signal(signal.SIGKILL)
            else:
                serve.kill()
            output = publish.communicate()[0]
            if publish.returncode == 0 and "published" in output:
                reported[name] = [line]
                done += 1
            elif name in reported:
                # Cut short, it may still have been stored (serve finishes a publish whose
                # command died): then it is the newer revision, and the one that must be live.
                reported[name].append(line)
            if victim == "serve":
                serve = Serve(clemency, tmp)
        time.sleep(1.0)  # the last republish
        serve.stop()
        serve = Serve(clemency, tmp)  # a clean start after everything
        serve.stop()
        db = sqlite3.connect(os.path.join(tmp, "var/clemency.db"))
        check("the store passes PRAGMA integrity_check",
              db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
        for name, lines in reported.items():
            slug = name.split(".")[0]
            row = db.execute("SELECT source_text FROM pages WHERE section = 'guides' AND slug = ? "
                             "AND lang = 'vi'", (slug,)).fetchone()
            stored = [line for line in lines if row and line in row[0]]
            check(f"the reported publish of {name} (or a later one) is in the store", stored,
                  f"none of {lines}")
            with open(os.path.join(tmp, f"public/vi/guides/{slug}/index.html"), encoding="utf-8") as f:
                check(f"the stored publish of {name} is live", stored and stored[0] in f.read())
        check("at least one publish was reported done", len(reported) > 0, "every publish was killed")
        check_public_is_fresh_build(clemency, tmp)
        print(f"{args.tries} kills ({(args.tries + 1) // 2} of publish, {args.tries // 2} of serve); "
              f"{done} publishes reported done, {args.tries - done} cut short")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
