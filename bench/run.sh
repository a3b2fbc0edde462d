#!/usr/bin/env bash
# Runs the benchmarks against a demo database (created on first use): bash bench/run.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"
DB="${JINGPIN_BENCH_DB:-jingpin_bench}"
bootstrap
if ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    create_database "$DB" demo
fi
for bench in "$REPO_DIR"/bench/bench_*.py; do
    log "$(basename "$bench")"
    "$PY" "$bench" -c "$(write_config "$DB")" -d "$DB"
done
