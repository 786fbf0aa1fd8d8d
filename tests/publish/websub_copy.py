#!/usr/bin/env python3
"""A newsroom's copy kept through WebSub alone equals a fresh full pull (issue 26).

A partner pulls the whole API once, then subscribes (with a secret) to each language's feed at
serve's hub, on a real HTTP callback on loopback. Every push must carry a valid
X-Hub-Signature; the partner reads the pushed feed, and for each entry that differs from the one
it last saw, fetches the API records of that page in every language (a new translation changes
the others' `translations[]` and `updated`): 200 keeps the record, 410 keeps a tombstone (its
feed entry's change type: withdrawn or gone), 404 drops it. Meanwhile changes of every kind
publish.partner_sync makes go through the publish path (major, minor and correction edits, a
title change, a new page and its translation, a contact change, a withdrawal, a translation
removed as gone, a republish), then a page scheduled a few seconds ahead with a translation
published at once (it waits for its source). When the hub is idle, the copy must equal a fresh
full pull: the same ids, the same records (bodies, `updated`, histories), tombstones, none extra
and none missing, in each language. (The hub offers feeds only: the change stream is not a
topic. Pages cannot be renamed, so there is no rename to follow.)

Usage: websub_copy.py CLEMENCY PROJECT_DIR   (prints "N passed, M failed")
"""
import hashlib
import hmac
import http.server
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
import urllib.parse

import feedparser

sys.dont_write_bytecode = True  # no __pycache__ in the source tree from the imports below
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
sys.path.insert(0, HERE)
from checks import check, summary  # noqa: E402
from partner_records import unlinked_story, wait_for  # noqa: E402
from partner_sync import LANGS, compare, full_pull, get_json, make_changes, publish  # noqa: E402
from websub import Serve, base_url  # noqa: E402

SECRET = "newsroom-secret-2026"
CHANGE_TYPES = ("major", "minor", "correction", "translations", "withdrawn", "gone")


class NewsroomCopy:
    """A partner's copy of the site, kept from WebSub pushes of each language's feed."""

    def __init__(self, serve, copy):
        self.serve, self.copy = serve, copy
        self.seen = {}  # (lang, section, slug) -> the last feed entry seen for it
        self.pushes, self.bad_signatures, self.kinds = 0, [], set()
        self.last_activity = time.time()
        self.lock = threading.Lock()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):  # intent verification: the challenge back, for what it asked
                query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
                body = query.get("hub.challenge", "").encode()
                self.send_response(200 if query.get("hub.mode") == "subscribe" else 404)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                lang = urllib.parse.urlsplit(self.path).path.rsplit("/", 1)[-1]
                owner.receive(lang, dict(self.headers), body)
                self.send_response(204)
                self.end_headers()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/newsroom"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()

    def receive(self, lang, headers, body):
        """Verifies a push's signature, then applies the feed it carries."""
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        with self.lock:
            self.last_activity = time.time()
            if not hmac.compare_digest(headers.get("X-Hub-Signature", ""), expected):
                self.bad_signatures.append(lang)
                return
            self.pushes += 1
            self.apply(body)
            self.last_activity = time.time()

    def remember(self, body):
        """Notes the entries of a feed as read at subscription time (nothing to fetch)."""
        with self.lock:
            for key, entry, _ in entries_of(body):
                self.seen[key] = entry

    def apply(self, body):
        changed = {}
        for key, entry, change_type in entries_of(body):
            if self.seen.get(key) == entry:
                continue
            self.seen[key] = entry
            self.kinds.add(change_type)
            lang, section, slug = key
            changed.setdefault((section, slug), {})[lang] = change_type
        for (section, slug), types in changed.items():
            for lang in LANGS:  # the group's records list each other: all may have changed
                self.refresh(section, slug, lang, types.get(lang))

    def refresh(self, section, slug, lang, change_type):
        record_id = f"{section}/{slug}/{lang}"
        status, doc, _ = get_json(self.serve, f"/api/v1/pages/{section}/{slug}?lang={lang}")
        if status == 200:
            self.copy[record_id] = doc
        elif status == 410:
            held = self.copy.get(record_id, {}).get("tombstone")
            if change_type in ("withdrawn", "gone"):
                held = change_type
            self.copy[record_id] = {"tombstone": held or "withdrawn"}
        elif status == 404:
            self.copy.pop(record_id, None)


def entries_of(body):
    """(lang, section, slug), the entry as compared, and its change type, for each page entry of
    an Atom feed (the language's home page news has no API record)."""
    out = []
    for e in feedparser.parse(body).entries:
        parts = urllib.parse.urlsplit(e.get("link", "")).path.strip("/").split("/")
        if len(parts) != 3:
            continue
        types = [t["term"] for t in e.get("tags", [])
                 if (t.get("scheme") or "").endswith("/api/v1/#change-type")]
        change_type = types[0] if types else ""
        content = (e.get("content") or [{"value": ""}])[0]["value"]
        entry = (e.get("id"), e.get("updated"), e.get("title"), e.get("summary"), content,
                 change_type)
        out.append((tuple(parts), entry, change_type))
    return out


def subscribe(serve, newsroom, topic, lang):
    status, body = serve.hub({"hub.mode": "subscribe", "hub.topic": topic,
                              "hub.callback": f"{newsroom.url}/{lang}", "hub.secret": SECRET,
                              "hub.lease_seconds": "3600"})
    check(f"subscribe to the {lang} feed: 202", status == 202, f"{status} {body}")


def subscribed(serve, topics):
    """True once the hub has stored a verified subscription to each of `topics`."""
    db = os.path.join(serve.root, "var", "clemency.db")
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        stored = {row[0] for row in con.execute("SELECT topic FROM websub_subscriptions")}
    finally:
        con.close()
    return set(topics) <= stored


def pending(serve):
    metrics = serve.get("/metrics").decode()
    match = re.search(r"^clemency_websub_pending (\d+)$", metrics, re.M)
    return int(match.group(1)) if match else -1


def settle(serve, newsroom, quiet=3.0, timeout=60):
    """Waits until the hub has nothing waiting and no push came for `quiet` seconds."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pending(serve) == 0 and time.time() - newsroom.last_activity >= quiet:
            return True
        time.sleep(0.2)
    return False


def schedule_page(clemency, tmp, seconds):
    """A new page due `seconds` from now, and its translation published at once (it waits for
    its source). Returns (slug, due time)."""
    story, slug = unlinked_story(tmp, 3), "bai-hen-gio-doi-tac"
    due = int(time.time()) + seconds
    at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(due))
    folder = os.path.join(tmp, "edits", "stories")
    os.makedirs(folder, exist_ok=True)
    for lang in ("vi", "en"):
        text = open(os.path.join(tmp, "content/stories", f"{story}.{lang}.md"),
                    encoding="utf-8").read()
        if lang == "vi":
            text = re.sub(r"^date: .*$", f"date: {at}", text, count=1, flags=re.M)
        path = os.path.join(folder, f"{slug}.{lang}.md")
        open(path, "w", encoding="utf-8").write(text)
        publish(clemency, tmp, path, "major", "Trang hẹn giờ.")
    return slug, due


def main():
    clemency, project = os.path.abspath(sys.argv[1]), sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="clemency-websub-copy-")
    serve = newsroom = None
    try:
        for part in ("site", "content"):
            shutil.copytree(os.path.join(project, part), os.path.join(tmp, part))
        with open(os.path.join(tmp, "site/config.yaml"), "a", encoding="utf-8") as f:
            f.write("websub:\n  hub: true\n")
        serve = Serve(clemency, tmp, "--websub-allow-private")
        serve.root = tmp
        base = base_url(tmp)
        newsroom = NewsroomCopy(serve, full_pull(serve))
        topics = {lang: f"{base}/{lang}/feed.atom" for lang in LANGS}
        for lang, topic in topics.items():
            subscribe(serve, newsroom, topic, lang)
        check("the hub verified and stored every subscription",
              wait_for(lambda: subscribed(serve, topics.values()), 10))
        for lang in LANGS:
            newsroom.remember(serve.get(f"/{lang}/feed.atom"))

        withdrawn, _ = make_changes(clemency, tmp)
        wait_for(lambda: get_json(serve, f"/api/v1/pages/stories/{withdrawn}?lang=vi")[0] == 200)
        slug, due = schedule_page(clemency, tmp, 12)
        check("the scheduled page and its translation wait for their time",
              time.time() < due and
              get_json(serve, f"/api/v1/pages/stories/{slug}?lang=vi")[0] == 404 and
              get_json(serve, f"/api/v1/pages/stories/{slug}?lang=en")[0] == 404)
        arrived = wait_for(lambda: f"stories/{slug}/en" in newsroom.copy, due + 20 - time.time())
        print(f"  the scheduled page's translation reached the copy {time.time() - due:.1f} s "
              "after its source's time" if arrived else "  the scheduled page never arrived")
        check("the hub and the subscriber went quiet", settle(serve, newsroom))

        check("every push was signed with the subscription's secret (X-Hub-Signature)",
              newsroom.pushes > 0 and not newsroom.bad_signatures,
              f"{newsroom.pushes} pushes, bad: {newsroom.bad_signatures}")
        print(f"  {newsroom.pushes} pushes applied")
        check("the pushes told of every kind of change",
              {"major", "correction", "withdrawn", "gone"} <= newsroom.kinds,
              str(newsroom.kinds))
        check("the scheduled page reached the copy when it went live, its translation too",
              f"stories/{slug}/vi" in newsroom.copy and f"stories/{slug}/en" in newsroom.copy)
        fresh = full_pull(serve)
        with newsroom.lock:
            copy = dict(newsroom.copy)
        compare(copy, fresh, "the WebSub copy")
        for lang in LANGS:
            mine = {k: v for k, v in copy.items() if k.endswith("/" + lang)}
            theirs = {k: v for k, v in fresh.items() if k.endswith("/" + lang)}
            compare(mine, theirs, f"the WebSub copy in {lang}")
    finally:
        if serve:
            serve.stop()
        if newsroom:
            newsroom.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
