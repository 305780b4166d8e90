#!/usr/bin/env bash
# Runs a command next to throw-away PostgreSQL servers: initdb in a temporary directory as an
# unprivileged user, listening on a free port of 127.0.0.1 only, and stopped again when the
# command ends, whether it passed or failed. The command finds the first server in
# $JOBAID_TEST_PG (postgresql://postgres@127.0.0.1:PORT/postgres); with
# JOBAID_TEST_PG_SERVERS=N (default 3) the others are in $JOBAID_TEST_PG_2 … $JOBAID_TEST_PG_N
# (the partitioned-coordinator test uses them as shards).
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$bin" ]]; then
  echo "with-postgres: PostgreSQL is not installed (scripts/deps.sh installs it)" >&2
  exit 1
fi
servers=${JOBAID_TEST_PG_SERVERS:-3}
root=$(mktemp -d "${TMPDIR:-/tmp}/jobaid-pg-XXXXXX")
as_owner() { "$@"; }
if [[ $(id -u) -eq 0 ]]; then
  # initdb refuses root; the clusters belong to the postgres user.
  chown postgres: "$root"
  as_owner() { runuser -u postgres -- "$@"; }
fi
stop() {
  for d in "$root"/*/; do
    as_owner "$bin/pg_ctl" -D "$d/data" -m immediate stop >/dev/null 2>&1 || true
  done
  rm -rf "$root"
}
trap stop EXIT

start_one() {  # index
  local dir="$root/$1"
  as_owner mkdir -p "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C >"$root/initdb.log" 2>&1 ||
    { cat "$root/initdb.log" >&2; exit 1; }
  for _ in $(seq 1 20); do
    port=$((20000 + RANDOM % 30000))
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
         -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null 2>&1; then
      return 0
    fi
  done
  echo "with-postgres: a server did not start:" >&2
  cat "$dir/server.log" >&2
  exit 1
}

for i in $(seq 1 "$servers"); do
  start_one "$i"
  url="postgresql://postgres@127.0.0.1:$port/postgres"
  if [[ $i -eq 1 ]]; then export JOBAID_TEST_PG=$url; else export "JOBAID_TEST_PG_$i=$url"; fi
done
echo "with-postgres: $servers PostgreSQL $("$bin/postgres" --version | awk '{print $3}') servers, the first on $JOBAID_TEST_PG"
"$@"
