/**
 * The script the bootstrap Job runs (bash + psql 15 or later, as in the official `postgres`
 * image). It is exported so the test suite runs exactly this text against a real server.
 *
 * Input, all from the environment (nothing on a command line, nothing in the manifest):
 * - libpq `PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD` (+ `PGSSLMODE PGSSLROOTCERT`): the admin connection;
 * - `MLFLOW_DB_ROLE`, `MLFLOW_DB_PASSWORD`: the MLflow role and its password;
 * - `MLFLOW_DB_NAMES`: space-separated databases to ensure (the tracking database first,
 *   then extra ones such as the basic-auth database). Names are validated identifiers.
 *
 * What it does, idempotently:
 * 1. creates the role (LOGIN) if missing, otherwise re-sets its password so the Secret stays
 *    the source of truth (rotation = change the Secret, re-sync). psql's `\getenv` reads the
 *    password into a variable that is sent as a quoted literal; statement logging is switched
 *    off for the session first where the admin may do so (superuser), so the literal does not
 *    reach the server log.
 * 2. creates each database if missing (owned by the admin, which works for a superuser and for
 *    managed-database admins such as RDS's `rds_superuser` alike) and grants the role CONNECT,
 *    CREATE and TEMPORARY on it, and USAGE and CREATE on its `public` schema (PostgreSQL 15+
 *    no longer lets every role create there). MLflow's tables are then owned by the role.
 */
export const POSTGRES_BOOTSTRAP_SCRIPT = String.raw`set -euo pipefail
for v in MLFLOW_DB_ROLE MLFLOW_DB_PASSWORD MLFLOW_DB_NAMES; do
  if [ -z "$(printenv "$v")" ]; then echo "postgres-bootstrap: $v is not set" >&2; exit 2; fi
done
run_psql() { psql --no-psqlrc --no-password --quiet --set ON_ERROR_STOP=1 "$@"; }
echo "postgres-bootstrap: ensuring the MLflow role as admin role $PGUSER on $PGHOST"
run_psql <<'SQL'
DO $$
BEGIN
  SET log_statement = 'none';
  SET log_min_duration_statement = -1;
  SET log_min_error_statement = 'panic';
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'postgres-bootstrap: cannot turn statement logging off for this session (not a superuser)';
END
$$;
\getenv mlflow_role MLFLOW_DB_ROLE
\getenv mlflow_password MLFLOW_DB_PASSWORD
SELECT NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = :'mlflow_role') AS role_missing \gset
\if :role_missing
CREATE ROLE :"mlflow_role" WITH LOGIN PASSWORD :'mlflow_password';
\echo postgres-bootstrap: created role :mlflow_role
\else
ALTER ROLE :"mlflow_role" WITH LOGIN PASSWORD :'mlflow_password';
\echo postgres-bootstrap: role :mlflow_role exists; password re-set from the Secret
\endif
SQL
for db in $MLFLOW_DB_NAMES; do
  run_psql --set db="$db" <<'SQL'
\getenv mlflow_role MLFLOW_DB_ROLE
SELECT NOT EXISTS (SELECT FROM pg_catalog.pg_database WHERE datname = :'db') AS db_missing \gset
\if :db_missing
CREATE DATABASE :"db";
\echo postgres-bootstrap: created database :db
\else
\echo postgres-bootstrap: database :db exists
\endif
GRANT CONNECT, CREATE, TEMPORARY ON DATABASE :"db" TO :"mlflow_role";
SQL
  run_psql --dbname="$db" <<'SQL'
\getenv mlflow_role MLFLOW_DB_ROLE
GRANT USAGE, CREATE ON SCHEMA public TO :"mlflow_role";
SQL
done
echo "postgres-bootstrap: done"
`;
