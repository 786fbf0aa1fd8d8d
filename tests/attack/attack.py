#!/usr/bin/env python3
"""Regression tests for the defects an attack test found (issue 11), against the real binary.

Socket level (a real `clemency serve` on loopback): byte ranges, slow clients, oversized bodies
and headers, pipelining, request-log escaping, protocol-relative redirects, If-None-Match, /readyz
with a broken store. Command level (`clemency build`): --out rules, stale staging folders,
symlinks leaving the source, oversized content files, the reason of a write error.

Usage: attack.py CLEMENCY_BINARY PROJECT_DIR [--slow-clients N]
Prints one line per check and "N passed, M failed"; exits 1 on any failure.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

CLEMENCY = os.path.abspath(sys.argv[1])
PROJECT = os.path.abspath(sys.argv[2])
SLOW_CLIENTS = int(sys.argv[sys.argv.index("--slow-clients") + 1]) if "--slow-clients" in sys.argv else 500

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import check, summary  # noqa: E402


def copy_site(dest):
    os.makedirs(dest, exist_ok=True)
    for part in ("site", "content"):
        shutil.copytree(os.path.join(PROJECT, part), os.path.join(dest, part))


# ---------------------------------------------------------------- a tiny raw HTTP client

def read_response(sock, buffer=b"", timeout=3.0, head_request=False):
    """Reads one response from `sock`: (status, headers, body, rest), or None on close or timeout."""
    try:
        return read_response_or_raise(sock, buffer, timeout, head_request)
    except OSError:
        return None


def read_response_or_raise(sock, buffer, timeout, head_request):
    sock.settimeout(timeout)
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buffer += chunk
    head, _, buffer = buffer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), value.strip())
    if head_request or status in (204, 304):
        return status, headers, b"", buffer
    if "content-length" in headers:
        length = int(headers["content-length"])
        while len(buffer) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            buffer += chunk
        return status, headers, buffer[:length], buffer[length:]
    while True:  # until the server closes
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            break
        buffer += chunk
    return status, headers, buffer, b""


def connect(port, timeout=3.0):
    return socket.create_connection(("127.0.0.1", port), timeout=timeout)


def get(port, path, headers=None, timeout=3.0):
    """One GET on a fresh connection: (status, headers, body)."""
    lines = [f"GET {path} HTTP/1.1", "Host: localhost", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    with connect(port, timeout) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        response = read_response(sock, timeout=timeout)
    return response[:3] if response else (None, {}, b"")


def closed_by_server(sock, timeout):
    """True when the server closes `sock` (or answers and closes) within `timeout` seconds."""
    sock.settimeout(timeout)
    try:
        while sock.recv(65536):
            pass
        return True
    except (socket.timeout, BlockingIOError):
        return False
    except OSError:
        return True


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


# ---------------------------------------------------------------- the server under attack

class Server:
    def __init__(self, root):
        self.root = root
        self.err = open(os.path.join(root, "err.log"), "w+")
        self.out = open(os.path.join(root, "out.log"), "w+")
        self.proc = subprocess.Popen([CLEMENCY, "serve", "--source", root, "--port", "0"],
                                     stdout=self.out, stderr=self.err)
        deadline = time.time() + 60
        self.port = None
        while time.time() < deadline and self.port is None:
            if self.proc.poll() is not None:
                raise SystemExit("server exited early:\n" + open(self.err.name).read()[-2000:])
            match = re.search(r"Serving on http://127.0.0.1:(\d+)/", open(self.out.name).read())
            self.port = int(match.group(1)) if match else None
            time.sleep(0.05)
        if self.port is None:
            raise SystemExit("server did not start")

    def log(self):
        with open(self.err.name, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def test_ranges(port):
    for path in ("/robots.txt", "/vi/feed.atom"):  # small (set_content) and large (provider)
        status, _, full = get(port, path)
        n = len(full)
        kind = "small" if n < 64 * 1024 else "large"
        check(f"{kind} file fetched whole ({n} bytes)", status == 200 and n > 0, str(status))

        def ranged(spec, extra=None):
            headers = {"Range": spec}
            headers.update(extra or {})
            return get(port, path, headers)

        status, headers, body = ranged("bytes=0-9")
        check(f"{kind}: single range", status == 206 and body == full[:10] and
              headers.get("content-range") == f"bytes 0-9/{n}", f"{status} {headers}")
        status, headers, body = ranged("bytes=0-4000000")
        check(f"{kind}: range past the end is clamped to the file", status == 206 and body == full and
              headers.get("content-range") == f"bytes 0-{n - 1}/{n}",
              f"{status}, {len(body)} bytes, {headers.get('content-range')}")
        status, headers, body = ranged("bytes=-5")
        check(f"{kind}: suffix range", status == 206 and body == full[-5:] and
              headers.get("content-range") == f"bytes {n - 5}-{n - 1}/{n}", f"{status} {headers}")
        status, headers, body = ranged(f"bytes=-{n + 1000}")
        check(f"{kind}: suffix longer than the file gives the file", status == 206 and body == full,
              f"{status}, {len(body)} bytes")
        for spec in (f"bytes={n}-", "bytes=100000000-", "bytes=100000000-100000010"):
            status, headers, body = ranged(spec)
            check(f"{kind}: unsatisfiable {spec} is 416", status == 416 and
                  headers.get("content-range") == f"bytes */{n}" and len(body) < 2048,
                  f"{status}, {len(body)} bytes, content-length {headers.get('content-length')}")
        status, headers, body = ranged("bytes=0-1,5-6,-3")
        check(f"{kind}: multiple ranges get the whole file", status == 200 and body == full,
              f"{status}, {len(body)} bytes")
        status, headers, body = ranged("bytes=0-9", {"If-Range": '"not-the-etag"'})
        check(f"{kind}: If-Range that does not match gives the whole file",
              status == 200 and body == full, f"{status}, {len(body)} bytes")
        status, headers, body = ranged("bytes=0-9", {"Accept-Encoding": "gzip"})
        check(f"{kind}: a range is of the unencoded file", status == 206 and body == full[:10] and
              "content-encoding" not in headers, f"{status} {headers}")


def test_slow_clients(server, count):
    port = server.port
    slow = []
    for _ in range(count):
        try:
            sock = connect(port)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: slow\r\n")
            slow.append(sock)
        except OSError:
            break
    check(f"{count} slow connections opened", len(slow) == count, f"only {len(slow)}")
    stop = threading.Event()

    def trickle():  # one more header line per connection every 2 s
        while not stop.wait(2.0):
            for sock in slow:
                try:
                    sock.sendall(b"X-Slow: 1\r\n")
                except OSError:
                    pass
    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    worst = 0.0
    failures = []
    began = time.time()
    while time.time() - began < 4.0:
        for path in ("/healthz", "/vi/"):
            t0 = time.time()
            try:
                status, _, _ = get(port, path, timeout=3.0)
            except OSError as error:
                status = str(error)
            elapsed = time.time() - t0
            worst = max(worst, elapsed)
            if status != 200:
                failures.append(f"{path}: {status}")
        time.sleep(0.2)
    # Held behind the slow heads, a request would wait for their cut-off (7 s) and time out at
    # 3 s; 2.5 s leaves room for a loaded 2-core machine (1.6 s seen at load average 27).
    check(f"with {len(slow)} slow clients /healthz and pages answer within 2.5 s",
          not failures and worst < 2.5, f"worst {worst:.2f} s, failures {failures[:3]}")
    # A head that has not arrived whole by the deadline is cut off.
    time.sleep(3.0)
    stop.set()
    cut = sum(1 for sock in slow if closed_by_server(sock, 0.05))
    check("slow request heads are cut off at the deadline", cut == len(slow),
          f"{cut} of {len(slow)} closed after 7 s")
    for sock in slow:
        sock.close()


def test_limits(server):
    port = server.port
    before = rss_kib(server.proc.pid)
    with connect(port, 5) as sock:
        sock.sendall(b"POST /api/v1/pages HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\n")
        sent = 0
        try:
            chunk = b"a" * 65536
            while sent < 8 << 20:
                sock.sendall(chunk)
                sent += len(chunk)
        except OSError:
            pass
        response = read_response(sock, timeout=5)
    after = rss_kib(server.proc.pid)
    check("a 1 GiB POST is refused with 413", response is not None and response[0] == 413,
          str(response and response[0]))
    check("the refused body is not kept in memory", after - before < 32 * 1024,
          f"RSS {before} -> {after} KiB")
    with connect(port) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
        response = read_response(sock)
    check("a GET with a body is refused with 413", response is not None and response[0] == 413,
          str(response and response[0]))
    headers = "".join(f"X-H{i}: {i}\r\n" for i in range(20000))
    with connect(port) as sock:
        try:
            sock.sendall(("GET /healthz HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n").encode())
        except OSError:
            pass
        response = read_response(sock)
    check("20,000 headers are refused with 431", response is not None and response[0] == 431,
          str(response and response[0]))
    with connect(port) as sock:
        try:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100000 + b"\r\n\r\n")
        except OSError:
            pass
        response = read_response(sock)
    check("a 100 KB header is refused with 431", response is not None and response[0] == 431,
          str(response and response[0]))
    final = rss_kib(server.proc.pid)
    check("memory stays bounded", final - before < 32 * 1024, f"RSS {before} -> {final} KiB")


def test_pipelining(port):
    with connect(port) as sock:
        request = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        t0 = time.time()
        sock.sendall(request * 3 + b"GET /robots.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        rest = b""
        statuses = []
        for _ in range(4):
            response = read_response(sock, rest, timeout=2.5)
            if response is None:
                break
            statuses.append(response[0])
            rest = response[3]
        elapsed = time.time() - t0
    check("pipelined requests are each answered, in order, at once",
          statuses == [200, 200, 200, 200] and elapsed < 1.0, f"{statuses} in {elapsed:.2f} s")


def test_keep_alive(port):
    with connect(port) as sock:
        statuses, slowest, rest = [], 0.0, b""
        for path in ("/vi/", "/assets/none.css", "/robots.txt", "/vi/guides/", "/healthz") * 2:
            t0 = time.time()
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n".encode())
            response = read_response(sock, rest, timeout=2.5)
            slowest = max(slowest, time.time() - t0)
            if response is None:
                break
            statuses.append(response[0])
            rest = response[3]
    check("requests one after another on a kept-alive connection are each answered at once",
          statuses == [200, 404, 200, 200, 200] * 2 and slowest < 1.0,
          f"{statuses}, slowest {slowest:.2f} s")


def test_small_http(server):
    port = server.port
    for path in ("//vi", "///vi", "//evil.example/%2e%2e"):
        status, headers, _ = get(port, path)
        location = headers.get("location", "")
        check(f"{path} does not redirect off the site", not location.startswith("//") and
              not location.startswith("/\\"), f"{status} Location: {location}")
    get(port, "/vi/%0d%0aFORGED%20200%20OK")
    get(port, "/vi/%1b[31mred")
    time.sleep(0.3)
    log = server.log()
    check("control characters in a path are escaped in the log",
          "\nFORGED" not in log and "\x1b" not in log and "\r" not in log,
          repr([line for line in log.splitlines() if "FORGED" in line][:2]))
    status, headers, _ = get(port, "/vi/")
    etag = headers.get("etag", "")
    for value, expected in (('"nonsense*"', 200), ("*", 304), (etag, 304), ('"x", ' + etag, 304),
                            ("W/" + etag, 304), (etag[:-2] + '"', 200)):
        status, _, _ = get(port, "/vi/", {"If-None-Match": value})
        check(f"If-None-Match: {value} gives {expected}", status == expected, str(status))


def test_readyz(root):
    server = Server(root)
    try:
        status, _, _ = get(server.port, "/readyz")
        check("/readyz is 200 with a good store", status == 200, str(status))
        db = os.path.join(root, "var", "clemency.db")
        with open(db, "r+b") as f:  # overwrite everything after the first page
            f.seek(4096)
            size = os.path.getsize(db)
            f.write(os.urandom(max(size - 4096, 4096)))
        status, _, body = get(server.port, "/readyz")
        check("/readyz is 503 when the store is corrupted", status == 503, f"{status} {body[:200]}")
        os.remove(db)
        status, _, body = get(server.port, "/readyz")
        check("/readyz is 503 when the store is deleted", status == 503, f"{status} {body[:200]}")
        status, _, _ = get(server.port, "/vi/")
        check("pages are still served", status == 200, str(status))
    finally:
        server.stop()


# ---------------------------------------------------------------- the command line

def run(args, timeout=120):
    """Runs the binary; a run still going after `timeout` seconds is stopped and counts as exit 124."""
    try:
        return subprocess.run([CLEMENCY] + args, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as expired:
        return subprocess.CompletedProcess(args, 124, expired.stdout or "", str(expired.stderr or ""))


def tree_listing(path):
    return sorted(os.path.relpath(os.path.join(d, f), path) for d, _, fs in os.walk(path) for f in fs)


def test_out_rules(tmp):
    holder = os.path.join(tmp, "out-rules")
    src = os.path.join(holder, "src")
    copy_site(src)
    files = tree_listing(src)
    for label, out in (("the source folder", src), ("content/", os.path.join(src, "content")),
                       ("a folder inside site/", os.path.join(src, "site", "static", "x")),
                       ("a folder holding the source", holder)):
        result = run(["build", "--source", src, "--out", out])
        check(f"--out {label} is refused", result.returncode != 0 and "--out" in result.stderr,
              f"exit {result.returncode}: {result.stderr.strip()[-300:]}")
        check(f"--out {label} leaves the sources whole", tree_listing(src) == files,
              f"{len(tree_listing(src))} of {len(files)} files left")
        if tree_listing(src) != files:  # restore for the next case
            shutil.rmtree(src, ignore_errors=True)
            copy_site(src)
    other = os.path.join(tmp, "not-ours")
    os.makedirs(other)
    with open(os.path.join(other, "thesis.txt"), "w") as f:
        f.write("years of work\n")
    result = run(["build", "--source", src, "--out", other])
    check("--out a folder that is not a Clemency output is refused",
          result.returncode != 0 and os.path.exists(os.path.join(other, "thesis.txt")),
          f"exit {result.returncode}")
    plain = os.path.join(tmp, "plain-file")
    with open(plain, "w") as f:
        f.write("keep me\n")
    result = run(["build", "--source", src, "--out", plain])
    check("--out a regular file is refused", result.returncode != 0 and open(plain).read() == "keep me\n",
          f"exit {result.returncode}")
    out = os.path.join(tmp, "fine")
    result = run(["build", "--source", src, "--out", out])
    again = run(["build", "--source", src, "--out", out])
    check("--out a new folder, then the same again, builds", result.returncode == 0 and
          again.returncode == 0, result.stderr[-300:] + again.stderr[-300:])
    result = run(["serve", "--source", src, "--out", src, "--port", "0"], timeout=30)
    check("serve --out the source folder is refused", result.returncode != 0 and
          tree_listing(src) == files, f"exit {result.returncode}")


def test_stale_staging(tmp):
    src = os.path.join(tmp, "staging")
    copy_site(src)
    out = os.path.join(src, "public")
    dead = subprocess.Popen(["true"])
    dead.wait()  # a process id that no longer runs
    stale = f"{out}.staging-{dead.pid}"
    live = f"{out}.staging-{os.getpid()}"
    for folder in (stale, live):
        os.makedirs(os.path.join(folder, "vi"))
        with open(os.path.join(folder, "vi", "index.html"), "w") as f:
            f.write("half\n")
    result = run(["build", "--source", src])
    check("a build removes the staging folders of processes that no longer run",
          result.returncode == 0 and not os.path.exists(stale), result.stderr[-300:])
    check("a build leaves the staging folder of a running process", os.path.exists(live))
    shutil.rmtree(live)


def test_content_rules(tmp):
    src = os.path.join(tmp, "content-rules")
    copy_site(src)
    outside = os.path.join(tmp, "outside.vi.md")
    shutil.copy(os.path.join(src, "content", "guides", "dac-xa-la-gi.vi.md"), outside)
    link = os.path.join(src, "content", "guides", "leak.vi.md")
    os.symlink(outside, link)
    result = run(["build", "--source", src])
    check("a symlink under content/ to a file outside the source is refused",
          result.returncode != 0 and "leak.vi.md" in result.stderr and
          "outside the source folder" in result.stderr and not os.path.exists(os.path.join(src, "public")), result.stderr.strip()[-300:])
    os.remove(link)
    big = os.path.join(src, "content", "guides", "big.vi.md")
    with open(big, "w") as f:  # a valid page made large by its body
        f.write(open(outside).read() + ("\nMột câu ngắn.\n" * 300000))
    result = run(["build", "--source", src])
    check("a content file above the size limit is refused as too large",
          result.returncode != 0 and "big.vi.md" in result.stderr and "too large" in result.stderr,
          result.stderr.strip()[-300:])
    os.remove(big)
    # A write that fails says why: a file size limit makes every large write fail with EFBIG.
    script = f'trap "" XFSZ; ulimit -f 8; exec "{CLEMENCY}" build --source "{src}" --out "{tmp}/limited"'
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
    check("a failed write names the system's reason", result.returncode != 0 and
          "too large" in result.stderr.lower() and "cannot write" in result.stderr,
          f"exit {result.returncode}: {result.stderr.strip()[-300:]}")


def main():
    tmp = tempfile.mkdtemp(prefix="clemency-attack-")
    try:
        test_out_rules(tmp)
        test_stale_staging(tmp)
        test_content_rules(tmp)
        root = os.path.join(tmp, "served")
        copy_site(root)
        server = Server(root)
        try:
            test_ranges(server.port)
            test_pipelining(server.port)
            test_keep_alive(server.port)
            test_small_http(server)
            test_limits(server)
            test_slow_clients(server, SLOW_CLIENTS)
            status, _, _ = get(server.port, "/healthz")
            check("the server still answers after the attacks", status == 200, str(status))
        finally:
            server.stop()
        test_readyz(root)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
