#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the records-store tests and print its URL.
#
# Debian, run as root (CI; elsewhere sudo is used to install). Installs PostgreSQL only when
# pg_ctl/initdb are missing (apt-get update && apt-get install -y postgresql), initialises
# a trust-auth cluster owned by the `postgres` user in a temp dir, starts it on 127.0.0.1 (port
# 55432 or the next free one) with its unix socket in that dir, creates the test database, and
# prints `postgresql+psycopg://postgres@127.0.0.1:PORT/DB` as the last line on stdout. Idempotent:
# a second run reuses the running server. The server is left running; the script logs (stderr)
# the command that stops it (Debian keeps pg_ctl off PATH, under /usr/lib/postgresql/*/bin).
# Usage: export PEELSTAT_TEST_POSTGRES_URL="$(.ci/postgres.sh | tail -n 1)"
set -euo pipefail

PORT="${PEELSTAT_PG_PORT:-55432}"
DB="${PEELSTAT_PG_DB:-peelstat_test}"
DIR="${PEELSTAT_PG_DIR:-${TMPDIR:-/tmp}/peelstat-postgres}"

log() { echo "postgres.sh: $*" >&2; }

find_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
    done
    if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
        dirname "$(readlink -f "$(command -v pg_ctl)")"
        return 0
    fi
    return 1
}

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@";
    elif command -v sudo >/dev/null; then sudo DEBIAN_FRONTEND=noninteractive "$@";
    else log "PostgreSQL is not installed: run this script as root, or install postgresql"; exit 1;
    fi
}

BIN="$(find_bindir || true)"
if [ -z "$BIN" ]; then
    log "pg_ctl/initdb not found: installing postgresql with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update >&2
    as_root apt-get install -y postgresql >&2
    BIN="$(find_bindir)" || { log "postgresql installed, but no initdb under /usr/lib/postgresql/*/bin"; exit 1; }
fi
log "using PostgreSQL binaries in $BIN"

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "$(id -u)" = 0 ] && ! id -u postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /bin/sh postgres
fi

mkdir -p "$DIR"
if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR"; fi
chmod 700 "$DIR"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ ! -f "$DIR/data/PG_VERSION" ]; then
    log "initialising a cluster in $DIR/data"
    as_postgres "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 \
        --no-locale >&2
fi

if as_postgres "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    PORT="$(cat "$DIR/port")"
    log "server already running on port $PORT"
else
    while port_in_use "$PORT"; do PORT=$((PORT + 1)); done
    echo "$PORT" > "$DIR/port"
    log "starting the server on 127.0.0.1:$PORT"
    as_postgres "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
        -o "-h 127.0.0.1 -p $PORT -k $DIR" start >&2
fi

PSQL=(as_postgres "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -tA)
if [ "$("${PSQL[@]}" -c "select 1 from pg_database where datname = '$DB'")" != "1" ]; then
    log "creating database $DB"
    "${PSQL[@]}" -c "create database \"$DB\"" >&2
fi

stop="$BIN/pg_ctl -D $DIR/data stop"
if [ "$(id -u)" = 0 ]; then stop="runuser -u postgres -- $stop"; fi
log "stop the server with: $stop"
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/$DB"
