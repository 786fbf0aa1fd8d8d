#!/usr/bin/env bash
# Installs exactly the Debian packages Clemency needs. Run as root on Debian 12.
#   deploy/setup.sh          build and run
#   deploy/setup.sh --bench  also what the benchmarks use (hugo, nginx, wrk)
#   deploy/setup.sh --test   also what the test suite uses (and the npm packages of tests/api/openapi
#                            and tests/browser; the browser tests drive Debian's chromium)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
packages=(cmake g++ make pkg-config libqrencode-dev libsodium-dev libpwquality-dev cracklib-runtime
  libcpp-httplib-dev libkainjow-mustache-dev libsqlite3-dev libicu-dev
  libmd4c-dev libyaml-dev libmimalloc-dev libxxhash-dev zlib1g-dev libvips-dev)
if [[ "${1:-}" == "--bench" ]]; then
  # tests/bench/run.sh: the peers and the load generator, side by side with Clemency.
  packages+=(hugo nginx wrk hyperfine time curl python3)
fi
if [[ "${1:-}" == "--test" ]]; then
  packages+=(catch2 python3 python3-feedparser python3-aiosmtpd curl libxml2-utils chromium fonts-khmeros zbar-tools poppler-utils
    # tests/ops: the nginx front, mirrors (local, and over ssh to an sshd the test starts), the units
    nginx openssl rsync openssh-server openssh-client gettext-base systemd
    clang libclang-rt-14-dev)  # tests/fuzz: libFuzzer and the sanitizers' runtimes
fi
updated=
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [[ -z "$updated" ]]; then apt-get update -qq; updated=1; fi
  apt-get install -y -qq --no-install-recommends "$@"
}
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  apt_install "${missing[@]}"
fi

if [[ "${1:-}" == "--test" ]]; then
  # Node.js and npm for tests/api/openapi (OpenAPI validator) and tests/browser (playwright-core
  # and axe-core driving Debian's /usr/bin/chromium; no browser is ever downloaded). An existing
  # node >= 18 is used as it is, whoever installed it (a non-Debian build such as NodeSource's ships
  # npm itself); Debian's nodejs and npm are installed only where node (or npm) is missing. nodejs
  # goes first on its own: where a NodeSource apt source is set up, its nodejs conflicts with
  # Debian's npm.
  command -v node >/dev/null || apt_install nodejs
  command -v npm >/dev/null || apt_install npm
  node_major="$(node -p 'process.versions.node.split(".")[0]')"
  if (( node_major < 18 )); then
    echo "setup.sh: node $(node --version) at $(command -v node) is too old;" \
      "tests/api/openapi and tests/browser need >= 18" >&2
    exit 1
  fi
  # Exactly the locked versions (npm ci), with Debian 12's npm 9.2.0 as with a newer one: the lock
  # files record each package's registry URL ("resolved"), which is what lets npm take a locked
  # package for a dependency asked for by a dist-tag (lighthouse's trace engine asks for
  # third-party-web@latest) instead of resolving the tag again, and package.json has no
  # "overrides" (npm 9.2.0 throws "Invalid comparator: latest" on an override of a dist-tag).
  # npm runs inside each folder so that the folder's .npmrc (omit-lockfile-registry-resolved=false,
  # for whoever regenerates a lock) is read: npm 9.2.0 ignores it under --prefix.
  # Skipped while node_modules is newer than the lock file.
  for dir in "$root/tests/api/openapi" "$root/tests/browser"; do
    if [[ ! "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ||
          ! "$dir/node_modules/.package-lock.json" -nt "$dir/package.json" ]]; then
      (cd "$dir" && npm ci --no-audit --no-fund)
    fi
  done
fi
