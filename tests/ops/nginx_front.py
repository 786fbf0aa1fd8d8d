#!/usr/bin/env python3
"""The nginx front (issue 27): Debian's nginx with deploy/nginx/'s configuration on high loopback
ports, in front of a built site and a running `clemency serve --behind-tls`:

- every file's headers equal serve's (type, cache, security, CORS of feeds; both send validators),
  the same bytes, gzip, 304s on ETag and on date, the 404 page of each language, old URLs' 301s;
- the API through the proxy and its micro-cache: equal to serve's, a HIT, a 304, and a publish is
  visible through nginx within the cache time (1 s, counted by nginx in whole seconds: 2 s) and
  never later;
- the admin over TLS (a certificate made here by openssl), never over plain HTTP; the sign-in limit
  sees the address nginx appended to X-Forwarded-For, not one a client wrote; nginx's own sign-in
  rate limit;
- 20 path-traversal forms and requests for the store, its socket and journal, dot files and a
  symlink out of public/: all 404 (or 403), never a byte of them;
- 5 publishes while readers go through nginx: every read 200 and whole;
- with serve stopped, pages are still served and missing ones get their language's 404 page.

Usage: nginx_front.py CLEMENCY PROJECT_DIR   (prints "N passed, M failed")
"""
import gzip
import os
import re
import sqlite3
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
sys.path.insert(0, HERE)
from checks import check, summary  # noqa: E402
from ops_common import (Nginx, Serve, decoded, free_port, scratch, get, make_certificate,  # noqa: E402
                        nginx_main_conf, reads_during_publishes, render_nginx, run, site_copy)

COMPARED = ("content-type", "cache-control", "x-content-type-options", "referrer-policy",
            "content-security-policy", "vary", "access-control-allow-origin", "location")
FILES = ("/vi/", "/en/", "/km/", "/assets/style.css", "/vi/feed.atom", "/en/feed.rss",
         "/vi/feed.json", "/sitemap.xml", "/robots.txt", "/favicon.ico", "/vi/self-check/",
         "/vi/guides/dac-xa-la-gi/", "/vi/guides")
TRAVERSALS = (
    "/../var/clemency.db", "/../../var/clemency.db", "/vi/../../var/clemency.db",
    "/%2e%2e/var/clemency.db", "/%2E%2E/var/clemency.db", "/vi/%2e%2e/%2e%2e/var/clemency.db",
    "/..%2fvar/clemency.db", "/%2e%2e%2fvar%2fclemency.db", "/.%2e/var/clemency.db",
    "/%252e%252e/var/clemency.db", "/..\\var\\clemency.db", "/..%5cvar%5cclemency.db",
    "/%c0%ae%c0%ae/var/clemency.db", "//var/clemency.db", "/./../var/clemency.db",
    "/vi/..;/../var/clemency.db", "/var/clemency.db", "/var/clemency.db.sock",
    "/public.journal", "/../public.journal")
HIDDEN = ("/.clemency-output", "/vi/.clemency-output", "/%2eclemency-output",
          "/vi/support/chung-tay-giup-do-nguoi-lam-lo-nghi-thu-cua-lo/.moved", "/.git/config",
          "/leak.db", "/../public.manifest", "/../public.lock", "/../site/config.yaml")


def compare_files(serve_port, front):
    for path in FILES:
        s_status, s_head, s_body = get(serve_port, path)
        n_status, n_head, n_body = get(front, path)
        # A redirect to a folder's slash: only where it leads (nginx adds its cache headers).
        compared = ("location",) if s_status == 301 else COMPARED
        same = {k: (s_head.get(k), n_head.get(k)) for k in compared
                if s_head.get(k) != n_head.get(k)}
        check(f"{path}: status and headers equal serve's", s_status == n_status and not same,
              f"{s_status} vs {n_status}: {same}")
        if s_status == 200:
            check(f"{path}: the same bytes", s_body == n_body)
            check(f"{path}: validators", "etag" in n_head and "last-modified" in n_head, str(n_head))


def gzip_and_304(front):
    for path in ("/vi/", "/vi/feed.atom", "/assets/style.css", "/vi/feed.json"):
        _, plain_head, plain = get(front, path)
        status, head, body = get(front, path, {"Accept-Encoding": "gzip"})
        check(f"{path}: gzip", status == 200 and head.get("content-encoding") == "gzip" and
              decoded(head, body) == plain, str(head))
        status, _, body = get(front, path, {"If-None-Match": plain_head["etag"]})
        check(f"{path}: 304 on its ETag", status == 304 and body == b"", str(status))
        status, _, _ = get(front, path, {"If-None-Match": head["etag"],
                                         "Accept-Encoding": "gzip"})
        check(f"{path}: 304 on its gzip ETag", status == 304, str(status))
        status, _, _ = get(front, path, {"If-Modified-Since": plain_head["last-modified"]})
        check(f"{path}: 304 on its date", status == 304, str(status))


def precompressed(tmp, front, when):
    """serve --precompress wrote a .gz beside each file (the same bytes as the file, gzipped),
    and nginx's gzip_static sends that file's bytes as they are."""
    for path, name in (("/vi/guides/dac-xa-la-gi/", "vi/guides/dac-xa-la-gi/index.html"),
                       ("/vi/feed.atom", "vi/feed.atom")):
        with open(os.path.join(tmp, "public", name), "rb") as f:
            plain = f.read()
        try:
            with open(os.path.join(tmp, "public", name + ".gz"), "rb") as f:
                packed = f.read()
        except OSError:
            packed = b""
        check(f"{when}: {name}.gz is its file, gzipped", packed and
              gzip.decompress(packed) == plain)
        status, head, body = get(front, path, {"Accept-Encoding": "gzip"})
        check(f"{when}: {path} is sent as the .gz file (gzip_static)", status == 200 and
              head.get("content-encoding") == "gzip" and body == packed, str(head))


def not_found_pages(serve_port, front):
    for path in ("/vi/nope/", "/en/nope/", "/km/nope", "/nope", "/km/guides/nope/x.html"):
        s_status, _, s_body = get(serve_port, path)
        status, head, body = get(front, path, {"Accept-Encoding": "gzip"})
        check(f"{path}: serve's 404 page of its language", status == 404 == s_status and
              decoded(head, body) == s_body and head.get("cache-control") == "no-store",
              f"{status} {head}")
    old = "/vi/support/chung-tay-giup-do-nguoi-lam-lo-nghi-thu-cua-lo/"
    s_status, s_head, _ = get(serve_port, old)
    status, head, _ = get(front, old)
    check("an old URL: serve's 301 to the new one", status == 301 == s_status and
          head.get("location") == s_head.get("location"), f"{status} {head}")


def api(serve_port, front):
    path = "/api/v1/pages?lang=vi&limit=5"
    _, s_head, s_body = get(serve_port, path)
    get(front, path)
    status, head, body = get(front, path)
    check("API list through nginx equals serve's", status == 200 and body == s_body and
          all(head.get(k) == s_head.get(k) for k in ("etag", "content-type",
                                                        "access-control-allow-origin")), str(head))
    check("a second GET is a micro-cache HIT", head.get("x-cache-status") == "HIT", str(head))
    status, _, _ = get(front, path, {"If-None-Match": head["etag"]})
    check("API 304 on its ETag through the cache", status == 304, str(status))
    status, head, body = get(front, path, {"Accept-Encoding": "gzip"})
    check("API gzip through nginx", decoded(head, body) == s_body, str(head))
    status, head, _ = get(front, path, {"Authorization": "Bearer x"})
    check("a request with credentials bypasses the cache",
          head.get("x-cache-status") == "BYPASS", str(head))
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    direct, _, direct_body = get(serve_port, "/websub", form, "POST", b"hub.mode=nonsense")
    status, _, body = get(front, "/websub", form, "POST", b"hub.mode=nonsense")
    check("POST /websub reaches serve's hub route through nginx",
          status == direct and status != 405 and body == direct_body, f"{status} vs {direct}")


def edited(tmp, section, name, add):
    path = os.path.join(tmp, "edits", section, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(os.path.join(tmp, "content", section, name), encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + add)
    return path


def publish_through_cache(clemency, tmp, serve_port, front):
    path = "/api/v1/pages/guides/dac-xa-la-gi?lang=vi"
    get(front, path)
    marker = "Câu mới qua nginx " + str(os.getpid())
    change = edited(tmp, "guides", "dac-xa-la-gi.vi.md", "\n" + marker + "\n")
    code, out = run([clemency, "publish", change, "--source", tmp, "--change", "major",
                     "--note", "Thêm một câu."])
    published = time.time()
    check("publish through serve", code == 0, out)
    check("serve answers the new text at once", marker.encode() in get(serve_port, path)[2])
    seen = None
    while time.time() - published < 5:
        if marker.encode() in get(front, path)[2]:
            seen = round(time.time() - published, 2)
            break
        time.sleep(0.05)
    check(f"nginx shows the publish within the micro-cache's 2 s (after {seen} s)",
          seen is not None and seen <= 2.2, str(seen))
    check("the page through nginx (a file) has it too",
          marker.encode() in get(front, "/vi/guides/dac-xa-la-gi/")[2])
    story = withdrawable_story(tmp)
    code, out = run([clemency, "unpublish", f"stories/{story}", "--source", tmp,
                     "--reason", "Gỡ để kiểm tra."])
    check("unpublish a story", code == 0, out)
    s_status, _, s_body = get(serve_port, f"/vi/stories/{story}/")
    status, _, body = get(front, f"/vi/stories/{story}/")
    check("a withdrawn page: as serve answers it", status == s_status and body == s_body,
          f"{status} {s_status}")


def withdrawable_story(tmp):
    """The slug of a story no other page links to (so it may be withdrawn)."""
    sys.path.insert(0, os.path.join(HERE, "..", "publish"))
    from partner_records import unlinked_story
    return unlinked_story(tmp)


def admin(tmp, http_port, tls_port):
    status, head, _ = get(http_port, "/admin/login")
    check("the admin over plain HTTP: 301 to https", status == 301 and
          head.get("location", "").startswith("https://"), f"{status} {head}")
    status, head, _ = get(http_port, "/api/v1/editor/edits")
    check("the editor API over plain HTTP: 301 to https", status == 301, str(status))
    status, head, body = get(tls_port, "/admin/login", tls=True)
    check("the admin's sign-in over TLS", status == 200 and b"<form" in body, str(status))
    check("its cookies are Secure (serve --behind-tls)", "Secure" in head.get("set-cookie", ""),
          head.get("set-cookie", ""))
    check("the admin is never cached", head.get("cache-control") == "no-store" and
          "x-cache-status" not in head, str(head))
    cookie = head["set-cookie"].split(";", 1)[0]
    token = re.search(rb'name="csrf" value="([^"]+)"', body).group(1).decode()
    form = f"name=editor&password=wrong-password-1&csrf={token}".encode()
    status, _, _ = get(tls_port, "/admin/login", method="POST", body=form, tls=True, timeout=90,
                       headers={"Cookie": cookie, "X-Forwarded-For": "6.6.6.6",
                                "Content-Type": "application/x-www-form-urlencoded"})
    db = sqlite3.connect(f"file:{os.path.join(tmp, 'var', 'clemency.db')}?mode=ro", uri=True)
    details = [r[0] for r in db.execute(
        "SELECT detail FROM audit_log WHERE action LIKE 'login%'").fetchall()]
    db.close()
    check("a failed sign-in is counted for the address nginx saw, not the one the client wrote",
          status == 401 and any("127.0.0" in d for d in details) and
          not any("6.6.6" in d for d in details), f"{status} {details}")
    statuses = [get(tls_port, "/admin/login", method="POST", body=b"name=x", tls=True,
                    headers={"Content-Type": "application/x-www-form-urlencoded"})[0]
                for _ in range(8)]
    check("nginx limits sign-in POSTs per client (429)", 429 in statuses, str(statuses))
    status, _, _ = get(tls_port, "/admin/login", method="POST", body=b"x" * (3 << 20), tls=True)
    check("a body over the admin's limit is refused by nginx (413)", status == 413, str(status))


def outside_public(tmp, front):
    os.symlink(os.path.join(tmp, "var", "clemency.db"), os.path.join(tmp, "public", "leak.db"))
    with open(os.path.join(tmp, "public.journal"), "w") as f:
        f.write("journal\n")
    store = open(os.path.join(tmp, "var", "clemency.db"), "rb").read(16)
    for path in TRAVERSALS + HIDDEN:
        status, _, body = get(front, path)
        check(f"{path}: {status}", status in (403, 404) and store not in body and
              b"journal" not in body, f"{status} {body[:60]!r}")
    os.unlink(os.path.join(tmp, "public", "leak.db"))
    os.unlink(os.path.join(tmp, "public.journal"))


def main():
    clemency, project = os.path.abspath(sys.argv[1]), sys.argv[2]
    with scratch("clemency-nginx-") as (tmp, stop_at_end):
        site_copy(clemency, project, tmp)
        code, out = run([clemency, "user", "add", "editor", "--role", "editor", "--source", tmp],
                        input="Một-mật-khẩu-dài-và-khó-đoán-7\n")
        check("an editor account", code == 0, out)
        serve_port, http_port, tls_port = free_port(), free_port(), free_port()
        serve = stop_at_end(Serve(clemency, tmp, serve_port, ["--behind-tls", "--precompress"]))
        prefix = os.path.join(tmp, "nginx")
        os.makedirs(prefix)
        cert, key = make_certificate(prefix)
        conf = render_nginx(os.path.join(prefix, "conf"), public=os.path.join(tmp, "public"),
                            serve=f"127.0.0.1:{serve_port}", http_listen=f"127.0.0.1:{http_port}",
                            https_listen=f"127.0.0.1:{tls_port}", server_name="localhost",
                            tls_cert=cert, tls_key=key, cache_dir=os.path.join(prefix, "cache"),
                            default_lang="vi")
        nginx = stop_at_end(Nginx(prefix, nginx_main_conf(prefix, f"  include {conf};"),
                                  [http_port, tls_port]))
        challenge = os.path.join(prefix, "conf", "acme", ".well-known", "acme-challenge")
        os.makedirs(challenge)
        with open(os.path.join(challenge, "tok3n"), "w") as f:
            f.write("tok3n.key\n")
        status, _, body = get(http_port, "/.well-known/acme-challenge/tok3n")
        check("the ACME challenge over HTTP (its own folder)", status == 200 and
              body == b"tok3n.key\n", f"{status} {body[:40]!r}")
        compare_files(serve_port, http_port)
        gzip_and_304(http_port)
        precompressed(tmp, http_port, "after the start build")
        not_found_pages(serve_port, http_port)
        api(serve_port, http_port)
        publish_through_cache(clemency, tmp, serve_port, http_port)
        failures, reads, bad = reads_during_publishes(clemency, tmp, http_port, 5)
        check(f"5 publishes while {reads} reads go through nginx: none fails, none cut short",
              not failures and not bad and reads > 0, f"{failures[:1]} {bad[:5]}")
        time.sleep(1.5)  # nginx's open_file_cache looks again after 1 s
        precompressed(tmp, http_port, "after 5 publishes")
        metrics = get(serve_port, "/metrics")[2].decode()
        count = re.search(r"^clemency_publishes_total (\d+)$", metrics, re.M)
        took = re.search(r"^clemency_last_publish_duration_seconds ([0-9.]+)$", metrics, re.M)
        check("serve's /metrics counts the publishes and how long the last one took",
              count and int(count.group(1)) >= 6 and took and 0 < float(took.group(1)) < 60,
              metrics[-600:])
        admin(tmp, http_port, tls_port)
        outside_public(tmp, http_port)
        status, _, _ = get(tls_port, "/vi/", tls=True)
        check("the public site over TLS", status == 200, str(status))
        serve.stop()
        status, _, _ = get(http_port, "/vi/guides/dac-xa-la-gi/")
        check("serve stopped: pages still served", status == 200, str(status))
        status, _, body = get(http_port, "/", {"Accept-Language": "km"})
        with open(os.path.join(tmp, "public", "index.html"), "rb") as f:
            check("serve stopped: / is the root page", status == 200 and body == f.read(),
                  str(status))
        for lang in ("vi", "en", "km"):
            status, head, body = get(http_port, f"/{lang}/nope/")
            with open(os.path.join(tmp, "public", lang, "404.html"), "rb") as f:
                page = f.read()
            check(f"serve stopped: /{lang}/nope/ gets the {lang} 404 page",
                  status == 404 and body == page and head.get("cache-control") == "no-store",
                  f"{status} {head}")
    return summary()


if __name__ == "__main__":
    sys.exit(main())
