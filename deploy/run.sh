#!/usr/bin/env bash
# One command for a fresh Debian machine: install, compile, build the site, serve it on localhost.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/setup.sh
deploy/build.sh
exec build/clemency serve --source . "$@"
