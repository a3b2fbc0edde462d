#!/usr/bin/env bash
# Proves an upgrade in place: a database made by an earlier version of the addon (demo dealer group
# included) is upgraded with `-u jingpin_accessories` by this checkout, and keeps its documents, their
# states, the approvals, the stock and the signatures (every work order's seal chain still verifies).
#   bash scripts/prove_upgrade.sh [<earlier git ref>]      (default: JINGPIN_UPGRADE_FROM or 90baeba)
# The earlier version is checked out in a temporary git worktree; its own scripts build its database.
# Exits non-zero when the upgrade fails, or when anything counted before differs after.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

FROM="${1:-${JINGPIN_UPGRADE_FROM:-90baeba}}"
DB="${JINGPIN_UPGRADE_DB:-jingpin_upgrade}"
WORK="$(mktemp -d)"
bootstrap
git -C "$REPO_DIR" worktree add -q --detach "$WORK/old" "$FROM"
trap 'git -C "$REPO_DIR" worktree remove --force "$WORK/old"; rm -rf "$WORK"' EXIT

log "building $DB with the demo dealer group, as $FROM made it"
(cd "$WORK/old" && source scripts/common.sh && create_database "$DB" demo)

# What must survive, read with the ORM of each version.
snapshot() {
    JINGPIN_SNAPSHOT="$1" "$PY" "$ODOO_BIN" shell -c "$2" -d "$DB" --log-level=warn >/dev/null <<'PYEOF'
import json
import os

counts = {}
states = {
    "sale.order": ["state", "jingpin_approval_state"],
    "project.task": ["work_state"],
    "jingpin.approval": ["decision"],
    "jingpin.signature": ["role"],
    "jingpin.promotion": ["state"],
    "jingpin.sales.plan": ["state"],
    "jingpin.growth.plan": ["state"],
    "jingpin.complaint": ["state"],
    "jingpin.followup": ["state"],
    "jingpin.loan": ["state"],
    "jingpin.due.bill": ["state"],
    "jingpin.key.log": [],
    "jingpin.daily.report": ["state"],
    "stock.move": ["state"],
    "account.move": ["state"],
}
for model, fnames in states.items():
    Model = env[model].with_context(active_test=False).sudo()
    fnames = [fname for fname in fnames if fname in Model._fields]
    groups = Model._read_group([], fnames, ["__count"])
    counts[model] = sorted([[str(value) for value in group[:-1]] + [group[-1]] for group in groups])
quants = env["stock.quant"].sudo()._read_group(
    [("product_id.is_accessory", "=", True), ("location_id.usage", "=", "internal")],
    ["product_id"],
    ["quantity:sum"],
)
counts["accessory stock"] = sorted([product.default_code or str(product.id), qty] for product, qty in quants)
tasks = env["project.task"].sudo().search([("signature_ids", "!=", False)])
counts["sealed work orders"] = len(tasks)
counts["seals that verify"] = sum(task.signature_ids._verify_chain() for task in tasks)
# The history: every message, as it was (the upgrade may add messages, never change or drop one).
env.cr.execute("SELECT id, md5(concat_ws('|', model, res_id, author_id, date, body, message_type)) FROM mail_message")
counts["messages"] = dict(env.cr.fetchall())
with open(os.environ["JINGPIN_SNAPSHOT"], "w") as file:
    json.dump(counts, file, indent=1, ensure_ascii=False, default=str)
PYEOF
}

OLD_CONF="$(cd "$WORK/old" && source scripts/common.sh && write_config "$DB")"
snapshot "$WORK/before.json" "$OLD_CONF"
log "upgrading $DB with this checkout"
CONF="$(write_config "$DB")"
"$PY" "$ODOO_BIN" -c "$CONF" -d "$DB" -u jingpin_accessories --stop-after-init --log-level=warn 2>&1 |
    tee "$WORK/upgrade.log"
snapshot "$WORK/after.json" "$CONF"
status=0
if grep -E " (ERROR|CRITICAL) " "$WORK/upgrade.log"; then
    log "ERROR: the upgrade logged errors (above)"
    status=1
fi
"$PY" - "$WORK/before.json" "$WORK/after.json" <<'PYEOF' || status=1
import json
import sys
before, after = (json.load(open(path)) for path in sys.argv[1:])
failed = False
for key, value in before.items():
    if key == "messages":
        changed = [mid for mid, digest in value.items() if after["messages"].get(mid) != digest]
        if changed:
            print(f"ERROR: {len(changed)} messages changed or lost, e.g. {changed[:5]}")
            failed = True
    elif after.get(key) != value:
        print(f"ERROR: {key} changed\n  before: {value}\n  after:  {after.get(key)}")
        failed = True
print(f"{len(before['messages'])} messages kept as they were ({len(after['messages']) - len(before['messages'])} added)")
print(f"{after['seals that verify']} of {after['sealed work orders']} sealed work orders verify after the upgrade")
sys.exit(failed or after["seals that verify"] != after["sealed work orders"] or not after["sealed work orders"])
PYEOF
[ "$status" = 0 ] && log "the upgrade from $FROM kept every document, state, approval, seal and stock quantity"
exit $status
