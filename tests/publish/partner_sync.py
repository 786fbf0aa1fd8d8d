#!/usr/bin/env python3
"""A media partner's sync client against a real `clemency serve` (issue 26): it pulls everything,
then follows GET /api/v1/changes while changes of every kind are made through the publish path
(major, minor, correction, title change, new page, new translation, contact change, withdrawal,
gone, republish), and its copy must equal a fresh full pull, page by page and tombstone by
tombstone, in each language. Also: the feeds state each change's type apart from the content,
the Atom feed's withdrawal is an RFC 6721 deleted-entry (valid against tests/feeds/atom.rng),
and the API index and rate limit headers are there.

Usage: partner_sync.py CLEMENCY PROJECT_DIR   (prints "N passed, M failed")
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import feedparser

sys.dont_write_bytecode = True  # no __pycache__ in the source tree from the import below
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
sys.path.insert(0, HERE)
from checks import check, summary  # noqa: E402
from partner_records import Serve, run, unlinked_story, wait_for  # noqa: E402

LANGS = ("vi", "en", "km")


def get_json(serve, path, headers=None):
    request = urllib.request.Request(serve.base + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, json.loads(r.read()), dict(r.headers)
    except urllib.error.HTTPError as e:
        body = e.read()
        return e.code, json.loads(body) if body else None, dict(e.headers)


def full_pull(serve):
    """Every page record and tombstone the API lists, by id: a page's whole record, a
    tombstone's status."""
    copy = {}
    for lang in LANGS:
        path = f"/api/v1/pages?lang={lang}&updated_since=1970-01-01&limit=100"
        while path:
            status, doc, _ = get_json(serve, path)
            assert status == 200, (path, status, doc)
            for item in doc["items"]:
                if item["status"] == "published":
                    copy[item["id"]] = fetch(serve, item["section"], item["slug"], lang)
                else:
                    copy[item["id"]] = {"tombstone": item["status"]}
            path = doc["next"]
    return copy


def fetch(serve, section, slug, lang):
    status, doc, _ = get_json(serve, f"/api/v1/pages/{section}/{slug}?lang={lang}")
    assert status == 200, (section, slug, lang, status, doc)
    return doc


# The stream lists a change this many seconds after it goes live (openapi.json, /api/v1/changes).
CHANGE_SETTLE_SECONDS = 2


def settle():
    time.sleep(CHANGE_SETTLE_SECONDS + 1)


class SyncClient:
    """Holds a copy of the site built from the change stream alone."""

    def __init__(self, serve):
        self.serve, self.cursor, self.copy, self.seen = serve, "0", {}, []

    def follow(self):
        while True:
            status, doc, _ = get_json(self.serve, f"/api/v1/changes?since={self.cursor}&limit=7")
            assert status == 200, (status, doc)
            for item in doc["items"]:
                self.seen.append(item)
                self.apply(item)
            self.cursor = doc["cursor"]
            if not doc["more"]:
                return

    def apply(self, item):
        status, doc, _ = get_json(self.serve, item["api_url"])
        if status == 200:
            self.copy[item["id"]] = doc
        elif status == 410:
            self.copy[item["id"]] = {"tombstone": item["status"]}
        else:
            self.copy.pop(item["id"], None)


def compare(copy, fresh, what):
    missing = sorted(set(fresh) - set(copy))
    extra = sorted(set(copy) - set(fresh))
    differ = sorted(i for i in set(copy) & set(fresh) if copy[i] != fresh[i])
    check(f"{what}: the copy equals a fresh full pull ({len(fresh)} records)",
          not missing and not extra and not differ,
          f"missing {missing[:5]}, extra {extra[:5]}, different {differ[:5]}")


def edit_copy(tmp, section, slug, lang):
    """A copy of the page file to edit and publish (edits/<section>/<slug>.<lang>.md)."""
    folder = os.path.join(tmp, "edits", section)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{slug}.{lang}.md")
    shutil.copy(os.path.join(tmp, "content", section, f"{slug}.{lang}.md"), path)
    return path


def replace_in(path, old, new):
    text = open(path, encoding="utf-8").read()
    assert old in text, (path, old)
    open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))


def publish(clemency, tmp, path, change, note=None):
    args = [clemency, "publish", path, "--source", tmp, "--change", change]
    if note:
        args += ["--note", note]
    code, out = run(args)
    check(f"publish {os.path.basename(path)} ({change})", code == 0, out)


def make_changes(clemency, tmp):
    """At least one change of every kind, 20 in all, through `clemency publish`/`unpublish`."""
    guide = "dac-xa-la-gi"
    for lang, change, note in (("vi", "major", "Viết lại phần đầu."), ("en", "minor", None),
                               ("km", "correction", "កែកំហុស។")):
        path = edit_copy(tmp, "guides", guide, lang)
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"\n\n{change} {lang}.\n")
        publish(clemency, tmp, path, change, note)
    path = edit_copy(tmp, "guides", guide, "vi")
    text = open(path, encoding="utf-8").read()
    title = [l for l in text.splitlines() if l.startswith("title:")][0]
    replace_in(path, title, 'title: "Đặc xá là gì? (cập nhật)"')
    publish(clemency, tmp, path, "correction", "Sửa tiêu đề.")
    story = unlinked_story(tmp, 0)
    new = "bai-moi-doi-tac"
    for lang in ("vi", "en"):  # a new page, then its translation
        folder = os.path.join(tmp, "edits", "stories")
        os.makedirs(folder, exist_ok=True)
        shutil.copy(os.path.join(tmp, "content/stories", f"{story}.{lang}.md"),
                    os.path.join(folder, f"{new}.{lang}.md"))
        publish(clemency, tmp, os.path.join(folder, f"{new}.{lang}.md"), "major", "Trang mới.")
    support = sorted(n for n in os.listdir(os.path.join(tmp, "content/support"))
                     if n.endswith(".vi.md") and not n.startswith("_"))[0].split(".")[0]
    path = edit_copy(tmp, "support", support, "vi")
    replace_in(path, "\norganisation:", '\ncontact:\n  phone: "0238 3844 555"\nverified: 2026-11-30\n'
               'verified_by: "Công an xã"\norganisation:')
    publish(clemency, tmp, path, "correction", "Thêm số điện thoại.")
    withdrawn, gone = unlinked_story(tmp, 1), unlinked_story(tmp, 2)
    code, out = run([clemency, "unpublish", f"stories/{withdrawn}", "--source", tmp,
                     "--reason", "Gỡ để kiểm tra.", "--reason-en", "Withdrawn to be checked."])
    check("withdraw a story in every language", code == 0, out)
    code, out = run([clemency, "unpublish", f"stories/{gone}", "--source", tmp, "--lang", "km",
                     "--reason", "Bản dịch sai.", "--gone"])
    check("remove one translation (gone)", code == 0, out)
    path = edit_copy(tmp, "stories", withdrawn, "vi")
    publish(clemency, tmp, path, "correction", "Đăng lại sau khi kiểm tra.")
    return withdrawn, support


def check_support(serve, support):
    _, record, _ = get_json(serve, f"/api/v1/pages/support/{support}?lang=vi")
    check("a phone in E.164 beside its display form",
          record["contact"].get("phone_e164") == "+842383844555" and
          record["contact"].get("phone") == "0238 3844 555", str(record.get("contact")))
    import unicodedata
    ids = lambda q: sorted(i["id"] for i in get_json(
        serve, "/api/v1/support?lang=vi&province=" + urllib.parse.quote(q))[1]["items"])
    tay_ninh = ids("tay-ninh")
    check("the province code finds entries", tay_ninh, str(tay_ninh))
    for name in ("Tây Ninh", "tay ninh", "TÂY NINH", unicodedata.normalize("NFD", "Tây Ninh"),
                 "Long An"):
        check(f"province={name!r} finds the same entries as its code", ids(name) == tay_ninh)
    check("Nghe An without diacritics finds entries", ids("Nghe An"))
    status, problem, _ = get_json(serve, "/api/v1/support?province=Atlantis")
    check("an unknown province is 400 with the codes", status == 400 and "tay-ninh" in problem["detail"],
          str(problem))
    status, problem, _ = get_json(serve, "/api/v1/support?province=tay%20nin")
    check("a near miss is offered the right code", status == 400 and "did you mean: tay-ninh" in
          problem["detail"], str(problem))
    _, items, _ = get_json(serve, "/api/v1/support?lang=vi&province=tay-ninh")
    check("entries carry their province code",
          all(i["province_code"] == "tay-ninh" for i in items["items"]))
    status, body = serve.get("/api/v1/support.csv?bom=0")
    check("bom=0: the CSV without a byte order mark", status == 200 and body.startswith(b"id,"))
    check("the CSV with one by default", serve.get("/api/v1/support.csv")[1].startswith(b"\xef\xbb\xbf"))


def check_feeds(serve, tmp, withdrawn):
    status, body = serve.get("/en/stories/feed.atom")  # the English one is still withdrawn
    parsed = feedparser.parse(body)
    check("the Atom feed parses", status == 200 and not parsed.bozo, str(parsed.get("bozo_exception")))
    types = {t.get("term") for e in parsed.entries for t in e.get("tags", [])
             if (t.get("scheme") or "").endswith("/api/v1/#change-type")}
    check("Atom entries carry their change type in a category scheme", types & {"major", "correction"},
          str(types))
    check("feed content has no change banner",
          all("<strong>" not in (e.get("content") or [{"value": ""}])[0]["value"][:200]
              for e in parsed.entries))
    text = body.decode()
    check("the withdrawal is an RFC 6721 deleted-entry with its reason",
          "<at:deleted-entry ref=" in text and "Withdrawn to be checked." in text, text[:400])
    feed = os.path.join(tmp, "feed.atom")
    open(feed, "wb").write(body)
    schema = os.path.join(HERE, "..", "feeds", "atom.rng")
    p = subprocess.run(["xmllint", "--noout", "--relaxng", schema, feed], capture_output=True,
                       text=True)
    check("the feed with tombstones is valid against atom.rng (with RFC 6721)", p.returncode == 0,
          p.stderr[-600:])
    _, rss = serve.get("/vi/stories/feed.rss")
    check("RSS items carry their update date and change type",
          b"<atom:updated>" in rss and b"/api/v1/#change-type\">" in rss)
    _, json_feed = serve.get("/km/stories/feed.json")
    items = json.loads(json_feed)["items"]
    check("JSON Feed flags a withdrawal",
          any(i.get("_clemency", {}).get("status") in ("withdrawn", "gone") for i in items))


def check_index_and_limits(serve):
    status, doc, headers = get_json(serve, "/api/v1/")
    check("GET /api/v1/ describes endpoints and reuse terms",
          status == 200 and doc["licence"]["spdx"] == "CC-BY-4.0" and
          any(e["path"] == "/api/v1/changes" for e in doc["endpoints"]), str(doc)[:300])
    limited = {"X-Forwarded-For": "203.0.113.9"}
    status, _, headers = get_json(serve, "/api/v1/languages", limited)
    check("a client gets RateLimit headers",
          status == 200 and headers.get("RateLimit-Limit") and headers.get("RateLimit-Policy"),
          str(headers))
    limit = int(headers["RateLimit-Limit"])
    statuses = [get_json(serve, "/api/v1/languages", limited)[0] for _ in range(limit)]
    status, doc, headers = get_json(serve, "/api/v1/languages", limited)
    check("beyond the limit: 429 with Retry-After", status == 429 and headers.get("Retry-After"),
          f"{status} {headers}")
    check("another client is not affected",
          get_json(serve, "/api/v1/languages", {"X-Forwarded-For": "203.0.113.10"})[0] == 200)
    check("the limit counted every request", statuses.count(429) == 1, str(statuses[-3:]))


def main():
    clemency, project = os.path.abspath(sys.argv[1]), sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="clemency-sync-")
    serve = None
    try:
        for part in ("site", "content"):
            shutil.copytree(os.path.join(project, part), os.path.join(tmp, part))
        serve = Serve(clemency, tmp)
        client = SyncClient(serve)
        settle()  # serve's import at start
        client.follow()
        compare(client.copy, full_pull(serve), "from cursor 0 before any change")
        cursor = client.cursor
        withdrawn, support = make_changes(clemency, tmp)
        wait_for(lambda: serve.get(f"/api/v1/pages/stories/{withdrawn}?lang=vi")[0] == 200)
        settle()
        client.follow()
        kinds = {item["change_type"] for item in client.seen}
        check("the stream had every kind of change",
              {"major", "minor", "correction", "translations", "withdrawn", "gone"} <= kinds,
              str(kinds))
        compare(client.copy, full_pull(serve), "after the changes, followed from the same client")
        fresh = SyncClient(serve)
        fresh.follow()
        compare(fresh.copy, full_pull(serve), "a new client from cursor 0")
        status, doc, _ = get_json(serve, f"/api/v1/changes?since={client.cursor}")
        check("nothing after the last cursor", status == 200 and doc["items"] == [] and
              doc["cursor"] == client.cursor, str(doc)[:300])
        check("a cursor in the middle resumes there",
              get_json(serve, f"/api/v1/changes?since={cursor}")[1]["items"][0]["cursor"] != cursor)
        check("a made-up cursor is refused",
              get_json(serve, "/api/v1/changes?since=bogus")[0] == 400)
        check_feeds(serve, tmp, withdrawn)
        check_support(serve, support)
        check_index_and_limits(serve)
    finally:
        if serve:
            serve.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
