#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/*.cpp) with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, then runs each for a while on a copy of its corpus
# (tests/fuzz/corpus/<target>/). Exits non-zero when any target finds a crash, a leak, a hang or
# a server error; the input is kept as <build>/crash-* and printed.
#
#   tests/fuzz/run.sh [--seconds N] [--build DIR] [--jobs N] [--keep] [TARGET...]
#     --seconds N  run time per target (default 60)
#     --build DIR  the clang build folder (default build-fuzz)
#     --jobs N     targets run at once (default: the number of cores)
#     --keep       add the new inputs each run found to tests/fuzz/corpus/ (for a maintainer)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seconds=60
build="$root/build-fuzz"
keep=
jobs="$(nproc)"
targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -*) echo "usage: $0 [--seconds N] [--build DIR] [--jobs N] [--keep] [TARGET...]" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
build="$(realpath -m "$build")"
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(page_file support_csv editor_json selfcheck_query api_query http_head)
fi

# -O1: the fuzzers need coverage and sanitizers more than speed, and the build is shorter.
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DCLEMENCY_FUZZ=ON "${launcher[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${targets[@]/#/fuzz_}" >/dev/null

run_one() {  # run_one TARGET: prints one summary line; returns non-zero on a finding
  local target="$1" work="$build/run/$1"
  rm -rf "$work" && mkdir -p "$work/corpus"
  cp "$root/tests/fuzz/corpus/$target/"* "$work/corpus/" 2>/dev/null || true
  local status=0
  (cd "$work" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=8192 -print_final_stats=1 -artifact_prefix="$build/$target-" corpus \
    >"$work/log.txt" 2>&1) || status=$?
  local execs
  execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log.txt" | grep -o '[0-9]*$' || echo 0)"
  local found="$(ls "$build/$target-"* 2>/dev/null | wc -l)"
  printf '%-16s %10s executions  %4s corpus inputs  %s findings\n' "$target" "$execs" \
    "$(ls "$work/corpus" | wc -l)" "$found"
  if [[ "$keep" == 1 ]]; then
    mkdir -p "$root/tests/fuzz/corpus/$target"
    cp -n "$work/corpus/"* "$root/tests/fuzz/corpus/$target/" 2>/dev/null || true
  fi
  if [[ $status -ne 0 || "$found" -gt 0 || "$execs" -eq 0 ]]; then
    tail -n 40 "$work/log.txt" >&2
    return 1
  fi
}

rm -f "$build"/*-crash-* "$build"/*-leak-* "$build"/*-timeout-* "$build"/*-oom-* 2>/dev/null || true
# `jobs` targets at a time; each prints its line when done.
failed=0
pids=()
for target in "${targets[@]}"; do
  run_one "$target" &
  pids+=($!)
  if [[ ${#pids[@]} -ge "$jobs" ]]; then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
exit $failed
