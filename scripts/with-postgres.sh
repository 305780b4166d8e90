#!/usr/bin/env bash
# Runs a command next to a throw-away PostgreSQL cluster: initdb in a temporary directory as an
# unprivileged user, listening on a free port of 127.0.0.1 only, and stopped again when the
# command ends, whether it passed or failed. The command finds the server in $JOBAID_TEST_PG
# (postgresql://postgres@127.0.0.1:PORT/postgres).
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$bin" ]]; then
  echo "with-postgres: PostgreSQL is not installed (scripts/deps.sh installs it)" >&2
  exit 1
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/jobaid-pg-XXXXXX")
as_owner() { "$@"; }
if [[ $(id -u) -eq 0 ]]; then
  # initdb refuses root; the cluster belongs to the postgres user.
  chown postgres: "$dir"
  as_owner() { runuser -u postgres -- "$@"; }
fi
stop() {
  as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
started=""
for _ in $(seq 1 20); do
  port=$((20000 + RANDOM % 30000))
  if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
       -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null 2>&1; then
    started=1
    break
  fi
done
if [[ -z "$started" ]]; then
  echo "with-postgres: the server did not start:" >&2
  cat "$dir/server.log" >&2
  exit 1
fi
export JOBAID_TEST_PG="postgresql://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
"$@"
