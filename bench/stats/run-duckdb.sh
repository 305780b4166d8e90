#!/usr/bin/env bash
# bench/stats against DuckDB: engine_benchmark draws LABORERS laborers (default 3,000,000; the
# issue's scale is 33000000, which needs about 6 GB of disk and 16 GB of memory for DuckDB),
# times the engine and writes the register as CSV; bench/stats/duckdb/duckdb.mjs loads it into
# DuckDB (@duckdb/node-api, from npm) and times the same rollup on one thread and on all. Both
# print the nation's totals, which must be equal.
set -euo pipefail
cd "$(dirname "$0")/../.."
laborers=${1:-3000000}
cmake --build --preset release --target engine_benchmark >/dev/null
(cd bench/stats/duckdb && npm install --no-audit --no-fund --silent)
dir=$(mktemp -d "${TMPDIR:-/tmp}/jobaid-duckdb-XXXXXX")
trap 'rm -rf "$dir"' EXIT
./build/release/bench/engine_benchmark "$laborers" 5 "$dir"
node bench/stats/duckdb/duckdb.mjs "$dir" 2026-11-26 3
