#!/usr/bin/env bash
# Runs the HTTP suite against a coordinator PostgreSQL whose large tables (those with a
# province_code) are declaratively partitioned by province, each partition a postgres_fdw
# foreign table on another server: Hunan (43) on $JOBAID_TEST_PG_2, every other province on
# $JOBAID_TEST_PG_3. JobAid itself is unchanged: it just talks to the coordinator.
#   partitioned_suite.sh JOBAID_BINARY HTTP_SUITE_BINARY
# Exits 77 (skipped) unless scripts/with-postgres.sh provides three servers.
set -euo pipefail
jobaid=$1
suite=$2
if [[ -z "${JOBAID_TEST_PG_3:-}" ]]; then
  echo "partitioned_suite: needs three PostgreSQL servers (run through scripts/with-postgres.sh)"
  exit 77
fi
sql() { psql -X -v ON_ERROR_STOP=1 -qAt "$@"; }
base() { echo "${1%/postgres}"; }
port() { local p=${1##*:}; echo "${p%%/*}"; }
db=jobaid_coord_$$
shard=jobaid_shard_$$
work=$(mktemp -d "${TMPDIR:-/tmp}/jobaid-partitioned-XXXXXX")
trap 'rm -rf "$work"' EXIT

sql "$JOBAID_TEST_PG" -c "CREATE DATABASE $db"
for shard_url in "$JOBAID_TEST_PG_2" "$JOBAID_TEST_PG_3"; do
  sql "$shard_url" -c "CREATE DATABASE $shard"
  # Each shard holds JobAid's own schema, with all its keys and constraints.
  "$jobaid" migrate --data "$work" --store "$(base "$shard_url")/$shard" >/dev/null
done

# The coordinator: JobAid's schema made in a scratch schema, then the real tables built from it.
coord="$(base "$JOBAID_TEST_PG")/$db"
sql "$coord" -c "CREATE SCHEMA scratch"
"$jobaid" migrate --data "$work" --store "$coord?options=-csearch_path%3Dscratch" >/dev/null
sql "$coord" <<SQL
CREATE EXTENSION postgres_fdw;
CREATE SERVER hunan FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host '127.0.0.1', port '$(port "$JOBAID_TEST_PG_2")', dbname '$shard');
CREATE USER MAPPING FOR postgres SERVER hunan OPTIONS (user 'postgres');
CREATE SERVER elsewhere FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host '127.0.0.1', port '$(port "$JOBAID_TEST_PG_3")', dbname '$shard');
CREATE USER MAPPING FOR postgres SERVER elsewhere OPTIONS (user 'postgres');
DO \$\$
DECLARE t text;
BEGIN
  FOR t IN SELECT table_name FROM information_schema.tables
           WHERE table_schema = 'scratch' AND table_type = 'BASE TABLE' LOOP
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_schema = 'scratch' AND table_name = t AND column_name = 'province_code') THEN
      EXECUTE format('CREATE TABLE public.%I (LIKE scratch.%I INCLUDING DEFAULTS) PARTITION BY LIST (province_code)', t, t);
      EXECUTE format('CREATE FOREIGN TABLE public.%I PARTITION OF public.%I FOR VALUES IN (43) SERVER hunan OPTIONS (table_name %L)', t || '_43', t, t);
      EXECUTE format('CREATE FOREIGN TABLE public.%I PARTITION OF public.%I DEFAULT SERVER elsewhere OPTIONS (table_name %L)', t || '_other', t, t);
    ELSE
      EXECUTE format('CREATE TABLE public.%I (LIKE scratch.%I INCLUDING ALL)', t, t);
    END IF;
  END LOOP;
END
\$\$;
INSERT INTO public.schema_migration SELECT * FROM scratch.schema_migration;
DROP SCHEMA scratch CASCADE;
SQL
echo "partitioned_suite: coordinator $coord, partitions on two more servers"
JOBAID_TEST_BACKEND=postgres JOBAID_TEST_PG_DATABASE="$coord" "$suite"
# Rows really went to the shards: Hunan's register on one, Guangdong's employers on the other.
hunan=$(sql "$(base "$JOBAID_TEST_PG_2")/$shard" -c "SELECT count(*) FROM person")
other=$(sql "$(base "$JOBAID_TEST_PG_3")/$shard" -c "SELECT count(*) FROM employer")
echo "partitioned_suite: $hunan persons on the Hunan server, $other employers on the other"
[[ $hunan -gt 0 && $other -gt 0 ]]
