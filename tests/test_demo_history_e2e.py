"""The demo dealer group has something to show on every screen (issue 9, part 5): read as the
administrator from the running demo server."""

import pytest

CHANNELS = {"new_car", "after_sales", "walk_in", "referral", "external"}
WORK_STATES = {"dispatched", "in_progress", "inspection", "ready", "handed_over", "cancelled"}


@pytest.fixture(scope="module")
def work_orders(admin):
    return admin.search_read(
        "project.task",
        [("is_work_order", "=", True)],
        ["work_state", "planned_start", "seal_state", "key_state", "signature_ids"],
    )


def test_orders_in_every_channel_at_both_dealerships(admin):
    orders = admin.search_read(
        "sale.order",
        [("jingpin_channel", "!=", False), ("state", "=", "sale")],
        ["jingpin_channel", "company_id", "car_sale_order_id", "rebate_amount", "jingpin_approval_state"],
    )
    assert {row["jingpin_channel"] for row in orders} == CHANNELS
    assert len({row["company_id"][0] for row in orders}) == 2
    assert any(row["car_sale_order_id"] for row in orders) and any(row["rebate_amount"] for row in orders)
    assert {"to_approve", "to_approve_gm", "approved"} <= {row["jingpin_approval_state"] for row in orders}
    assert admin.search("sale.order.line", [("is_gift", "=", True), ("order_id.state", "=", "sale")])


def test_work_orders_in_every_step_planned_and_sealed(work_orders):
    assert {row["work_state"] for row in work_orders} == WORK_STATES
    assert any(row["planned_start"] for row in work_orders if row["work_state"] == "dispatched")
    signed = [row for row in work_orders if row["signature_ids"]]
    assert signed and {row["seal_state"] for row in signed} == {"intact"}
    assert {"in_box", "out", "returned"} <= {row["key_state"] for row in work_orders}


def test_reports_and_registers_have_data(admin):
    assert admin.search("account.analytic.line", [("task_id.is_work_order", "=", True)])
    assert admin.search("jingpin.workshop.load", [])
    assert {"signed", "fitted"} <= {row["state"] for row in admin.search_read("jingpin.due.bill", [], ["state"])}
    assert admin.search("jingpin.work.exception", [("state", "=", "open")])
    assert admin.search("jingpin.manager.charge", [("state", "=", "open")])
    states = {row["state"] for row in admin.search_read("jingpin.promotion", [], ["state"])}
    assert {"closed", "running"} <= states
