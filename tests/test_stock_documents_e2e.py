"""Stock that leaves without a document (issue 19), through every door: as each demo role calling the
JSON-2 API, each test tries to move an accessory out of the stock, or change its quantity, without the
document that authorizes it, and proves that the server refuses it and that the stock read back as
the administrator is unchanged (what is on hand is what the documents account for).

The car perfume is the accessory attacked: plenty in stock and installed on no car.
"""

import pytest
from conftest import assert_refused, refused_and_unchanged, variant_of

QUANT_FIELDS = ["quantity", "reserved_quantity", "inventory_quantity"]


@pytest.fixture(scope="module")
def perfume(admin):
    return variant_of(admin, "product_car_perfume_demo")


@pytest.fixture(scope="module")
def warehouse(admin):
    [warehouse] = admin.search_read(
        "stock.warehouse",
        [("company_id", "=", admin.ref("base.main_company"))],
        ["lot_stock_id", "out_type_id", "int_type_id", "in_type_id"],
        limit=1,
    )
    return {name: value[0] for name, value in warehouse.items() if isinstance(value, list)}


@pytest.fixture(scope="module")
def quant(admin, perfume, warehouse):
    [quant] = admin.search(
        "stock.quant", [("product_id", "=", perfume), ("location_id", "=", warehouse["lot_stock_id"])], limit=1
    )
    return quant


def on_hand(admin, perfume):
    return admin.read_one("product.product", perfume, ["qty_available"])["qty_available"]


def transfer(client, admin, perfume, warehouse, destination, picking_type="out_type_id", source=None):
    """A transfer of 1 perfume ready to validate, made by ``client``; returns its id."""
    source = source or warehouse["lot_stock_id"]
    picking = client.create(
        "stock.picking",
        {
            "picking_type_id": warehouse[picking_type],
            "location_id": source,
            "location_dest_id": destination,
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "product_id": perfume,
                        "product_uom_qty": 1,
                        "location_id": source,
                        "location_dest_id": destination,
                    },
                )
            ],
        },
    )
    client.call("stock.picking", "action_confirm", [picking])
    moves = admin.read_one("stock.picking", picking, ["move_ids"])["move_ids"]
    client.write("stock.move", moves, {"quantity": 1, "picked": True})
    return picking


def validate_refused(admin, client, picking, perfume, quant):
    before = on_hand(admin, perfume)
    refused_and_unchanged(
        admin,
        lambda: client.call("stock.picking", "button_validate", [picking], context={"skip_backorder": True}),
        "stock.quant",
        [quant],
        ["quantity"],
        "UserError",
        "AccessError",
    )
    assert on_hand(admin, perfume) == before
    assert admin.read_one("stock.picking", picking, ["state"])["state"] != "done"
    admin.call("stock.picking", "action_cancel", [picking])


def test_specialist_delivers_nothing_without_a_document(admin, specialist, perfume, warehouse, quant):
    customers = admin.ref("stock.stock_location_customers")
    picking = transfer(specialist, admin, perfume, warehouse, customers)
    validate_refused(admin, specialist, picking, perfume, quant)


def test_manager_scraps_nothing_through_a_transfer(admin, manager, perfume, warehouse, quant):
    losses = admin.search(
        "stock.location", [("usage", "=", "inventory"), ("company_id", "=", admin.ref("base.main_company"))]
    )
    assert losses
    for loss in losses:
        picking = transfer(manager, admin, perfume, warehouse, loss, picking_type="int_type_id")
        validate_refused(admin, manager, picking, perfume, quant)
    # nor finds stock in the inventory loss without counting it
    found = transfer(
        manager, admin, perfume, warehouse, warehouse["lot_stock_id"], picking_type="in_type_id", source=losses[0]
    )
    validate_refused(admin, manager, found, perfume, quant)


@pytest.mark.parametrize("login", ["jp_specialist", "jp_manager", "jp_technician", "jp_group"])
def test_no_role_writes_a_quantity_on_hand(admin, as_role, login, perfume, warehouse, quant):
    client = as_role(login)
    before = on_hand(admin, perfume)
    for context in (None, {"inventory_mode": True}):
        refused_and_unchanged(
            admin,
            lambda context=context: client.write("stock.quant", [quant], {"quantity": 999}, context=context),
            "stock.quant",
            [quant],
            QUANT_FIELDS,
        )
        assert_refused(
            lambda context=context: client.create(
                "stock.quant",
                {"product_id": perfume, "location_id": warehouse["lot_stock_id"], "quantity": 999},
                context=context,
            ),
            "AccessError",
            "UserError",
        )
    assert on_hand(admin, perfume) == before


def test_specialist_applies_no_count(admin, specialist, perfume, warehouse, quant):
    before = on_hand(admin, perfume)
    assert_refused(
        lambda: specialist.create(
            "stock.quant",
            {"product_id": perfume, "location_id": warehouse["lot_stock_id"], "inventory_quantity_auto_apply": 999},
            context={"inventory_mode": True},
        ),
        "AccessError",
    )
    specialist.write("stock.quant", [quant], {"inventory_quantity": 999}, context={"inventory_mode": True})
    refused_and_unchanged(
        admin,
        lambda: specialist.call("stock.quant", "action_apply_inventory", [quant]),
        "stock.quant",
        [quant],
        ["quantity"],
        "AccessError",
    )
    admin.call("stock.quant", "action_clear_inventory_quantity", [quant])
    assert on_hand(admin, perfume) == before


@pytest.mark.parametrize("login", ["jp_specialist", "jp_manager"])
def test_done_move_lines_are_not_edited(admin, as_role, login):
    client = as_role(login)
    [line] = admin.search(
        "stock.move.line",
        [
            ("state", "=", "done"),
            ("product_id.is_accessory", "=", True),
            ("location_dest_id.usage", "=", "customer"),
            ("company_id", "=", admin.ref("base.main_company")),
        ],
        limit=1,
    )
    fields = ["quantity", "location_id", "location_dest_id"]
    stock = admin.read_one("stock.move.line", line, ["location_id"])["location_id"][0]
    for vals in ({"quantity": 0}, {"quantity": 50}, {"location_dest_id": stock}):
        refused_and_unchanged(
            admin,
            lambda vals=vals: client.write("stock.move.line", [line], vals),
            "stock.move.line",
            [line],
            fields,
            "UserError",
            "AccessError",
        )


def test_loan_return_lines_repeated_in_one_call(admin, specialist, perfume):
    loan = specialist.create(
        "jingpin.loan",
        {
            "borrower_kind": "department",
            "borrower": "E2E 市场部",
            "purpose": "车展",
            "date_due": "2099-12-31",
            "line_ids": [(0, 0, {"product_id": perfume, "quantity": 1})],
        },
    )
    specialist.call("jingpin.loan", "action_lend", [loan])
    [line] = admin.read_one("jingpin.loan", loan, ["line_ids"])["line_ids"]
    before = on_hand(admin, perfume)
    for returns in ([[line, 1], [line, 1]], [[line, 2], [line, -1]]):
        refused_and_unchanged(
            admin,
            lambda returns=returns: specialist.call("jingpin.loan", "action_return_items", [loan], returns=returns),
            "jingpin.loan.line",
            [line],
            ["quantity_returned"],
            "UserError",
        )
    assert on_hand(admin, perfume) == before
    specialist.call("jingpin.loan", "action_return", [loan])
    assert admin.read_one("jingpin.loan", loan, ["state"])["state"] == "returned"


def test_specialist_adds_no_work_item_beyond_what_was_sold(admin, specialist):
    [task] = admin.search(
        "project.task",
        [
            ("is_work_order", "=", True),
            ("work_state", "=", "dispatched"),
            ("rework_of_id", "=", False),
            ("company_id", "=", admin.ref("base.main_company")),
        ],
        limit=1,
    )
    items = admin.read_one("project.task", task, ["work_item_ids"])["work_item_ids"]
    [item] = admin.read("jingpin.work.item", items[:1], ["product_id", "quantity"])
    refused_and_unchanged(
        admin,
        lambda: specialist.write("jingpin.work.item", [item["id"]], {"quantity": item["quantity"] + 5}),
        "jingpin.work.item",
        items,
        ["quantity", "product_id"],
        "ValidationError",
        "UserError",
    )
    assert_refused(
        lambda: specialist.create(
            "jingpin.work.item", {"task_id": task, "product_id": item["product_id"][0], "quantity": 5}
        ),
        "ValidationError",
        "UserError",
    )
    assert admin.read_one("project.task", task, ["work_item_ids"])["work_item_ids"] == items
