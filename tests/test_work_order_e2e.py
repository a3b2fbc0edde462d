"""Work order rules hold when tried through the API, as an outside client would."""

import pytest
from conftest import assert_refused


@pytest.fixture(scope="module")
def staff(as_role):
    return {login: as_role(login) for login in ("jp_specialist", "jp_technician", "jp_technician2")}


@pytest.fixture(scope="module")
def work_order(staff):
    found = staff["jp_specialist"].search_read(
        "project.task",
        [("is_work_order", "=", True), ("partner_id.name", "=", "王先生")],
        ["id", "technician_id", "work_state"],
    )
    assert found, "the demo dealership has Mr Wang's work order"
    return found[0]["id"]


def test_stage_and_signatures_cannot_be_forced(staff, admin, work_order):
    specialist, technician = staff["jp_specialist"], staff["jp_technician"]
    handed_over = admin.ref("jingpin_accessories.task_type_handed_over")
    assert_refused(lambda: specialist.write("project.task", [work_order], {"stage_id": handed_over}))
    assert_refused(
        lambda: technician.create(
            "jingpin.signature",
            {
                "task_id": work_order,
                "role": "completion",
                "signer_name": "x",
                "user_id": technician.uid,
                "content": "{}",
                "signed_on": "2020-01-01 00:00:00",
            },
        )
    )
    assert_refused(lambda: technician.call("project.task", "action_sign_completion", [work_order]))


def test_start_needs_protective_set_and_nobody_signs_for_someone_else(staff, work_order):
    specialist, technician, other = staff["jp_specialist"], staff["jp_technician"], staff["jp_technician2"]
    assert_refused(lambda: technician.call("project.task", "action_start", [work_order]), "UserError")
    assert_refused(lambda: other.call("project.task", "action_confirm_protective_set", [work_order]))
    assert_refused(lambda: technician.write("project.task", [work_order], {"technician_id": other.uid}))
    assert_refused(lambda: technician.search_read("product.template", [("is_accessory", "=", True)], ["list_price"]))
    # The other technician does not even see this work order.
    assert other.search("project.task", [("id", "=", work_order)]) == []
    assert specialist.search("project.task", [("id", "=", work_order)]) == [work_order]
