#!/usr/bin/env bash
# Installs exactly the Debian packages Clemency needs. Run as root on Debian 12.
#   deploy/setup.sh          build and run
#   deploy/setup.sh --test   also what the test suite uses
set -euo pipefail
packages=(cmake g++ make pkg-config
  libcpp-httplib-dev libkainjow-mustache-dev libsqlite3-dev libicu-dev
  libmd4c-dev libyaml-cpp-dev)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(catch2 python3 python3-feedparser curl libxml2-utils)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
