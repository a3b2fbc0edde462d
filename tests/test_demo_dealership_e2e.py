"""The demo dealership as its staff meet it: logged in with the accounts shown in README.md."""

from datetime import date

import pytest
from conftest import assert_refused


@pytest.fixture(scope="module")
def technician(as_role):
    return as_role("jp_technician")


def test_specialist_finds_accessories_by_category_and_vehicle_model(specialist):
    mats = specialist.search_read(
        "product.template", [("is_accessory", "=", True), ("categ_id.name", "=", "脚垫")], ["name", "list_price"]
    )
    assert len(mats) == 4
    camry = specialist.search_read(
        "product.template", [("is_accessory", "=", True), ("vehicle_model_ids.name", "=", "凯美瑞")], ["name"]
    )
    assert "凯美瑞专用TPE全包围脚垫" in {row["name"] for row in camry}
    packages = specialist.search_read("product.template", [("is_accessory_package", "=", True)], ["name", "combo_ids"])
    assert {"新车基础套餐", "安全守护套餐", "舒适内饰套餐"} <= {row["name"] for row in packages}
    action = specialist.call("product.template", "action_print_price_sheet")
    assert action["report_name"] == "jingpin_accessories.report_price_sheet"


def test_technician_sees_no_costs_and_changes_no_prices(technician):
    accessory = technician.search_read(
        "product.template", [("is_accessory", "=", True)], ["name", "labour_minutes"], limit=1
    )[0]
    assert_refused(lambda: technician.read("product.template", [accessory["id"]], ["standard_price"]), "AccessError")
    assert_refused(lambda: technician.write("product.template", [accessory["id"]], {"list_price": 1}))


def test_demo_work_orders_are_dispatched(specialist, technician):
    demo_customers = ["王先生", "刘女士"]
    work_orders = specialist.search_read(
        "project.task",
        [("is_work_order", "=", True), ("partner_id.name", "in", demo_customers)],
        ["name", "technician_id", "work_state", "planned_minutes"],
    )
    assert len(work_orders) == 2
    assert all(row["work_state"] == "dispatched" and row["planned_minutes"] > 0 for row in work_orders)
    # His queue holds 王先生's work order among his own history, and nobody else's work.
    mine = technician.search_read("project.task", [("is_work_order", "=", True)], ["name", "technician_id"])
    assert any("京A·8K261" in row["name"] for row in mine)
    assert {row["technician_id"][0] for row in mine} == {technician.uid}


def test_dealer_group_reads_both_dealerships_orders_and_changes_nothing(as_role):
    group = as_role("jp_group")
    companies = group.search_read("res.company", [], ["name"])
    allowed = {"allowed_company_ids": [row["id"] for row in companies]}
    orders = group.call(
        "sale.order",
        "search_read",
        domain=[],
        fields=["name", "company_id", "jingpin_channel", "amount_total"],
        context=allowed,
    )
    assert {row["company_id"][1] for row in orders} == {"华远丰田朝阳4S店", "华远丰田海淀4S店"}
    assert all(row["jingpin_channel"] for row in orders), "accessory orders only, no car sales"
    work_orders = group.call(
        "project.task",
        "search_read",
        domain=[("is_work_order", "=", True)],
        fields=["name", "timesheet_ids", "stage_id"],
        context=allowed,
    )
    assert work_orders and any(row["timesheet_ids"] for row in work_orders)
    order = orders[0]
    assert_refused(lambda: group.write("sale.order", [order["id"]], {"note": "seen"}), "AccessError")
    assert_refused(lambda: group.create("sale.order", {"partner_id": 1, "jingpin_channel": "walk_in"}), "AccessError")
    assert group.read("sale.order", [order["id"]], ["amount_total"])[0]["amount_total"] == order["amount_total"]


def test_dealer_group_books_are_in_yuan_on_the_chinese_chart(as_role):
    group = as_role("jp_group")
    companies = group.search_read("res.company", [], ["name", "currency_id"])
    dealerships = [row for row in companies if row["name"].startswith("华远丰田")]
    assert len(dealerships) == 2
    assert {row["currency_id"][1] for row in dealerships} == {"CNY"}
    allowed = {"allowed_company_ids": [row["id"] for row in dealerships]}
    orders = group.call(
        "sale.order",
        "search_read",
        domain=[("jingpin_channel", "!=", False)],
        fields=["currency_id", "company_id"],
        context=allowed,
    )
    assert {row["company_id"][0] for row in orders} == {row["id"] for row in dealerships}
    assert {row["currency_id"][1] for row in orders} == {"CNY"}
    admin = as_role("admin")
    charts = admin.search_read("res.company", [("id", "in", [row["id"] for row in dealerships])], ["chart_template"])
    assert {row["chart_template"] for row in charts} == {"cn"}


def test_the_demo_is_the_dealer_groups_own_world(admin, specialist):
    """Issue 20: no sample person, customer, company or car of Odoo's demo data in the department's
    screens; the administrator is the group's system administrator."""
    for sample in ("Mitchell", "Acme", "Marc Demo", "Azure", "Deco Addict", "Ready Mat", "Colleen"):
        assert not specialist.call("res.partner", "name_search", name=sample), f"{sample} is offered"
    models = specialist.search_read("fleet.vehicle.model", [], ["name", "brand_id"])
    assert models and {row["brand_id"][1] for row in models} == {"丰田"}
    assert not {"Clio", "Golf 8", "Micra", "Focus", "Corolla TS"} & {row["name"] for row in models}
    admin_partner = admin.read_one("res.users", admin.ref("base.user_admin"), ["partner_id"])["partner_id"][0]
    assert admin.read_one("res.partner", admin_partner, ["name"])["name"] == "系统管理员"


def test_demo_history_is_written_in_chinese(admin):
    """The chatter of the demo's orders and plans is in the dealership's language: those the history
    plays and those of the demo addon's data/sale_order_demo.xml (issue 21: they said "Sales Order 创建")."""
    loaded = admin.search_read(
        "ir.model.data", [("module", "=", "jingpin_accessories_demo"), ("model", "=", "sale.order")], ["res_id"]
    )
    assert len(loaded) >= 4
    orders = admin.search(
        "sale.order",
        [
            ("jingpin_channel", "!=", False),
            "|",
            ("id", "in", [row["res_id"] for row in loaded]),
            # what the history played in the past days, not the end-to-end tests' own orders of today
            ("date_order", "<", date.today().isoformat()),
        ],
    )
    plans = admin.search("jingpin.sales.plan", [("year", "=", date.today().year)])  # the demo's, not the tests'
    messages = admin.search_read(
        "mail.message",
        [
            "|",
            "&",
            ("model", "=", "sale.order"),
            ("res_id", "in", orders),
            "&",
            ("model", "=", "jingpin.sales.plan"),
            ("res_id", "in", plans),
        ],
        ["body"],
    )
    assert messages
    for english in ("Sales Order created", "Sales Order 创建", "Original note", " done", "Approve Sales Plan"):
        assert not [row for row in messages if english in (row["body"] or "")], english
    projects = admin.call(
        "project.project",
        "search_read",
        domain=[("is_install_project", "=", True)],
        fields=["name"],
        context={"lang": "zh_CN"},
    )
    assert projects and {row["name"] for row in projects} == {"精品施工"}


def test_stock_ageing_shows_brackets_and_real_slow_movers(admin):
    rows = admin.search_read("jingpin.stock.ageing.report", [], ["age_bucket", "age_days", "is_slow_mover"])
    assert len({row["age_bucket"] for row in rows}) >= 3, "the demo's stock is of several ages"
    slow = [row for row in rows if row["is_slow_mover"]]
    assert slow and all(row["age_days"] > 90 for row in slow)


def test_reconciliation_issues_are_real(admin):
    """Every open issue of the demo states a mismatch the documents show: what it expected and found
    is what the order line, the loans or the stock read now."""
    issues = admin.search_read(
        "jingpin.reconciliation.issue",
        [("state", "=", "open")],
        ["kind", "reference", "expected_qty", "found_qty"],
    )
    assert issues
    assert "loan_stock" not in {row["kind"] for row in issues}, "the loans agree with the loan location"
    for issue in issues:
        assert issue["kind"] == "sale_delivery", issue
        line_id = int(issue["reference"].split(",")[1])
        line = admin.read_one("sale.order.line", line_id, ["product_uom_qty", "qty_delivered", "order_id"])
        assert (line["product_uom_qty"], line["qty_delivered"]) == (issue["expected_qty"], issue["found_qty"])
        pickings = admin.search_read(
            "stock.picking", [("sale_id", "=", line["order_id"][0]), ("state", "not in", ("done", "cancel"))], ["id"]
        )
        assert pickings, "its delivery still waits"
