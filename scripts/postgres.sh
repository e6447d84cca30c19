#!/usr/bin/env bash
# A throwaway PostgreSQL for tests and CI: one cluster in a mktemp -d folder, on 127.0.0.1 and a free port,
# with a password role and a database, gone again after `stop`.
#
#   scripts/postgres.sh start    start (or reuse the running one); prints the export line for the connection string
#   scripts/postgres.sh env      print that export line again (fails when nothing runs)
#   scripts/postgres.sh status   exit 0 when the server of the state file runs
#   scripts/postgres.sh stop     stop the server and delete its folder; fine when nothing runs
#   scripts/postgres.sh halt     stop the server but keep its data, port and state (an outage, for the fault tests)
#   scripts/postgres.sh resume   start a halted server again on the same port, with its data
#
# Typical use:   scripts/postgres.sh start >/dev/null && source .artifacts/postgres.env && dotnet test ...;
#                scripts/postgres.sh stop
#   or:          eval "$(scripts/postgres.sh start)"
#
# The state file (default <repo>/.artifacts/postgres.env, override with APPROVALBOT_PG_STATE) holds
#   export APPROVALBOT_TEST_POSTGRES='Host=127.0.0.1;Port=...;Username=approvalbot;Password=...;Database=approvalbot'
# plus what `stop` needs. The role may create databases (tests create one per class and drop it).
#
# Optional environment:
#   APPROVALBOT_PG_STATE      the state file; one server per state file
#   APPROVALBOT_PG_OWNER_PID  on start: a process id; the server is stopped and removed once that process is gone
#                             (the test fixture passes its own pid, so a killed test run leaves nothing behind)
#   PG_BIN                    server binaries (default /usr/lib/postgresql/15/bin, else the newest installed)
#   APPROVALBOT_PG_DURABLE=1  on start: PostgreSQL's own durable defaults (fsync, synchronous_commit, full-page writes,
#                             autovacuum) instead of the throwaway settings; the benchmark measures a server as deployed
#
# PostgreSQL refuses to run as root: as root, initdb and pg_ctl run as the `postgres` user (runuser).
set -euo pipefail

readonly ROLE=approvalbot
readonly DATABASE=approvalbot
SCRIPT=$(readlink -f "${BASH_SOURCE[0]}")
readonly SCRIPT
REPO_ROOT=$(cd "$(dirname "$SCRIPT")/.." && pwd)
readonly REPO_ROOT
STATE=${APPROVALBOT_PG_STATE:-$REPO_ROOT/.artifacts/postgres.env}

CLEANUP_DIR=""
CLEANUP_BIN=""
# Removes a half-made cluster when start fails anywhere (die exits, so an ERR trap would not see it).
cleanup() {
    if [ -n "$CLEANUP_DIR" ]; then
        as_server_user "$CLEANUP_BIN/pg_ctl" -D "$CLEANUP_DIR/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf -- "$CLEANUP_DIR"
    fi
}
trap cleanup EXIT

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ms() { date +%s%3N; }

as_server_user() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

find_bin() {
    if [ -n "${PG_BIN:-}" ]; then
        [ -x "$PG_BIN/initdb" ] || die "PG_BIN=$PG_BIN has no initdb"
        echo "$PG_BIN"; return
    fi
    if [ -x /usr/lib/postgresql/15/bin/initdb ]; then echo /usr/lib/postgresql/15/bin; return; fi
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
    return 1
}

candidate() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }'; }

install_server() {
    [ "$(id -u)" -eq 0 ] || die "PostgreSQL server binaries are missing; install postgresql-15 (needs root)"
    command -v apt-get >/dev/null || die "PostgreSQL server binaries are missing and there is no apt-get"
    log "PostgreSQL server binaries missing: installing with apt"
    local package=""
    for attempt in 1 2; do
        for name in postgresql-15 postgresql; do
            local version
            version=$(candidate "$name")
            if [ -n "$version" ] && [ "$version" != "(none)" ]; then package=$name; break 2; fi
        done
        [ "$attempt" -eq 1 ] && { log "no candidate yet: apt-get update"; apt-get update -qq >&2; }
    done
    [ -n "$package" ] || die "apt has neither postgresql-15 nor postgresql"
    # We start our own clusters: do not let the package create and start a system cluster on port 5432.
    mkdir -p /etc/postgresql-common
    [ -e /etc/postgresql-common/createcluster.conf ] || echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        -o Dpkg::Options::=--force-confold "$package" >&2 || die "apt-get install $package failed"
}

# Reads the state file into STATE_* variables; returns 1 when there is none.
read_state() {
    [ -f "$STATE" ] || return 1
    STATE_DIR=$(sed -n 's/^APPROVALBOT_PG_DIR=//p' "$STATE")
    STATE_BIN=$(sed -n 's/^APPROVALBOT_PG_BIN=//p' "$STATE")
    STATE_PORT=$(sed -n 's/^APPROVALBOT_PG_PORT=//p' "$STATE")
    STATE_WATCHDOG=$(sed -n 's/^APPROVALBOT_PG_WATCHDOG_PID=//p' "$STATE")
    [ -n "$STATE_DIR" ] && [ -n "$STATE_BIN" ]
}

running() { [ -d "$STATE_DIR/data" ] && as_server_user "$STATE_BIN/pg_ctl" -D "$STATE_DIR/data" status >/dev/null 2>&1; }

print_env() { grep '^export APPROVALBOT_TEST_POSTGRES=' "$STATE"; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop_locked() {
    if ! read_state; then
        log "nothing to stop (no state file $STATE)"
        forget_lock_file
        return 0
    fi
    if [ -n "${APPROVALBOT_PG_EXPECT_DIR:-}" ] && [ "$APPROVALBOT_PG_EXPECT_DIR" != "$STATE_DIR" ]; then
        return 0 # a watchdog of an earlier server: this state file belongs to another one now
    fi
    if running; then
        as_server_user "$STATE_BIN/pg_ctl" -D "$STATE_DIR/data" -m fast -w -t 30 stop >/dev/null \
            || die "pg_ctl stop failed; the server in $STATE_DIR may still run (log: $STATE_DIR/server.log)"
    fi
    if [ -z "${APPROVALBOT_PG_WATCHDOG:-}" ] && [ -n "$STATE_WATCHDOG" ] && kill -0 "$STATE_WATCHDOG" 2>/dev/null; then
        kill "$STATE_WATCHDOG" 2>/dev/null || true
    fi
    case "$STATE_DIR" in
        */approvalbot-pg.*) rm -rf -- "$STATE_DIR" ;;
        *) log "not removing unexpected folder '$STATE_DIR'" ;;
    esac
    rm -f -- "$STATE"
    forget_lock_file
    log "stopped PostgreSQL on 127.0.0.1:$STATE_PORT and removed $STATE_DIR"
}

# Leave nothing behind (a caller in another start/stop waits on the lock of the old file and still serialises with us).
forget_lock_file() { rm -f -- "$STATE.lock"; }

# start_server BIN DIR PORT: pg_ctl start with the throwaway settings (no durability: the data dies with the folder),
# or with PostgreSQL's durable defaults when APPROVALBOT_PG_DURABLE=1.
start_server() {
    local settings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c autovacuum=off"
    [[ "${APPROVALBOT_PG_DURABLE:-0}" == 1 ]] && settings=""
    as_server_user "$1/pg_ctl" -D "$2/data" -l "$2/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $3 -k $2 -c max_connections=200 $settings" \
        start >/dev/null 2>&1 9>&-
}

halt_locked() {
    read_state || die "no server to halt (no state file $STATE)"
    if running; then
        as_server_user "$STATE_BIN/pg_ctl" -D "$STATE_DIR/data" -m fast -w -t 30 stop >/dev/null || die "pg_ctl stop failed"
    fi
    log "halted PostgreSQL on 127.0.0.1:$STATE_PORT (data kept in $STATE_DIR)"
}

resume_locked() {
    read_state || die "no server to resume (no state file $STATE)"
    if running; then log "already running on 127.0.0.1:$STATE_PORT"; return 0; fi
    start_server "$STATE_BIN" "$STATE_DIR" "$STATE_PORT" || { tail -n 20 "$STATE_DIR/server.log" >&2 || true; die "pg_ctl start failed"; }
    log "resumed PostgreSQL on 127.0.0.1:$STATE_PORT"
}

start_locked() {
    if read_state; then
        if running; then
            log "already running on 127.0.0.1:$STATE_PORT ($STATE_DIR)"
            print_env
            return 0
        fi
        log "state file $STATE names a server that is not running: cleaning it up"
        stop_locked
    fi

    local started bin
    started=$(now_ms)
    bin=$(find_bin) || { install_server; bin=$(find_bin) || die "no PostgreSQL server binaries after installing"; }
    local psql=$bin/psql
    [ -x "$psql" ] || psql=$(command -v psql) || die "psql is missing"

    local dir
    dir=$(mktemp -d "${TMPDIR:-/tmp}/approvalbot-pg.XXXXXXXX")
    CLEANUP_DIR=$dir
    CLEANUP_BIN=$bin
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi

    local password
    password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')

    as_server_user "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C --no-sync \
        --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

    local port="" try
    for try in 1 2 3 4 5 6 7 8; do
        # Below Linux's ephemeral range (32768+), so an outgoing connection cannot hold it.
        port=$((20000 + RANDOM % 12000))
        port_free "$port" || continue
        if start_server "$bin" "$dir" "$port"; then
            break
        fi
        if grep -q -E "could not bind|Address already in use|could not create lock file" "$dir/server.log" 2>/dev/null; then
            log "port $port taken, trying another"
            port=""
            continue
        fi
        cat "$dir/server.log" >&2 || true
        die "pg_ctl start failed"
    done
    [ -n "$port" ] || die "no free port found"

    "$psql" -X -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$password'" \
        -c "CREATE DATABASE $DATABASE OWNER $ROLE" >/dev/null \
        || die "creating role and database failed"

    local connection="Host=127.0.0.1;Port=$port;Username=$ROLE;Password=$password;Database=$DATABASE"
    mkdir -p "$(dirname "$STATE")"
    {
        echo "export APPROVALBOT_TEST_POSTGRES='$connection'"
        echo "APPROVALBOT_PG_DIR=$dir"
        echo "APPROVALBOT_PG_BIN=$bin"
        echo "APPROVALBOT_PG_PORT=$port"
    } >"$STATE.tmp"
    mv -f "$STATE.tmp" "$STATE"

    if [ -n "${APPROVALBOT_PG_OWNER_PID:-}" ]; then
        # Detached (own session, no inherited output) so it outlives the caller's process group and does not hold the
        # caller's pipes open; it stops exactly this server (EXPECT_DIR) once the owner is gone.
        APPROVALBOT_PG_STATE=$STATE APPROVALBOT_PG_WATCHDOG=1 APPROVALBOT_PG_EXPECT_DIR=$dir \
            setsid bash -c 'while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 1; done; exec "$3" stop' \
            watchdog "$APPROVALBOT_PG_OWNER_PID" "$dir" "$SCRIPT" </dev/null >/dev/null 2>&1 9>&- &
        echo "APPROVALBOT_PG_WATCHDOG_PID=$!" >>"$STATE"
    fi
    CLEANUP_DIR=""

    log "started PostgreSQL $("$bin/postgres" -V | awk '{print $3}') on 127.0.0.1:$port in $(( $(now_ms) - started )) ms ($dir); state: $STATE"
    print_env
}

with_lock() {
    mkdir -p "$(dirname "$STATE")"
    exec 9>"$STATE.lock"
    flock -w 60 9 || die "another postgres.sh holds $STATE.lock"
    "$@"
}

case "${1:-}" in
    start) with_lock start_locked ;;
    stop)
        if [ ! -e "$STATE" ] && [ ! -e "$STATE.lock" ]; then
            log "nothing to stop (no state file $STATE)"
            exit 0
        fi
        with_lock stop_locked
        ;;
    halt) with_lock halt_locked ;;
    resume) with_lock resume_locked ;;
    env)
        read_state && running || die "no running server for state file $STATE (run: $0 start)"
        print_env
        ;;
    status)
        if read_state && running; then log "running on 127.0.0.1:$STATE_PORT ($STATE_DIR)"; else log "not running"; exit 1; fi
        ;;
    *)
        echo "usage: $0 start|stop|halt|resume|env|status   (state file: \$APPROVALBOT_PG_STATE, default .artifacts/postgres.env)" >&2
        exit 2
        ;;
esac
