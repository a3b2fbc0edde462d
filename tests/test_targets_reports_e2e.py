"""Targets and reports hold through every door (issue 10): as demo roles calling the JSON-2 API, try to
approve one's own sales plan, change an approved plan's amounts, set its state, and make a daily
report by hand; each attempt is refused and the data read back as the administrator is unchanged.

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
            "line_ids": [(0, 0, {"month": "1", "amount": 5.0})],
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
