#!/usr/bin/env python3
"""What a media partner's sync client sees, against a real `clemency serve` and its store (issue 20,
item 9): every change of a page's record is in the feeds and the API at once, once, and dated.

- a page withdrawn and published again is one entry per feed (site and section, Atom, RSS and
  JSON Feed), not the page beside its "Withdrawn:" entry;
- a new translation moves the other languages' API records (their `translations[]` changed) into
  `updated_since`;
- `clemency import support` dates the entry's revision at the import, as a correction with a note;
- a withdrawal's reason is shown in each language's own words, or the Vietnamese one labelled so.

Usage: partner_records.py CLEMENCY PROJECT_DIR   (prints "N passed, M failed")
"""
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import feedparser

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import check, summary  # noqa: E402


class Serve:
    def __init__(self, clemency, root):
        self.out = os.path.join(root, "serve.out")
        open(self.out, "w").close()
        self.proc = subprocess.Popen([clemency, "serve", "--source", root, "--port", "0"],
                                     stdout=open(self.out, "a"),
                                     stderr=open(os.path.join(root, "serve.log"), "a"))
        deadline = time.time() + 60
        while "Serving on" not in open(self.out).read():
            if self.proc.poll() is not None or time.time() > deadline:
                raise SystemExit("serve did not start:\n" + open(self.out).read())
            time.sleep(0.05)
        line = [l for l in open(self.out).read().splitlines() if "Serving on" in l][0]
        self.base = line.split("Serving on ")[1].split()[0].rstrip("/")

    def get(self, path):
        """(status, body bytes) of GET path."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def json(self, path):
        status, body = self.get(path)
        return status, json.loads(body) if body else None

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(30)


def run(args, **kw):
    """Runs clemency's command line; returns (exit status, output)."""
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    return p.returncode, p.stdout


def wait_for(what, timeout=5.0):
    """Polls `what()` until it is true or `timeout` passes; returns its last value."""
    deadline = time.time() + timeout
    value = what()
    while not value and time.time() < deadline:
        time.sleep(0.05)
        value = what()
    return value


def feed_ids(serve, path):
    """The entry ids of the feed at `path` as a real parser reads them (JSON Feed: its items)."""
    status, body = serve.get(path)
    if status != 200:
        return None
    if path.endswith(".json"):
        return [item["id"] for item in json.loads(body)["items"]]
    parsed = feedparser.parse(body)
    return [entry.id for entry in parsed.entries]


def feed_titles(serve, path):
    status, body = serve.get(path)
    if path.endswith(".json"):
        return [item.get("title", "") for item in json.loads(body)["items"]]
    return [entry.title for entry in feedparser.parse(body).entries]


def unlinked_story(tmp, which=0):
    """The `which`th story no other page links to (it may be withdrawn)."""
    found = []
    for name in sorted(os.listdir(os.path.join(tmp, "content/stories"))):
        slug = name.split(".")[0]
        if name.endswith(".vi.md") and slug != "_index" and not any(
                f"stories/{slug}" in open(os.path.join(d, f), encoding="utf-8").read()
                for d, _, files in os.walk(os.path.join(tmp, "content")) for f in files):
            found.append(slug)
    if len(found) <= which:
        raise SystemExit(f"the test needs {which + 1} stories no page links to")
    return found[which]


def republish_replaces_tombstone(clemency, tmp, serve):
    """Item 9a: unpublish, then publish again: one entry per id in every feed, at once."""
    slug = unlinked_story(tmp)
    code, out = run([clemency, "unpublish", f"stories/{slug}", "--source", tmp,
                     "--reason", "Gỡ để kiểm tra lại."])
    check("unpublish a story", code == 0, out)
    feeds = [f"/{lang}/{section}feed.{fmt}" for lang in ("vi", "en", "km")
             for section in ("", "stories/") for fmt in ("atom", "rss", "json")]
    withdrawn = wait_for(lambda: "Gỡ để kiểm tra lại.".encode() in
                         serve.get(f"/vi/stories/{slug}/")[1])
    check("the withdrawal is live on serve", withdrawn)
    edit = os.path.join(tmp, "edits", "stories", f"{slug}.vi.md")
    os.makedirs(os.path.dirname(edit), exist_ok=True)
    shutil.copy(os.path.join(tmp, "content/stories", f"{slug}.vi.md"), edit)
    code, out = run([clemency, "publish", edit, "--source", tmp, "--change", "correction",
                     "--note", "Đăng lại sau khi kiểm tra."])
    check("publish the story again through serve", code == 0 and "live on the running serve" in out,
          out)
    for path in feeds:
        ids = feed_ids(serve, path)
        check(f"{path}: every entry id once after the republish", ids and len(ids) == len(set(ids)),
              f"duplicates: {sorted(i for i in set(ids or []) if ids.count(i) > 1)}")
    titles = feed_titles(serve, "/vi/stories/feed.atom")
    check("the republished page's own entry is in its section feed, not its withdrawal",
          not any(t.startswith("Đã gỡ") or t.startswith("Withdrawn") for t in titles), str(titles))
    return slug


def since_now():
    """An updated_since value after everything stored so far (the API compares whole seconds)."""
    time.sleep(1.1)
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def instant(text):
    """An RFC 3339 time as a comparable datetime."""
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def changed_ids(serve, since, lang):
    status, doc = serve.json(f"/api/v1/pages?updated_since={since}&lang={lang}&limit=100")
    return {item["id"] for item in doc["items"]} if status == 200 else set()


def translation_changes_bump_updated(clemency, tmp, serve):
    """Item 9b: a translation added, withdrawn or restored changes the other languages' records
    (their translations[]), so updated_since returns them."""
    story = "trai-ga-tu-khoan-vay-50-trieu"
    new = "trai-ga-ban-thu-doi-tac"
    edits = os.path.join(tmp, "edits", "stories")
    os.makedirs(edits, exist_ok=True)
    for lang in ("vi", "en"):
        shutil.copy(os.path.join(tmp, "content/stories", f"{story}.{lang}.md"),
                    os.path.join(edits, f"{new}.{lang}.md"))
    code, out = run([clemency, "publish", os.path.join(edits, f"{new}.vi.md"), "--source", tmp,
                     "--note", "Trang mới."])
    check("publish a new page in Vietnamese", code == 0, out)
    since = since_now()
    code, out = run([clemency, "publish", os.path.join(edits, f"{new}.en.md"), "--source", tmp,
                     "--note", "New translation."])
    check("publish its English translation", code == 0, out)
    _, record = serve.json(f"/api/v1/pages/stories/{new}?lang=vi")
    check("the Vietnamese record lists the new translation",
          record and "en" in [t["lang"] for t in record.get("translations", [])], str(record)[:300])
    check("a new translation: the Vietnamese record is in updated_since",
          f"stories/{new}/vi" in changed_ids(serve, since, "vi"))
    check("its updated moved to the change",
          record and instant(record["updated"]) >= instant(since), str(record and record["updated"]))

    since = since_now()
    code, out = run([clemency, "unpublish", f"stories/{story}", "--source", tmp, "--lang", "km",
                     "--reason", "Bản dịch cần xem lại."])
    check("withdraw one translation", code == 0, out)
    wait_for(lambda: serve.get(f"/api/v1/pages/stories/{story}?lang=km")[0] == 410)
    for lang in ("vi", "en"):
        check(f"a withdrawn translation: the {lang} record is in updated_since",
              f"stories/{story}/{lang}" in changed_ids(serve, since, lang))
    since = since_now()
    shutil.copy(os.path.join(tmp, "content/stories", f"{story}.km.md"),
                os.path.join(edits, f"{story}.km.md"))
    code, out = run([clemency, "publish", os.path.join(edits, f"{story}.km.md"), "--source", tmp,
                     "--change", "minor"])
    check("restore the translation", code == 0, out)
    for lang in ("vi", "en"):
        check(f"a restored translation: the {lang} record is in updated_since",
              f"stories/{story}/{lang}" in changed_ids(serve, since, lang))


def support_import_is_a_dated_correction(clemency, tmp, serve):
    """Item 9c: `import support` into the store serve runs on: the entry's records move into
    updated_since, and their newest revision is a correction dated at the import with a note."""
    slug = "cau-lac-bo-nguoi-hoan-luong-long-an"
    csv = os.path.join(tmp, "contacts.csv")
    with open(csv, "w", encoding="utf-8") as f:
        f.write("slug,phone,address,hours,verified,verified_by\n"
                f"{slug},0272 3826 111,\"Số 1, phường 2\",7:30-17:00,2026-12-01,Công an xã\n")
    since = since_now()
    code, out = run([clemency, "import", "support", csv, "--source", tmp])
    check("import support into the store", code == 0, out)
    for lang in ("vi", "en", "km"):
        seen = wait_for(lambda: f"support/{slug}/{lang}" in changed_ids(serve, since, lang))
        check(f"import support: the {lang} record is in updated_since", seen)
        _, record = serve.json(f"/api/v1/pages/support/{slug}?lang={lang}")
        newest = (record or {}).get("history", [{}])[0]
        check(f"import support: {lang} updated at the import",
              record and instant(record["updated"]) >= instant(since), str(record and record["updated"]))
        check(f"import support: {lang} revision is a correction dated at the import",
              newest.get("change_type") == "correction" and
              instant(newest.get("updated", "1970-01-01T00:00:00Z")) >= instant(since), str(newest))
        check(f"import support: {lang} revision has a change note", bool(newest.get("change_note")),
              str(newest))
        check(f"import support: {lang} public_updated at the import (a correction is announced)",
              record and instant(record["public_updated"]) >= instant(since),
              str(record and record["public_updated"]))
    check("the public history shows the import's note",
          wait_for(lambda: b"Contact details updated" in serve.get(f"/en/support/{slug}/history/")[1]))
    since = since_now()
    code, out = run([clemency, "import", "support", csv, "--source", tmp])
    check("the same contacts again change nothing", code == 0 and " 0 support pages" in out, out)


def reason_per_language(clemency, tmp, serve):
    """Item 9d: each language shows its own reason, or the Vietnamese one labelled as such."""
    slug = unlinked_story(tmp, 1)
    vi_reason, en_reason = "Lý do bằng tiếng Việt.", "The reason in English."
    since = since_now()
    code, out = run([clemency, "unpublish", f"stories/{slug}", "--source", tmp,
                     "--reason", vi_reason, "--reason-en", en_reason])
    check("unpublish with a reason in Vietnamese and one in English", code == 0, out)
    page = lambda lang: serve.get(f"/{lang}/stories/{slug}/")[1].decode()
    check("the withdrawal is live", wait_for(lambda: en_reason in page("en") and vi_reason in page("vi")))
    check("the English notice has the English reason only",
          en_reason in page("en") and vi_reason not in page("en"))
    check("the Khmer notice has the Vietnamese reason, labelled as such",
          f"{vi_reason} (ជាភាសាវៀតណាម)" in page("km"), page("km")[-600:])
    check("the Vietnamese notice has its own reason, unlabelled",
          vi_reason in page("vi") and "(bằng tiếng Việt)" not in page("vi"))
    records = {}
    for lang in ("vi", "en", "km"):
        _, doc = serve.json(f"/api/v1/pages?updated_since={since}&lang={lang}&limit=100")
        records.update({item["id"]: item for item in (doc or {}).get("items", [])})
    en, km = records.get(f"stories/{slug}/en", {}), records.get(f"stories/{slug}/km", {})
    check("the API's English record has the English reason",
          en.get("withdrawn_reason") == en_reason and en.get("withdrawn_reason_lang") == "en", str(en))
    check("the API's Khmer record says its reason is the Vietnamese one",
          km.get("withdrawn_reason") == vi_reason and km.get("withdrawn_reason_lang") == "vi", str(km))
    def en_feed():  # the feeds are swapped in just after the pages
        items = [i for i in json.loads(serve.get("/en/stories/feed.json")[1])["items"]
                 if f"/stories/{slug}/" in i["id"]]
        return items and en_reason in items[0].get("summary", "") + items[0].get("content_html", "")
    check("the English feed's withdrawal has the English reason", wait_for(en_feed))

    def km_feed():
        entries = [e for e in feedparser.parse(serve.get("/km/stories/feed.atom")[1]).entries
                   if f"/stories/{slug}/" in e.id]
        return entries and f"{vi_reason} (ជាភាសាវៀតណាម)" in entries[0].summary
    check("the Khmer Atom feed's withdrawal has the labelled Vietnamese reason", wait_for(km_feed))
    code, out = run([clemency, "unpublish", f"stories/{unlinked_story(tmp, 2)}", "--source", tmp,
                     "--reason-en", "Only English."])
    check("a language without its own reason or the Vietnamese one is refused",
          code != 0 and "no reason for '" in out, out)
    code, out = run([clemency, "unpublish", f"stories/{unlinked_story(tmp, 2)}", "--source", tmp,
                     "--reason", "x", "--reason-fr", "Non."])
    check("a reason in a language the site does not have is refused",
          code != 0 and "'fr'" in out, out)


def main():
    clemency, project = os.path.abspath(sys.argv[1]), sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="clemency-partner-")
    serve = None
    try:
        for part in ("site", "content"):
            shutil.copytree(os.path.join(project, part), os.path.join(tmp, part))
        serve = Serve(clemency, tmp)
        republish_replaces_tombstone(clemency, tmp, serve)
        translation_changes_bump_updated(clemency, tmp, serve)
        support_import_is_a_dated_correction(clemency, tmp, serve)
        reason_per_language(clemency, tmp, serve)
    finally:
        if serve:
            serve.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
