#!/usr/bin/env bash
# Runs the benchmarks against a demo database (created on first use): bash bench/run.sh
# bench_reports.py runs on its own database (JINGPIN_BENCH_BIG_DB), where it loads a year of ten
# dealerships the first time.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"
DB="${JINGPIN_BENCH_DB:-jingpin_bench}"
BIG_DB="${JINGPIN_BENCH_BIG_DB:-jingpin_bench_big}"
bootstrap
has_database() {
    psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1
}
has_database "$DB" || create_database "$DB" demo
has_database "$BIG_DB" || create_database "$BIG_DB"
for bench in "$REPO_DIR"/bench/bench_*.py; do
    log "$(basename "$bench")"
    db="$DB"
    [ "$(basename "$bench")" = bench_reports.py ] && db="$BIG_DB"
    "$PY" "$bench" -c "$(write_config "$db")" -d "$db"
done
