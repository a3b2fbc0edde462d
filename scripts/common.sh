#!/usr/bin/env bash
# Shared bootstrap for scripts/start.sh and scripts/test.sh.
# Creates what is missing, reuses what exists: the Odoo 19.0 source, a virtualenv,
# system packages (wkhtmltopdf, CJK fonts, chromium) and a reachable PostgreSQL.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JINGPIN_HOME="${JINGPIN_HOME:-$HOME/.cache/jingpin_accessories}"
ODOO_SRC="${ODOO_SRC:-$JINGPIN_HOME/odoo-19.0}"
VENV="${JINGPIN_VENV:-$JINGPIN_HOME/venv}"
ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"
PY="$VENV/bin/python"
ODOO_BIN="$ODOO_SRC/odoo-bin"
ADDONS_PATH="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$REPO_DIR"

log() { printf '\033[1;34m[jingpin]\033[0m %s\n' "$*" >&2; }

ensure_system_packages() {
    local missing=()
    command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
    command -v chromium >/dev/null || missing+=(chromium)
    command -v pdftoppm >/dev/null || missing+=(poppler-utils)
    command -v msgfmt >/dev/null || missing+=(gettext)
    fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || missing+=(fonts-noto-cjk)
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "installing system packages: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        log "WARNING: please install: ${missing[*]} (PDF rendering and browser tests need them)"
    fi
}

ensure_odoo_src() {
    if [ -f "$ODOO_BIN" ] && [ -d "$ODOO_SRC/odoo/addons/base" ]; then
        return 0
    fi
    log "no Odoo source at $ODOO_SRC: cloning Odoo 19.0 from $ODOO_GIT_URL"
    mkdir -p "$(dirname "$ODOO_SRC")"
    git clone --depth 1 --branch 19.0 "$ODOO_GIT_URL" "$ODOO_SRC"
}

ensure_venv() {
    local stamp="$VENV/.jingpin-requirements"
    local want
    want="$(cat "$ODOO_SRC/requirements.txt" "$REPO_DIR/requirements.txt" | sha1sum | cut -d' ' -f1)"
    if [ -x "$PY" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    log "preparing virtualenv $VENV"
    [ -x "$PY" ] || python3 -m venv "$VENV"
    local constraint
    constraint="$(mktemp)"
    echo "setuptools<81" >"$constraint"
    # python-ldap (auth_ldap only) needs OpenLDAP headers and is not used here.
    grep -v -i '^python-ldap' "$ODOO_SRC/requirements.txt" >"$VENV/odoo-requirements.txt"
    PIP_BUILD_CONSTRAINT="$constraint" PIP_CONSTRAINT="" "$PY" -m pip install -q --upgrade pip wheel "setuptools<81"
    PIP_BUILD_CONSTRAINT="$constraint" "$PY" -m pip install -q -r "$VENV/odoo-requirements.txt"
    PIP_BUILD_CONSTRAINT="$constraint" "$PY" -m pip install -q -r "$REPO_DIR/requirements.txt"
    # Make the Odoo source importable without copying it into the virtualenv.
    "$PY" - "$ODOO_SRC" <<'PYEOF'
import sys, sysconfig, pathlib
pathlib.Path(sysconfig.get_paths()["purelib"], "odoo-src.pth").write_text(sys.argv[1] + "\n")
PYEOF
    rm -f "$constraint"
    echo "$want" >"$stamp"
}

ensure_postgres() {
    export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-$(id -un)}"
    if pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
        return 0
    fi
    local pgdata="$JINGPIN_HOME/pgdata" pgbin
    pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
    log "no PostgreSQL at $PGHOST:$PGPORT: starting a private cluster in $pgdata"
    export PGHOST="$JINGPIN_HOME" PGPORT=5439
    if [ ! -f "$pgdata/PG_VERSION" ]; then
        "$pgbin/initdb" -D "$pgdata" -U "$PGUSER" -A trust >/dev/null
    fi
    pg_isready -q -h "$PGHOST" -p "$PGPORT" ||
        "$pgbin/pg_ctl" -D "$pgdata" -l "$JINGPIN_HOME/postgres.log" \
            -o "-p $PGPORT -k $JINGPIN_HOME -c listen_addresses=''" -w start >/dev/null
}

# Writes an Odoo config for database $1 and prints its path.
write_config() {
    local db="$1" conf="$JINGPIN_HOME/$1.conf"
    cat >"$conf" <<CONF
[options]
addons_path = $ADDONS_PATH
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
db_name = $db
dbfilter = ^$db\$
data_dir = $JINGPIN_HOME/filestore
admin_passwd = ${JINGPIN_MASTER_PASSWORD:-admin}
CONF
    echo "$conf"
}

# Creates database $1 with jingpin_accessories installed; "demo" as $2 installs the demo dealer group
# (the addon jingpin_accessories_demo, in Chinese, on Odoo's own demo data) and fails when it did not
# install.
create_database() {
    local db="$1" mode="${2:-}" conf
    conf="$(write_config "$db")"
    dropdb --if-exists --force "$db"
    if [ "$mode" = demo ]; then
        "$PY" "$ODOO_BIN" -c "$conf" -d "$db" -i base --with-demo --load-language zh_CN \
            --stop-after-init --log-level=warn
        # The addon and the modules it needs first, so that their Chinese terms (the names of the
        # documents their chatter says were created) are loaded before the demo's records are made.
        # The demo addon's records are its data: --with-demo only keeps Odoo's own demo data (sample
        # companies, products, contacts) under the dealer group, as a real ERP has records of its own.
        "$PY" "$ODOO_BIN" -c "$conf" -d "$db" -i jingpin_accessories --with-demo \
            --stop-after-init --log-level=warn
        "$PY" "$ODOO_BIN" -c "$conf" -d "$db" -i jingpin_accessories_demo --with-demo \
            --stop-after-init --log-level=warn
        if [ "$(psql -d "$db" -tAc "SELECT state FROM ir_module_module WHERE name = 'jingpin_accessories_demo'")" != installed ]; then
            log "ERROR: the demo dealer group (jingpin_accessories_demo) did not install (see the log above)"
            return 1
        fi
        "$PY" "$ODOO_BIN" shell -c "$conf" -d "$db" --log-level=warn >/dev/null <<'PYEOF'
env["res.users"].with_context(active_test=False).search([]).write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
env["res.company"].search([]).partner_id.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
env.ref("base.user_admin").write({"password": "admin"})
env.cr.commit()
PYEOF
    else
        "$PY" "$ODOO_BIN" -c "$conf" -d "$db" -i jingpin_accessories --stop-after-init --log-level=warn
    fi
}

# Writes one API key per demo login of database $1 to the JSON file $2 ({login: key}, readable by
# its owner only), for the end-to-end tests that call the JSON-2 API. The keys expire after a day.
create_demo_api_keys() {
    local db="$1" file="$2"
    JINGPIN_API_KEYS_FILE="$file" "$PY" "$ODOO_BIN" shell -c "$(write_config "$db")" -d "$db" \
        --log-level=warn >/dev/null <<'PYEOF'
import datetime
import json
import os

logins = ["admin", "jp_manager", "jp_specialist", "jp_technician", "jp_technician2", "jp_gm", "jp_consultant",
          "jp_frontdesk", "jp_manager_hd", "jp_specialist_hd", "jp_technician_hd", "jp_gm_hd", "jp_group"]
users = env["res.users"].search([("login", "in", logins)])
missing = set(logins) - set(users.mapped("login"))
if missing:
    raise SystemExit(f"demo users missing: {sorted(missing)}")
expiration = datetime.datetime.now() + datetime.timedelta(days=1)
# sudo(): only the key's owner may make it, and a key longer than his groups allow needs the superuser
keys = {
    user.login: env["res.users.apikeys"].with_user(user).sudo()._generate(None, "e2e", expiration)
    for user in users
}
env.cr.commit()
path = os.environ["JINGPIN_API_KEYS_FILE"]
with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as file:
    json.dump(keys, file)
PYEOF
    [ -s "$file" ] || { log "ERROR: no API keys written to $file"; return 1; }
}

bootstrap() {
    mkdir -p "$JINGPIN_HOME"
    ensure_system_packages
    ensure_odoo_src
    ensure_venv
    ensure_postgres
}
