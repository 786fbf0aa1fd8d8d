#!/usr/bin/env bash
# The search bench (issue 25): Clemency's search next to Pagefind's on the same built sites, and
# serve's search under wrk. Not a test and not part of ctest; prints Markdown for RESULTS.md.
#   tests/bench/search_bench.sh [--pages 15000] [--duration 20]
# SKIP_RECALL=1 leaves out the recall on content/ (a few minutes in Chromium). WRK_ONLY=1 runs
# only the last part, serve's search under wrk (no Pagefind, Chromium or static builds); with
# KEEP_STORE=1 it serves the store and output a previous run left in $BENCH_DIR/serve (a store
# made by an older binary is migrated at start).
# Needs a Release build in build/ (clemency, tests/test_public_api), Debian's chromium and wrk,
# tests/browser/node_modules (npm ci --prefix tests/browser); installs Pagefind into
# tests/bench/node_modules (ignored by git).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
pages=15000
duration=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --pages) pages="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    *) echo "usage: $0 [--pages N] [--duration SECONDS]" >&2; exit 2 ;;
  esac
done
work="${BENCH_DIR:-/tmp/clemency-search-bench}"
port="${PORT:-18191}"
mkdir -p "$work"
clemency="${CLEMENCY:-$root/build/clemency}"  # CLEMENCY=: another binary (a before/after run)
corpus="$work/corpus-$pages"
[[ -d "$corpus/content" ]] || "$root/tests/bench/make_corpus" "$corpus" "$pages" >/dev/null
cp -r "$root/site/static/." "$corpus/site/static/"  # this tree's search.js, not the corpus's copy
if [[ -z "${WRK_ONLY:-}" ]]; then
  [[ -x "$root/tests/bench/node_modules/.bin/pagefind" ]] ||
    npm install --prefix "$root/tests/bench" --no-save --no-package-lock pagefind@1.6.0 >/dev/null
  node "$root/tests/bench/search_bench.mjs" "$clemency" "$work" "$corpus" \
    "$root/build/tests/test_public_api"
fi

# serve on the corpus (its store made at start), then wrk on its search routes, 64 connections.
if [[ -z "${KEEP_STORE:-}" || ! -f "$work/serve/clemency.db" ]]; then
  rm -rf "$work/serve" && mkdir -p "$work/serve"
fi
"$clemency" serve --source "$corpus" --db "$work/serve/clemency.db" --out "$work/serve/public" \
  --port "$port" >"$work/serve/out.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 3000); do grep -q "Serving on" "$work/serve/out.log" 2>/dev/null && break; sleep 0.2; done
grep -q "Serving on" "$work/serve/out.log" || { echo "serve did not start" >&2; exit 1; }
echo
echo "## serve's search under wrk ($pages pages; wrk -t2 -c64 -d${duration}s --latency -s tests/bench/search.lua; server and wrk share the machine)"
echo
echo "| route | load average before | req/s | p50 | p90 | p99 | serve CPU ms per request |"
echo "|---|---|---|---|---|---|---|"
# serve's CPU time (user + system, clock ticks) so far: on a shared machine the CPU per request is
# steadier than latencies, which count the time serve waited for a core.
cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }
for route in api page; do
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  before=$(cpu)
  SEARCH_ROUTE=$route wrk -t2 -c64 -d"${duration}s" --latency -s "$root/tests/bench/search.lua" \
    http://127.0.0.1:$port >"$work/serve/wrk-$route.txt"
  ticks=$(( $(cpu) - before ))
  awk -v route="$route" -v load="$load" -v ticks="$ticks" -v hz="$(getconf CLK_TCK)" '
    /Requests\/sec/ {rps = $2} $1 == "50%" {p50 = $2} $1 == "90%" {p90 = $2} $1 == "99%" {p99 = $2}
    /Non-2xx/ {bad = $NF} / requests in / {n = $1} /timeout/ {timeouts = $NF}
    END {printf "| %s | %s | %s | %s | %s | %s | %.1f%s%s |\n", route == "api" ? "/api/v1/search" : "/vi/search/?q=",
         load, rps, p50, p90, p99, n ? ticks * 1000 / hz / n : 0, bad ? " (" bad " not 2xx)" : "",
         timeouts ? " (" timeouts " of " n " timed out)" : ""}' "$work/serve/wrk-$route.txt"
done
echo
echo "serve's peak RSS after the load: $(awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' /proc/$server/status)"
