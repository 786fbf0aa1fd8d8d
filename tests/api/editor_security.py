#!/usr/bin/env python3
"""The editor side's security, against the real binary (ctest api.editor_security).

Starts `clemency serve` on a copy of the site in a temporary folder, with accounts made by
`clemency user add` and a bearer token by `clemency token create`, then checks over real HTTP:
no session (401 or a redirect to sign in), a role doing what it may not (403), a missing or
wrong CSRF token (403), an account disabled while serving, self-approval, a session replayed
after sign-out, the sign-in limit (an address's 6th failure for an account, 429 with Retry-After), bearer
tokens (no CSRF needed; a wrong one 401), the session cookie's attributes and its rotation, the
store unchanged by every refused request, and no secret in serve's output or the audit log.
Along the way the allowed paths work end to end: publish, history with diff and restore,
schedule, unpublish.

Usage: editor_security.py CLEMENCY_BINARY PROJECT_DIR
Prints one line per check and "N passed, M failed"; exits 1 on any failure.
"""
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse

CLEMENCY = os.path.abspath(sys.argv[1])
PROJECT = os.path.abspath(sys.argv[2])

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import check, summary  # noqa: E402

PASSWORDS = {
    "lan": "mua-xuan-tren-song-1",      # editor
    "tam": "cay-bang-truoc-ngo-2",      # editor, disabled while serve runs
    "minh": "ben-thuyen-buoi-som-3",    # publisher
    "hoa": "mat-troi-len-cao-4",      # publisher who writes an edit herself
}
ROLES = {"lan": "editor", "tam": "editor", "minh": "publisher", "hoa": "publisher"}
GUIDE = "content/guides/dac-xa-la-gi.vi.md"
OTHER = "content/guides/ai-duoc-xet-dac-xa.vi.md"
SECRETS = set(PASSWORDS.values())  # grows with every session id, CSRF and bearer token seen


def run(args, stdin=None):
    result = subprocess.run([CLEMENCY] + args, input=stdin, capture_output=True, text=True,
                            timeout=120)
    if result.returncode != 0:
        raise SystemExit(f"clemency {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


class Server:
    def __init__(self, root):
        self.root = root
        self.out = open(os.path.join(root, "out.log"), "w+")
        self.err = open(os.path.join(root, "err.log"), "w+")
        self.proc = subprocess.Popen([CLEMENCY, "serve", "--source", root, "--port", "0"],
                                     stdout=self.out, stderr=self.err)
        deadline = time.time() + 90
        self.port = None
        while time.time() < deadline and self.port is None:
            if self.proc.poll() is not None:
                raise SystemExit("serve exited early:\n" + self.output()[-3000:])
            match = re.search(r"Serving on http://127.0.0.1:(\d+)/", open(self.out.name).read())
            self.port = int(match.group(1)) if match else None
            time.sleep(0.05)
        if self.port is None:
            raise SystemExit("serve did not start")

    def output(self):
        text = ""
        for f in (self.out, self.err):
            with open(f.name, encoding="utf-8", errors="replace") as reader:
                text += reader.read()
        return text

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return ""

    def cookies(self):
        return [v for k, v in self.headers if k.lower() == "set-cookie"]

    def json(self):
        return json.loads(self.body)


class Client:
    """One browser (or script): its own cookies, from its own loopback address."""

    def __init__(self, port, address="127.0.0.1"):
        self.port, self.address = port, address
        self.cookies = {}
        self.csrf = ""

    def request(self, method, path, body=None, headers=None, form=None, cookies=True):
        headers = dict(headers or {})
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif isinstance(body, (dict, list)):
            body = json.dumps(body)
            headers["Content-Type"] = "application/json"
        if cookies and self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60,
                                          source_address=(self.address, 0))
        conn.request(method, path, body=body.encode() if isinstance(body, str) else body,
                     headers=headers)
        raw = conn.getresponse()
        response = Response(raw.status, raw.getheaders(), raw.read().decode("utf-8", "replace"))
        conn.close()
        for cookie in response.cookies():
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in cookie:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
                SECRETS.add(value)
        return response

    def login_form(self):
        page = self.request("GET", "/admin/login")
        match = re.search(r'name="csrf" value="([^"]+)"', page.body)
        return match.group(1) if match else ""

    def login(self, name, password=None):
        token = self.login_form()
        response = self.request("POST", "/admin/login", form={
            "name": name, "password": password or PASSWORDS[name], "csrf": token})
        if response.status == 303:
            self.csrf = self.page_csrf()
        return response

    def page_csrf(self):
        page = self.request("GET", "/admin/")
        match = re.search(r'name="csrf" value="([^"]+)"', page.body)
        token = match.group(1) if match else ""
        SECRETS.add(token)
        return token

    def api(self, method, path, body=None, etag=None, csrf=True, bearer=None):
        headers = {"Accept": "application/json"}
        if csrf and self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        if etag:
            headers["If-Match"] = etag
        if bearer:
            headers["Authorization"] = "Bearer " + bearer
        if isinstance(body, str):
            headers["Content-Type"] = "application/json"
        return self.request(method, "/api/v1/editor" + path, body=body, headers=headers,
                            cookies=bearer is None)


def store_snapshot(root):
    """What a refused request must not change: rows of edits, their versions, revisions, the
    published texts and the audit log's non-sign-in entries."""
    db = sqlite3.connect(f"file:{os.path.join(root, 'var', 'clemency.db')}?mode=ro", uri=True)
    try:
        texts = hashlib.sha256()
        for (path, text) in db.execute("SELECT source_path, source_text FROM pages ORDER BY id"):
            texts.update(path.encode() + b"\0" + text.encode() + b"\0")
        edits = hashlib.sha256()
        for row in db.execute("SELECT id, state, version, source_text, approver FROM edits ORDER BY id"):
            edits.update(repr(row).encode())
        return {
            "edits": db.execute("SELECT COUNT(*) FROM edits").fetchone()[0],
            "edit_state": edits.hexdigest(),
            "revisions": db.execute("SELECT COUNT(*) FROM page_revisions").fetchone()[0],
            "pages": texts.hexdigest(),
        }
    finally:
        db.close()


def audit_text(root):
    db = sqlite3.connect(f"file:{os.path.join(root, 'var', 'clemency.db')}?mode=ro", uri=True)
    try:
        return "\n".join(" ".join(map(str, row)) for row in db.execute("SELECT * FROM audit_log"))
    finally:
        db.close()


def setup(root):
    for part in ("site", "content"):
        shutil.copytree(os.path.join(PROJECT, part), os.path.join(root, part))
    for name, password in PASSWORDS.items():
        run(["user", "add", name, "--role", ROLES[name], "--source", root], stdin=password + "\n")
    token = run(["token", "create", "minh", "--label", "security test", "--source", root]).strip()
    SECRETS.add(token)
    return token


def test_no_session(port):
    anon = Client(port)
    page = anon.request("GET", "/admin/")
    check("no session: /admin/ redirects to sign in", page.status == 303 and
          page.header("Location") == "/admin/login", f"{page.status} {page.header('Location')}")
    for method, path in (("GET", "/dashboard"), ("GET", "/edits/1"), ("POST", "/edits"),
                         ("POST", "/edits/1/approve")):
        r = anon.api(method, path, body={"path": GUIDE} if method == "POST" else None)
        check(f"no session: {method} /api/v1/editor{path} is 401", r.status == 401, str(r.status))
    r = anon.request("POST", "/admin/edits", form={"path": GUIDE, "csrf": "x"})
    check("no session: a form post is refused (401)", r.status == 401, str(r.status))
    r = anon.request("GET", "/admin/", headers={"Cookie": "clemency_session=made-up"}, cookies=False)
    check("a made-up session id is refused", r.status == 303, str(r.status))


def test_cookie_and_rotation(port):
    first, second = Client(port), Client(port)
    r1 = first.login("lan")
    check("sign-in answers 303 to /admin/", r1.status == 303 and r1.header("Location") == "/admin/",
          f"{r1.status} {r1.header('Location')}")
    cookie = next((c for c in r1.cookies() if c.startswith("clemency_session=")), "")
    attributes = [a.strip() for a in cookie.split(";")]
    check("the session cookie is HttpOnly, SameSite=Strict, Path=/",
          "HttpOnly" in attributes and "SameSite=Strict" in attributes and "Path=/" in attributes,
          cookie)
    old = first.cookies.get("clemency_session")
    # Signing in again while holding a session (a signed-in browser is sent past the form, so
    # the form comes without the cookie; the post carries it): a new id, the old one ended.
    first.cookies.pop("clemency_session")
    token = first.login_form()
    first.cookies["clemency_session"] = old
    again = first.request("POST", "/admin/login", form={
        "name": "lan", "password": PASSWORDS["lan"], "csrf": token})
    first.csrf = first.page_csrf()
    check("signing in again rotates the session id",
          again.status == 303 and first.cookies.get("clemency_session") not in (None, old))
    r = first.request("GET", "/admin/", headers={"Cookie": f"clemency_session={old}"},
                      cookies=False)
    check("the id replaced by a new sign-in is refused", r.status == 303, str(r.status))
    second.login("lan")
    check("two sign-ins give different ids",
          second.cookies.get("clemency_session") != first.cookies.get("clemency_session"))
    stale = Client(port)
    r = stale.request("POST", "/admin/login", form={"name": "lan", "password": PASSWORDS["lan"],
                                                    "csrf": "guessed"})
    check("sign-in without the form's CSRF token is 403 and sets no session",
          r.status == 403 and "clemency_session" not in stale.cookies, str(r.status))
    return first


def test_refusals(port, root, lan, edit):
    """Every request here is refused; the store is compared before and after."""
    before = store_snapshot(root)
    etag = edit["etag"]
    r = lan.api("PUT", f"/edits/{edit['id']}", body={"text": "x"}, etag=etag, csrf=False)
    check("a session write without the CSRF token is 403", r.status == 403, str(r.status))
    saved = lan.csrf
    lan.csrf = "not-the-token"
    r = lan.api("PUT", f"/edits/{edit['id']}", body={"text": "x"}, etag=etag)
    check("a session write with a wrong CSRF token is 403", r.status == 403, str(r.status))
    lan.csrf = saved
    r = lan.request("POST", "/admin/edits", form={"path": OTHER})
    check("an admin form without its CSRF field is 403", r.status == 403, str(r.status))
    r = lan.request("POST", f"/admin/edits/{edit['id']}/discard", form={"etag": etag, "csrf": "no"})
    check("an admin form with a wrong CSRF field is 403", r.status == 403, str(r.status))
    r = lan.api("PUT", f"/edits/{edit['id']}", body={"text": "x"})
    check("a write without If-Match is 428", r.status == 428, str(r.status))
    for action in ("approve", "publish"):
        r = lan.api("POST", f"/edits/{edit['id']}/{action}", body={"legal_review": True}, etag=etag)
        check(f"an editor may not {action} (403)", r.status == 403, str(r.status))
        r = lan.request("POST", f"/admin/edits/{edit['id']}/{action}",
                        form={"etag": etag, "csrf": lan.csrf, "legal_review": "1"})
        check(f"an editor may not {action} through the admin (403)", r.status == 403, str(r.status))
    r = lan.api("POST", f"/edits/{edit['id']}/schedule", body={"at": "2030-01-01T09:00:00+07:00"},
                etag=etag)
    check("an editor may not schedule (403)", r.status == 403, str(r.status))
    r = lan.api("POST", "/unpublish", body={"section": "guides", "slug": "dac-xa-la-gi",
                                            "reason": "x"})
    check("an editor may not unpublish (403)", r.status == 403, str(r.status))
    r = lan.api("GET", "/audit")
    check("an editor may not read the audit log (403)", r.status == 403, str(r.status))
    r = lan.api("PUT", f"/edits/{edit['id']}", body={"text": 5}, etag=etag)
    check("a text that is not a string is 400", r.status == 400, str(r.status))
    r = lan.api("POST", f"/edits/{edit['id']}/submit", body="{not json", etag=etag)
    check("a body that is not JSON is 400", r.status == 400, str(r.status))
    after = store_snapshot(root)
    check("refused requests changed nothing in the store", before == after, f"{before} != {after}")


def make_submitted_edit(client, path, sentence_from, sentence_to):
    r = client.api("POST", "/edits", body={"path": path})
    if r.status != 201:
        raise SystemExit(f"creating an edit of {path}: {r.status} {r.body}")
    edit = r.json()
    text = edit["text"].replace(sentence_from, sentence_to, 1)
    r = client.api("PUT", f"/edits/{edit['id']}", etag=r.header("ETag"),
                   body={"text": text, "change_type": "minor", "note": "Sửa câu chữ."})
    if r.status != 200:
        raise SystemExit(f"saving the edit: {r.status} {r.body}")
    r = client.api("POST", f"/edits/{edit['id']}/submit", etag=r.header("ETag"))
    if r.status != 200:
        raise SystemExit(f"submitting the edit: {r.status} {r.body}")
    return r.json()


def first_sentence(root, path):
    with open(os.path.join(root, path), encoding="utf-8") as f:
        body = f.read().split("\n---\n", 1)[1]
    return next(line for line in body.splitlines() if line.strip()).split(". ")[0]


def test_self_approval(port, root):
    hoa = Client(port)
    hoa.login("hoa")
    sentence = first_sentence(root, OTHER)
    edit = make_submitted_edit(hoa, OTHER, sentence, sentence + " (bản của Hoa)")
    before = store_snapshot(root)
    r = hoa.api("POST", f"/edits/{edit['id']}/approve", etag=edit["etag"], body={"legal_review": True})
    check("a publisher may not approve an edit she wrote (403)", r.status == 403,
          f"{r.status} {r.body[:200]}")
    check("the refused self-approval changed nothing", store_snapshot(root) == before)


def test_bearer(port, root, token, edit):
    script = Client(port)
    r = script.api("GET", "/dashboard", bearer=token)
    check("a bearer token reads the editor API", r.status == 200, str(r.status))
    r = script.api("GET", "/dashboard", bearer=token + "x")
    check("a wrong bearer token is 401", r.status == 401 and
          "invalid_token" in r.header("WWW-Authenticate"), f"{r.status} {r.header('WWW-Authenticate')}")
    r = script.request("GET", "/admin/", headers={"Authorization": "Bearer " + token})
    check("a bearer token does not open the web admin", r.status == 303, str(r.status))
    r = script.api("POST", f"/edits/{edit['id']}/approve", etag=edit["etag"], bearer=token,
                   body={"legal_review": True, "comment": "Đã xem."})
    check("a bearer token approves without a CSRF token", r.status == 200, f"{r.status} {r.body[:300]}")
    r = script.api("POST", f"/edits/{edit['id']}/publish", etag=r.header("ETag"), bearer=token)
    check("a bearer token publishes", r.status == 200, f"{r.status} {r.body[:300]}")
    return r.json() if r.status == 200 else None


def test_token_revoked(port, root, token):
    """`clemency token revoke`, run while serve runs, stops the token at once; the list never
    shows a token itself."""
    listed = run(["token", "list", "--source", root])
    check("token list shows the token's account and label, not the token",
          "minh" in listed and "security test" in listed and token not in listed, listed)
    token_id = listed.split()[0]
    run(["token", "revoke", token_id, "--source", root])
    r = Client(port).api("GET", "/dashboard", bearer=token)
    check("a revoked bearer token is 401", r.status == 401, str(r.status))
    check("token list says it was revoked", "revoked" in run(["token", "list", "--source", root]))


def test_schedule_and_unpublish(port, root, token, lan):
    """The publisher's other two actions through the API: scheduling an approved edit, and
    taking a story (every language) off the site with a reason readers then see."""
    script = Client(port)
    story = "content/stories/trai-ga-tu-khoan-vay-50-trieu.vi.md"
    sentence = first_sentence(root, story)
    edit = make_submitted_edit(lan, story, sentence, sentence + " (sẽ đăng sau)")
    r = script.api("POST", f"/edits/{edit['id']}/approve", etag=edit["etag"], bearer=token, body={})
    check("a story edit is approved", r.status == 200, f"{r.status} {r.body[:300]}")
    r = script.api("POST", f"/edits/{edit['id']}/schedule", etag=r.header("ETag"), bearer=token,
                   body={"at": "2030-01-02T08:00"})
    check("an approved edit is scheduled (the site's offset when none is given)",
          r.status == 200 and r.json()["state"] == "scheduled" and
          r.json()["publish_at"].startswith("2030-01-02T08:00:00+07:00"), f"{r.status} {r.body[:300]}")
    r = script.api("GET", "/dashboard", bearer=token)
    check("the dashboard lists it as scheduled",
          any(e["id"] == edit["id"] for e in r.json()["scheduled"]), r.body[:300])
    etag = script.api("GET", f"/edits/{edit['id']}", bearer=token).header("ETag")
    r = script.api("POST", f"/edits/{edit['id']}/discard", etag=etag, bearer=token)
    check("the scheduled edit is discarded", r.status == 200, str(r.status))
    reason = "Người kể chuyện xin rút lại câu chuyện."
    r = script.api("POST", "/unpublish", bearer=token, body={
        "section": "stories", "slug": "trai-ga-tu-khoan-vay-50-trieu", "reason": reason})
    check("a publisher unpublishes a story in every language",
          r.status == 200 and "stories/trai-ga-tu-khoan-vay-50-trieu/vi" in r.json().get("withdrawn", []),
          f"{r.status} {r.body[:300]}")
    shown = False
    for _ in range(50):
        page = script.request("GET", "/vi/stories/trai-ga-tu-khoan-vay-50-trieu/", cookies=False)
        shown = reason in page.body
        if shown:
            break
        time.sleep(0.1)
    check("readers see the reason", shown)


def test_history(lan, path, old_sentence, new_sentence):
    """History, texts, diffs and restore through the API, after the publish."""
    r = lan.api("GET", "/history?path=" + urllib.parse.quote(path))
    items = r.json()["items"] if r.status == 200 else []
    published = [i for i in items if i["kind"] == "published"]
    check("the history lists the imported and the new published revision", len(published) >= 2,
          f"{r.status} {[i['ref'] for i in items]}")
    if len(published) < 2:
        return
    newest, oldest = published[0]["ref"], published[-1]["ref"]
    r = lan.api("GET", f"/diff?from={oldest}&to={newest}")
    check("the diff of the two shows the inserted words",
          r.status == 200 and "<ins" in r.json()["html"] and "đã sửa" in r.json()["html"], r.body[:300])
    old_text = lan.api("GET", f"/text?ref={oldest}").json()["text"]
    check("the old revision's text is the old sentence's", old_sentence in old_text and
          new_sentence not in old_text)
    r = lan.request("POST", "/admin/restore", form={"csrf": lan.csrf, "path": path, "ref": oldest})
    check("restoring from the admin starts a new draft", r.status == 303 and
          "done=restored" in r.header("Location"), f"{r.status} {r.header('Location')}")
    edit_id = re.search(r"/admin/edits/(\d+)", r.header("Location") or "")
    restored = lan.api("GET", f"/edits/{edit_id.group(1)}") if edit_id else None
    check("the new draft holds the old text", restored is not None and restored.status == 200 and
          restored.json()["text"] == old_text and restored.json()["state"] == "draft")
    if restored is not None and restored.status == 200:
        lan.api("POST", f"/edits/{edit_id.group(1)}/discard", etag=restored.header("ETag"))


def test_disabled(port, root):
    tam = Client(port)
    tam.login("tam")
    check("tam signs in", bool(tam.csrf))
    run(["user", "disable", "tam", "--source", root])
    r = tam.api("GET", "/dashboard")
    check("an account disabled while serving is refused at once (401)", r.status == 401, str(r.status))
    r = tam.request("GET", "/admin/")
    check("and its admin pages send it to sign in", r.status == 303, str(r.status))
    r = Client(port).login("tam")
    check("a disabled account cannot sign in (401)", r.status == 401, str(r.status))


def test_logout(port):
    lan = Client(port)
    lan.login("lan")
    cookie = lan.cookies["clemency_session"]
    r = lan.request("POST", "/admin/logout", form={"csrf": "wrong"})
    check("sign-out with a wrong CSRF token is refused (403)", r.status == 403, str(r.status))
    r = lan.request("POST", "/admin/logout", form={"csrf": lan.csrf})
    check("sign-out answers 303 and clears the cookie",
          r.status == 303 and any(c.startswith("clemency_session=;") for c in r.cookies()), str(r.status))
    replay = {"Cookie": f"clemency_session={cookie}"}
    r = lan.request("GET", "/admin/", headers=replay, cookies=False)
    check("a session replayed after sign-out gets the sign-in page", r.status == 303 and
          r.header("Location") == "/admin/login", str(r.status))
    r = lan.request("GET", "/api/v1/editor/dashboard", headers=replay, cookies=False)
    check("a session replayed after sign-out gets 401 from the API", r.status == 401, str(r.status))


def test_failures_and_limit(port, root):
    unknown = Client(port, "127.0.0.3")
    wrong = Client(port, "127.0.0.3")
    r1 = unknown.login("khong-co-ai", "mot-mat-khau-bat-ky")
    r2 = wrong.login("minh", "mat-khau-sai-roi-nhe")
    generic = "Tên tài khoản hoặc mật khẩu không đúng, hoặc tài khoản đã bị khóa."
    check("a wrong password and an unknown account get the same 401 message",
          r1.status == r2.status == 401 and generic in r1.body and generic in r2.body,
          f"{r1.status} {r2.status}")
    attacker = Client(port, "127.0.0.2")
    statuses = [attacker.login("minh", f"doan-mat-khau-{i:02d}").status for i in range(5)]
    r = attacker.login("minh", "doan-mat-khau-05")
    check("one address's first five failed sign-ins for an account are 401", statuses == [401] * 5,
          str(statuses))
    check("its sixth within 15 minutes is 429 with Retry-After",
          r.status == 429 and r.header("Retry-After").isdigit() and int(r.header("Retry-After")) > 0,
          f"{r.status} {r.header('Retry-After')}")
    r = Client(port, "127.0.0.4").login("minh")
    check("meanwhile the owner signs in from another address (303)", r.status == 303, str(r.status))
    audit = audit_text(root)
    check("failed sign-ins are audited", audit.count("login.failed") >= 6, str(audit.count("login.failed")))
    check("the unknown name typed is not audited", "khong-co-ai" not in audit)


def main():
    root = tempfile.mkdtemp(prefix="clemency-editor-security-")
    server = None
    try:
        token = setup(root)
        server = Server(root)
        port = server.port
        test_no_session(port)
        lan = test_cookie_and_rotation(port)
        sentence = first_sentence(root, GUIDE)
        r = lan.api("POST", "/edits", body={"path": GUIDE})
        check("an editor starts an edit (201 with an ETag)", r.status == 201 and
              re.fullmatch(r'"e\d+\.\d+"', r.header("ETag")) is not None, f"{r.status} {r.body[:200]}")
        test_refusals(port, root, lan, r.json())
        r = lan.api("POST", f"/edits/{r.json()['id']}/discard", etag=r.header("ETag"))
        check("the editor discards it", r.status == 200, str(r.status))
        edit = make_submitted_edit(lan, GUIDE, sentence, sentence + " (đã sửa)")
        test_self_approval(port, root)
        published = test_bearer(port, root, token, edit)
        check("the publish went through", published is not None and published["state"] == "published")
        test_history(lan, GUIDE, sentence, sentence + " (đã sửa)")
        test_schedule_and_unpublish(port, root, token, lan)
        test_token_revoked(port, root, token)
        test_disabled(port, root)
        test_logout(port)
        test_failures_and_limit(port, root)
        time.sleep(0.3)  # the last request's log line
        output = server.output()
        leaked = [s for s in SECRETS if s and s in output]
        check("no password, session id, CSRF or bearer token in serve's output", not leaked,
              f"{len(leaked)} found")
        audit = audit_text(root)
        leaked = [s for s in SECRETS if s and s in audit]
        check("none in the audit log either", not leaked, f"{len(leaked)} found")
    finally:
        if server:
            server.stop()
        shutil.rmtree(root, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
