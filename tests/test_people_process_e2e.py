"""People and process (issue 13) through every door: each test tries, as a demo role calling the JSON-2
API, to get round a rule of the trainings, growth plans or display checks, and proves that the server
refuses it with an Odoo error and that the data read back as the administrator is unchanged.

Growth plans are made by the tests through the roles' own doors; the display check attacked is the
demo's last week's, done by the specialist (demo/jingpin_people_demo.xml), and the training the
demo's held one.
"""

import uuid

import pytest
from conftest import REFUSALS, assert_refused, refused_and_unchanged

PLAN_FIELDS = ["state", "approved_by_id", "approved_on", "review_note", "rating", "user_id", "name"]
CHECK_FIELDS = ["state", "done_by_id", "done_on", "note", "outdated_product_ids", "line_ids"]


@pytest.fixture(scope="module")
def technician(as_role):
    return as_role("jp_technician2")


@pytest.fixture
def submitted_plan(specialist):
    """A growth plan the specialist wrote and submitted herself: waiting for the manager's review."""
    plan = specialist.create(
        "jingpin.growth.plan",
        {
            "name": f"E2E 成长计划 {uuid.uuid4().hex[:6]}",
            "date_to": "2099-12-31",
            "goal_ids": [(0, 0, {"name": "考取贴膜认证", "date_deadline": "2099-06-30"})],
        },
    )
    specialist.call("jingpin.growth.plan", "action_submit", [plan])
    return plan


@pytest.fixture(scope="module")
def done_check(admin):
    [check] = admin.search(
        "jingpin.display.check",
        [("state", "=", "done"), ("company_id", "=", admin.ref("base.main_company"))],
        limit=1,
        order="week_start desc",
    )
    return check


def test_specialist_cannot_review_her_own_plan(admin, specialist, submitted_plan):
    """Only the manager reviews: the review state, reviewer and review are the server's."""
    ids = [submitted_plan]
    for vals in (
        {"state": "reviewed"},
        {"approved_by_id": admin.ref("jingpin_accessories_demo.user_manager_demo")},
        {"review_note": "我做得很好", "rating": "3"},
    ):
        refused_and_unchanged(
            admin,
            lambda vals=vals: specialist.write("jingpin.growth.plan", ids, vals),
            "jingpin.growth.plan",
            ids,
            PLAN_FIELDS,
        )
    refused_and_unchanged(
        admin,
        lambda: specialist.write("jingpin.growth.plan", ids, {"state": "reviewed"}, context={"jingpin_server": True}),
        "jingpin.growth.plan",
        ids,
        PLAN_FIELDS,
    )
    refused_and_unchanged(
        admin,
        lambda: specialist.call("jingpin.growth.plan", "action_approve", ids),
        "jingpin.growth.plan",
        ids,
        PLAN_FIELDS,
    )
    assert admin.read_one("jingpin.growth.plan", submitted_plan, ["state"])["state"] == "in_progress"


def test_reviewed_plan_stays_as_reviewed(admin, specialist, manager, submitted_plan):
    ids = [submitted_plan]
    manager.write("jingpin.growth.plan", ids, {"review_note": "目标清晰，继续保持", "rating": "2"})
    manager.call("jingpin.growth.plan", "action_approve", ids)
    [goal] = admin.read_one("jingpin.growth.plan", submitted_plan, ["goal_ids"])["goal_ids"]
    refused_and_unchanged(
        admin,
        lambda: specialist.write("jingpin.growth.goal", [goal], {"done": True}),
        "jingpin.growth.goal",
        [goal],
        ["done", "name"],
    )
    refused_and_unchanged(
        admin,
        lambda: specialist.write("jingpin.growth.plan", ids, {"name": "改过的计划"}),
        "jingpin.growth.plan",
        ids,
        PLAN_FIELDS,
    )
    refused_and_unchanged(
        admin, lambda: specialist.unlink("jingpin.growth.plan", ids), "jingpin.growth.plan", ids, PLAN_FIELDS
    )


def test_staff_read_their_own_plan_only(admin, technician, submitted_plan):
    assert submitted_plan not in technician.search("jingpin.growth.plan", [])
    assert_refused(lambda: technician.read("jingpin.growth.plan", [submitted_plan], ["name"]), "AccessError")
    assert_refused(
        lambda: technician.create(
            "jingpin.growth.plan",
            {
                "name": "替别人写的计划",
                "user_id": admin.ref("jingpin_accessories_demo.user_specialist_demo"),
                "date_to": "2099-12-31",
            },
        ),
        "AccessError",
    )


def test_done_check_keeps_its_results(admin, specialist, manager, done_check):
    """A done display check is read-only for good, whatever the role or the context."""
    ids = [done_check]
    lines = admin.read_one("jingpin.display.check", done_check, ["line_ids"])["line_ids"]
    for client in (specialist, manager):
        refused_and_unchanged(
            admin,
            lambda client=client: client.write("jingpin.display.check.line", lines, {"answer": "ok", "note": ""}),
            "jingpin.display.check.line",
            lines,
            ["answer", "note", "name"],
        )
        refused_and_unchanged(
            admin,
            lambda client=client: client.write("jingpin.display.check", ids, {"state": "open"}),
            "jingpin.display.check",
            ids,
            CHECK_FIELDS,
        )
        refused_and_unchanged(
            admin,
            lambda client=client: client.write(
                "jingpin.display.check", ids, {"note": "改写的结果"}, context={"jingpin_server": True}
            ),
            "jingpin.display.check",
            ids,
            CHECK_FIELDS,
        )
        refused_and_unchanged(
            admin,
            lambda client=client: client.write("jingpin.display.check", ids, {"line_ids": [(2, lines[0])]}),
            "jingpin.display.check",
            ids,
            CHECK_FIELDS,
        )
        refused_and_unchanged(
            admin,
            lambda client=client: client.unlink("jingpin.display.check", ids),
            "jingpin.display.check",
            ids,
            CHECK_FIELDS,
        )


def test_checks_come_from_the_weekly_job_only(admin, specialist, manager):
    company = admin.ref("base.main_company")
    for client in (specialist, manager):
        before = admin.search("jingpin.display.check", [])
        assert_refused(
            lambda client=client: client.create(
                "jingpin.display.check",
                {"name": "伪造的检查", "company_id": company, "week_start": "2099-01-05"},
                context={"default_state": "done"},
            ),
            *REFUSALS,
        )
        assert admin.search("jingpin.display.check", []) == before


def test_training_results_are_the_managers(admin, technician, manager):
    """Staff do not grade themselves, and a held training's assessments stay as recorded."""
    training = admin.ref("jingpin_accessories_demo.training_film_last_month_demo")
    lines = admin.read_one("jingpin.training", training, ["attendance_ids"])["attendance_ids"]
    own = technician.search("jingpin.training.attendance", [])
    assert own, "the technician reads his own training history"
    assert set(own) < set(admin.search("jingpin.training.attendance", [])), "and nobody else's"
    refused_and_unchanged(
        admin,
        lambda: technician.write("jingpin.training.attendance", own, {"score": 100, "result": "passed"}),
        "jingpin.training.attendance",
        own,
        ["score", "result"],
    )
    refused_and_unchanged(
        admin,
        lambda: manager.write("jingpin.training.attendance", lines, {"score": 100, "result": "passed"}),
        "jingpin.training.attendance",
        lines,
        ["score", "result", "present"],
    )
    refused_and_unchanged(
        admin,
        lambda: manager.write("jingpin.training", [training], {"state": "planned"}),
        "jingpin.training",
        [training],
        ["state", "attendance_ids"],
    )


def test_price_tag_flag_is_the_servers(admin, manager, specialist):
    """A displayed accessory priced after the last printed price sheet is flagged, and the time of its
    price change is the server's: the manager cannot date it back to hide the flag."""
    accessory = manager.create(
        "product.template",
        {
            "name": f"E2E 陈列精品 {uuid.uuid4().hex[:6]}",
            "is_accessory": True,
            "type": "consu",
            "categ_id": admin.ref("jingpin_accessories_demo.product_category_window_film_demo"),
            "list_price": 999,
            "jingpin_on_display": True,
        },
    )
    assert accessory in specialist.search("product.template", [("jingpin_price_tag_outdated", "=", True)])
    refused_and_unchanged(
        admin,
        lambda: manager.write("product.template", [accessory], {"jingpin_price_changed_on": "2000-01-01 00:00:00"}),
        "product.template",
        [accessory],
        ["jingpin_price_changed_on", "jingpin_price_tag_outdated"],
    )


def test_group_viewer_changes_nothing(admin, as_role, done_check):
    viewer = as_role("jp_group")
    plans = viewer.search("jingpin.growth.plan", [])
    assert plans, "the dealer group reads the growth plans"
    refused_and_unchanged(
        admin,
        lambda: viewer.write("jingpin.growth.plan", plans[:1], {"name": "集团改的"}),
        "jingpin.growth.plan",
        plans[:1],
        PLAN_FIELDS,
    )
    refused_and_unchanged(
        admin,
        lambda: viewer.call("jingpin.display.check", "action_done", [done_check]),
        "jingpin.display.check",
        [done_check],
        CHECK_FIELDS,
    )


def test_future_training_is_not_held(admin, manager):
    """Issue 20: a training is recorded as held on or after its day, never before."""
    trainer = manager.uid
    training = manager.create(
        "jingpin.training",
        {
            "name": f"E2E 未来培训 {uuid.uuid4().hex[:6]}",
            "date": "2099-06-01 02:00:00",
            "trainer_id": trainer,
            "attendance_ids": [(0, 0, {"user_id": trainer, "score": 90, "result": "passed"})],
        },
    )
    refused_and_unchanged(
        admin,
        lambda: manager.call("jingpin.training", "action_held", [training]),
        "jingpin.training",
        [training],
        ["state"],
        "UserError",
    )
