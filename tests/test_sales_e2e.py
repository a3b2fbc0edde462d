"""Concession approvals hold through the API (R11): a referral order with a gift and a rebate
beyond the manager's authority is refused settlement until the manager and the GM approve."""

import pytest
from conftest import assert_refused


@pytest.fixture(scope="module")
def staff(as_role):
    return {login: as_role(login) for login in ("jp_consultant", "jp_specialist", "jp_manager", "jp_gm")}


def variant(admin, xmlid):
    template = admin.ref(f"jingpin_accessories_demo.{xmlid}")
    return admin.read_one("product.template", template, ["product_variant_id"])["product_variant_id"][0]


def decide(client, order, approve=True, comment="OK"):
    wizard = client.create("jingpin.approval.wizard", {"order_id": order, "comment": comment})
    client.call("jingpin.approval.wizard", "action_approve" if approve else "action_reject", [wizard])


def order_state(client, order):
    return client.read_one("sale.order", order, ["jingpin_approval_state"])["jingpin_approval_state"]


def test_referral_gift_beyond_authority_settles_only_after_manager_and_gm(admin, staff):
    consultant, specialist = staff["jp_consultant"], staff["jp_specialist"]
    manager, gm = staff["jp_manager"], staff["jp_gm"]
    customer = specialist.create("res.partner", {"name": "E2E 周先生"})
    referrer = admin.ref("jingpin_accessories_demo.partner_wang_demo")
    order = consultant.create(
        "sale.order",
        {
            "partner_id": customer,
            "jingpin_channel": "referral",
            "rebate_partner_id": referrer,
            "rebate_amount": 2500.0,
            "order_line": [
                (0, 0, {"product_id": variant(admin, "product_emergency_kit_demo")}),
                (0, 0, {"product_id": variant(admin, "product_fire_extinguisher_demo"), "is_gift": True}),
            ],
        },
    )
    consultant.call("sale.order", "action_confirm", [order])
    values = consultant.read_one(
        "sale.order",
        order,
        ["jingpin_approval_level", "jingpin_approval_state", "jingpin_gift_amount", "amount_untaxed"],
    )
    assert values["jingpin_approval_level"] == "gm"
    assert values["jingpin_approval_state"] == "to_approve"
    assert values["jingpin_gift_amount"] > 0
    assert values["amount_untaxed"] == pytest.approx(298.0), "the gift is free"

    wizard = specialist.create(
        "sale.advance.payment.inv", {"advance_payment_method": "delivered", "sale_order_ids": [(6, 0, [order])]}
    )
    specialist.call("sale.advance.payment.inv", "create_invoices", [wizard])
    invoice = specialist.read_one("sale.order", order, ["invoice_ids"])["invoice_ids"][0]

    refusal = assert_refused(lambda: specialist.call("account.move", "action_post", [invoice]), "UserError")
    assert "manager must approve" in refusal.message
    # Neither the consultant nor the specialist can approve; the manager cannot approve for the GM.
    assert_refused(lambda: consultant.create("jingpin.approval.wizard", {"order_id": order}))
    assert_refused(
        lambda: specialist.create("jingpin.approval", {"order_id": order, "level": "manager", "decision": "approved"})
    )

    decide(manager, order, comment="老客户介绍，同意")
    assert order_state(consultant, order) == "to_approve_gm"
    refusal = assert_refused(lambda: specialist.call("account.move", "action_post", [invoice]))
    assert "general manager must approve" in refusal.message
    assert_refused(
        lambda: manager.create("jingpin.approval", {"order_id": order, "level": "gm", "decision": "approved"})
    )

    decide(gm, order, comment="同意")
    assert order_state(consultant, order) == "approved"
    specialist.call("account.move", "action_post", [invoice])
    assert specialist.read_one("account.move", invoice, ["state"])["state"] == "posted"

    decisions = consultant.search_read(
        "jingpin.approval",
        [("order_id", "=", order)],
        ["level", "decision", "user_id", "decided_on", "comment"],
        order="id",
    )
    assert [(d["level"], d["decision"], d["user_id"][0]) for d in decisions] == [
        ("manager", "approved", manager.uid),
        ("gm", "approved", gm.uid),
    ]
    assert decisions[0]["comment"] == "老客户介绍，同意" and all(d["decided_on"] for d in decisions)
    assert_refused(lambda: gm.write("jingpin.approval", [decisions[0]["id"]], {"comment": "changed"}))
