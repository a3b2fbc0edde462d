#!/usr/bin/env bash
# Runs every test on a freshly created test database:
#   1. the addon's own tests (jingpin_accessories/tests) with pytest-odoo, browser tours included;
#   2. each role's day as browser tours on the demo dealer group (jingpin_accessories_demo/tests);
#   3. the end-to-end tests (tests/) against a running Odoo server, as an outside client.
# Between 1 and 2 it checks that Odoo's own runner would load exactly the tests pytest collects.
# Exits non-zero on any failure, on any skipped test, or when no test ran.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DB="${JINGPIN_TEST_DB:-jingpin_test}"
E2E_DB="${DB}_demo"
E2E_PORT="${JINGPIN_E2E_PORT:-8169}"
REPORTS="$JINGPIN_HOME/test-reports/$DB"
bootstrap
CONF="$(write_config "$DB")"
mkdir -p "$REPORTS"
rm -f "$REPORTS"/*.xml

log "creating test database $DB (no demo data)"
create_database "$DB"

cd "$REPO_DIR"
status=0
log "lint (ruff, ruff format, pylint-odoo mandatory checks)"
bash "$REPO_DIR/scripts/lint.sh" || status=$?
log "addon tests (pytest-odoo)"
"$PY" -m pytest -p no:cacheprovider --odoo-config "$CONF" --odoo-database "$DB" --odoo-http \
    --junitxml "$REPORTS/addon.xml" jingpin_accessories/tests "$@" || status=$?
log "Odoo's own runner (odoo-bin --test-enable) loads every test pytest collects, in both addons"
"$PY" "$REPO_DIR/scripts/check_odoo_runner.py" "$CONF" jingpin_accessories jingpin_accessories_demo || status=$?

log "end-to-end tests against a running server on port $E2E_PORT, on the demo dealership $E2E_DB"
create_database "$E2E_DB" demo
log "each role's day in the browser, on the demo dealer group (jingpin_accessories_demo/tests)"
"$PY" -m pytest -p no:cacheprovider --odoo-config "$(write_config "$E2E_DB")" --odoo-database "$E2E_DB" \
    --odoo-http --junitxml "$REPORTS/days.xml" jingpin_accessories_demo/tests || status=$?
create_demo_api_keys "$E2E_DB" "$REPORTS/api-keys.json"
"$PY" "$ODOO_BIN" -c "$(write_config "$E2E_DB")" -d "$E2E_DB" --http-port "$E2E_PORT" --log-level=warn \
    >"$REPORTS/e2e-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$E2E_PORT/web/health" >/dev/null && break
    sleep 1
done
JINGPIN_URL="http://127.0.0.1:$E2E_PORT" JINGPIN_DB="$E2E_DB" JINGPIN_API_KEYS="$REPORTS/api-keys.json" \
    "$PY" -m pytest -p no:cacheprovider -p no:odoo --junitxml "$REPORTS/e2e.xml" tests || status=$?

"$PY" - "$REPORTS"/addon.xml "$REPORTS"/days.xml "$REPORTS"/e2e.xml <<'PYEOF' || status=$?
import sys
import xml.etree.ElementTree as ET
total = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        suites = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        print(f"missing test report {path}")
        sys.exit(1)
    for suite in suites.iter("testsuite"):
        total += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
print(f"{total - failed - skipped} passed, {failed} failed, {skipped} skipped")
if skipped:
    print("A skipped test is a failed test here (a browser test skips when Chromium or websocket-client is missing).")
sys.exit(1 if failed or skipped or not total else 0)
PYEOF
exit $status
