"""Targets and reports hold through every door (issue 10): as demo roles calling the JSON-2 API, try to
approve one's own sales plan, change an approved plan's amounts, set its state, make a daily report by
hand, and set a sale line's share of its order's rebate (what the analysis charges it); each attempt is
refused and the data read back as the administrator is unchanged.

Each test makes its own plan, for a year no approved plan of the dealership uses, so that an attempt
the server wrongly accepts spoils nothing else.
"""

import datetime

import pytest
from conftest import assert_refused, refused_and_unchanged

PLAN_FIELDS = ["state", "approved_by_id", "approved_on", "amount_total", "year"]
REPORT_FIELDS = ["state", "date", "company_id", "revenue_day", "revenue_month", "sent_on"]


@pytest.fixture(scope="module")
def gm(as_role):
    return as_role("jp_gm")


@pytest.fixture
def plan(admin, manager):
    """A submitted sales plan of the manager's dealership, for a year without an approved plan."""
    taken = {p["year"] for p in admin.search_read("jingpin.sales.plan", [("state", "=", "approved")], ["year"])}
    year = next(year for year in range(2099, 2030, -1) if year not in taken)
    plan_id = manager.create(
        "jingpin.sales.plan",
        {"year": year, "line_ids": [(0, 0, {"month": str(month), "amount": 1000.0 * month}) for month in range(1, 13)]},
    )
    manager.call("jingpin.sales.plan", "action_submit", [plan_id])
    return plan_id


def test_no_approval_of_ones_own_plan(admin, manager, gm, plan):
    """The accessories manager cannot approve a plan; the general manager cannot approve his own."""
    refused_and_unchanged(
        admin,
        lambda: manager.call("jingpin.sales.plan", "action_approve", [plan]),
        "jingpin.sales.plan",
        [plan],
        PLAN_FIELDS,
    )
    own = gm.create(
        "jingpin.sales.plan",
        {
            "year": admin.read_one("jingpin.sales.plan", plan, ["year"])["year"],
            "line_ids": [(0, 0, {"month": str(month), "amount": 5.0}) for month in range(1, 13)],
        },
    )
    gm.call("jingpin.sales.plan", "action_submit", [own])
    refused_and_unchanged(
        admin, lambda: gm.call("jingpin.sales.plan", "action_approve", [own]), "jingpin.sales.plan", [own], PLAN_FIELDS
    )
    for context in ({}, {"jingpin_server": True}):
        refused_and_unchanged(
            admin,
            lambda context=context: manager.write(
                "jingpin.sales.plan", [plan], {"state": "approved", "approved_by_id": manager.uid}, context=context
            ),
            "jingpin.sales.plan",
            [plan],
            PLAN_FIELDS,
        )
    assert_refused(
        lambda: manager.create(
            "jingpin.sales.plan",
            {"year": 2031},
            context={"default_state": "approved", "default_approved_by_id": gm.uid},
        ),
        "AccessError",
    )


def test_approved_amounts_stay(admin, manager, gm, specialist, plan):
    """Once the general manager approved the plan, its monthly amounts change for nobody."""
    gm.call("jingpin.sales.plan", "action_approve", [plan])
    assert admin.read_one("jingpin.sales.plan", plan, ["state"])["state"] == "approved"
    lines = admin.read_one("jingpin.sales.plan", plan, ["line_ids"])["line_ids"]
    for client in (specialist, manager):
        refused_and_unchanged(
            admin,
            lambda client=client: client.write("jingpin.sales.plan.line", lines[:1], {"amount": 1.0}),
            "jingpin.sales.plan.line",
            lines,
            ["amount", "month"],
        )
        refused_and_unchanged(
            admin,
            lambda client=client: client.write(
                "jingpin.sales.plan", [plan], {"line_ids": [(0, 0, {"month": "1", "amount": 99999.0})]}
            ),
            "jingpin.sales.plan",
            [plan],
            PLAN_FIELDS,
        )
    refused_and_unchanged(
        admin, lambda: manager.unlink("jingpin.sales.plan", [plan]), "jingpin.sales.plan", [plan], PLAN_FIELDS
    )


def test_no_hand_made_daily_report(admin, manager, gm):
    """Daily reports are the server's: nobody creates, changes or deletes one."""
    company = admin.read_one("res.users", manager.uid, ["company_id"])["company_id"][0]
    day = (datetime.date.today() - datetime.timedelta(days=400)).isoformat()
    for client in (manager, gm):
        assert_refused(
            lambda client=client: client.create(
                "jingpin.daily.report", {"company_id": company, "date": day, "revenue_day": 1e6}
            ),
            "AccessError",
        )
        assert_refused(
            lambda client=client: client.create(
                "jingpin.daily.report", {"company_id": company, "date": day}, context={"default_state": "sent"}
            ),
            "AccessError",
        )
    assert not admin.search("jingpin.daily.report", [("date", "=", day)])
    reports = admin.search("jingpin.daily.report", [("company_id", "=", company)], limit=1)
    assert reports, "the demo has a daily report"
    for client in (manager, gm):
        refused_and_unchanged(
            admin,
            lambda client=client: client.write("jingpin.daily.report", reports, {"state": "sent", "revenue_day": 1e6}),
            "jingpin.daily.report",
            reports,
            REPORT_FIELDS,
        )
        refused_and_unchanged(
            admin,
            lambda client=client: client.unlink("jingpin.daily.report", reports),
            "jingpin.daily.report",
            reports,
            REPORT_FIELDS,
        )


def test_rebate_shares_are_the_servers(admin, specialist, manager):
    """The analysis charges each accessory its share of the order's rebate; the share is computed by
    the server: no client sets it, on the line, through the order or on a new line, and the shares of
    a demo referral order still add up to its rebate."""
    [order] = admin.search_read(
        "sale.order", [("rebate_amount", ">", 0), ("state", "=", "sale")], ["rebate_amount", "order_line"], limit=1
    )
    lines = order["order_line"]
    for client in (specialist, manager):
        for call in (
            lambda client=client: client.write("sale.order.line", lines[:1], {"jingpin_rebate_share": 0.0}),
            lambda client=client: client.write(
                "sale.order", [order["id"]], {"order_line": [(1, lines[0], {"jingpin_rebate_share": 0.0})]}
            ),
        ):
            refused_and_unchanged(admin, call, "sale.order.line", lines, ["jingpin_rebate_share", "price_subtotal"])
    shares = admin.read("sale.order.line", lines, ["jingpin_rebate_share"])
    assert round(sum(line["jingpin_rebate_share"] for line in shares), 2) == order["rebate_amount"]
    draft = specialist.create(
        "sale.order",
        {
            "partner_id": admin.read_one("sale.order", order["id"], ["partner_id"])["partner_id"][0],
            "jingpin_channel": "walk_in",
        },
    )
    product = admin.read_one("sale.order.line", lines[0], ["product_id"])["product_id"][0]
    assert_refused(
        lambda: specialist.create(
            "sale.order.line", {"order_id": draft, "product_id": product, "jingpin_rebate_share": 500.0}
        ),
        "AccessError",
    )
    assert_refused(
        lambda: specialist.create(
            "sale.order.line",
            {"order_id": draft, "product_id": product},
            context={"default_jingpin_rebate_share": 500.0},
        ),
        "AccessError",
    )
    assert not admin.search("sale.order.line", [("order_id", "=", draft)])
