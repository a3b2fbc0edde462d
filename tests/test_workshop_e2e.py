"""The workshop's day through the API: what the technician, the dealer group's viewer and the other
dealership's manager try on the demo dealership's work, each refusal read back unchanged."""

import pytest
from conftest import assert_refused, dispatch_work_order, refused_and_unchanged

WORK_ORDER_FIELDS = ["technician_id", "user_ids", "stage_id", "description", "vehicle_id", "planned_start"]


@pytest.fixture(scope="module")
def roles(as_role):
    logins = ("jp_technician", "jp_group", "jp_manager_hd", "jp_technician_hd", "jp_technician2")
    return {login: as_role(login) for login in logins}


@pytest.fixture(scope="module")
def work(specialist, admin, roles):
    return dispatch_work_order(specialist, admin, technician=roles["jp_technician"].uid)


def test_technician_creates_no_task_and_reads_no_sale_order(roles, admin, work):
    technician = roles["jp_technician"]
    before = admin.search("project.task", [], context={"active_test": False})
    for vals in ({"name": "私活"}, {"name": "子任务", "parent_id": work["id"]}):
        assert_refused(lambda vals=vals: technician.create("project.task", vals), "AccessError")
    assert admin.search("project.task", [], context={"active_test": False}) == before
    # his own work order opens; its order, its chatter and the price channel do not
    assert technician.read("project.task", [work["id"]], ["name", "vehicle_id"])
    assert technician.search("sale.order", [("id", "=", work["order"])]) == []
    assert_refused(lambda: technician.read("sale.order", [work["order"]], ["name"]), "AccessError")
    assert technician.search("mail.message", [("model", "=", "sale.order"), ("res_id", "=", work["order"])]) == []
    channel = admin.ref("jingpin_accessories.channel_price_sheet")
    assert technician.search("discuss.channel", [("id", "=", channel)]) == []
    assert technician.search("mail.message", [("model", "=", "discuss.channel"), ("res_id", "=", channel)]) == []


def test_group_viewer_changes_no_work_order(roles, admin, work):
    viewer, other = roles["jp_group"], roles["jp_technician2"]
    assert viewer.read("project.task", [work["id"]], ["name"])
    for vals in ({"technician_id": other.uid}, {"description": "集团改的"}):
        refused_and_unchanged(
            admin,
            lambda vals=vals: viewer.write("project.task", [work["id"]], vals),
            "project.task",
            [work["id"]],
            WORK_ORDER_FIELDS,
            "AccessError",
        )
    refused_and_unchanged(
        admin,
        lambda: viewer.unlink("project.task", [work["id"]]),
        "project.task",
        [work["id"]],
        WORK_ORDER_FIELDS,
        "AccessError",
    )


def test_other_dealership_keeps_its_technicians_and_cars(roles, admin, specialist, work):
    technician_hd = roles["jp_technician_hd"]
    refused_and_unchanged(
        admin,
        lambda: specialist.write("project.task", [work["id"]], {"technician_id": technician_hd.uid}),
        "project.task",
        [work["id"]],
        WORK_ORDER_FIELDS,
        "ValidationError",
    )
    manager_hd = roles["jp_manager_hd"]
    assert manager_hd.search("project.task", [("id", "=", work["id"])]) == []
    assert_refused(lambda: manager_hd.write("project.task", [work["id"]], {"technician_id": technician_hd.uid}))
    company_hd = admin.ref("jingpin_accessories_demo.company_haidian_demo")
    refused_and_unchanged(
        admin,
        lambda: admin.write("jingpin.vehicle", [work["vehicle"]], {"company_id": company_hd}),
        "jingpin.vehicle",
        [work["vehicle"]],
        ["company_id"],
        "UserError",
    )


def test_install_project_and_work_steps_are_not_switched_off(admin, work):
    [task] = admin.read("project.task", [work["id"]], ["project_id", "stage_id"])
    project, stage = task["project_id"][0], task["stage_id"][0]
    for vals in ({"is_install_project": False}, {"privacy_visibility": "employees"}, {"active": False}):
        refused_and_unchanged(
            admin,
            lambda vals=vals: admin.write("project.project", [project], vals),
            "project.project",
            [project],
            ["is_install_project", "privacy_visibility", "active"],
            "AccessError",
        )
    for vals in ({"work_state": False}, {"active": False}):
        refused_and_unchanged(
            admin,
            lambda vals=vals: admin.write("project.task.type", [stage], vals),
            "project.task.type",
            [stage],
            ["work_state", "active"],
            "AccessError",
        )
    assert admin.read_one("project.task", work["id"], ["is_work_order"])["is_work_order"] is True


def test_work_order_button_opens_the_work_order_form(admin, specialist, work):
    action = specialist.call("sale.order", "action_view_work_orders", [work["order"]])
    form = admin.ref("jingpin_accessories.project_task_view_form_work_order")
    assert action["res_id"] == work["id"]
    assert action["views"] == [[form, "form"]]
    assert specialist.call("project.task", "get_formview_id", [work["id"]]) == form
