#!/usr/bin/env python3
"""Static mirrors over ssh (issue 27): deploy/publish-static.sh to a user@host:/folder target,
through a real sshd (Debian's openssh-server) that the test starts on a high loopback port with a
host key and an authorised key of its own, logging in as whoever runs the test:

- the site's files arrive, and the mirror's nginx serves them byte for byte;
- after a one-page change only changed files cross (the rest hard links of the previous release),
  and a reader hammering the mirror's nginx during the swap gets every file whole, old or new,
  never the old page once the new one was seen; PRECOMPRESS=1 runs on the far side too;
- old releases are pruned to KEEP;
- a transfer cut half-way (the ssh stream ends after 64 KiB) and an sshd that is gone both fail
  the run and leave the live release and what the mirror serves untouched, with no partial
  release left behind.
Where sshd cannot run (not installed, or /run/sshd missing and not root), the test FAILS saying so.

Usage: publish_ssh.py CLEMENCY PROJECT_DIR   (prints "N passed, M failed")
"""
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
sys.path.insert(0, HERE)
from checks import check, summary  # noqa: E402
from mirror import (PAGE, WATCHED, copied_of, mirror_nginx, publish,  # noqa: E402
                    publish_under_reads, read_file)
from ops_common import free_port, get, run, scratch  # noqa: E402

SSHD = "/usr/sbin/sshd"  # sshd re-executes itself, so it must be started by its absolute path


class Sshd:
    """Debian's sshd in the foreground on 127.0.0.1:`port`, configured only by files in `folder`:
    its host key, one authorised key, key logins for the current user only."""

    def __init__(self, folder, port):
        self.folder, self.port, self.user = folder, port, pwd.getpwuid(os.geteuid()).pw_name
        self.log = os.path.join(folder, "sshd.log")
        for name in ("host_key", "client_key"):
            code, out = run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name,
                             "-f", os.path.join(folder, name)])
            if code != 0:
                raise SystemExit("ssh-keygen failed:\n" + out)
        shutil.copyfile(os.path.join(folder, "client_key.pub"),
                        os.path.join(folder, "authorized_keys"))
        with open(os.path.join(folder, "host_key.pub")) as f:
            host_key = " ".join(f.read().split()[:2])
        with open(os.path.join(folder, "known_hosts"), "w") as f:
            f.write(f"[127.0.0.1]:{port} {host_key}\n")
        self.config = os.path.join(folder, "sshd_config")
        with open(self.config, "w") as f:
            # No PAM (nothing of the system's login setup is needed), no passwords; StrictModes off
            # because the test's temporary folder is not the user's home.
            f.write(f"Port {port}\nListenAddress 127.0.0.1\nHostKey {folder}/host_key\n"
                    f"PidFile {folder}/sshd.pid\nAuthorizedKeysFile {folder}/authorized_keys\n"
                    f"AllowUsers {self.user}\nPermitRootLogin prohibit-password\n"
                    "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
                    "StrictModes no\nLogLevel VERBOSE\n")
        self.proc = None

    def start(self):
        """Starts sshd; returns None, or why it cannot run."""
        if not os.access(SSHD, os.X_OK):
            return f"{SSHD} is missing: install openssh-server (deploy/setup.sh --test does)"
        if not os.path.isdir("/run/sshd"):  # its privilege separation folder
            if os.geteuid() != 0:
                return "/run/sshd is missing and only root can make it"
            os.makedirs("/run/sshd", mode=0o755)
        code, out = run([SSHD, "-t", "-f", self.config])
        if code != 0:
            return "sshd -t refused the test's configuration:\n" + out
        self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", self.config],
                                     stderr=open(self.log, "a"))
        deadline = time.time() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return None
            except OSError:
                if self.proc.poll() is not None or time.time() > deadline:
                    return "sshd did not start:\n" + open(self.log).read()
                time.sleep(0.05)

    def ssh_command(self):
        """The ssh command for RSYNC_SSH: this sshd's key and known host only, never a prompt; one
        connection shared by a run's six ssh commands (ControlMaster: a login costs seconds on a
        loaded machine)."""
        return (f"ssh -F /dev/null -p {self.port} -i {self.folder}/client_key -o IdentitiesOnly=yes "
                f"-o BatchMode=yes -o StrictHostKeyChecking=yes "
                f"-o UserKnownHostsFile={self.folder}/known_hosts -o ControlMaster=auto "
                f"-o ControlPath={self.folder}/cm-%C -o ControlPersist=30")

    def stop(self):
        """Ends the shared connection, then sshd."""
        subprocess.run(self.ssh_command().split() + ["-O", "exit", f"{self.user}@127.0.0.1"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


def cutting_ssh(folder, ssh):
    """A wrapper for RSYNC_SSH that ends rsync's upload after 64 KiB (a connection dropped
    mid-transfer) and passes every other command through; returns its path."""
    path = os.path.join(folder, "cut-ssh")
    with open(path, "w") as f:
        f.write("#!/bin/sh\ncase \"$*\" in\n"
                f"  *'rsync --server'*) dd bs=1 count=65536 status=none | {ssh} \"$@\" ;;\n"
                f"  *) exec {ssh} \"$@\" ;;\nesac\n")
    os.chmod(path, 0o755)
    return path


def check_untouched(mirror, port, live, served, what):
    """The live release and what the mirror serves are as before a failed run."""
    check(f"{what}: current still points at the live release",
          os.readlink(os.path.join(mirror, "current")) == live)
    check(f"{what}: the mirror serves what it served", get(port, PAGE)[2] == served)
    partial = [r for r in os.listdir(os.path.join(mirror, "releases"))
               if "releases/" + r != live and r > os.path.basename(live)]
    check(f"{what}: no partial release left", not partial, str(partial))


def main():
    clemency, project = os.path.abspath(sys.argv[1]), sys.argv[2]
    with scratch("clemency-ssh-mirror-") as (tmp, stop_at_end):
        sshd = stop_at_end(Sshd(tmp, free_port()))
        why = sshd.start()
        check("sshd runs on a loopback port", why is None, str(why))
        if why:
            return summary()
        env = dict(os.environ, RSYNC_SSH=sshd.ssh_command())
        code, out = run(sshd.ssh_command().split() + [f"{sshd.user}@127.0.0.1", "true"])
        check("a key login through it", code == 0, out + open(sshd.log).read())

        for part in ("site", "content"):
            shutil.copytree(os.path.join(project, part), os.path.join(tmp, part))
        public, mirror = os.path.join(tmp, "public"), os.path.join(tmp, "mirror")
        target = f"{sshd.user}@127.0.0.1:{mirror}"
        code, out = run([clemency, "build", "--source", tmp, "--out", public])
        check("build the site", code == 0, out)
        code, out, _ = publish(public, target, env=env)
        check("first publish over ssh", code == 0, out + open(sshd.log).read())
        check("current is a link to a release",
              os.readlink(os.path.join(mirror, "current")).startswith("releases/"))
        code, out = run(["diff", "-r", public, os.path.join(mirror, "current") + "/"])
        check("every file arrived as built (diff -r)", code == 0, out[:2000])

        port = mirror_nginx(tmp, stop_at_end, os.path.join(mirror, "current"))
        old = {p: get(port, p)[2] for p in WATCHED}
        check("the mirror serves the site byte for byte",
              all(old[p] == read_file(public, p) for p in WATCHED))

        source = os.path.join(tmp, "content", "guides", "dac-xa-la-gi.vi.md")
        with open(source, "a", encoding="utf-8") as f:
            f.write("\nMột câu mới qua ssh.\n")
        code, out = run([clemency, "build", "--source", tmp, "--out", public])
        check("rebuild after a one-page change", code == 0, out)
        code, out, seconds, reached = publish_under_reads(port, public, target, old, env=env)
        check("publish over ssh during reads", code == 0, out)
        copied, total = copied_of(out)
        check(f"only changed files crossed ({copied} of {total})", 0 < copied < total / 4, out)
        releases = sorted(os.listdir(os.path.join(mirror, "releases")))
        a, b = (os.stat(os.path.join(mirror, "releases", r, "assets", "style.css")).st_ino
                for r in releases[-2:])
        check("an unchanged file is a hard link to the previous release's", a == b)
        if reached is not None:
            print(f"publish-static over ssh: {seconds:.2f} s to run; the mirror served the new "
                  f"page {reached:.2f} s after it started ({total} files, {copied} copied)")

        code, out, _ = publish(public, target, env=dict(env, PRECOMPRESS="1"))
        check("PRECOMPRESS=1 over ssh: .gz files made on the target",
              code == 0 and os.path.isfile(os.path.join(mirror, "current", "vi", "guides",
                                                        "dac-xa-la-gi", "index.html.gz")), out)
        for _ in range(2):
            publish(public, target, env=env)
        check("releases pruned to KEEP=3", len(os.listdir(os.path.join(mirror, "releases"))) == 3)

        live = os.readlink(os.path.join(mirror, "current"))
        served = get(port, PAGE)[2]
        with open(os.path.join(public, "big.bin"), "wb") as f:
            f.write(os.urandom(2 << 20))  # more than the 64 KiB that get through
        cut = dict(env, RSYNC_SSH=cutting_ssh(tmp, sshd.ssh_command()))
        code, out, _ = publish(public, target, env=cut)
        check("a transfer cut half-way fails the run", code != 0 and "FAILED" in out, out)
        check_untouched(mirror, port, live, served, "cut transfer")
        sshd.stop()
        code, out, _ = publish(public, target, env=env)
        check("with sshd gone the run fails", code != 0 and "FAILED" in out, out)
        check_untouched(mirror, port, live, served, "sshd gone")
    return summary()


if __name__ == "__main__":
    sys.exit(main())
