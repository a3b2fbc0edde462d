#!/usr/bin/env bash
# Starts Odoo 19.0 at http://localhost:${JINGPIN_HTTP_PORT:-8069} with jingpin_accessories and its demo
# dealer group (jingpin_accessories_demo) installed on a demo database. Creates whatever is missing;
# fast on a second run.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DB="${JINGPIN_DB:-jingpin_demo}"
HTTP_PORT="${JINGPIN_HTTP_PORT:-8069}"
bootstrap
CONF="$(write_config "$DB")"

if ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    log "creating demo database $DB (Chinese, with the demo dealer group jingpin_accessories_demo; a few minutes)"
    create_database "$DB" demo
else
    # the demo addon's records are noupdate data: updating it neither rewrites nor replays them
    log "updating jingpin_accessories and jingpin_accessories_demo in $DB"
    "$PY" "$ODOO_BIN" -c "$CONF" -d "$DB" -u jingpin_accessories,jingpin_accessories_demo --stop-after-init \
        --log-level=warn
fi

cat >&2 <<MSG

  精品部 / Accessories department is starting at http://localhost:$HTTP_PORT
  Log in as admin / admin, or as a member of staff (password "demo"):
    jp_manager 精品经理 · jp_specialist 精品专员 · jp_technician 精品美容技师 · jp_gm 总经理
    jp_consultant 销售顾问 · jp_frontdesk 售后前台 · jp_group 集团 (both dealerships)
    jp_manager_hd / jp_specialist_hd / jp_technician_hd at the second dealership

MSG
exec "$PY" "$ODOO_BIN" -c "$CONF" -d "$DB" --http-port "$HTTP_PORT" "$@"
