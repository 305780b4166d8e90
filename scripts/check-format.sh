#!/usr/bin/env bash
# Fails, naming the files, when a C++ file of the tree is not as clang-format (.clang-format)
# would write it. `make format` rewrites them.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find src tests bench fuzz \( -name '*.h' -o -name '*.cc' \) | sort)
bad=$(clang-format --dry-run --Werror "${files[@]}" 2>&1 | grep -o '^[^:]*\.\(h\|cc\):' | sort -u || true)
if [[ -n "$bad" ]]; then
  echo "not formatted (run make format):"
  echo "$bad" | tr -d ':'
  exit 1
fi
echo "${#files[@]} C++ files formatted"
