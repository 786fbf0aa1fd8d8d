#!/usr/bin/env python3
"""serve's WebSub hub end to end (issue 26): the feeds advertise the hub only when the site runs
one; a subscriber on loopback subscribes, is asked to verify its intent (hub.challenge), and is
sent the feed, signed (X-Hub-Signature: sha256=HMAC), within a second of a publish, even while
another subscriber never answers; requests with a bad field get a 4xx naming it; unsubscribing
stops the pushes; without --websub-allow-private a loopback callback is refused (SSRF).

Usage: websub.py CLEMENCY PROJECT_DIR   (prints "N passed, M failed")
"""
import hashlib
import hmac
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

import feedparser

sys.dont_write_bytecode = True  # no __pycache__ in the source tree from the import below
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
sys.path.insert(0, HERE)
from checks import check, summary  # noqa: E402
from partner_records import run, wait_for  # noqa: E402
from partner_sync import edit_copy  # noqa: E402

SECRET = "s3cret-of-the-newsroom"


class Subscriber:
    """A partner's callback: answers verifications of the modes it expects and keeps pushes.
    `stall` seconds: how long it takes to answer a push (a slow subscriber)."""

    def __init__(self, stall=0.0):
        self.verifications, self.pushes, self.stall = [], [], stall
        self.accept = {"subscribe", "unsubscribe"}
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
                owner.verifications.append((time.time(), query))
                if query.get("hub.mode") in owner.accept:
                    body = query.get("hub.challenge", "").encode()
                    self.send_response(200)
                else:
                    body = b"no"
                    self.send_response(404)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if owner.stall:
                    time.sleep(owner.stall)
                owner.pushes.append((time.time(), dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/callback?partner=1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


class Serve:
    def __init__(self, clemency, root, *extra):
        self.log = os.path.join(root, "serve.log")
        out = os.path.join(root, "serve.out")
        open(out, "w").close()
        self.proc = subprocess.Popen([clemency, "serve", "--source", root, "--port", "0", *extra],
                                     stdout=open(out, "a"), stderr=open(self.log, "a"))
        deadline = time.time() + 60
        while "Serving on" not in open(out).read():
            if self.proc.poll() is not None or time.time() > deadline:
                raise SystemExit("serve did not start:\n" + open(out).read())
            time.sleep(0.05)
        line = [l for l in open(out).read().splitlines() if "Serving on" in l][0]
        self.base = line.split("Serving on ")[1].split()[0].rstrip("/")

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=10) as r:
            return r.read()

    def hub(self, fields):
        """(status, body as JSON or text) of a POST of `fields` to /websub."""
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + "/websub", data=data, headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            body = e.read().decode()
            return e.code, json.loads(body) if body.startswith("{") else body

    def stop(self):
        self.proc.terminate()
        self.proc.wait(30)


def base_url(tmp):
    text = open(os.path.join(tmp, "site/config.yaml"), encoding="utf-8").read()
    return re.search(r"^base_url:\s*(\S+)", text, re.M).group(1).strip("'\"").rstrip("/")


def check_no_hub_without_one(clemency, tmp):
    """A plain build of a site that runs no hub advertises none."""
    code, out = run([clemency, "build", "--source", tmp, "--out", os.path.join(tmp, "plain")])
    check("a build without websub.hub", code == 0, out)
    for name in ("feed.atom", "feed.rss", "feed.json"):
        text = open(os.path.join(tmp, "plain/vi", name), encoding="utf-8").read()
        check(f"no hub advertised in {name} without one", "websub" not in text, text[:300])
    shutil.rmtree(os.path.join(tmp, "plain"))


def check_advertised(serve, hub):
    atom = serve.get("/vi/feed.atom").decode()
    check("Atom: <link rel=\"hub\">", f'<link rel="hub" href="{hub}"/>' in atom)
    parsed = feedparser.parse(atom)
    check("feedparser reads the hub link", not parsed.bozo and any(
        l.get("rel") == "hub" and l.get("href") == hub for l in parsed.feed.links))
    rss = serve.get("/vi/feed.rss").decode()
    check("RSS: <atom:link rel=\"hub\">", f'<atom:link rel="hub" href="{hub}"/>' in rss)
    doc = json.loads(serve.get("/vi/feed.json"))
    check("JSON Feed: hubs", doc.get("hubs") == [{"type": "WebSub", "url": hub}], str(doc.get("hubs")))


def check_bad_requests(serve, topic, callback):
    good = {"hub.mode": "subscribe", "hub.topic": topic, "hub.callback": callback}
    cases = [
        ("hub.mode", {**good, "hub.mode": "follow"}),
        ("hub.mode", {k: v for k, v in good.items() if k != "hub.mode"}),
        ("hub.topic", {**good, "hub.topic": "https://elsewhere.example/feed.atom"}),
        ("hub.topic", {**good, "hub.topic": topic.replace("feed.atom", "index.html")}),
        ("hub.topic", {**good, "hub.topic": topic.replace("/vi/", "/vi/../")}),
        ("hub.callback", {**good, "hub.callback": "ftp://127.0.0.1/x"}),
        ("hub.callback", {**good, "hub.callback": "http://user@127.0.0.1/x"}),
        ("hub.callback", {**good, "hub.callback": "not a url"}),
        ("hub.secret", {**good, "hub.secret": "x" * 201}),
        ("hub.lease_seconds", {**good, "hub.lease_seconds": "ten"}),
    ]
    for field, fields in cases:
        status, doc = serve.hub(fields)
        check(f"bad {field} ({str(fields.get(field))[:40]}) -> 4xx naming it",
              400 <= status < 500 and isinstance(doc, dict) and doc.get("parameter") == field and
              field in doc.get("detail", ""), f"{status} {doc}")
    status, doc = serve.hub({**good, "hub.secret": "x" * 200})
    check("a secret of 200 bytes is accepted", status == 202, f"{status} {doc}")


def subscribe(serve, subscriber, topic, secret=None, mode="subscribe"):
    fields = {"hub.mode": mode, "hub.topic": topic, "hub.callback": subscriber.url,
              "hub.lease_seconds": "3600"}
    if secret:
        fields["hub.secret"] = secret
    before = len(subscriber.verifications)
    status, body = serve.hub(fields)
    check(f"{mode}: 202 Accepted", status == 202, f"{status} {body}")
    verified = wait_for(lambda: len(subscriber.verifications) > before, 5)
    check(f"{mode}: intent verified by a GET with hub.challenge", verified)
    if verified:
        query = subscriber.verifications[-1][1]
        check(f"{mode}: the verification names mode, topic, challenge" +
              (" and lease" if mode == "subscribe" else ""),
              query.get("hub.mode") == mode and query.get("hub.topic") == topic and
              len(query.get("hub.challenge", "")) >= 16 and query.get("partner") == "1" and
              (mode != "subscribe" or query.get("hub.lease_seconds") == "3600"), str(query))
    time.sleep(0.3)  # the hub stores the subscription once the answer is read


def publish_change(clemency, tmp, n):
    path = edit_copy(tmp, "guides", "dac-xa-la-gi", "vi")
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"\n\nThay đổi số {n}.\n")
    started = time.time()
    code, out = run([clemency, "publish", path, "--source", tmp, "--change", "minor"])
    check(f"publish {n}", code == 0, out)
    return started, time.time()


def check_push(serve, subscriber, before, published_at, hub, topic, what):
    got = wait_for(lambda: len(subscriber.pushes) > before, 5)
    check(f"{what}: the feed is pushed", got)
    if not got:
        return
    at, headers, body = subscriber.pushes[before]
    delay = at - published_at
    print(f"  push {delay * 1000:.0f} ms after the publish returned")
    check(f"{what}: pushed within a second of the publish ({delay:.2f} s)", delay < 1.0)
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    check(f"{what}: X-Hub-Signature verifies (HMAC-SHA256 of the body)",
          hmac.compare_digest(headers.get("X-Hub-Signature", ""), expected), str(headers))
    link = headers.get("Link", "")
    check(f"{what}: Link rel=hub and rel=self", f'<{hub}>; rel="hub"' in link and
          f'<{topic}>; rel="self"' in link, link)
    check(f"{what}: the body is the feed as served", body == serve.get("/vi/feed.atom"))
    check(f"{what}: Content-Type of the feed",
          headers.get("Content-Type", "").startswith("application/atom+xml"), str(headers))
    check(f"{what}: the pushed feed has the change", "Thay đổi số" in body.decode())


def check_metrics(serve):
    metrics = serve.get("/metrics").decode()
    delivered = re.search(r'^clemency_websub_deliveries_total\{outcome="delivered"\} (\d+)$',
                          metrics, re.M)
    check("/metrics counts the hub's deliveries (at least the two pushes seen)",
          delivered and int(delivered.group(1)) >= 2 and "clemency_websub_pending " in metrics,
          metrics[-800:])


def check_host_limit(serve, topic, subscriber):
    """One callback host holds at most 50 subscriptions (stored or waiting); a renewal and
    another host are still accepted. Hosts are addresses here: a fresh system may not resolve
    "localhost"."""
    port = urllib.parse.urlsplit(subscriber.url).port
    answers = [serve.hub({"hub.mode": "subscribe", "hub.topic": topic,
                          "hub.callback": f"http://127.0.0.1:{port}/flood/{n}"}) for n in range(60)]
    accepted = [n for n, (status, _) in enumerate(answers) if status == 202]
    refused = [(n, a) for n, a in enumerate(answers) if a[0] != 202]
    first = refused[0] if refused else (None, (None, None))
    check("a host with 50 subscriptions is refused more, with a 403 naming hub.callback",
          refused and len(accepted) <= 50 and accepted == list(range(len(accepted))) and
          first[1][0] == 403 and isinstance(first[1][1], dict) and
          first[1][1].get("parameter") == "hub.callback", f"{len(accepted)} accepted, {first}")
    status, doc = serve.hub({"hub.mode": "subscribe", "hub.topic": topic,
                             "hub.callback": f"http://127.0.0.1:{port}/flood/0"})
    check("at the limit, renewing a subscription the host holds is accepted", status == 202,
          f"{status} {doc} ({len(accepted)} accepted before)")
    status, doc = serve.hub({"hub.mode": "subscribe", "hub.topic": topic,
                             "hub.callback": f"http://127.0.0.2:{port}/other-host"})
    check("at one host's limit, another host is accepted", status == 202, f"{status} {doc}")


def main():
    clemency, project = os.path.abspath(sys.argv[1]), sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="clemency-websub-")
    serve, subscribers = None, []
    try:
        for part in ("site", "content"):
            shutil.copytree(os.path.join(project, part), os.path.join(tmp, part))
        check_no_hub_without_one(clemency, tmp)
        with open(os.path.join(tmp, "site/config.yaml"), "a", encoding="utf-8") as f:
            f.write("websub:\n  hub: true\n")
        base = base_url(tmp)
        hub, topic = base + "/websub", base + "/vi/feed.atom"
        serve = Serve(clemency, tmp, "--websub-allow-private")
        check_advertised(serve, hub)
        fast, slow, refuser = Subscriber(), Subscriber(stall=20), Subscriber()
        refuser.accept = set()  # confirms nothing: the accepted 200-byte secret is never stored
        subscribers += [fast, slow, refuser]
        check_bad_requests(serve, topic, refuser.url)
        subscribe(serve, slow, topic)
        subscribe(serve, fast, topic, SECRET)
        before = len(fast.pushes)
        started, returned = publish_change(clemency, tmp, 1)
        check_push(serve, fast, before, returned, hub, topic, "first publish")
        # A subscriber that takes 20 s to answer holds one delivery thread, never the publish.
        before = len(fast.pushes)
        started, returned = publish_change(clemency, tmp, 2)
        print(f"  publish with a stalled subscriber took {returned - started:.2f} s")
        check("a publish with a stalled subscriber returns in under 10 s",
              returned - started < 10, f"{returned - started:.2f} s")
        check_push(serve, fast, before, returned, hub, topic, "second publish, a subscriber stalled")
        subscribe(serve, fast, topic, mode="unsubscribe")
        before = len(fast.pushes)
        publish_change(clemency, tmp, 3)
        time.sleep(2)
        check("no push after unsubscribing", len(fast.pushes) == before)
        check_metrics(serve)
        check_host_limit(serve, topic, fast)
        fast.accept = {"subscribe"}  # refuses to confirm an unsubscription it did not ask for
        serve.stop()
        serve = Serve(clemency, tmp)
        status, doc = serve.hub({"hub.mode": "subscribe", "hub.topic": topic,
                                 "hub.callback": fast.url})
        check("without --websub-allow-private a loopback callback is refused, naming it",
              status == 400 and isinstance(doc, dict) and doc.get("parameter") == "hub.callback" and
              "loopback" in doc.get("detail", ""), f"{status} {doc}")
        status, doc = serve.hub({"hub.mode": "subscribe", "hub.topic": topic,
                                 "hub.callback": "http://10.1.2.3/cb"})
        check("a private-network callback is refused", status == 400, f"{status} {doc}")
        check("GET /websub is 405", urllib_status(serve.base + "/websub") == 405)
    finally:
        if serve:
            serve.stop()
        for s in subscribers:
            s.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return summary()


def urllib_status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


if __name__ == "__main__":
    sys.exit(main())
