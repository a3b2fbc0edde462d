"""Work order rules hold when tried through the API, as an outside client would."""
import pytest

from conftest import OdooClient, OdooRpcError


@pytest.fixture(scope="module")
def staff(server):
    return {login: OdooClient(*server, login, "demo")
            for login in ("jp_specialist", "jp_technician", "jp_technician2")}


@pytest.fixture(scope="module")
def work_order(staff):
    specialist = staff["jp_specialist"]
    found = specialist.call("project.task", "search_read",
                            [("is_work_order", "=", True), ("partner_id.name", "=", "王先生")],
                            fields=["id", "technician_id", "work_state"])
    assert found, "the demo dealership has Mr Wang's work order"
    return found[0]["id"]


def expect_refusal(client, model, method, *args, **kwargs):
    with pytest.raises(OdooRpcError) as error:
        client.call(model, method, *args, **kwargs)
    assert error.value.name.startswith("odoo.exceptions.")
    return error.value


def test_stage_and_signatures_cannot_be_forced(staff, admin, work_order):
    specialist, technician = staff["jp_specialist"], staff["jp_technician"]
    handed_over = admin.ref("jingpin_accessories.task_type_handed_over")
    expect_refusal(specialist, "project.task", "write", [work_order], {"stage_id": handed_over})
    expect_refusal(technician, "jingpin.signature", "create", {
        "task_id": work_order, "role": "completion", "signer_name": "x", "user_id": technician.uid,
        "content": "{}", "signed_on": "2020-01-01 00:00:00",
    })
    expect_refusal(technician, "project.task", "action_sign_completion", [work_order])


def test_start_needs_protective_set_and_nobody_signs_for_someone_else(staff, work_order):
    specialist, technician, other = staff["jp_specialist"], staff["jp_technician"], staff["jp_technician2"]
    refusal = expect_refusal(technician, "project.task", "action_start", [work_order])
    assert "UserError" in refusal.name
    expect_refusal(other, "project.task", "action_confirm_protective_set", [work_order])
    expect_refusal(technician, "project.task", "write", [work_order], {"technician_id": other.uid})
    expect_refusal(technician, "product.template", "search_read", [("is_accessory", "=", True)],
                   fields=["list_price"])
    # The other technician does not even see this work order.
    assert other.call("project.task", "search", [("id", "=", work_order)]) == []
    assert specialist.call("project.task", "search", [("id", "=", work_order)]) == [work_order]
