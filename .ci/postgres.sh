#!/usr/bin/env bash
# Start a throwaway PostgreSQL on loopback for the central tests and print its SQLAlchemy URL on stdout.
#
# Usage: export WORKBENCH_TEST_PG_URL="$(.ci/postgres.sh)"
# Installs Debian's postgresql with apt-get when no server binaries are found (needs root), makes a
# cluster in $PG_TEST_DIR (default /tmp/workbench-pg) owned by the postgres user (postgres refuses to run
# as root), listens on 127.0.0.1:$PG_TEST_PORT (default 54329) only, with trust auth for loopback, and
# creates a role and database "workbench" (the role may CREATE DATABASE: each test server gets its own).
# Running it again reuses a running cluster. Everything except the URL goes to stderr.
set -euo pipefail

DIR="${PG_TEST_DIR:-/tmp/workbench-pg}"
PORT="${PG_TEST_PORT:-54329}"
ROLE=workbench
DB=workbench

log() { echo "postgres.sh: $*" >&2; }

find_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return 0
  fi
  return 1
}

if ! BIN="$(find_bindir)"; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    log "geen PostgreSQL gevonden en niet als root op Debian: installeer postgresql zelf"; exit 1
  fi
  log "installing Debian postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
  BIN="$(find_bindir)" || { log "postgresql installed but initdb/pg_ctl not found"; exit 1; }
fi

# Run a command as the cluster owner: postgres when we are root, ourselves otherwise.
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
  fi
  OWNER=postgres
  as_owner() { runuser -u postgres -- "$@"; }
  mkdir -p /var/run/postgresql && chown postgres /var/run/postgresql
else
  OWNER="$(id -un)"
  as_owner() { "$@"; }
fi

if [ ! -s "$DIR/PG_VERSION" ]; then
  log "initdb in $DIR"
  mkdir -p "$DIR"
  chown "$OWNER" "$DIR"
  chmod 700 "$DIR"
  as_owner "$BIN/initdb" -D "$DIR" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >&2 \
    || as_owner "$BIN/initdb" -D "$DIR" -U postgres --auth=trust --encoding=UTF8 --locale=C >&2
fi

if ! as_owner "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  log "starting on 127.0.0.1:$PORT"
  as_owner "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c max_connections=300 -c fsync=off" start >&2
fi

psql_admin() { as_owner "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != 1 ]; then
  psql_admin -c "CREATE ROLE $ROLE LOGIN CREATEDB" >&2
fi
# The tests restore a central database from a backup (DROP DATABASE ... WITH (FORCE)), which must end the
# sessions still open on it; pg_signal_backend allows that for non-superuser sessions, nothing more.
psql_admin -c "GRANT pg_signal_backend TO $ROLE" >&2
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
  psql_admin -c "CREATE DATABASE $DB OWNER $ROLE" >&2
fi

echo "postgresql+psycopg://$ROLE@127.0.0.1:$PORT/$DB"
