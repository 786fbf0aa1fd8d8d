#!/usr/bin/env bash
# One command for a fresh Debian machine: install, compile, run every test with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/setup.sh --test
deploy/build.sh -DCLEMENCY_TESTS=ON
cd build && ctest --output-on-failure -j"$(nproc)"
