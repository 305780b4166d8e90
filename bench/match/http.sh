#!/usr/bin/env bash
# bench/match through the API: top-10 jobs for one laborer among JOBS open jobs (default
# 1,000,000) as GET /api/v1/match/persons/{id}/jobs on a Release `jobaid serve`, the register
# made by `jobaid gen` (HOUSEHOLDS households in Hunan, default 20,000). wrk on loopback, one
# connection (each request's own latency) for DURATION seconds (default 20), cycling through
# 500 laborers; prints the first question's wait (the matcher loading the jobs), p50, p99.
# Goal: p99 <= 5 ms.
set -euo pipefail
cd "$(dirname "$0")/../.."
JOBS=${JOBS:-1000000}
HOUSEHOLDS=${HOUSEHOLDS:-20000}
DURATION=${DURATION:-20}
command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
cmake --build --preset release --target jobaid >/dev/null
BIN=./build/release/src/jobaid
dir=$(mktemp -d "${TMPDIR:-/tmp}/jobaid-match-http-XXXXXX")
trap 'kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
"$BIN" gen --data "$dir" --households "$HOUSEHOLDS" --jobs "$JOBS"
JOBAID_PASSWORD=match-load-phrase "$BIN" user add bench --role admin --data "$dir" >/dev/null
"$BIN" serve --data "$dir" --port 0 --log-level warn --threads 2 >"$dir/out" 2>&1 &
pid=$!
port=""
for _ in $(seq 1 300); do
  port=$(grep -o 'http://127.0.0.1:[0-9]*' "$dir/out" | head -1 | cut -d: -f3 || true)
  [[ -n "$port" ]] && break
  sleep 0.1
done
base="http://127.0.0.1:$port"
cookie=$(curl -s -i -X POST "$base/api/v1/auth/login" \
           -d '{"username":"bench","password":"match-load-phrase"}' |
         grep -i '^set-cookie: jobaid_session=' | sed 's/^[Ss]et-[Cc]ookie: //; s/;.*//')
# Laborers by each wish where to work (the generator gives wishes to able people of 16-64).
for wish in local in_province out_of_province; do
  curl -s -b "$cookie" "$base/api/v1/persons?intention=$wish&limit=170" |
    grep -o '"id":[0-9]*' | cut -d: -f2
done >"$dir/ids"
echo "$(wc -l <"$dir/ids") laborers asked in turn"
first=$(head -1 "$dir/ids")
took=$(curl -s -o /dev/null -w '%{time_total}' -b "$cookie" \
         "$base/api/v1/match/persons/$first/jobs?limit=10")
echo "first question (the matcher loads the $JOBS jobs): $took s"
cat >"$dir/paths.lua" <<LUA
local ids = {}
for line in io.lines("$dir/ids") do ids[#ids + 1] = line end
local i = 0
request = function()
  i = i % #ids + 1
  return wrk.format("GET", "/api/v1/match/persons/" .. ids[i] .. "/jobs?limit=10")
end
LUA
out=$(wrk -t1 -c1 -d"${DURATION}s" --latency -s "$dir/paths.lua" -H "Cookie: $cookie" "$base")
p50=$(awk '$1=="50%" {print $2}' <<<"$out")
p99=$(awk '$1=="99%" {print $2}' <<<"$out")
rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
errors=$(awk '/Non-2xx/ {n+=$NF} /Socket errors/ {gsub(",",""); n+=$4+$6+$8+$10} END {print n+0}' <<<"$out")
printf "top-10 through the API, %s open jobs: p50 %s   p99 %s   (%s req/s on one connection, errors %s; goal p99 <= 5 ms)\n" \
  "$JOBS" "$p50" "$p99" "$rps" "$errors"
