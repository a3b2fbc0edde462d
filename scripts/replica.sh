#!/usr/bin/env bash
# A dealer group's set-up on one machine: a PostgreSQL 15 primary, a streaming replica of it, and an
# Odoo with workers that sends its read-only requests (the dashboards, the figure analysis, the
# exports) to the replica and everything else, the cron worker included, to the primary.
#
#   bash scripts/replica.sh start [SOURCE_DB]   the two clusters, the database, Odoo (in the background)
#   bash scripts/replica.sh check               reads the group dashboard while orders are written, and
#                                               checks in the two servers' logs where each went
#   bash scripts/replica.sh stop                stops Odoo and the two clusters
#
# The clusters listen on 127.0.0.1, ports JINGPIN_PRIMARY_PORT (5441) and JINGPIN_REPLICA_PORT (5442),
# with their data under ~/.cache/jingpin_accessories/replica/ (PostgreSQL refuses to run as root: run
# by root, the clusters belong to the user postgres, under its home). The database (JINGPIN_REPLICA_DB,
# jp_replica) is a copy of SOURCE_DB from the usual server (a database with the demo dealer group; by
# default jingpin_demo, which scripts/start.sh makes), with its filestore. The replica is made by
# pg_basebackup -R (streaming replication, hot standby). Odoo listens on JINGPIN_HTTP_PORT (8276).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [ "$(id -u)" = 0 ]; then
    BASE="${JINGPIN_REPLICA_HOME:-$(getent passwd postgres | cut -d: -f6)/.cache/jingpin_accessories/replica}"
    as_owner() { runuser -u postgres -- "$@"; }
else
    BASE="${JINGPIN_REPLICA_HOME:-$JINGPIN_HOME/replica}"
    as_owner() { "$@"; }
fi
PGBIN="${JINGPIN_PGBIN:-/usr/lib/postgresql/15/bin}"
PRIMARY_PORT="${JINGPIN_PRIMARY_PORT:-5441}"
REPLICA_PORT="${JINGPIN_REPLICA_PORT:-5442}"
HTTP_PORT="${JINGPIN_HTTP_PORT:-8276}"
DB="${JINGPIN_REPLICA_DB:-jp_replica}"
CONF="$BASE/odoo.conf"

cluster_start() { # data dir, port
    as_owner "$PGBIN/pg_ctl" -D "$1" -l "$1.log" -w start \
        -o "-p $2 -k $BASE -c listen_addresses=127.0.0.1 -c log_statement=all -c log_line_prefix='%m [%p] %d '" \
        >/dev/null
}

start() {
    local source="${1:-jingpin_demo}"
    [ -x "$PGBIN/pg_basebackup" ] || { log "ERROR: no PostgreSQL 15 binaries in $PGBIN"; exit 1; }
    ensure_postgres
    stop_all
    rm -rf "$BASE" && mkdir -p "$BASE"
    [ "$(id -u)" = 0 ] && chown postgres: "$BASE"
    log "primary cluster on port $PRIMARY_PORT"
    as_owner "$PGBIN/initdb" -D "$BASE/primary" -U "$PGUSER" -A trust >/dev/null
    cluster_start "$BASE/primary" "$PRIMARY_PORT"
    log "copying $source into $DB on the primary"
    "$PGBIN/createdb" -h 127.0.0.1 -p "$PRIMARY_PORT" -U "$PGUSER" "$DB"
    pg_dump -Fc -d "$source" | "$PGBIN/pg_restore" -h 127.0.0.1 -p "$PRIMARY_PORT" -U "$PGUSER" -d "$DB" --no-owner
    rm -rf "$JINGPIN_HOME/filestore/filestore/$DB"
    if [ -d "$JINGPIN_HOME/filestore/filestore/$source" ]; then
        cp -r "$JINGPIN_HOME/filestore/filestore/$source" "$JINGPIN_HOME/filestore/filestore/$DB"
    fi
    log "streaming replica on port $REPLICA_PORT (pg_basebackup -R)"
    as_owner "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U "$PGUSER" -D "$BASE/replica" -R -X stream -c fast
    cluster_start "$BASE/replica" "$REPLICA_PORT"
    cat >"$CONF" <<CONF
[options]
addons_path = $ADDONS_PATH
db_host = 127.0.0.1
db_port = $PRIMARY_PORT
db_replica_host = 127.0.0.1
db_replica_port = $REPLICA_PORT
db_user = $PGUSER
db_name = $DB
dbfilter = ^$DB\$
data_dir = $JINGPIN_HOME/filestore
admin_passwd = ${JINGPIN_MASTER_PASSWORD:-admin}
workers = 2
max_cron_threads = 1
http_port = $HTTP_PORT
http_interface = 127.0.0.1
gevent_port = $((HTTP_PORT + 1000))
proxy_mode = True
CONF
    log "Odoo on port $HTTP_PORT: 2 workers and the cron worker, read-only requests on the replica"
    # the command line wins over PGHOST/PGPORT (which Odoo reads before its configuration file)
    "$PY" "$ODOO_BIN" -c "$CONF" --db_host 127.0.0.1 --db_port "$PRIMARY_PORT" \
        --db_replica_host 127.0.0.1 --db_replica_port "$REPLICA_PORT" --log-level=warn --logfile "$BASE/odoo.log" --pidfile "$BASE/odoo.pid" &
    for _ in $(seq 60); do
        curl -sf "http://127.0.0.1:$HTTP_PORT/web/health" >/dev/null && break
        sleep 2
    done
    curl -sf "http://127.0.0.1:$HTTP_PORT/web/health" >/dev/null || { log "ERROR: Odoo did not start (see $BASE/odoo.log)"; exit 1; }
    log "ready: http://127.0.0.1:$HTTP_PORT (database $DB)"
}

stop_all() {
    if [ -f "$BASE/odoo.pid" ]; then
        kill "$(cat "$BASE/odoo.pid")" 2>/dev/null || true
        rm -f "$BASE/odoo.pid"
    fi
    for cluster in replica primary; do
        [ -f "$BASE/$cluster/postmaster.pid" ] && as_owner "$PGBIN/pg_ctl" -D "$BASE/$cluster" -m fast -w stop >/dev/null || true
    done
}

case "${1:-}" in
start) start "${2:-}" ;;
check)
    "$PY" "$REPO_DIR/scripts/replica_check.py" --url "http://127.0.0.1:$HTTP_PORT" --db "$DB" \
        --primary-log "$BASE/primary.log" --replica-log "$BASE/replica.log" \
        --replica "host=127.0.0.1 port=$REPLICA_PORT dbname=$DB user=$PGUSER"
    ;;
stop) stop_all ;;
*)
    echo "usage: $0 start [SOURCE_DB] | check | stop" >&2
    exit 2
    ;;
esac
