"""What the mirror tests share (ops.publish_static, ops.publish_ssh): deploy/publish-static.sh run
on a built site, a mirror's nginx with deploy/nginx/'s configuration at TARGET/current, and a
reader that hammers the mirror during a swap and the checks of what it saw."""
import os
import re
import subprocess
import threading
import time

from checks import check
from ops_common import DEPLOY, Nginx, free_port, get, make_certificate, nginx_main_conf, render_nginx

PAGE = "/vi/guides/dac-xa-la-gi/"
WATCHED = (PAGE, "/vi/", "/vi/feed.atom", "/assets/style.css", "/sitemap.xml")


def publish(public, *targets, env=None):
    """Runs publish-static.sh; (exit status, output, seconds)."""
    start = time.time()
    p = subprocess.run(["bash", os.path.join(DEPLOY, "publish-static.sh"), public, *targets],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    return p.returncode, p.stdout, time.time() - start


class Reader(threading.Thread):
    """GETs the watched paths in a loop until stopped; keeps (path, status, body, time)."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port, self.seen, self.stopping = port, [], False

    def run(self):
        while not self.stopping:
            for path in WATCHED:
                status, _, body = get(self.port, path)
                self.seen.append((path, status, body, time.time()))


def read_file(public, path):
    """The bytes of URL `path` in the built folder `public`."""
    with open(os.path.join(public, path.lstrip("/") + ("index.html" if path.endswith("/") else "")),
              "rb") as f:
        return f.read()


def mirror_nginx(tmp, stop_at_end, root):
    """Starts Debian's nginx with the project's configuration serving `root` (a mirror's
    TARGET/current, no serve behind it); returns its HTTP port."""
    port, tls_port = free_port(), free_port()
    prefix = os.path.join(tmp, "nginx")
    os.makedirs(prefix)
    cert, key = make_certificate(prefix)
    conf = render_nginx(os.path.join(prefix, "conf"), public=root,
                        serve=f"127.0.0.1:{free_port()}", http_listen=f"127.0.0.1:{port}",
                        https_listen=f"127.0.0.1:{tls_port}", server_name="localhost",
                        tls_cert=cert, tls_key=key, cache_dir=os.path.join(prefix, "cache"),
                        default_lang="vi")
    stop_at_end(Nginx(prefix, nginx_main_conf(prefix, f"  include {conf};"), [port]))
    return port


def copied_of(out):
    """(regular files rsync transferred, regular files of the site) from publish-static's output;
    -1 for a number it did not print."""
    copied = re.search(r"regular files transferred: ([\d,]+)", out)
    total = re.search(r"Number of files: [\d,]+ \(reg: ([\d,]+)", out)
    return tuple(int(m.group(1).replace(",", "")) if m else -1 for m in (copied, total))


def publish_under_reads(port, public, target, old, env=None):
    """Publishes `public` to `target` while a Reader reads the mirror at `port`, and checks what it
    saw: all 200, every body the old (`old`: path -> bytes) or the new one whole, and the new page
    never followed by the old one. Returns (exit status, output, seconds to run, seconds until the
    mirror served the new page or None)."""
    new = {p: read_file(public, p) for p in WATCHED}
    reader = Reader(port)
    reader.start()
    time.sleep(0.3)
    started = time.time()
    code, out, seconds = publish(public, target, env=env)
    time.sleep(1.5)  # open_file_cache revalidates within 1 s
    reader.stopping = True
    reader.join(10)
    bad = [(p, s) for p, s, _, _ in reader.seen if s != 200]
    check(f"{len(reader.seen)} reads during the swap: all 200", not bad, str(bad[:5]))
    mixed = [p for p, _, body, _ in reader.seen if body not in (old[p], new[p])]
    check("every page read was the old or the new one, whole", not mixed, str(mixed[:5]))
    page_reads = [(body == new[PAGE], at) for p, _, body, at in reader.seen if p == PAGE]
    first_new = next((i for i, (is_new, _) in enumerate(page_reads) if is_new), None)
    check("the new page is seen", first_new is not None)
    reached = None
    if first_new is not None:
        check("and never the old one after it", all(n for n, _ in page_reads[first_new:]))
        reached = page_reads[first_new][1] - started
    return code, out, seconds, reached
