"""The demo dealer group has something to show on every screen (issue 9, part 5): read as the
administrator from the running demo server."""

from datetime import UTC, date, datetime, timedelta

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


def _at(value):
    return datetime.fromisoformat(value)


def test_history_happened_in_order(admin):
    """Issue 21: the history is played at the time it happened, through the addon's actions: for each
    car handed over, the order was confirmed, its concessions approved, its key put in the box, the
    work started, signed, delivered and handed over in that order, and every seal chained on the way
    still verifies; its follow-up call came after the handover. Nothing is dated in the future."""
    now = datetime.now(UTC).replace(tzinfo=None)
    tasks = admin.search_read(
        "project.task",
        [("is_work_order", "=", True), ("work_state", "=", "handed_over")],
        ["date_started", "date_end", "accessory_order_id", "seal_state"],
    )
    assert len(tasks) >= 10
    orders = {
        row["id"]: row
        for row in admin.search_read(
            "sale.order", [("id", "in", [task["accessory_order_id"][0] for task in tasks])], ["date_order"]
        )
    }
    for task in tasks:
        ordered, started, ended = (
            _at(orders[task["accessory_order_id"][0]]["date_order"]),
            _at(task["date_started"]),
            _at(task["date_end"]),
        )
        assert ordered < started < ended <= now, task
        assert ended - started < timedelta(hours=8), "a day's work, not the time the demo took to install"
        assert task["seal_state"] == "intact"
        keys = admin.search_read("jingpin.key.log", [("task_id", "=", task["id"])], ["action", "date"])
        check_in = [_at(row["date"]) for row in keys if row["action"] == "check_in"]
        assert check_in and ordered < min(check_in) < started, keys
        signed = [
            _at(row["signed_on"])
            for row in admin.search_read("jingpin.signature", [("task_id", "=", task["id"])], ["signed_on"])
        ]
        assert signed and all(started < moment <= ended for moment in signed), (task, signed)
        decided = admin.search_read(
            "jingpin.approval", [("order_id", "=", task["accessory_order_id"][0])], ["decided_on"]
        )
        assert all(ordered < _at(row["decided_on"]) < started for row in decided), decided
        deliveries = admin.search_read(
            "stock.picking",
            [("sale_id", "=", task["accessory_order_id"][0]), ("state", "=", "done")],
            ["date_done"],
        )
        assert deliveries and all(started < _at(row["date_done"]) <= ended for row in deliveries), deliveries
    calls = admin.search_read("jingpin.followup", [("state", "=", "done")], ["date_done", "task_id"])
    ends = {task["id"]: _at(task["date_end"]).date() for task in tasks}
    assert calls and all(
        date.fromisoformat(row["date_done"]) > ends[row["task_id"][0]] for row in calls if row["task_id"][0] in ends
    )
    assert not admin.search("mail.message", [("date", ">", (now + timedelta(minutes=5)).isoformat(" "))])


def test_only_enabled_dealerships_run_the_jobs(admin):
    """Issue 21: the two dealerships are enabled; Odoo's sample companies of the demo database are not,
    and the department's jobs made nothing for them."""
    companies = admin.search_read("res.company", [], ["jingpin_enabled"])
    enabled = {row["id"] for row in companies if row["jingpin_enabled"]}
    assert len(enabled) == 2 and len(companies) > 2
    for model in ("jingpin.daily.report", "jingpin.display.check", "jingpin.reconciliation.issue"):
        made = {row["company_id"][0] for row in admin.search_read(model, [], ["company_id"])}
        assert made and made <= enabled, model
