#!/bin/sh
# The schema job (docker-compose.yml, service temporal-schema): creates Temporal's two databases on the shared
# PostgreSQL and brings both schemas to the version this admin-tools image ships. Every step is idempotent
# (create skips an existing database, setup-schema -v 0.0 keeps a newer version, update-schema applies only
# what is missing), so the job runs on every `docker compose up` and after an image upgrade it is the upgrade.
# The server only starts after this job exited 0 (depends_on: service_completed_successfully).
set -eu

: "${POSTGRES_SEEDS:?POSTGRES_SEEDS (the PostgreSQL host) is required}"
: "${POSTGRES_USER:?POSTGRES_USER is required}"
: "${SQL_PASSWORD:?SQL_PASSWORD (the PostgreSQL password) is required}"
DB_PORT=${DB_PORT:-5432}
DBNAME=${DBNAME:-temporal}
VISIBILITY_DBNAME=${VISIBILITY_DBNAME:-temporal_visibility}

# --plugin and -p always: the tool's defaults are MySQL on 3306.
sql() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" "$@"
}

for pair in "$DBNAME:temporal" "$VISIBILITY_DBNAME:visibility"; do
  db=${pair%%:*}
  schema=postgresql/v12/${pair#*:}
  echo "schema: $db ($schema)"
  sql --db "$db" create-database
  sql --db "$db" setup-schema -v 0.0
  # The schema embedded in the tool itself, so it always matches the server of the same version.
  sql --db "$db" update-schema --schema-name "$schema"
done
echo 'schema: done'
