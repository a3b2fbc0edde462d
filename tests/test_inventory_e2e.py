"""Inventory control (issue 11) through every door: as a demo role calling the JSON-2 API, each test
tries to get round a rule of the loans register or the reconciliation issues, and proves that the
server refuses it with an Odoo error and that the data read back as the administrator is unchanged.

The loans are made by the tests through the specialist's own door; the reconciliation issue attacked
is the demo's open one of the main dealership (jingpin_accessories_demo/models/jingpin_demo_history.py).
"""

import pytest
from conftest import REFUSALS, assert_refused, refused_and_unchanged, variant_of

LOAN_FIELDS = ["state", "date_lent", "date_returned", "audited_by_id", "picking_ids", "borrower", "line_ids"]
ISSUE_FIELDS = ["state", "resolution", "resolved_by_id", "resolved_on"]


@pytest.fixture(scope="module")
def technician(as_role):
    return as_role("jp_technician2")


def loan_vals(admin):
    return {
        "borrower_kind": "department",
        "borrower": "E2E 销售部",
        "purpose": "展厅陈列",
        "date_due": "2099-12-31",
        # the car perfume: plenty in stock, and issued by no other end-to-end test
        "line_ids": [(0, 0, {"product_id": variant_of(admin, "product_car_perfume_demo"), "quantity": 1})],
    }


@pytest.fixture
def lent_loan(admin, specialist):
    """A loan lent by the specialist; it comes back after the test, so the demo's stock stays."""
    loan = specialist.create("jingpin.loan", loan_vals(admin))
    specialist.call("jingpin.loan", "action_lend", [loan])
    yield loan
    specialist.call("jingpin.loan", "action_return", [loan])


@pytest.fixture(scope="module")
def open_issue(admin):
    [issue] = admin.search(
        "jingpin.reconciliation.issue",
        [("state", "=", "open"), ("company_id", "=", admin.ref("base.main_company"))],
        limit=1,
    )
    return issue


def test_specialist_cannot_write_a_loan_returned(admin, specialist, lent_loan):
    """The loan's state, dates, transfers and audit are the server's: no write sets them."""
    ids = [lent_loan]
    for vals in (
        {"state": "returned"},
        {"state": "audited", "audited_by_id": admin.ref("jingpin_accessories_demo.user_manager_demo")},
        {"borrower": "别人"},
        {"picking_ids": [(5, 0, 0)]},
    ):
        refused_and_unchanged(
            admin,
            lambda vals=vals: specialist.write("jingpin.loan", ids, vals),
            "jingpin.loan",
            ids,
            LOAN_FIELDS,
        )
    [line] = admin.read_one("jingpin.loan", lent_loan, ["line_ids"])["line_ids"]
    refused_and_unchanged(
        admin,
        lambda: specialist.write("jingpin.loan.line", [line], {"quantity_returned": 1}),
        "jingpin.loan.line",
        [line],
        ["quantity", "quantity_returned"],
    )
    refused_and_unchanged(
        admin,
        lambda: specialist.call("jingpin.loan", "action_audit", [lent_loan]),
        "jingpin.loan",
        ids,
        LOAN_FIELDS,
    )


def test_manager_does_not_audit_his_own_loan(admin, manager):
    """Issue 19: who registered, lent or took back a loan does not audit it."""
    loan = manager.create("jingpin.loan", loan_vals(admin))
    manager.call("jingpin.loan", "action_lend", [loan])
    manager.call("jingpin.loan", "action_return", [loan])
    refused_and_unchanged(
        admin,
        lambda: manager.call("jingpin.loan", "action_audit", [loan]),
        "jingpin.loan",
        [loan],
        ["state", "audited_by_id", "audited_on"],
        "AccessError",
    )


def test_no_context_key_creates_a_lent_loan(admin, specialist):
    for context, vals in (
        ({"default_state": "lent"}, {}),
        ({"default_date_lent": "2020-01-01"}, {}),
        ({"jingpin_server": True}, {"state": "returned"}),
    ):
        before = admin.search("jingpin.loan", [])
        assert_refused(
            lambda context=context, vals=vals: specialist.create(
                "jingpin.loan", {**loan_vals(admin), **vals}, context=context
            ),
            *REFUSALS,
        )
        assert admin.search("jingpin.loan", []) == before


def test_technician_cannot_create_a_loan(admin, technician):
    before = admin.search("jingpin.loan", [])
    assert_refused(lambda: technician.create("jingpin.loan", loan_vals(admin)), "AccessError")
    assert admin.search("jingpin.loan", []) == before


def test_specialist_of_another_dealership_cannot_resolve_an_issue(admin, as_role, open_issue):
    other = as_role("jp_specialist_hd")
    ids = [open_issue]
    refused_and_unchanged(
        admin,
        lambda: other.write("jingpin.reconciliation.issue", ids, {"resolution": "不是我的"}),
        "jingpin.reconciliation.issue",
        ids,
        ISSUE_FIELDS,
    )
    refused_and_unchanged(
        admin,
        lambda: other.call("jingpin.reconciliation.issue", "action_resolve", ids),
        "jingpin.reconciliation.issue",
        ids,
        ISSUE_FIELDS,
    )


def test_specialist_cannot_write_an_issue_resolved(admin, specialist, open_issue):
    ids = [open_issue]
    refused_and_unchanged(
        admin,
        lambda: specialist.write("jingpin.reconciliation.issue", ids, {"state": "resolved"}),
        "jingpin.reconciliation.issue",
        ids,
        ISSUE_FIELDS,
    )
    refused_and_unchanged(
        admin,
        lambda: specialist.unlink("jingpin.reconciliation.issue", ids),
        "jingpin.reconciliation.issue",
        ids,
        ISSUE_FIELDS,
    )
