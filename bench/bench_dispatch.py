"""Benchmark: dispatching work orders for confirmed accessory orders, and printing the price sheet.

Run with `bash bench/run.sh` (it creates a benchmark database the first time). Everything the
benchmark creates is rolled back at the end.
"""

import statistics
import time

from benchlib import argument_parser, bench_env

from odoo import Command

ORDERS = 50
LINES_PER_ORDER = 12


def timed(label, func, repeat=5):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    print(f"{label:<55} median {statistics.median(samples) * 1000:8.1f} ms  (n={repeat})")


def main():
    args = argument_parser(__doc__).parse_args()
    with bench_env(args) as env:
        root = env.ref("jingpin_accessories.product_category_accessories")
        accessories = env["product.template"].create(
            [
                {
                    "name": f"Bench accessory {i}",
                    "is_accessory": True,
                    "type": "consu",
                    "is_storable": True,
                    "categ_id": root.id,
                    "list_price": 100 + i,
                    "needs_install": True,
                    "labour_minutes": 10 + i,
                }
                for i in range(LINES_PER_ORDER)
            ]
        )
        model = env["fleet.vehicle.model"].search([], limit=1)
        customer = env["res.partner"].create({"name": "Bench customer"})
        vehicles = env["jingpin.vehicle"].create(
            [{"vin": f"LBENCH{i:011d}", "model_id": model.id, "partner_id": customer.id} for i in range(ORDERS)]
        )

        def make_orders():
            return env["sale.order"].create(
                [
                    {
                        "partner_id": customer.id,
                        "vehicle_id": vehicle.id,
                        "jingpin_channel": "after_sales",
                        "order_line": [Command.create({"product_id": a.product_variant_id.id}) for a in accessories],
                    }
                    for vehicle in vehicles
                ]
            )

        def dispatch():
            orders = make_orders()
            env.flush_all()
            start = time.perf_counter()
            orders._create_work_orders()
            env.flush_all()
            return time.perf_counter() - start

        samples = [dispatch() for _ in range(3)]
        print(
            f"{f'dispatch {ORDERS} orders x {LINES_PER_ORDER} lines':<55} median "
            f"{statistics.median(samples) * 1000:8.1f} ms  (n=3)"
        )
        sheet = env.ref("jingpin_accessories.action_report_price_sheet")
        templates = env["product.template"].search(env["product.template"]._price_sheet_domain())
        timed(
            f"price sheet HTML for {len(templates)} accessories",
            lambda: sheet._render_qweb_html(sheet.report_name, templates.ids),
        )


if __name__ == "__main__":
    main()
