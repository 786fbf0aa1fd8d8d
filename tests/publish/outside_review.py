#!/usr/bin/env python3
"""Changes made outside the admin, and what every API reader sees of every change (ctest
publish.outside_review), against the real binary and a real store file:

- Fresh answers: an identical public API URL, polled before and right after each kind of change
  (`clemency publish` through serve's socket, `clemency unpublish`, `import support`,
  `import content`, an admin publish and a scheduled publish), shows the change as soon as the
  command or request that made it returns (or, for a schedule, within the scheduler's second).
- The store is owner-only: var/ 0700, the database and its -wal/-shm 0600; a store an older
  version left readable by others is narrowed when it is next opened.
- The command line is credited to the operating-system account (never to names a client sends),
  audited, and said on the public history to have skipped the two-person review; the site
  setting `command_line_publishing: refused` makes publish, unpublish and import refuse.

Usage: outside_review.py CLEMENCY_BINARY PROJECT_DIR
"""
import json
import os
import pwd
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

CLEMENCY = os.path.abspath(sys.argv[1])
PROJECT = os.path.abspath(sys.argv[2])
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import check, summary  # noqa: E402

# Passwords libpwquality accepts, without the account's name.
PASSWORDS = {"lan": "Mua-xuan-tren-song-Huong-7", "minh": "Canh-dong-lua-chin-vang-9"}

ME = "system user " + pwd.getpwuid(os.geteuid()).pw_name
GUIDE = "content/guides/dac-xa-la-gi.vi.md"
POLLED = "/api/v1/pages?updated_since=2020-01-01&limit=100&lang=vi"


def clemency(root, *args, stdin=None, ok=True):
    result = subprocess.run([CLEMENCY, *args, "--source", root], input=stdin, capture_output=True,
                            text=True, timeout=180)
    if ok and result.returncode != 0:
        raise SystemExit(f"clemency {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result


class Serve:
    def __init__(self, root):
        self.log = open(os.path.join(root, "serve.log"), "w+")
        self.proc = subprocess.Popen([CLEMENCY, "serve", "--source", root, "--port", "0"],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 120
        self.port = None
        while self.port is None and time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("serve exited early:\n" + open(self.log.name).read()[-3000:])
            match = re.search(r"Serving on http://127.0.0.1:(\d+)/", open(self.log.name).read())
            self.port = int(match.group(1)) if match else None
            time.sleep(0.05)
        if self.port is None:
            raise SystemExit("serve did not start")

    def get(self, path, headers=None):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def editor(self, method, path, token, body=None, etag=None):
        headers = {"Authorization": "Bearer " + token, "Accept": "application/json"}
        if etag:
            headers["If-Match"] = etag
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/api/v1/editor{path}",
                                         data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.headers.get("ETag", ""), json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{method} {path}: {error.code} {error.read()[:300]!r}")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def edited_copy(root, path, old, new, name):
    """A copy of the stored page file `path` with `old` replaced, in a folder named as its section."""
    with open(os.path.join(root, path), encoding="utf-8") as f:
        text = f.read()
    assert old in text, f"{old!r} not in {path}"
    folder = os.path.join(root, "edits", name, os.path.basename(os.path.dirname(path)))
    os.makedirs(folder, exist_ok=True)
    target = os.path.join(folder, os.path.basename(path))
    with open(target, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new, 1))
    return target


def first_words(root, path):
    with open(os.path.join(root, path), encoding="utf-8") as f:
        body = f.read().split("\n---\n", 1)[1]
    return next(line for line in body.splitlines() if line.strip() and not line.startswith("#"))[:40]


def fresh_after(serve, what, url, change, shows):
    """Polls `url` twice (the second is a cache hit), makes `change`, and checks that the very
    next answer of the same URL `shows` it."""
    serve.get(url)
    _, before = serve.get(url)
    change()
    status, after = serve.get(url)
    check(f"{what}: the same API URL shows it at once", status == 200 and after != before and
          shows(after), f"status {status}, {'unchanged' if after == before else 'changed'}")


def db(root):
    return sqlite3.connect(f"file:{os.path.join(root, 'var', 'clemency.db')}?mode=ro", uri=True)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def check_modes(root, when):
    var = os.path.join(root, "var")
    files = {"var/": (var, 0o700)}
    for suffix in ("", "-wal", "-shm"):
        path = os.path.join(var, "clemency.db" + suffix)
        if os.path.exists(path):
            files["clemency.db" + suffix] = (path, 0o600)
    wrong = {name: oct(mode(path)) for name, (path, want) in files.items() if mode(path) != want}
    check(f"{when}: var/ is 0700 and the store's files 0600 ({', '.join(files)})",
          not wrong and "clemency.db-wal" in files, str(wrong))


def test_fresh_answers(root, serve, tokens):
    # clemency publish through serve's socket.
    words = first_words(root, GUIDE)
    edited = edited_copy(root, GUIDE, words, words + " (bản mới)", "cli")
    fresh_after(serve, "clemency publish", f"/api/v1/pages/guides/dac-xa-la-gi?lang=vi",
                lambda: clemency(root, "publish", edited, "--change", "correction", "--note",
                                 "Sửa một câu."),
                lambda body: "(bản mới)" in body)
    fresh_after(serve, "clemency publish (the list)", POLLED,
                lambda: clemency(root, "publish", edited_copy(root, GUIDE, words, words + " (lần hai)",
                                                              "cli2"),
                                 "--change", "correction", "--note", "Sửa lần hai."),
                lambda body: "Sửa lần hai." in body)
    # clemency unpublish (the command writes the store itself).
    story = "stories/trai-ga-tu-khoan-vay-50-trieu"
    fresh_after(serve, "clemency unpublish", POLLED,
                lambda: clemency(root, "unpublish", story, "--reason", "Người kể xin rút lại."),
                lambda body: any(item["slug"] == "trai-ga-tu-khoan-vay-50-trieu" and
                                 item.get("status") == "withdrawn"
                                 for item in json.loads(body)["items"]))
    # import support.
    support = sorted(f for f in os.listdir(os.path.join(root, "content", "support"))
                     if f.endswith(".vi.md") and not f.startswith("_"))[0][:-len(".vi.md")]
    csv = os.path.join(root, "contacts.csv")
    with open(csv, "w", encoding="utf-8") as f:
        f.write(f"slug,phone,address,hours,verified,verified_by\n{support},0299 3 777 111,,,"
                "2026-11-30,Công an phường\n")
    fresh_after(serve, "import support", "/api/v1/support?lang=vi",
                lambda: clemency(root, "import", "support", csv),
                lambda body: "0299 3 777 111" in body)
    # import content (content/ on disk has a changed page).
    path = os.path.join(root, "content", "guides", "dac-xa-la-gi.vi.md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(words, words + " (từ content)", 1))
    fresh_after(serve, "import content", "/api/v1/pages/guides/dac-xa-la-gi?lang=vi",
                lambda: clemency(root, "import", "content"),
                lambda body: "(từ content)" in body)
    # An admin publish, and a scheduled one.
    other = "content/guides/ai-duoc-xet-dac-xa.vi.md"
    url = "/api/v1/pages/guides/ai-duoc-xet-dac-xa?lang=vi"
    fresh_after(serve, "an admin publish", url,
                lambda: approve_and(serve, tokens, root, other, " (qua biên tập)", "publish", None),
                lambda body: "(qua biên tập)" in body)
    serve.get(url)
    _, before = serve.get(url)
    at = time.time() + 4
    approve_and(serve, tokens, root, other, " (hẹn giờ)", "schedule",
                time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(at)))
    shown = None
    while time.time() < at + 3 and not shown:
        _, body = serve.get(url)
        shown = time.time() if "(hẹn giờ)" in body else None
        time.sleep(0.1)
    check("a scheduled publish: the same API URL shows it within its second",
          shown is not None and shown - at < 2.5 and before != body,
          "never shown" if shown is None else f"{shown - at:.1f} s after the time")


def approve_and(serve, tokens, root, path, addition, action, at):
    _, etag, edit = serve.editor("POST", "/edits", tokens["lan"], {"path": path})
    words = first_words(root, path)
    text = edit["text"].replace(words, words + addition, 1)
    _, etag, _ = serve.editor("PUT", f"/edits/{edit['id']}", tokens["lan"],
                              {"text": text, "change_type": "correction",
                               "note": "Sửa qua biên tập."}, etag)
    _, etag, _ = serve.editor("POST", f"/edits/{edit['id']}/submit", tokens["lan"], etag=etag)
    _, etag, _ = serve.editor("POST", f"/edits/{edit['id']}/approve", tokens["minh"],
                              {"legal_review": True}, etag)
    body = {"at": at} if at else None
    serve.editor("POST", f"/edits/{edit['id']}/{action}", tokens["minh"], body, etag)


def test_credited_and_audited(root, serve):
    connection = db(root)
    try:
        people = connection.execute(
            "SELECT author, approver, publisher FROM page_revisions WHERE source_text LIKE ? "
            "ORDER BY id LIMIT 1", ("%(bản mới)%",)).fetchone()
        audit = connection.execute("SELECT actor, action, subject FROM audit_log").fetchall()
    finally:
        connection.close()
    check("clemency publish is credited to the operating-system account, with no approver",
          people == (ME, "", ME), repr(people))
    for action, subject in (("page.publish", "guides/dac-xa-la-gi/vi"),
                            ("page.unpublish", "stories/trai-ga-tu-khoan-vay-50-trieu"),
                            ("support.import", "contacts.csv"), ("content.import", "content/")):
        check(f"the audit log has {action} by {ME}",
              any(a == ME and act == action and subject in s for a, act, s in audit),
              repr([row for row in audit if row[1] == action]))
    status, page = serve.get("/vi/guides/dac-xa-la-gi/history/")
    check("the public history says the command-line change skipped the two-person review",
          status == 200 and "không qua bước người thứ hai duyệt" in page, str(status))
    status, page = serve.get("/vi/guides/ai-duoc-xet-dac-xa/history/")
    check("a reviewed change's history does not say so", status == 200 and
          "Sửa qua biên tập." in page and "không qua bước người thứ hai duyệt" not in page,
          str(status))


def test_refused_setting(root):
    config = os.path.join(root, "site", "config.yaml")
    with open(config, encoding="utf-8") as f:
        original = f.read()
    assert "command_line_publishing: allowed\n" in original
    with open(config, "w", encoding="utf-8") as f:
        f.write(original.replace("command_line_publishing: allowed\n",
                                 "command_line_publishing: refused\n"))
    edited = edited_copy(root, GUIDE, first_words(root, GUIDE), "Câu bị từ chối.", "refused")
    before = db(root).execute("SELECT COUNT(*) FROM page_revisions").fetchone()[0]
    for args in (["publish", edited, "--change", "correction", "--note", "x"],
                 ["unpublish", "guides/dac-xa-la-gi", "--reason", "x"],
                 ["import", "support", os.path.join(root, "contacts.csv")],
                 ["import", "content"]):
        result = clemency(root, *args, ok=False)
        command = " ".join(args[:2] if args[0] == "import" else args[:1])
        check(f"command_line_publishing: refused — clemency {command} refuses, naming the setting",
              result.returncode != 0 and "command_line_publishing" in result.stderr,
              f"exit {result.returncode}: {result.stderr[-300:]}")
    after = db(root).execute("SELECT COUNT(*) FROM page_revisions").fetchone()[0]
    check("and nothing was stored", before == after, f"{before} -> {after}")
    with open(config, "w", encoding="utf-8") as f:
        f.write(original)


def test_old_store_narrowed(root):
    var = os.path.join(root, "var")
    for name in os.listdir(var):
        if name.startswith("clemency.db") and not name.endswith(".sock"):
            os.chmod(os.path.join(var, name), 0o644)
    os.chmod(var, 0o755)
    clemency(root, "user", "list")
    check_modes(root, "a store left readable by an older version, after the next command")


def main():
    root = tempfile.mkdtemp(prefix="clemency-outside-review-")
    serve = None
    try:
        os.umask(0o022)
        for part in ("site", "content"):
            shutil.copytree(os.path.join(PROJECT, part), os.path.join(root, part))
        tokens = {}
        for name, role in (("lan", "editor"), ("minh", "publisher")):
            clemency(root, "user", "add", name, "--role", role, stdin=PASSWORDS[name] + "\n")
            tokens[name] = clemency(root, "token", "create", name).stdout.strip()
        serve = Serve(root)
        check_modes(root, "a new store")
        test_fresh_answers(root, serve, tokens)
        test_credited_and_audited(root, serve)
        test_refused_setting(root)
        serve.stop()
        serve = None
        test_old_store_narrowed(root)
    finally:
        if serve:
            serve.stop()
        shutil.rmtree(root, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
