#!/usr/bin/env bash
# Runs the import benchmark on the Release build: 1,000,000 generated rows by default.
set -euo pipefail
cd "$(dirname "$0")/../.."
cmake --build --preset release --target import_benchmark >/dev/null
exec ./build/release/bench/import_benchmark "${1:-1000000}"
