#!/usr/bin/env bash
# bench/stats: generates a national register of LABORERS laborers (default 1,000,000; the
# issue's scale is 33000000) into a throw-away PostgreSQL server on 127.0.0.1, then times every
# indicator of every county by the engine and by one SQL query on that server, and what one new
# spell costs (bench/stats/stats_benchmark.cc). Needs about 1 GB of disk a million laborers.
set -euo pipefail
cd "$(dirname "$0")/../.."
laborers=${1:-1000000}
cmake --build --preset release --target jobaid stats_benchmark >/dev/null
data=$(mktemp -d "${TMPDIR:-/tmp}/jobaid-stats-XXXXXX")
trap 'rm -rf "$data"' EXIT
export JOBAID_TEST_PG_SERVERS=1 LABORERS=$laborers DATA=$data
scripts/with-postgres.sh bash -c '
  set -euo pipefail
  # Room to sort and hash in memory, and both cores, as a tuned server would have.
  psql -q "$JOBAID_TEST_PG" -c "ALTER SYSTEM SET work_mem = '"'"'1GB'"'"'" \
    -c "ALTER SYSTEM SET max_parallel_workers_per_gather = 2" -c "SELECT pg_reload_conf()" >/dev/null
  ./build/release/src/jobaid gen --data "$DATA" --store "$JOBAID_TEST_PG" --laborers "$LABORERS" --jobs 0
  psql -q "$JOBAID_TEST_PG" -c "VACUUM ANALYZE" >/dev/null
  ./build/release/bench/stats_benchmark "$DATA" "$JOBAID_TEST_PG" 5
'
