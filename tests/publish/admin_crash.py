#!/usr/bin/env python3
"""kill -9 of `clemency serve` at random moments during publishes through the editor API (the
admin's path) and scheduled publishes (ctest publish.admin_crash).

Each try approves an edit of a different page, then publishes it (or schedules it a moment
ahead) and kills serve 0-0.5 s later; serve is started again each time. At the end the store
must pass PRAGMA integrity_check, every edit's state must match what is live (published if and
only if its text is the page's), every published edit must have its audit entry, and public/
must equal a fresh build of the store.

Usage: admin_crash.py CLEMENCY PROJECT_DIR [--tries N]   (prints "N passed, M failed")
"""
import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, summary  # noqa: E402

# Passwords libpwquality accepts, without the account's name.
PASSWORDS = {"lan": "Mua-xuan-tren-song-Huong-7", "minh": "Canh-dong-lua-chin-vang-9"}
from crash import Serve, check_public_is_fresh_build  # noqa: E402


def port_of(serve):
    for _ in range(100):
        for line in open(serve.out, encoding="utf-8"):
            if line.startswith("Serving on http://127.0.0.1:"):
                return int(line.split(":")[2].split("/")[0])
        time.sleep(0.05)
    raise SystemExit("no port in serve's output")


def editor(port, method, path, token, body=None, etag=None):
    """One editor API call; (status, ETag, JSON) or (None, "", None) when serve died under it."""
    headers = {"Authorization": "Bearer " + token, "Accept": "application/json"}
    if etag:
        headers["If-Match"] = etag
    data = json.dumps(body).encode() if body is not None else None
    if data:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/editor{path}", data=data,
                                     method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("ETag", ""), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, "", error.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, OSError):
        return None, "", None


def approved_edit(port, tokens, path, line):
    status, etag, edit = editor(port, "POST", "/edits", tokens["lan"], {"path": path})
    if status != 201:
        raise SystemExit(f"creating an edit of {path}: {status} {edit}")
    text = edit["text"].rstrip("\n") + "\n\n" + line + "\n"
    steps = [("PUT", f"/edits/{edit['id']}", "lan",
              {"text": text, "change_type": "correction", "note": line}),
             ("POST", f"/edits/{edit['id']}/submit", "lan", None),
             ("POST", f"/edits/{edit['id']}/approve", "minh", {"legal_review": True})]
    for method, url, who, body in steps:
        status, etag, answer = editor(port, method, url, tokens[who], body, etag)
        if status != 200:
            raise SystemExit(f"{method} {url}: {status} {answer}")
    return edit["id"], etag


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("clemency")
    parser.add_argument("project")
    parser.add_argument("--tries", type=int, default=10)
    args = parser.parse_args()
    clemency = os.path.abspath(args.clemency)
    tmp = tempfile.mkdtemp(prefix="clemency-admin-crash-")
    try:
        for part in ("site", "content"):
            shutil.copytree(os.path.join(args.project, part), os.path.join(tmp, part))
        tokens = {}
        for name, role in (("lan", "editor"), ("minh", "publisher")):
            subprocess.run([clemency, "user", "add", name, "--role", role, "--source", tmp],
                           input=PASSWORDS[name] + "\n", text=True, check=True,
                           stdout=subprocess.DEVNULL)
            tokens[name] = subprocess.run(
                [clemency, "token", "create", name, "--source", tmp], text=True, check=True,
                capture_output=True).stdout.strip()
        pages = sorted(f"content/{section}/{f}" for section in ("guides", "stories", "support")
                       for f in os.listdir(os.path.join(tmp, "content", section))
                       if f.endswith(".vi.md") and not f.startswith("_"))
        tries = min(args.tries, len(pages))
        rng = random.Random()
        serve = Serve(clemency, tmp)
        edits = {}  # edit id -> (page file, the line it adds)
        for attempt in range(tries):
            port = port_of(serve)
            path, line = pages[attempt], f"Câu thử số {attempt}."
            edit_id, etag = approved_edit(port, tokens, path, line)
            edits[edit_id] = (path, line)
            if attempt % 3 == 2:  # a scheduled publish, due a moment from now
                at = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() + 1.2))
                action = lambda: editor(port, "POST", f"/edits/{edit_id}/schedule",  # noqa: E731
                                        tokens["minh"], {"at": at}, etag)
                delay = rng.uniform(1.0, 2.5)
            else:
                action = lambda: editor(port, "POST", f"/edits/{edit_id}/publish",  # noqa: E731
                                        tokens["minh"], None, etag)
                delay = rng.uniform(0, 0.5)
            worker = threading.Thread(target=action)
            worker.start()
            time.sleep(delay)
            serve.kill()
            worker.join()
            serve = Serve(clemency, tmp)
        time.sleep(3.0)  # schedules still due go live after the restart
        serve.stop()
        serve = Serve(clemency, tmp)  # a clean start after everything
        serve.stop()
        db = sqlite3.connect(os.path.join(tmp, "var/clemency.db"))
        check("the store passes PRAGMA integrity_check",
              db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
        published = 0
        for edit_id, (path, line) in edits.items():
            state = db.execute("SELECT state FROM edits WHERE id = ?", (edit_id,)).fetchone()[0]
            live = db.execute("SELECT source_text FROM pages WHERE source_path = ?",
                              (path,)).fetchone()[0]
            audited = db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'publish' AND "
                                 "subject = ?", (f"#{edit_id} {path}",)).fetchone()[0]
            published += state == "published"
            check(f"edit #{edit_id} ({path}): its state ({state}) matches what is live",
                  (state == "published") == (line in live), f"live has the line: {line in live}")
            if line in live:
                check(f"edit #{edit_id}: its live revision has its audit entry", audited == 1,
                      f"{audited} entries")
        check_public_is_fresh_build(clemency, tmp)
        print(f"{tries} kills of serve during admin publishes; {published} edits published, "
              f"{tries - published} not")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
