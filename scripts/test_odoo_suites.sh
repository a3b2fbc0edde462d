#!/usr/bin/env bash
# Runs Odoo's own test suites of stock_account, sale_stock and sale_project on a fresh database (no demo
# data) with jingpin_accessories installed. pytest-odoo loads the full registry, so the at_install and
# post_install tests of these modules all run with the addon's overrides in place: they prove that the
# addon does not break the standard flows it builds on (valuation, deliveries from sale orders,
# projects and tasks from sale orders).
# Extra arguments go to pytest (e.g. -x, -k, a single test file of these suites).
# Exits non-zero on any failure or when no test ran.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DB="${JINGPIN_SUITES_DB:-jingpin_suites}"
bootstrap
CONF="$(write_config "$DB")"

log "creating test database $DB (no demo data)"
create_database "$DB"

cd "$ODOO_SRC"
log "Odoo's stock_account, sale_stock and sale_project tests (pytest-odoo) on $DB"
# --rootdir: node ids read addons/<module>/tests/..., wherever the Odoo source is.
"$PY" -m pytest -p no:cacheprovider --rootdir "$ODOO_SRC" --odoo-config "$CONF" --odoo-database "$DB" \
    --odoo-http addons/stock_account/tests addons/sale_stock/tests addons/sale_project/tests "$@"
