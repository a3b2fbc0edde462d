"""Time accessory order entry with gifts and concessions, confirmation, and the margin report.

    PYTHONPATH=path/to/odoo python bench/bench_sales.py -c odoo.conf -d DB [--orders 200] [--lines 8]

Runs against a database where jingpin_accessories is installed; everything it creates is
rolled back at the end.
"""

import time

from benchlib import argument_parser, bench_env

from odoo.fields import Command


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--lines", type=int, default=8)
    args = parser.parse_args()
    with bench_env(args, {"tracking_disable": True, "mail_notrack": True}) as env:
        root = env.ref("jingpin_accessories.product_category_accessories")
        accessories = env["product.template"].create(
            [
                {
                    "name": f"Bench accessory {i}",
                    "is_accessory": True,
                    "type": "consu",
                    "categ_id": root.id,
                    "list_price": 200 + 10 * i,
                    "standard_price": 100 + 5 * i,
                }
                for i in range(args.lines)
            ]
        )
        customer, referrer = env["res.partner"].create([{"name": "Bench customer"}, {"name": "Bench referrer"}])
        tic = time.perf_counter()
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": customer.id,
                    "jingpin_channel": "referral",
                    "rebate_partner_id": referrer.id,
                    "rebate_amount": 100.0,
                    "order_line": [
                        Command.create(
                            {"product_id": a.product_variant_id.id, "is_gift": i == 0, "discount": 5.0 * (i % 2)}
                        )
                        for i, a in enumerate(accessories)
                    ],
                }
                for _ in range(args.orders)
            ]
        )
        env.flush_all()
        print(
            f"enter {args.orders} orders x {args.lines} lines (gifts, discounts, rebates): "
            f"{(time.perf_counter() - tic) * 1000:.0f} ms"
        )
        tic = time.perf_counter()
        orders.action_confirm()
        env.flush_all()
        print(f"confirm them (approval requests included): {(time.perf_counter() - tic) * 1000:.0f} ms")
        Report = env["jingpin.sale.margin.report"]
        for label, groupby in (
            ("by channel and month", ["channel", "date:month"]),
            ("by gift giver and product", ["gift_given_by_id", "product_id"]),
        ):
            tic = time.perf_counter()
            rows = Report._read_group([], groupby, ["revenue:sum", "cost:sum", "gift_cost:sum", "margin:sum"])
            print(f"margin report {label}: {len(rows)} rows in {(time.perf_counter() - tic) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
