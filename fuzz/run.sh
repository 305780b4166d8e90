#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (in build/fuzz) and runs each for SECONDS (default 5)
# from its committed seeds in fuzz/corpus/<target>, which it never changes: what a run finds
# goes to build/fuzz/corpus/<target>, a crash to build/fuzz/crashes/. `make test` runs it for a
# few seconds a target with a fixed seed; run it for longer by hand, e.g. fuzz/run.sh 600.
#   fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(identifiers rows xlsx body static_path)
build=build/fuzz
regions=${JOBAID_REGIONS:-build/debug/src/regions.bin}
[[ -f $regions ]] || regions=build/release/src/regions.bin
[[ -f $regions ]] || { echo "fuzz: no regions.bin; build JobAid first (make test)" >&2; exit 2; }

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S fuzz -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
  "${launcher[@]}" >/dev/null
cmake --build "$build" -- --quiet

mkdir -p "$build/crashes"
status=0
for t in "${targets[@]}"; do
  mkdir -p "$build/corpus/$t"
  # A fixed seed in `make test` (the same inputs each run); a long run by hand may pass -seed=0.
  if ! JOBAID_REGIONS=$(realpath "$regions") ASAN_OPTIONS=detect_leaks=1 \
      "$build/${t}_fuzz" -max_total_time="$seconds" -seed="${FUZZ_SEED:-1}" -rss_limit_mb=2048 \
      -timeout=20 -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/crashes/$t-" \
      "$build/corpus/$t" "fuzz/corpus/$t" >"$build/$t.log" 2>&1; then
    echo "fuzz: $t FAILED; see $build/$t.log and $build/crashes/" >&2
    tail -40 "$build/$t.log" >&2
    status=1
  else
    runs=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' "$build/$t.log" | grep -o '[0-9]*$' || true)
    echo "fuzz: $t ${runs:-?} inputs in ${seconds}s, no crash"
  fi
done
exit $status
