#!/usr/bin/env python3
"""deploy/systemd/'s units (issue 27): `systemd-analyze verify` finds nothing to say about them
(with the built binary in place of /usr/local/bin/clemency: verify checks that it runs), and the
hardening the issue asks for is in the serve unit. Skipped (exit 0 with a note) where
systemd-analyze is missing; Debian 12 has it (package systemd, installed by setup.sh --test).

Usage: systemd_units.py CLEMENCY PROJECT_DIR   (prints "N passed, M failed")
"""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import check, summary  # noqa: E402
from ops_common import scratch  # noqa: E402

UNITS = ("clemency.service", "clemency-backup.service", "clemency-backup.timer")
SERVE_HARDENING = ("User=clemency", "NoNewPrivileges=yes", "PrivateTmp=yes", "ProtectSystem=strict",
                   "ReadWritePaths=/var/lib/clemency /var/www/clemency", "Restart=on-failure",
                   "UMask=0027", "CapabilityBoundingSet=", "ProtectHome=yes")


def main():
    clemency, project = os.path.abspath(sys.argv[1]), sys.argv[2]
    tool = shutil.which("systemd-analyze")
    if not tool:
        print("systemd-analyze is not installed: nothing checked")
        return summary()
    with scratch("clemency-units-") as (tmp, stop_at_end):
        for name in UNITS:
            with open(os.path.join(project, "deploy", "systemd", name)) as f:
                text = f.read()
            with open(os.path.join(tmp, name), "w") as f:
                f.write(text.replace("/usr/local/bin/clemency", clemency))
        p = subprocess.run([tool, "verify", *[os.path.join(tmp, n) for n in UNITS]],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        # verify exits 0 on unknown keys and bad values, only printing them: any line about our
        # units is a failure.
        said = [l for l in p.stdout.splitlines() if any(n in l for n in UNITS) or tmp in l]
        check("systemd-analyze verify: no complaint", p.returncode == 0 and not said, p.stdout)
        with open(os.path.join(tmp, "clemency.service")) as f:
            lines = {l.strip() for l in f}
        for line in SERVE_HARDENING:
            check(f"clemency.service has {line}", line in lines)
        start = next((l for l in lines if l.startswith("ExecStart=")), "")
        check("serve writes the .gz files nginx's gzip_static sends (--precompress)",
              " --precompress" in start, start)
        rw = [l for l in lines if l.startswith("ReadWritePaths=")]
        check("the only writable paths are the store's and the output's folders", len(rw) == 1,
              str(rw))
        with open(os.path.join(tmp, "clemency-backup.timer")) as f:
            timer = f.read()
        check("the backup timer is persistent", "Persistent=true" in timer)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
