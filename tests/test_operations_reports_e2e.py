"""Operations reports and the appraisal hold through every door (issue 10, R2, R34-R36): as demo roles
calling the JSON-2 API, try to mark a report sent, write its analysis, build one for another dealership,
and read another person's appraisal; each attempt is refused and the data read back as the
administrator is unchanged."""

import pytest
from conftest import assert_refused

REPORT_FIELDS = ["state", "kind", "date", "company_id", "revenue_day", "sent_on", "line_ids"]


@pytest.fixture(scope="module")
def technician(as_role):
    return as_role("jp_technician")


@pytest.fixture(scope="module")
def group(as_role):
    return as_role("jp_group")


def company_of(admin, client):
    return admin.read_one("res.users", client.uid, ["company_id"])["company_id"][0]


def open_report(client, kind, date, company=None):
    values = {"kind": kind, "date": date} | ({"company_id": company} if company else {})
    wizard = client.create("jingpin.report.period.wizard", values)
    return client.call("jingpin.report.period.wizard", "action_open", [wizard])["res_id"]


def test_monthly_report_opened_not_sent(admin, manager, specialist):
    """The manager opens last year's March: a monthly report is built, nothing sent; the specialist
    cannot mark it sent nor write its figures or analysis, nor send it."""
    report = open_report(manager, "monthly", "2025-03-15")
    values = admin.read_one("jingpin.daily.report", report, REPORT_FIELDS)
    assert (values["kind"], values["date"], values["state"]) == ("monthly", "2025-03-01", False)
    for client in (specialist, manager):
        before = admin.read("jingpin.daily.report", [report], REPORT_FIELDS)
        for call in (
            lambda client=client: client.write("jingpin.daily.report", [report], {"state": "sent"}),
            lambda client=client: client.write(
                "jingpin.daily.report", [report], {"revenue_day": 1e6, "line_ids": [(0, 0, {"section": "category"})]}
            ),
            lambda client=client: client.call("jingpin.daily.report", "action_retry", [report]),
            lambda client=client: client.create(
                "jingpin.daily.report.line",
                {"report_id": report, "section": "category", "name": "x", "revenue": 1e6},
            ),
        ):
            assert_refused(call, "AccessError", "UserError", "ValidationError")
        assert admin.read("jingpin.daily.report", [report], REPORT_FIELDS) == before
    assert_refused(lambda: open_report(specialist, "monthly", "2025-03-15"), "AccessError")
    # The export is a download of the same report, for whoever may read it.
    action = specialist.call("jingpin.daily.report", "action_export_xlsx", [report])
    assert action["type"] == "ir.actions.act_url"


def test_no_report_for_another_dealership(admin, manager):
    """The manager of one dealership cannot build a report for another."""
    own = company_of(admin, manager)
    other = admin.search("res.company", [("id", "!=", own)], limit=1)[0]
    before = admin.search("jingpin.daily.report", [("company_id", "=", other)])
    assert_refused(lambda: open_report(manager, "weekly", "2025-03-15", company=other), "AccessError", "UserError")
    assert admin.search("jingpin.daily.report", [("company_id", "=", other)]) == before
    assert not manager.search("jingpin.daily.report", [("company_id", "=", other)])


def test_group_opens_any_dealership(admin, group):
    companies = admin.read_one("res.users", group.uid, ["company_ids"])["company_ids"]
    assert len(companies) > 1
    for company in companies:
        report = open_report(group, "weekly", "2025-03-15", company=company)
        assert admin.read_one("jingpin.daily.report", report, ["company_id"])["company_id"][0] == company


def test_appraisal_is_personal(admin, manager, specialist, technician, group):
    """Staff read their own appraisal rows only; the manager reads his dealership's; the group all."""
    everyone = admin.search_read("jingpin.appraisal.report", [], ["user_id", "company_id"])
    assert everyone, "the demo has appraisal figures"
    for client in (specialist, technician):
        rows = client.search_read("jingpin.appraisal.report", [], ["user_id"])
        assert {row["user_id"][0] for row in rows} <= {client.uid}
        others = [row["id"] for row in everyone if row["user_id"][0] != client.uid]
        assert not client.search("jingpin.appraisal.report", [("id", "in", others)])
    own = company_of(admin, manager)
    assert {row["company_id"][0] for row in manager.search_read("jingpin.appraisal.report", [], ["company_id"])} == {
        own
    }
    assert len(group.search("jingpin.appraisal.report", [])) == len(everyone)
    assert_refused(
        lambda: specialist.write("jingpin.appraisal.report", [everyone[0]["id"]], {"revenue": 1.0}),
        "AccessError",
        "UserError",
    )
