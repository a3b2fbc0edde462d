"""The catalogue as seen from outside: roles, prices, and a package sold and delivered from stock."""

import uuid

import pytest
from conftest import assert_refused


@pytest.fixture(scope="module")
def catalogue(admin):
    root = admin.ref("jingpin_accessories.product_category_accessories")
    categ = admin.create("product.category", {"name": f"E2E Mats {uuid.uuid4().hex[:6]}", "parent_id": root})
    accessories = admin.create(
        "product.template",
        [
            {
                "name": name,
                "is_accessory": True,
                "type": "consu",
                "is_storable": True,
                "categ_id": categ,
                "list_price": price,
                "standard_price": cost,
                "needs_install": True,
                "labour_minutes": 30,
                "jingpin_provenance": "equivalent",
                "jingpin_producer": "E2E 车饰有限公司",
            }
            for name, price, cost in (("E2E Mats", 600.0, 250.0), ("E2E Dashcam", 1400.0, 700.0))
        ],
    )
    variants = [
        row["product_variant_id"][0] for row in admin.read("product.template", accessories, ["product_variant_id"])
    ]
    combos = admin.create(
        "product.combo",
        [
            {"name": f"E2E Package {index}", "combo_item_ids": [(0, 0, {"product_id": variant})]}
            for index, variant in enumerate(variants)
        ],
    )
    package = admin.create(
        "product.template",
        {
            "name": "E2E Package",
            "is_accessory": True,
            "type": "combo",
            "categ_id": categ,
            "list_price": 1800.0,
            "combo_ids": [(6, 0, combos)],
        },
    )
    company = admin.read_one("res.users", admin.uid, ["company_id"])["company_id"][0]
    stock = admin.search_read("stock.warehouse", [("company_id", "=", company)], ["lot_stock_id"], limit=1)[0][
        "lot_stock_id"
    ][0]
    quants = admin.create(
        "stock.quant",
        [{"product_id": variant, "location_id": stock, "inventory_quantity": 5} for variant in variants],
        context={"inventory_mode": True},
    )
    admin.call("stock.quant", "action_apply_inventory", quants)
    return {"accessories": accessories, "variants": variants, "package": package, "categ": categ}


def test_technician_reads_the_catalogue_without_prices(make_user, catalogue):
    technician = make_user(["jingpin_accessories.group_jingpin_technician"])
    rows = technician.search_read(
        "product.template", [("id", "in", catalogue["accessories"])], ["name", "labour_minutes"]
    )
    assert {row["name"] for row in rows} == {"E2E Mats", "E2E Dashcam"}
    for field in ("list_price", "standard_price"):
        assert_refused(
            lambda field=field: technician.read("product.template", catalogue["accessories"], [field]), "AccessError"
        )
    assert_refused(
        lambda: technician.write("product.template", catalogue["accessories"], {"list_price": 1}), "AccessError"
    )


def test_specialist_sells_a_package_delivered_from_stock(make_user, admin, catalogue):
    specialist = make_user(["jingpin_accessories.group_jingpin_specialist"])
    customer = specialist.create("res.partner", {"name": "E2E Customer"})
    package_variant = admin.read_one("product.template", catalogue["package"], ["product_variant_id"])[
        "product_variant_id"
    ][0]
    order = specialist.create(
        "sale.order",
        {
            "partner_id": customer,
            "jingpin_channel": "after_sales",
            "order_line": [(0, 0, {"product_id": package_variant, "product_uom_qty": 1})],
        },
    )
    lines = specialist.search_read(
        "sale.order.line", [("order_id", "=", order)], ["product_id", "price_subtotal", "combo_item_id"]
    )
    components = [line for line in lines if line["combo_item_id"]]
    assert sorted(line["product_id"][0] for line in components) == sorted(catalogue["variants"])
    assert sum(line["price_subtotal"] for line in lines) == pytest.approx(1800.0)
    specialist.call("sale.order", "action_confirm", [order])
    picking = specialist.read_one("sale.order", order, ["picking_ids"])["picking_ids"]
    moves = specialist.search_read("stock.move", [("picking_id", "in", picking)], ["product_id", "product_uom_qty"])
    specialist.write("stock.move", [move["id"] for move in moves], {"quantity": 1, "picked": True})
    specialist.call("stock.picking", "button_validate", picking)
    done = admin.search_read("stock.move", [("picking_id", "in", picking)], ["state", "value", "product_id"])
    assert {move["state"] for move in done} == {"done"}
    assert sorted(move["value"] for move in done) == pytest.approx([250.0, 700.0])
