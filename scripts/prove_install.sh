#!/usr/bin/env bash
# Proves that jingpin_accessories installs, upgrades (-u) and uninstalls cleanly on an existing ERP's
# data: a database where Odoo's own sale_management, stock, project, purchase, hr_timesheet and fleet
# were installed first, with their demo orders, tasks, purchases and stock. After each step the
# records that were there before (orders, tasks, purchases, quants, moves) must be exactly as they
# were, and no ERROR or CRITICAL line may be logged. Usage: bash scripts/prove_install.sh [database]
# (default jingpin_prove_install, dropped and made again).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_postgres

DB="${1:-jingpin_prove_install}"
CONF="$(write_config "$DB")"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

odoo() {
    local step="$1"
    shift
    log "$step"
    "$PY" "$ODOO_BIN" -c "$CONF" -d "$DB" --stop-after-init --log-level=warn "$@" 2>&1 | tee "$WORK/$step.log" >&2
    if grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$WORK/$step.log" >&2; then
        log "FAILED: errors were logged while: $step"
        exit 1
    fi
}

# What was there before the addon: each pre-existing record's own values, in a stable order.
snapshot() {
    psql -d "$DB" -XAtq <<'SQL'
SELECT 'sale', id, name, state, amount_total, partner_id, user_id FROM sale_order ORDER BY id;
SELECT 'sale line', id, order_id, product_id, product_uom_qty, price_unit, discount, qty_delivered
  FROM sale_order_line ORDER BY id;
SELECT 'task', id, name, project_id, stage_id, state, active, allocated_hours, parent_id FROM project_task ORDER BY id;
SELECT 'project', id, active, company_id, allow_timesheets FROM project_project ORDER BY id;
SELECT 'purchase', id, name, state, amount_total FROM purchase_order ORDER BY id;
SELECT 'quant', id, product_id, location_id, quantity, reserved_quantity FROM stock_quant ORDER BY id;
SELECT 'move', id, product_id, state, product_uom_qty, quantity, location_id, location_dest_id FROM stock_move ORDER BY id;
SELECT 'picking', id, name, state FROM stock_picking ORDER BY id;
SELECT 'timesheet', id, task_id, unit_amount FROM account_analytic_line ORDER BY id;
SELECT 'vehicle', id, license_plate, driver_id, active FROM fleet_vehicle ORDER BY id;
SQL
}

check_untouched() {
    snapshot >"$WORK/after.txt"
    # every line of before must still be there, unchanged (the addon may add records of its own)
    if grep -Fxvf "$WORK/after.txt" "$WORK/before.txt" >"$WORK/changed.txt"; then
        log "FAILED: $1 changed records that were there before (their values before):"
        head -20 "$WORK/changed.txt" >&2
        exit 1
    fi
    log "ok: $1 left the existing orders, tasks, purchases and stock as they were"
}

dropdb --if-exists --force "$DB"
odoo "an existing ERP (Odoo's demo data)" \
    -i sale_management,stock,project,purchase,hr_timesheet,fleet --with-demo
# a production database has no demo flag: the addon installs as it would there, without its own demo
psql -d "$DB" -XAtqc "UPDATE ir_module_module SET demo = FALSE"
snapshot >"$WORK/before.txt"
[ -s "$WORK/before.txt" ] || { log "FAILED: the existing ERP has no data"; exit 1; }

odoo "install jingpin_accessories" -i jingpin_accessories
check_untouched "installing"
odoo "upgrade jingpin_accessories" -u jingpin_accessories
check_untouched "upgrading"

log "uninstall jingpin_accessories"
"$PY" "$ODOO_BIN" shell -c "$CONF" -d "$DB" --log-level=warn >"$WORK/uninstall.out" 2>"$WORK/uninstall.log" <<'PYEOF'
env["ir.module.module"].search([("name", "=", "jingpin_accessories")]).button_immediate_uninstall()
env.cr.commit()
PYEOF
cat "$WORK/uninstall.log" >&2
if grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) |Traceback" "$WORK/uninstall.log" >&2; then
    log "FAILED: errors were logged while uninstalling"
    exit 1
fi
state="$(psql -d "$DB" -XAtqc "SELECT state FROM ir_module_module WHERE name = 'jingpin_accessories'")"
left="$(psql -d "$DB" -XAtqc "SELECT count(*) FROM ir_model WHERE model LIKE 'jingpin.%'")"
if [ "$state" != uninstalled ] || [ "$left" != 0 ]; then
    log "FAILED: after uninstalling, the module is '$state' and $left of its models are left"
    exit 1
fi
check_untouched "uninstalling"
odoo "Odoo starts on the database after the uninstall"
log "PASSED: jingpin_accessories installs, upgrades and uninstalls on an existing ERP's data"
