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
# Full builds write to memory (tmpfs, BENCH_OUT) and to a real disk (BENCH_DISK_OUT, on the file
# system of the work folder), for both tools alike: tmpfs hides the file-system cost users pay.
# Rebuilds write to tmpfs.
out="${BENCH_OUT:-/dev/shm/clemency-bench}"
[[ -d "$(dirname "$out")" ]] || out="$work/out"
disk_out="${BENCH_DISK_OUT:-$work/out-disk}"
mkdir -p "$work" "$out" "$disk_out"
media="tmpfs:$out disk:$disk_out"
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
median() {  # median LABEL COLUMN [FILE] (results: 2 wall, 3 cpu, 4 rss)
  awk -F'\t' -v label="$1" -v col="$2" '$1 == label {print $col}' "${3:-$results}" | sort -g |
    awk '{v[NR] = $1} END {if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
spread() {  # spread LABEL COLUMN [FILE]: "min–max" of a label's runs
  awk -F'\t' -v label="$1" -v col="$2" '$1 == label {print $col}' "${3:-$results}" | sort -g |
    awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%s–%s", lo, hi}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.3f", a / b; else print "nan"}'; }

# Files and bytes per page of an output folder: files_per_page DIR PAGES -> "files bytes"
per_page() {
  local files bytes
  files=$(find "$1" -type f | wc -l)
  bytes=$(du -sb "$1" | awk '{print $1}')
  awk -v f="$files" -v b="$bytes" -v p="$2" 'BEGIN {printf "%.2f\t%.0f", f / p, b / p}'
}
: >"$work/per-page.tsv"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== builds (load before: $load_before)"
for size in $sizes; do
  corpus="$work/corpus-$size"
  [[ -d "$corpus/content" ]] || "$root/tests/bench/make_corpus" "$corpus" "$size"
  for ((i = 1; i <= runs; i++)); do
    for medium in $media; do
      name="${medium%%:*}" dir="${medium#*:}"
      rm -rf "$dir/out-c" "$dir/out-c.manifest" "$dir/out-c.pages" "$dir/out-h"
      sync  # the last run's writes are not this one's
      measure "clemency-full-$name-$size" "$clemency" build --source "$corpus" --out "$dir/out-c"
      sync
      measure "hugo-full-$name-$size" hugo --quiet -s "$corpus" -d "$dir/out-h"
    done
  done
  printf 'clemency\t%s\t%s\n' "$size" "$(per_page "$out/out-c" "$size")" >>"$work/per-page.tsv"
  printf 'hugo\t%s\t%s\n' "$size" "$(per_page "$out/out-h" "$size")" >>"$work/per-page.tsv"
  for medium in $media; do
    name="${medium%%:*}"
    echo "$size pages on $name: clemency $(median "clemency-full-$name-$size" 2) s, hugo $(median "hugo-full-$name-$size" 2) s"
  done
done
rm -rf "$disk_out/out-c" "$disk_out/out-c.manifest" "$disk_out/out-c.pages" "$disk_out/out-h"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "(load after the builds: $load_after)"

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
nginx_workers=$(pgrep -P "$nginx_pid" | tr '\n' ' ')
# The kernel's per-thread scheduler counters (/proc/PID/task/*/schedstat: ns on a CPU, ns waiting
# in the run queue, times scheduled), summed over a server's threads, so the table can show where
# each request's time goes besides the handler.
sched_sum() {  # sched_sum PID...
  local pid files=()
  for pid in "$@"; do files+=(/proc/"$pid"/task/*/schedstat); done
  # %.0f: mawk's %d stops at 2^31 - 1, and these are nanoseconds.
  cat "${files[@]}" 2>/dev/null | awk '{r += $1; w += $2; s += $3} END {printf "%.0f %.0f %.0f", r, w, s}'
}
wrk_run() {  # wrk_run LABEL URL SERVER_PID...
  local out before after
  before=$(sched_sum "${@:3}")
  out=$(wrk -t2 -c64 -d"${duration}s" --latency "$2")
  after=$(sched_sum "${@:3}")
  # Columns: label, req/s, p99 ms, server CPU µs per request, server run-queue wait µs per
  # request, server context switches per request.
  awk -v label="$1" -v before="$before" -v after="$after" '
    /requests in/ {n = $1}
    /Requests\/sec/ {rps = $2}
    $1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}; p99 = v}
    END {split(before, b, " "); split(after, a, " ");
         printf "%s\t%s\t%s\t%.1f\t%.1f\t%.2f\n", label, rps, p99, (a[1] - b[1]) / n / 1000, (a[2] - b[2]) / n / 1000, (a[3] - b[3]) / n}' \
    <<<"$out" | tee -a "$work/serve/wrk.tsv" |
    awk -F'\t' '{printf "%s: %s req/s, p99 %s ms, server CPU %s us/request, run-queue wait %s us/request, %s switches/request\n", $1, $2, $3, $4, $5, $6}'
}
serve_median() { median "$1" "$2" "$work/serve/wrk.tsv"; }
serve_spread() { spread "$1" "$2" "$work/serve/wrk.tsv"; }
: >"$work/serve/wrk.tsv"
for kind in page feed api; do
  for ((i = 1; i <= runs; i++)); do
    wrk_run "clemency-$kind" "http://127.0.0.1:18181${paths[$kind]}" "$server"
    # shellcheck disable=SC2086  # one argument per worker
    wrk_run "nginx-$kind" "http://127.0.0.1:18182${nginx_paths[$kind]}" $nginx_workers
  done
done
server_rss=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
kill -TERM "$server" "$nginx_pid" 2>/dev/null || true
wait "$server" 2>/dev/null || true
wait "$nginx_pid" 2>/dev/null || true

# ---- publishing while serving (tests/bench/publish.py): publish -> live, RSS, reads meanwhile
echo "== publishing"
publish_section=$(python3 "$root/tests/bench/publish.py" "$clemency" "$work" --pages 15000 --publishes 50)
echo "$publish_section"

# ---- RESULTS.md
{
  echo "# Benchmark results"
  echo
  echo "Written by \`tests/bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'). Machine: $(nproc) cores"
  echo "($(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//')), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM,"
  echo "$(. /etc/os-release; echo "$PRETTY_NAME"). Tools: $(hugo version | awk '{print $1, $2}'), $(nginx -v 2>&1 | sed 's/.*: //'),"
  echo "wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'). Medians of $runs alternating runs; the corpus is \`tests/bench/make_corpus\`"
  echo "(pages split evenly over vi, en, km). Full builds write to a disk and to tmpfs (below); rebuilds to $out."
  echo "Ratios are Clemency ÷ peer: below 1 means Clemency is faster or smaller."
  echo
  echo "## Full build (clemency build vs hugo, same corpus, empty output folder)"
  echo
  echo "Output on a real disk ($(df -T "$disk_out" | awk 'NR == 2 {print $2}'), \`$disk_out\`) and on tmpfs (\`$out\`); the runs"
  echo "alternate clemency, hugo on disk, then on tmpfs; \`sync\` before each run. Load average before"
  echo "the builds $load_before, after them $load_after (1, 5, 15 min; the machine may be shared: CPU columns are steadier)."
  echo
  echo "| pages | output on | clemency wall s | hugo wall s | wall ratio | clemency CPU s | hugo CPU s | CPU ratio | clemency peak RSS MiB | hugo peak RSS MiB | RSS ratio |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for size in $sizes; do
    for medium in disk tmpfs; do
      cw=$(median "clemency-full-$medium-$size" 2); hw=$(median "hugo-full-$medium-$size" 2)
      cc=$(median "clemency-full-$medium-$size" 3); hc=$(median "hugo-full-$medium-$size" 3)
      cr=$(median "clemency-full-$medium-$size" 4); hr=$(median "hugo-full-$medium-$size" 4)
      printf '| %s | %s | %s (%s) | %s (%s) | %s | %s | %s | %s | %.0f | %.0f | %s |\n' "$size" "$medium" \
        "$cw" "$(spread "clemency-full-$medium-$size" 2)" "$hw" "$(spread "hugo-full-$medium-$size" 2)" \
        "$(ratio "$cw" "$hw")" "$cc" "$hc" "$(ratio "$cc" "$hc")" "$(awk -v k="$cr" 'BEGIN {print k / 1024}')" \
        "$(awk -v k="$hr" 'BEGIN {print k / 1024}')" "$(ratio "$cr" "$hr")"
    done
  done
  echo
  echo "Wall times: median (fastest–slowest run). Targets: wall ≤ 0.25× Hugo on disk and on tmpfs"
  echo "(on the way to 0.1×), peak RSS ≤ 0.08× Hugo, cost linear in pages."
  echo
  echo "| pages | clemency files/page | hugo files/page | clemency bytes/page | hugo bytes/page |"
  echo "|---:|---:|---:|---:|---:|"
  for size in $sizes; do
    awk -F'\t' -v size="$size" '$2 == size {f[$1] = $3; b[$1] = $4}
      END {printf "| %s | %s | %s | %s | %s |\n", size, f["clemency"], f["hugo"], b["clemency"], b["hugo"]}' \
      "$work/per-page.tsv"
  done
  echo
  echo "Target: ≤ ~1.1 output files per page."
  echo
  echo "## Rebuilds ($rebuild_size pages)"
  echo
  full=$(median "clemency-full-tmpfs-$rebuild_size" 2)
  nochange=$(median "clemency-nochange-$rebuild_size" 2)
  onepage=$(median "clemency-onepage-$rebuild_size" 2)
  echo "Medians of $rebuild_runs runs of each case, alternating, after a full build; the full build is the"
  echo "median above."
  echo
  echo "| case | wall s | ratio to a full build | target | fastest–slowest run s |"
  echo "|---|---:|---:|---:|---:|"
  echo "| full build (tmpfs) | $full | 1 | | $(spread "clemency-full-tmpfs-$rebuild_size" 2) |"
  echo "| nothing changed | $nochange | $(ratio "$nochange" "$full") | ≤ 0.02 | $(spread "clemency-nochange-$rebuild_size" 2) |"
  echo "| one page changed | $onepage | $(ratio "$onepage" "$full") | ≤ 0.05 | $(spread "clemency-onepage-$rebuild_size" 2) |"
  echo
  echo "After the one-page rebuilds, the output equals a fresh full build of the same inputs: **$same_files** (\`diff -r\`)."
  echo
  echo "## Serving ($serve_size pages; wrk -t2 -c64 -d${duration}s, server and wrk share the $(nproc) cores)"
  echo
  echo "Medians of $runs alternating runs per request (p99: median, then fastest–slowest run)."
  echo
  echo "| request | clemency req/s | nginx req/s | ratio | clemency p99 ms | nginx p99 ms |"
  echo "|---|---:|---:|---:|---:|---:|"
  for kind in page feed api; do
    c=$(serve_median "clemency-$kind" 2); n=$(serve_median "nginx-$kind" 2)
    printf '| %s | %s | %s | %s | %s (%s) | %s (%s) |\n' "$kind" "$c" "$n" "$(ratio "$c" "$n")" \
      "$(serve_median "clemency-$kind" 3)" "$(serve_spread "clemency-$kind" 3)" \
      "$(serve_median "nginx-$kind" 3)" "$(serve_spread "nginx-$kind" 3)"
  done
  echo
  echo "Where a request's time goes, from the kernel's scheduler counters of the server's threads"
  echo "(\`/proc/PID/task/*/schedstat\`, medians): CPU time, time spent runnable but waiting for a"
  echo "core, and how often a server thread was switched in, each divided by the requests answered."
  echo
  echo "| request | clemency CPU µs | nginx CPU µs | clemency run-queue wait µs | nginx run-queue wait µs | clemency switches | nginx switches |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for kind in page feed api; do
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$kind" \
      "$(serve_median "clemency-$kind" 4)" "$(serve_median "nginx-$kind" 4)" \
      "$(serve_median "clemency-$kind" 5)" "$(serve_median "nginx-$kind" 5)" \
      "$(serve_median "clemency-$kind" 6)" "$(serve_median "nginx-$kind" 6)"
  done
  echo
  echo "nginx serves the same bytes from the same \`public/\`; for the API row it serves a saved copy of the"
  echo "API response (\`/api-list.json\`), so that row compares a live SQLite query with a static file."
  echo "Targets: ≥ 0.8× nginx's requests/s, p99 ≤ 10 ms at 64 connections."
  echo
  echo "Server peak RSS with $serve_size pages after the load: $(awk -v k="$server_rss" 'BEGIN {printf "%.0f MiB", k / 1024}') (target ≤ 100 MiB)."
  echo
  echo "$publish_section"
} >"$root/tests/bench/RESULTS.md"
cat "$root/tests/bench/RESULTS.md"
