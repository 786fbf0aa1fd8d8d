#!/usr/bin/env bash
# The benchmark suite: Clemency next to Hugo (builds) and nginx (serving), side by side on this
# machine, medians of alternating runs. Prints figures and writes tests/bench/RESULTS.md.
# Not a pass/fail test and not part of ctest.
#
#   tests/bench/run.sh [--sizes "1000 10000 50000"] [--runs 3] [--duration 10]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
sizes="1000 10000 50000"
runs=3
duration=10
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    *) echo "usage: $0 [--sizes \"1000 10000 50000\"] [--runs N] [--duration SECONDS]" >&2; exit 2 ;;
  esac
done

"$root/deploy/setup.sh" --bench
"$root/deploy/build.sh" >/dev/null
clemency="$root/build/clemency"
work="${BENCH_DIR:-/tmp/clemency-bench}"
# Outputs go to memory (tmpfs) when there is one, for both tools alike, so disk noise does not
# swamp the figures.
out="${BENCH_OUT:-/dev/shm/clemency-bench}"
[[ -d "$(dirname "$out")" ]] || out="$work/out"
mkdir -p "$work" "$out"
results="$work/results.tsv"
: >"$results"

# Wall time from bash's microsecond clock around the run (/usr/bin/time's own %e has 10 ms steps,
# too coarse for rebuilds); /usr/bin/time -f: user+sys seconds, peak RSS KiB.
measure() {  # measure LABEL COMMAND...
  local start=$EPOCHREALTIME
  /usr/bin/time -o "$work/time.txt" -f "%U %S %M" "${@:2}" >/dev/null 2>"$work/last-stderr.txt" ||
    { echo "failed: ${*:2}" >&2; cat "$work/last-stderr.txt" >&2; exit 1; }
  local end=$EPOCHREALTIME
  awk -v label="$1" -v start="$start" -v end="$end" \
    '{printf "%s\t%.3f\t%.3f\t%d\n", label, end - start, $1 + $2, $3}' "$work/time.txt" >>"$results"
}
median() {  # median LABEL COLUMN (2 wall, 3 cpu, 4 rss)
  awk -F'\t' -v label="$1" -v col="$2" '$1 == label {print $col}' "$results" | sort -g |
    awk '{v[NR] = $1} END {if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
spread() {  # spread LABEL COLUMN: "min–max" of a label's runs
  awk -F'\t' -v label="$1" -v col="$2" '$1 == label {print $col}' "$results" | sort -g |
    awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%s–%s", lo, hi}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.3f", a / b; else print "nan"}'; }

echo "== builds"
for size in $sizes; do
  corpus="$work/corpus-$size"
  [[ -d "$corpus/content" ]] || "$root/tests/bench/make_corpus" "$corpus" "$size"
  for ((i = 1; i <= runs; i++)); do
    rm -rf "$out/out-c" "$out/out-c.manifest" "$out/out-c.pages" "$out/out-h"
    measure "clemency-full-$size" "$clemency" build --source "$corpus" --out "$out/out-c"
    measure "hugo-full-$size" hugo --quiet -s "$corpus" -d "$out/out-h"
  done
  echo "$size pages: clemency $(median clemency-full-$size 2) s, hugo $(median hugo-full-$size 2) s"
done

echo "== rebuilds"
rebuild_size=10000
for s in $sizes; do [[ "$s" == 10000 ]] && rebuild_size=10000; done
[[ " $sizes " == *" 10000 "* ]] || rebuild_size=$(awk '{print $1}' <<<"$sizes")
corpus="$work/corpus-$rebuild_size"
rm -rf "$out/out-c" "$out/out-c.manifest" "$out/out-c.pages" "$out/out-h" "$out/out-r" "$out/out-r.manifest" "$out/out-r.pages"
"$clemency" build --source "$corpus" --out "$out/out-r" >/dev/null
page="$corpus/content/guides/trang-000000.vi.md"
original="$(cat "$page")"
# Rebuilds take tens of milliseconds, where a noisy neighbour on a shared machine shows most: three
# times as many runs for a steadier median.
rebuild_runs=$((runs * 3))
for ((i = 1; i <= rebuild_runs; i++)); do
  measure "clemency-nochange-$rebuild_size" "$clemency" build --source "$corpus" --out "$out/out-r"
  printf '%s\n\nMột câu mới số %d.\n' "$original" "$i" >"$page"
  measure "clemency-onepage-$rebuild_size" "$clemency" build --source "$corpus" --out "$out/out-r"
done
# The incremental result must equal a full build of the same inputs.
rm -rf "$out/out-f" "$out/out-f.manifest" "$out/out-f.pages"
"$clemency" build --source "$corpus" --out "$out/out-f" >/dev/null
if diff -r -q "$out/out-r" "$out/out-f" >/dev/null; then same_files="yes"; else same_files="NO"; fi
rm -rf "$out/out-r" "$out/out-r.manifest" "$out/out-r.pages" "$out/out-f" "$out/out-f.manifest" "$out/out-f.pages"
printf '%s\n' "$original" >"$page"

echo "== serving"
serve_size=$rebuild_size
corpus="$work/corpus-$serve_size"
rm -rf "$work/serve" && mkdir -p "$work/serve"
"$clemency" serve --source "$corpus" --db "$work/serve/clemency.db" --out "$work/serve/public" --port 18181 \
  >"$work/serve/out.log" 2>/dev/null &
server=$!
for _ in $(seq 1 600); do grep -q "Serving on" "$work/serve/out.log" 2>/dev/null && break; sleep 0.1; done
# nginx serves the very same files; the API list response is saved as a file for it.
curl -s "http://127.0.0.1:18181/api/v1/pages?lang=vi&limit=20" >"$work/serve/public/api-list.json"
cat >"$work/serve/nginx.conf" <<NGINX
worker_processes auto;
daemon off;
pid $work/serve/nginx.pid;
error_log $work/serve/nginx-error.log;
user root;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  types { application/atom+xml atom; application/rss+xml rss; }
  access_log off;
  sendfile on;
  tcp_nopush on;
  etag on;
  server {
    listen 127.0.0.1:18182;
    root $work/serve/public;
    index index.html;
  }
}
NGINX
nginx -c "$work/serve/nginx.conf" &
nginx_pid=$!
sleep 1
page_path="/vi/guides/trang-000000/"
declare -A paths=([page]="$page_path" [feed]="/vi/feed.atom" [api]="/api/v1/pages?lang=vi&limit=20")
declare -A nginx_paths=([page]="$page_path" [feed]="/vi/feed.atom" [api]="/api-list.json")
wrk_run() {  # wrk_run LABEL URL
  local out rps p99
  out=$(wrk -t2 -c64 -d"${duration}s" --latency "$2")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}; print v}' <<<"$out")
  printf '%s\t%s\t%s\n' "$1" "$rps" "$p99" >>"$work/serve/wrk.tsv"
  echo "$1: $rps req/s, p99 $p99 ms"
}
: >"$work/serve/wrk.tsv"
for kind in page feed api; do
  wrk_run "clemency-$kind" "http://127.0.0.1:18181${paths[$kind]}"
  wrk_run "nginx-$kind" "http://127.0.0.1:18182${nginx_paths[$kind]}"
done
server_rss=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
kill -TERM "$server" "$nginx_pid" 2>/dev/null || true
wait "$server" 2>/dev/null || true
wait "$nginx_pid" 2>/dev/null || true

# ---- RESULTS.md
{
  echo "# Benchmark results"
  echo
  echo "Written by \`tests/bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'). Machine: $(nproc) cores"
  echo "($(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//')), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM,"
  echo "$(. /etc/os-release; echo "$PRETTY_NAME"). Tools: $(hugo version | awk '{print $1, $2}'), $(nginx -v 2>&1 | sed 's/.*: //'),"
  echo "wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'). Medians of $runs alternating runs; the corpus is \`tests/bench/make_corpus\`"
  echo "(pages split evenly over vi, en, km). Outputs are written to $out (tmpfs when available) for both tools."
  echo "Ratios are Clemency ÷ peer: below 1 means Clemency is faster or smaller."
  echo
  echo "## Full build (clemency build vs hugo, same corpus, empty output folder)"
  echo
  echo "| pages | clemency wall s | hugo wall s | wall ratio | clemency CPU s | hugo CPU s | CPU ratio | clemency peak RSS MiB | hugo peak RSS MiB | RSS ratio |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for size in $sizes; do
    cw=$(median "clemency-full-$size" 2); hw=$(median "hugo-full-$size" 2)
    cc=$(median "clemency-full-$size" 3); hc=$(median "hugo-full-$size" 3)
    cr=$(median "clemency-full-$size" 4); hr=$(median "hugo-full-$size" 4)
    printf '| %s | %s | %s | %s | %s | %s | %s | %.0f | %.0f | %s |\n' "$size" "$cw" "$hw" "$(ratio "$cw" "$hw")" \
      "$cc" "$hc" "$(ratio "$cc" "$hc")" "$(awk -v k="$cr" 'BEGIN {print k / 1024}')" \
      "$(awk -v k="$hr" 'BEGIN {print k / 1024}')" "$(ratio "$cr" "$hr")"
  done
  echo
  echo "Targets at 10k pages: wall ≤ 0.1× Hugo, peak RSS ≤ 0.08× Hugo, cost linear in pages."
  echo
  echo "## Rebuilds ($rebuild_size pages)"
  echo
  full=$(median "clemency-full-$rebuild_size" 2)
  nochange=$(median "clemency-nochange-$rebuild_size" 2)
  onepage=$(median "clemency-onepage-$rebuild_size" 2)
  echo "Medians of $rebuild_runs runs of each case, alternating, after a full build; the full build is the"
  echo "median above."
  echo
  echo "| case | wall s | ratio to a full build | target | fastest–slowest run s |"
  echo "|---|---:|---:|---:|---:|"
  echo "| full build | $full | 1 | | $(spread "clemency-full-$rebuild_size" 2) |"
  echo "| nothing changed | $nochange | $(ratio "$nochange" "$full") | ≤ 0.1 | $(spread "clemency-nochange-$rebuild_size" 2) |"
  echo "| one page changed | $onepage | $(ratio "$onepage" "$full") | ≤ 0.05 | $(spread "clemency-onepage-$rebuild_size" 2) |"
  echo
  echo "After the one-page rebuilds, the output equals a fresh full build of the same inputs: **$same_files** (\`diff -r\`)."
  echo
  echo "## Serving ($serve_size pages; wrk -t2 -c64 -d${duration}s, server and wrk share the $(nproc) cores)"
  echo
  echo "| request | clemency req/s | nginx req/s | ratio | clemency p99 ms | nginx p99 ms |"
  echo "|---|---:|---:|---:|---:|---:|"
  for kind in page feed api; do
    c=$(awk -F'\t' -v l="clemency-$kind" '$1 == l' "$work/serve/wrk.tsv")
    n=$(awk -F'\t' -v l="nginx-$kind" '$1 == l' "$work/serve/wrk.tsv")
    printf '| %s | %s | %s | %s | %s | %s |\n' "$kind" "$(cut -f2 <<<"$c")" "$(cut -f2 <<<"$n")" \
      "$(ratio "$(cut -f2 <<<"$c")" "$(cut -f2 <<<"$n")")" "$(cut -f3 <<<"$c")" "$(cut -f3 <<<"$n")"
  done
  echo
  echo "nginx serves the same bytes from the same \`public/\`; for the API row it serves a saved copy of the"
  echo "API response (\`/api-list.json\`), so that row compares a live SQLite query with a static file."
  echo "Targets: ≥ 0.8× nginx's requests/s, p99 ≤ 10 ms at 64 connections."
  echo
  echo "Server peak RSS with $serve_size pages after the load: $(awk -v k="$server_rss" 'BEGIN {printf "%.0f MiB", k / 1024}') (target ≤ 100 MiB)."
} >"$root/tests/bench/RESULTS.md"
cat "$root/tests/bench/RESULTS.md"
