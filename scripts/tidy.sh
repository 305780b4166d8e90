#!/usr/bin/env bash
# Runs the clang-tidy checks of .clang-tidy (bugs, needless copies, functions over 150 lines) on
# the C++ sources of src/ that changed: those the last commit touched plus those changed in the
# working tree (in a clone without history, the working tree's only), or, with
# JOBAID_TIDY_BASE=<rev>, everything since <rev>; `--all` checks every file (`make tidy`). A changed header brings in the .cc files beside it. Needs the debug
# build's compile_commands.json. Fails, printing the findings, if any check fires.
set -euo pipefail
cd "$(dirname "$0")/.."
db=build/debug
[[ -f $db/compile_commands.json ]] || { echo "tidy: build $db first (make build-debug)"; exit 1; }

if [[ ${1:-} == --all ]]; then
  mapfile -t changed < <(find src -name '*.cc' -o -name '*.h')
elif [[ -n ${JOBAID_TIDY_BASE:-} ]]; then
  mapfile -t changed < <(git diff --name-only "$JOBAID_TIDY_BASE" -- src)
elif git rev-parse -q --verify HEAD~1 >/dev/null; then
  mapfile -t changed < <({ git diff --name-only HEAD~1 HEAD -- src; git diff --name-only HEAD -- src; } | sort -u)
else
  # A clone without history (shallow, one commit): only what the working tree changed.
  echo "tidy: no parent commit to compare with; checking the working tree's changes only"
  mapfile -t changed < <(git diff --name-only HEAD -- src)
fi

declare -A seen=()
files=()
for f in "${changed[@]}"; do
  [[ -f $f ]] || continue  # deleted
  case $f in
    *_test.cc) ;;
    *.cc) seen[$f]=1 ;;
    *.h) for cc in "${f%.h}".cc "${f%.h}"_*.cc; do [[ -f $cc && $cc != *_test.cc ]] && seen[$cc]=1; done ;;
  esac
done
files=("${!seen[@]}")
if [[ ${#files[@]} -eq 0 ]]; then
  echo "tidy: no changed C++ sources"
  exit 0
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
printf '%s\n' "${files[@]}" | sort |
  xargs -P "$(nproc)" -n 4 clang-tidy -p "$db" --quiet --extra-arg=-Wno-unknown-warning-option \
    >"$log" 2>&1 || true
if grep -q ': \(error\|warning\): ' "$log"; then
  grep -A3 ': \(error\|warning\): ' "$log" | grep -v '^--$'
  echo "tidy: findings in the files above (checks: .clang-tidy)"
  exit 1
fi
echo "tidy: ${#files[@]} files clean"
