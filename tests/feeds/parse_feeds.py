#!/usr/bin/env python3
"""Builds the real site and reads every feed: Atom and RSS with feedparser (any complaint fails the
test); JSON Feed, which Debian's feedparser 6.0 cannot read, against the JSON Feed 1.1 rules."""
import datetime
import html.parser
import json
import pathlib
import subprocess
import sys
import tempfile

import feedparser



class UrlCollector(html.parser.HTMLParser):
    """Every href and src of an HTML fragment."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("href", "src") and value]


def relative_urls(path, entry_id, html_text):
    """Content is pasted on partners' sites: a link without a scheme would point at theirs."""
    collector = UrlCollector()
    collector.feed(html_text or "")
    return [f"{path}: entry {entry_id} links {url!r}, not an absolute URL"
            for url in collector.urls if "://" not in url and not url.startswith(("mailto:", "tel:"))]


def check_json_feed(path, data):
    """The MUSTs of https://jsonfeed.org/version/1.1 plus our own promises (full content, dates)."""
    problems = []
    doc = json.loads(data)
    if doc.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append(f"{path}: version is not JSON Feed 1.1")
    for key in ("title", "home_page_url", "feed_url", "language"):
        if not isinstance(doc.get(key), str) or not doc[key]:
            problems.append(f"{path}: top-level {key} missing")
    items = doc.get("items")
    if not isinstance(items, list):
        return problems + [f"{path}: items is not a list"]
    ids = []
    for item in items:
        ids.append(item.get("id"))
        if not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"{path}: item without a string id")
        if not item.get("content_html"):
            problems.append(f"{path}: item {item.get('id')} has no content_html")
        problems += relative_urls(path, item.get("id"), item.get("content_html"))
        for key in ("date_published", "date_modified"):
            try:
                stamp = datetime.datetime.fromisoformat(item[key])
                if stamp.tzinfo is None:
                    problems.append(f"{path}: {key} has no time zone")
            except (KeyError, ValueError):
                problems.append(f"{path}: item {item.get('id')} has no RFC 3339 {key}")
    if len(set(ids)) != len(ids):
        problems.append(f"{path}: duplicate item ids")
    licence = doc.get("_clemency", {}).get("license", {})
    if not licence.get("url") or not licence.get("attribution"):
        problems.append(f"{path}: no _clemency.license with url and attribution")
    return problems


clemency, source = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as out:
    subprocess.run([clemency, "build", "--source", source, "--out", out], check=True)
    feeds = sorted(pathlib.Path(out).rglob("feed.*"))
    assert feeds, "no feeds were generated"
    failures = []
    for path in feeds:
        data = path.read_bytes()
        if path.suffix == ".json":
            failures += check_json_feed(path, data)
            continue
        # As written: feedparser would otherwise resolve relative links itself.
        parsed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=False)
        if parsed.bozo:
            failures.append(f"{path}: {parsed.bozo_exception}")
            continue
        else:
            expected = "atom10" if path.suffix == ".atom" else "rss20"
            if parsed.version != expected:
                failures.append(f"{path}: parsed as {parsed.version!r}, expected {expected}")
            entries = parsed.entries
            ids = [entry.get("id") for entry in entries]
            for entry in entries:
                if not entry.get("title") or not entry.get("link"):
                    failures.append(f"{path}: entry without title or link")
                for content in entry.get("content", []) + [{"value": entry.get("description", "")}]:
                    failures += relative_urls(path, entry.get("id"), content.get("value"))
                if path.suffix == ".atom" and not entry.get("updated_parsed"):
                    failures.append(f"{path}: entry {entry.get('id')} has no parseable updated date")
            # feedparser reads Atom's <rights> and RSS's <copyright> both as `rights`.
            if "creativecommons.org/licenses/by/4.0" not in parsed.feed.get("rights", ""):
                failures.append(f"{path}: no licence in <rights>/<copyright>")
            self_links = [l for l in parsed.feed.get("links", []) if l.get("rel") == "self"]
            if not self_links:
                failures.append(f"{path}: no rel=self link")
        if len(set(ids)) != len(ids) or not all(ids):
            failures.append(f"{path}: missing or duplicate entry ids")
    print(f"parsed {len(feeds)} feeds")
    if failures:
        print("\n".join(failures))
        sys.exit(1)
