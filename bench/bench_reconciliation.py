"""Benchmark: the daily reconciliation check over a year of accessory movements, against its plain SQL.

Run with `bash bench/run.sh` (it creates a benchmark database the first time). One dealership gets a
year of handed-over work orders, bulk-loaded with SQL by cloning rows of the demo: 10,000 accessory
moves a month (2,500 work orders of 4 accessories, each issued by a done delivery). The check
(``jingpin.reconciliation.issue._run_check``: flush, its four queries, the open issues, the new
issues) is timed against the same four queries sent to the cursor alone. Everything is rolled back.
"""

import statistics
import time

from benchlib import argument_parser, bench_env

from odoo.tools import SQL

MONTHS = 12
MOVES_PER_MONTH = 10_000
ITEMS_PER_ORDER = 4
REPEAT = 5


def clone(cr, table, template_id, count, overrides):
    """``count`` copies of row ``template_id`` of ``table``, with ``overrides`` (column: SQL on the
    copy number ``g``, from 0); returns the first new id (the ids are consecutive)."""
    cr.execute(
        SQL(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name != 'id'",
            table,
        )
    )
    columns = [name for (name,) in cr.fetchall()]
    values = [overrides.get(name, SQL.identifier("t", name)) for name in columns]
    cr.execute(
        SQL(
            "INSERT INTO %s (%s) SELECT %s FROM generate_series(0, %s) g, %s t WHERE t.id = %s RETURNING id",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(name) for name in columns),
            SQL(", ").join(values),
            count - 1,
            SQL.identifier(table),
            template_id,
        )
    )
    ids = [row[0] for row in cr.fetchall()]
    assert max(ids) - min(ids) + 1 == count, f"{table}: the new ids are not consecutive"
    return min(ids)


def load_year(env, company):
    """A year of handed-over work orders of ``company``, each with its done delivery; returns the
    number of moves."""
    cr = env.cr
    env.flush_all()
    task = env["project.task"].search([("company_id", "=", company.id), ("accessory_order_id", "!=", False)], limit=1)
    picking = env["stock.picking"].search([("company_id", "=", company.id)], limit=1)
    move = env["stock.move"].search([("company_id", "=", company.id)], limit=1)
    item = env["jingpin.work.item"].search([], limit=1)
    products = env["product.product"].search(
        [("is_accessory", "=", True), ("is_storable", "=", True), ("company_id", "in", [company.id, False])]
    )
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    customers = env.ref("stock.stock_location_customers")
    orders = MONTHS * MOVES_PER_MONTH // ITEMS_PER_ORDER
    moves = orders * ITEMS_PER_ORDER
    first_task = clone(
        cr,
        "project_task",
        task.id,
        orders,
        {"work_state": SQL("'handed_over'"), "company_id": SQL("%s", company.id), "active": SQL("TRUE")},
    )
    first_picking = clone(
        cr,
        "stock_picking",
        picking.id,
        orders,
        {
            "work_order_id": SQL("%s + g", first_task),
            "state": SQL("'done'"),
            "company_id": SQL("%s", company.id),
            "name": SQL("'BENCH/' || g"),
        },
    )
    # the g-th accessory of the year: its work order, product and day
    product = SQL("(%s::int[])[1 + g %% %s]", products.ids, len(products))
    day = SQL("now() - interval '365 days' + g * interval '1 second' * %s", 365 * 86400 // moves)
    clone(
        cr,
        "stock_move",
        move.id,
        moves,
        {
            "picking_id": SQL("%s + g / %s", first_picking, ITEMS_PER_ORDER),
            "product_id": product,
            "state": SQL("'done'"),
            "location_id": SQL("%s", warehouse.lot_stock_id.id),
            "location_dest_id": SQL("%s", customers.id),
            "location_final_id": SQL("NULL"),
            "company_id": SQL("%s", company.id),
            "sale_line_id": SQL("NULL"),
            "product_uom_qty": SQL("1"),
            "product_qty": SQL("1"),
            "quantity": SQL("1"),
            "date": day,
        },
    )
    clone(
        cr,
        "jingpin_work_item",
        item.id,
        moves,
        {
            "task_id": SQL("%s + g / %s", first_task, ITEMS_PER_ORDER),
            "product_id": product,
            "sale_line_id": SQL("NULL"),
            "quantity": SQL("1"),
        },
    )
    cr.execute("ANALYZE project_task, stock_picking, stock_move, jingpin_work_item")
    env.invalidate_all()
    return moves


def median_ms(func):
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main():
    args = argument_parser(__doc__).parse_args()
    with bench_env(args) as env:
        company = env.ref("base.main_company")
        moves = load_year(env, company)
        Issue = env["jingpin.reconciliation.issue"]
        Issue._run_check(company)  # the demo's own mismatches are opened once, not timed

        def plain_sql():
            for query in Issue._check_queries((company.id,)).values():
                env.cr.execute(query)
                env.cr.fetchall()

        check = median_ms(lambda: Issue._run_check(company))
        sql = median_ms(plain_sql)
        print(f"daily reconciliation check, {moves} accessory moves in a year: {check:8.1f} ms")
        print(f"the same four queries in plain SQL:                        {sql:8.1f} ms")
        print(f"ratio (target <= 1.5): {check / sql:.2f}")


if __name__ == "__main__":
    main()
