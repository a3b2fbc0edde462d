#!/usr/bin/env bash
# OCA-style lint (ruff, ruff format, pylint-odoo mandatory checks; see .pre-commit-config.yaml).
#   scripts/lint.sh         checks only, changes no file; exits non-zero on any finding
#   scripts/lint.sh --fix   pre-commit run --all-files: ruff --fix and ruff format rewrite the files,
#                           then every hook runs as on a commit; needs no git hook installed
# The tools (requirements-lint.txt) are installed into the project's virtualenv when missing.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

mode=check
case "${1:-}" in
    "") ;;
    --fix) mode=fix ;;
    *) echo "usage: $0 [--fix]" >&2; exit 2 ;;
esac

cd "$REPO_DIR"
[ -x "$PY" ] || python3 -m venv "$VENV"
if ! "$PY" - requirements-lint.txt <<'PYEOF'
import sys
from importlib.metadata import PackageNotFoundError, version
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    name, wanted = line.split("==")
    try:
        if version(name) != wanted:
            sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
PYEOF
then
    log "installing the lint tools (requirements-lint.txt) into $VENV"
    "$PY" -m pip install -q -r requirements-lint.txt
fi
export PATH="$VENV/bin:$PATH"

if [ "$mode" = fix ]; then
    exec pre-commit run --all-files --show-diff-on-failure
fi

status=0
log "ruff check"
ruff check --no-fix . || status=1
log "ruff format --check"
ruff format --check --diff . || status=1
log "pylint-odoo (mandatory checks)"
pylint_format=text
[ -t 1 ] && pylint_format=colorized
pylint --rcfile=.pylintrc-mandatory --output-format="$pylint_format" jingpin_accessories jingpin_accessories_demo || status=1
log "each addon's README.rst and Apps page from its readme/ fragments"
"$PY" scripts/gen_addon_readme.py --check || status=1
find . -path ./.git -prune -o \( -name '*.rej' -o -path '*/i18n/en.po' \) -print | grep . &&
    { log "forbidden files (*.rej, i18n/en.po) found"; status=1; }
[ $status = 0 ] && log "lint: no finding"
exit $status
