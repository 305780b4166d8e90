#!/usr/bin/env bash
# Load benchmark: wrk (Debian's package) on loopback against the detail, list and search
# endpoints of a Release `jobaid serve` with the demo county, on SQLite and on PostgreSQL.
# Bounded: DURATION seconds per endpoint (default 30), CONNECTIONS (default 64), 2 wrk threads;
# THREADS server threads (default 16, as `serve`).
# Prints requests/s, p50 and p99 latency and the error count for each.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-30}
CONNECTIONS=${CONNECTIONS:-64}
command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
cmake --build --preset release --target jobaid >/dev/null
BIN=./build/release/src/jobaid

bench_backend() {  # name [store URL]
  local name=$1
  local dir; dir=$(mktemp -d "${TMPDIR:-/tmp}/jobaid-load-XXXXXX")
  local store=()
  [[ -n "${2:-}" ]] && store=(--store "$2")
  "$BIN" demo --data "$dir" "${store[@]}" >/dev/null
  "$BIN" serve --data "$dir" "${store[@]}" --pool 8 --port 0 --log-level warn --threads "${THREADS:-16}" \
    >"$dir/out" 2>&1 &
  local pid=$!
  local port=""
  for _ in $(seq 1 100); do
    port=$(grep -o 'http://127.0.0.1:[0-9]*' "$dir/out" | head -1 | cut -d: -f3 || true)
    [[ -n "$port" ]] && break
    sleep 0.1
  done
  local base="http://127.0.0.1:$port"
  local cookie
  cookie=$(curl -s -i -X POST "$base/api/v1/auth/login" -d '{"username":"yongxing","password":"jobaid-demo"}' |
           grep -i '^set-cookie: jobaid_session=' | sed 's/^[Ss]et-[Cc]ookie: //; s/;.*//')
  local id
  id=$(curl -s -b "$cookie" "$base/api/v1/persons?limit=1" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
  for target in "detail /api/v1/persons/$id" "list /api/v1/persons?limit=20" \
                "search /api/v1/persons?q=%E6%9D%8E&limit=20"; do
    set -- $target
    local out
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Cookie: $cookie" "$base$2")
    local rps p50 p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx/ {n+=$NF} /Socket errors/ {gsub(",",""); n+=$4+$6+$8+$10} END {print n+0}' <<<"$out")
    printf "%-9s %-7s %10s req/s   p50 %8s   p99 %8s   errors %s\n" "$name" "$1" "$rps" "$p50" "$p99" "$errors"
  done
  kill -TERM $pid; wait $pid || true
  rm -rf "$dir"
}

if [[ "${1:-}" == "--postgres-only" ]]; then
  bench_backend postgres "$JOBAID_TEST_PG"
  exit 0
fi
echo "wrk: ${DURATION}s per endpoint, $CONNECTIONS connections, 2 threads; server: ${THREADS:-16} threads"
bench_backend sqlite
JOBAID_TEST_PG_SERVERS=1 exec ./scripts/with-postgres.sh "$0" --postgres-only
