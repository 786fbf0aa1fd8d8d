"""What the ops tests share: a copy of the site with its store, `clemency serve` and Debian's nginx
started on high loopback ports with the project's configuration (deploy/nginx/render.sh)."""
import contextlib
import gzip
import http.client
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEPLOY = os.path.join(HERE, "..", "..", "deploy")


def run(args, **kw):
    """Runs a command; returns (exit status, output with stderr)."""
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    return p.returncode, p.stdout


def free_port():
    """A loopback port free at the moment of asking."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def scratch(prefix):
    """Yields (a new temporary folder, stop_at_end). `stop_at_end(p)` returns p and has p.stop()
    (p.close() if it has no stop) called when the block ends; then the folder is removed, however
    the block ends (a failed check, an exception, SystemExit)."""
    tmp = tempfile.mkdtemp(prefix=prefix)
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, tmp, ignore_errors=True)

        def stop_at_end(process):
            stack.callback(getattr(process, "stop", None) or process.close)
            return process
        yield tmp, stop_at_end


def site_copy(clemency, project, tmp):
    """site/ and content/ of the project in `tmp`, imported into tmp/var/clemency.db."""
    for part in ("site", "content"):
        shutil.copytree(os.path.join(project, part), os.path.join(tmp, part))
    code, out = run([clemency, "import", "content", "--source", tmp])
    if code != 0:
        raise SystemExit("import failed:\n" + out)


class Serve:
    """`clemency serve` on a fixed loopback port (its build done once it says "Serving on")."""

    def __init__(self, clemency, root, port, extra=()):
        self.port = port
        self.out = os.path.join(root, "serve.out")
        open(self.out, "w").close()
        self.proc = subprocess.Popen(
            [clemency, "serve", "--source", root, "--bind", "127.0.0.1", "--port", str(port),
             *extra], stdout=open(self.out, "a"), stderr=open(os.path.join(root, "serve.log"), "a"))
        deadline = time.time() + 60
        while "Serving on" not in open(self.out).read():
            if self.proc.poll() is not None or time.time() > deadline:
                raise SystemExit("serve did not start:\n" + open(self.out).read() +
                                 open(os.path.join(root, "serve.log")).read())
            time.sleep(0.05)

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        self.proc.wait(30)


def make_certificate(folder):
    """A self-signed certificate for localhost/127.0.0.1 made by openssl; (cert, key) paths."""
    cert, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
    code, out = run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                     "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                     "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
    if code != 0:
        raise SystemExit("openssl failed:\n" + out)
    return cert, key


def nginx_main_conf(prefix, http_body):
    """nginx.conf for an nginx of its own in `prefix`, run by whoever runs the test."""
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        os.makedirs(os.path.join(prefix, "tmp", sub), exist_ok=True)
    temp = " ".join(f"{d}_temp_path {prefix}/tmp/{d.split('_')[0]};" for d in
                    ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    temp = temp.replace("/tmp/client;", "/tmp/body;")
    user = "user root;\n" if os.geteuid() == 0 else ""  # else nginx's workers would be nobody
    path = os.path.join(prefix, "nginx.conf")
    with open(path, "w") as f:
        f.write(f"{user}worker_processes 1;\ndaemon off;\npid {prefix}/nginx.pid;\n"
                f"error_log {prefix}/error.log warn;\nevents {{ worker_connections 4096; }}\n"
                f"http {{\n  access_log off;\n  {temp}\n{http_body}\n}}\n")
    return path


class Nginx:
    """Debian's nginx in the foreground with its own prefix; `conf` from nginx_main_conf."""

    def __init__(self, prefix, conf, ports):
        code, out = run(["nginx", "-t", "-p", prefix, "-c", conf])
        if code != 0:
            raise SystemExit("nginx -t failed:\n" + out)
        self.proc = subprocess.Popen(["nginx", "-p", prefix, "-c", conf],
                                     stderr=open(os.path.join(prefix, "nginx.stderr"), "a"))
        deadline = time.time() + 10
        for port in ports:
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if self.proc.poll() is not None or time.time() > deadline:
                        raise SystemExit("nginx did not start")
                    time.sleep(0.05)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: finish what is being sent
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def render_nginx(out_dir, **values):
    """deploy/nginx/render.sh into out_dir with CLEMENCY_<KEY> = value for each keyword."""
    env = dict(os.environ)
    values.setdefault("acme_root", os.path.join(out_dir, "acme"))
    env.update({"CLEMENCY_" + k.upper(): str(v) for k, v in values.items()})
    code, out = run(["bash", os.path.join(DEPLOY, "nginx", "render.sh"), out_dir], env=env)
    if code != 0:
        raise SystemExit("render.sh failed:\n" + out)
    return os.path.join(out_dir, "clemency.conf")


def get(port, path, headers=None, method="GET", body=None, tls=False, timeout=10):
    """(status, {lower-case header: value}, body bytes); the path is sent exactly as given."""
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=context)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        r = conn.getresponse()
        headers_out = {}
        for k, v in r.getheaders():
            k = k.lower()
            headers_out[k] = headers_out[k] + "\n" + v if k in headers_out else v
        return r.status, headers_out, r.read()
    finally:
        conn.close()


def decoded(headers, body):
    """The body without its Content-Encoding."""
    return gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body


def edited_copy(root, section, name, add):
    """A copy of content/<section>/<name> with `add` appended, in edits/; returns its path."""
    path = os.path.join(root, "edits", section, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(os.path.join(root, "content", section, name), encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + add)
    return path


def reads_during_publishes(clemency, root, front, count):
    """`count` publishes through serve while 4 readers GET a page, its section, a feed and the API
    through nginx (port `front`); returns (publish failures, reads, bad reads): a bad read is a
    status other than 200 or a body cut short."""
    import threading
    paths = ("/vi/guides/dac-xa-la-gi/", "/vi/guides/", "/vi/feed.atom",
             "/api/v1/pages?lang=vi&limit=20")
    ends = {"/vi/feed.atom": b"</feed>", "/api/v1/pages?lang=vi&limit=20": b"}"}
    reads, bad, stop = [0], [], [False]

    def reader():
        while not stop[0]:
            for path in paths:
                status, _, body = get(front, path)
                reads[0] += 1
                if status != 200 or not body.rstrip().endswith(ends.get(path, b"</html>")):
                    bad.append((path, status, len(body)))
    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    failures = []
    try:
        for i in range(count):
            change = edited_copy(root, "guides", "dac-xa-la-gi.vi.md", f"\nLần sửa số {i}.\n")
            code, out = run([clemency, "publish", change, "--source", root, "--change", "minor",
                             "--note", f"Lần {i}."])
            if code != 0:
                failures.append(out)
    finally:
        stop[0] = True
        for t in threads:
            t.join()
    return failures, reads[0], bad
