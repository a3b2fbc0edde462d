"""After the sale (issue 12) through every door: as the demo roles, through the JSON-2 API, each test
tries to get round a rule of the follow-up visits and complaints, proves that the server refuses it and
reads the data back unchanged as the administrator.

Each test works on a complaint it records itself about a handed-over work order of the demo; the
follow-ups are the demo's own (the handovers of the demo history scheduled them).
"""

import datetime

import pytest
from conftest import REFUSALS, assert_refused, refused_and_unchanged

COMPLAINT_FIELDS = ["state", "user_id", "date_deadline", "confirmed_on", "resolution", "escalated_on", "task_id"]
FOLLOWUP_FIELDS = ["state", "satisfaction", "attempt_count", "date_scheduled", "user_id"]
# A 1x1 PNG: the customer's signature drawn on the screen.
SIGNATURE_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


@pytest.fixture(scope="module")
def roles(as_role):
    return {login: as_role(login) for login in ("jp_technician", "jp_technician2", "jp_specialist", "jp_group")}


@pytest.fixture(scope="module")
def handed_over(admin, roles):
    """A handed-over work order of jp_technician in the demo (not itself a rework)."""
    tasks = admin.search(
        "project.task",
        [
            ("is_work_order", "=", True),
            ("work_state", "=", "handed_over"),
            ("technician_id", "=", roles["jp_technician"].uid),
            ("rework_of_id", "=", False),
        ],
        limit=1,
    )
    assert tasks, "the demo has handed-over work of jp_technician"
    return tasks[0]


@pytest.fixture
def complaint(roles, handed_over):
    """A service complaint the specialist records about jp_technician's work."""
    return roles["jp_specialist"].create(
        "jingpin.complaint",
        {"complaint_type": "service", "task_id": handed_over, "description": "E2E: 交车时车内不干净"},
    )


def test_technician_cannot_close_or_move_a_complaint_about_his_work(admin, roles, complaint):
    """A technician reads the complaints about his own work, and changes none of them."""
    technician = roles["jp_technician"]
    assert technician.search("jingpin.complaint", [("id", "=", complaint)]) == [complaint]
    for method in ("action_resolve", "action_customer_confirm", "action_cancel", "action_start"):
        refused_and_unchanged(
            admin,
            lambda method=method: technician.call("jingpin.complaint", method, [complaint]),
            "jingpin.complaint",
            [complaint],
            COMPLAINT_FIELDS,
        )
    for vals in ({"state": "closed"}, {"resolution": "已处理"}, {"user_id": technician.uid}):
        refused_and_unchanged(
            admin,
            lambda vals=vals: technician.write(
                "jingpin.complaint", [complaint], vals, context={"jingpin_server": True}
            ),
            "jingpin.complaint",
            [complaint],
            COMPLAINT_FIELDS,
        )
    # another technician does not even see it
    assert roles["jp_technician2"].search("jingpin.complaint", [("id", "=", complaint)]) == []
    assert_refused(lambda: roles["jp_technician2"].read("jingpin.complaint", [complaint], ["description"]))


def test_specialist_cannot_write_the_customers_confirmation(admin, roles, complaint):
    """The complaint closes only with the customer's signature, through its action; its state,
    confirmation time, owner and deadline are the server's."""
    specialist = roles["jp_specialist"]
    specialist.write("jingpin.complaint", [complaint], {"resolution": "E2E: 免费上门清洁"})
    specialist.call("jingpin.complaint", "action_resolve", [complaint])
    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    for vals in (
        {"state": "closed"},
        {"confirmed_on": now},
        {"state": "closed", "confirmed_on": now, "customer_signer": "E2E"},
        {"user_id": specialist.uid},
        {"date_deadline": "2099-12-31"},
        {"escalated_on": False},
    ):
        refused_and_unchanged(
            admin,
            lambda vals=vals: specialist.write(
                "jingpin.complaint", [complaint], vals, context={"jingpin_server": True, "jingpin_workflow": True}
            ),
            "jingpin.complaint",
            [complaint],
            COMPLAINT_FIELDS,
        )
    # the customer has not signed: the action refuses too
    refused_and_unchanged(
        admin,
        lambda: specialist.call("jingpin.complaint", "action_customer_confirm", [complaint]),
        "jingpin.complaint",
        [complaint],
        COMPLAINT_FIELDS,
    )
    specialist.write(
        "jingpin.complaint", [complaint], {"customer_signer": "E2E 客户", "customer_signature": SIGNATURE_PNG}
    )
    specialist.call("jingpin.complaint", "action_customer_confirm", [complaint])
    closed = admin.read_one("jingpin.complaint", complaint, ["state", "confirmed_on"])
    assert closed["state"] == "closed" and closed["confirmed_on"]
    # once closed, the signature and resolution stay as confirmed
    refused_and_unchanged(
        admin,
        lambda: specialist.write("jingpin.complaint", [complaint], {"resolution": "改写"}),
        "jingpin.complaint",
        [complaint],
        COMPLAINT_FIELDS + ["customer_signer"],
    )


def test_only_the_manager_reassigns_a_complaint(admin, roles, complaint):
    """The owner is the server's: a specialist neither writes it nor calls the manager's action."""
    specialist = roles["jp_specialist"]
    for call in (
        lambda: specialist.call("jingpin.complaint", "action_assign", [complaint], user_id=specialist.uid),
        lambda: specialist.write("jingpin.complaint", [complaint], {"user_id": specialist.uid}),
        lambda: roles["jp_technician"].call("jingpin.complaint", "action_assign", [complaint], user_id=1),
    ):
        refused_and_unchanged(admin, call, "jingpin.complaint", [complaint], COMPLAINT_FIELDS)


def test_complaint_goes_only_to_the_dealerships_staff(admin, manager, complaint):
    """Issue 20: the manager is offered, and may choose, only his dealership's accessories staff:
    not the other dealership's specialist, not Odoo's administrator."""
    wizard = manager.create("jingpin.complaint.assign.wizard", {"complaint_id": complaint, "user_id": manager.uid})
    offered = set(manager.read_one("jingpin.complaint.assign.wizard", wizard, ["allowed_user_ids"])["allowed_user_ids"])
    outsiders = [admin.ref("base.user_admin"), admin.ref("jingpin_accessories_demo.user_specialist_haidian_demo")]
    assert offered and not offered & set(outsiders)
    for user in outsiders:
        refused_and_unchanged(
            admin,
            lambda user=user: manager.call("jingpin.complaint", "action_assign", [complaint], user_id=user),
            "jingpin.complaint",
            [complaint],
            COMPLAINT_FIELDS,
            "UserError",
        )


def test_complaints_are_created_new_and_never_deleted(admin, roles, handed_over):
    """Create is checked like write: no state, owner or confirmation from the client, nor through a
    ``default_*`` key; a complaint is never deleted."""
    specialist = roles["jp_specialist"]
    values = {"complaint_type": "service", "task_id": handed_over, "description": "E2E"}
    before = admin.search("jingpin.complaint", [])
    for extra in ({"state": "closed"}, {"user_id": specialist.uid}, {"confirmed_on": "2026-01-01 00:00:00"}):
        assert_refused(lambda extra=extra: specialist.create("jingpin.complaint", {**values, **extra}), *REFUSALS)
    assert_refused(
        lambda: specialist.create("jingpin.complaint", values, context={"default_state": "resolved"}), *REFUSALS
    )
    assert admin.search("jingpin.complaint", []) == before
    complaint = specialist.create("jingpin.complaint", values)
    assert_refused(lambda: specialist.unlink("jingpin.complaint", [complaint]), *REFUSALS)
    assert_refused(lambda: roles["jp_technician"].create("jingpin.complaint", values), *REFUSALS)


def test_followup_result_only_through_its_action(admin, roles):
    """A follow-up's result is the server's: a specialist records a call through its action, never by
    writing the state or the satisfaction, and creates no follow-up himself."""
    specialist = roles["jp_specialist"]
    followups = admin.search(
        "jingpin.followup", [("state", "=", "scheduled"), ("user_id", "=", specialist.uid)], limit=1
    )
    assert followups, "the demo has follow-ups to make"
    for vals in ({"state": "done"}, {"satisfaction": "5"}, {"date_scheduled": "2099-01-01"}, {"attempt_count": 0}):
        refused_and_unchanged(
            admin,
            lambda vals=vals: specialist.write("jingpin.followup", followups, vals, context={"jingpin_server": True}),
            "jingpin.followup",
            followups,
            FOLLOWUP_FIELDS,
        )
    refused_and_unchanged(
        admin,
        lambda: specialist.call("jingpin.followup", "action_record_result", followups, reached=True, satisfaction="9"),
        "jingpin.followup",
        followups,
        FOLLOWUP_FIELDS,
    )
    task = admin.read_one("jingpin.followup", followups[0], ["task_id"])["task_id"][0]
    assert_refused(lambda: specialist.create("jingpin.followup", {"task_id": task, "name": "E2E"}), *REFUSALS)
    assert_refused(lambda: roles["jp_technician"].read("jingpin.followup", followups, ["state"]), *REFUSALS)


def test_group_viewer_reads_after_sales_and_changes_nothing(admin, roles, complaint):
    viewer = roles["jp_group"]
    assert viewer.search("jingpin.complaint", [("id", "=", complaint)]) == [complaint]
    assert viewer.search("jingpin.satisfaction.report", [], limit=1)
    for call in (
        lambda: viewer.write("jingpin.complaint", [complaint], {"resolution": "x"}),
        lambda: viewer.call("jingpin.complaint", "action_resolve", [complaint]),
        lambda: viewer.create("jingpin.feedback", {"description": "x", "kind": "opinion"}),
    ):
        refused_and_unchanged(admin, call, "jingpin.complaint", [complaint], COMPLAINT_FIELDS)


def test_demo_has_after_sales_history(admin):
    """The demo shows the after-sales of the quarter: calls made, one overdue, a customer not
    reached, complaints in every state (one escalated) and satisfaction figures."""

    def count(model, domain):
        return len(admin.search(model, domain))

    today = datetime.date.today().isoformat()
    assert count("jingpin.followup", [("state", "=", "done"), ("satisfaction", "!=", False)]) >= 5
    assert count("jingpin.followup", [("state", "=", "unreachable")]) >= 1
    assert count("jingpin.followup", [("state", "=", "scheduled"), ("date_scheduled", "<", today)]) >= 1
    assert count("jingpin.complaint", [("state", "=", "in_progress"), ("rework_task_id", "!=", False)]) >= 2
    assert count("jingpin.complaint", [("state", "=", "in_progress"), ("return_picking_id", "!=", False)]) >= 1
    assert count("jingpin.complaint", [("state", "=", "closed"), ("confirmed_on", "!=", False)]) >= 1
    assert count("jingpin.complaint", [("escalated_on", "!=", False)]) >= 1
    assert count("jingpin.feedback", [("tag_ids", "!=", False)]) >= 3
    assert count("jingpin.satisfaction.report", [("score", "!=", False)]) >= 5
