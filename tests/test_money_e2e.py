"""Money is checked where it is decided (issue 19), through the JSON-2 API: what an invoice of an
accessory order posts is what was approved, an approval covers one version of the order, a confirmed
order keeps its date, Odoo's own ``state`` of the department's documents moves only through their
buttons, and the month's group purchase order changes only in its quantities and notes. Each attack
is made as a demo role and the data are read back as the administrator, unchanged.
"""

import pytest
from conftest import REFUSALS, OdooError, assert_refused, refused_and_unchanged
from test_group_purchase_e2e import suggestion  # noqa: F401 (the demo's group purchase order, a fixture)
from test_integrity_e2e import discounted_order

ROLES = ("jp_consultant", "jp_specialist", "jp_manager", "jp_gm", "jp_group")
ORDER_FIELDS = ["state", "date_order", "jingpin_approval_state", "jingpin_concession_amount", "jingpin_version"]
INVOICE_FIELDS = ["state", "amount_total", "invoice_line_ids"]
LINE_FIELDS = ["price_unit", "discount", "tax_ids", "product_uom_id", "product_qty"]


@pytest.fixture(scope="module")
def staff(as_role):
    return {login: as_role(login) for login in ROLES}


def decide(client, order):
    wizard = client.create("jingpin.approval.wizard", {"order_id": order, "comment": "同意"})
    client.call("jingpin.approval.wizard", "action_approve", [wizard])


@pytest.fixture
def approved(admin, staff):
    """The consultant's order with 10 % off, approved by the manager, and its draft invoice."""
    order = discounted_order(staff["jp_consultant"], admin)
    decide(staff["jp_manager"], order)
    specialist = staff["jp_specialist"]
    wizard = specialist.create(
        "sale.advance.payment.inv", {"advance_payment_method": "delivered", "sale_order_ids": [(6, 0, [order])]}
    )
    specialist.call("sale.advance.payment.inv", "create_invoices", [wizard])
    [invoice] = admin.read_one("sale.order", order, ["invoice_ids"])["invoice_ids"]
    [line] = admin.search("account.move.line", [("move_id", "=", invoice), ("display_type", "=", "product")])
    assert admin.read_one("sale.order", order, ["jingpin_approval_state"])["jingpin_approval_state"] == "approved"
    return {"order": order, "invoice": invoice, "line": line}


def try_write(client, model, ids, vals):
    """Write as ``client``; a refusal of the write itself is as good (the role may not edit it)."""
    try:
        client.write(model, ids, vals)
    except OdooError as error:
        assert error.name.startswith("odoo.exceptions."), error
        return False
    return True


@pytest.mark.parametrize("login", ["jp_specialist", "jp_manager", "jp_gm"])
def test_an_invoice_posts_only_the_approved_prices(admin, staff, approved, login):
    client, invoice, line = staff[login], approved["invoice"], approved["line"]
    original = admin.read_one("account.move.line", line, ["price_unit", "discount", "tax_ids"])
    goodwill = {"name": "E2E 让利", "price_unit": -50.0, "quantity": 1}
    posted_attempts = 0
    for command in ((1, line, {"discount": 50.0}), (1, line, {"price_unit": 1.0}), (0, 0, goodwill)):
        if not try_write(client, "account.move", [invoice], {"invoice_line_ids": [command]}):
            continue
        error = refused_and_unchanged(
            admin,
            lambda: client.call("account.move", "action_post", [invoice]),
            "account.move",
            [invoice],
            INVOICE_FIELDS,
            "UserError",
        )
        assert "approved" in error.message or "no accessory order" in error.message, error.message
        posted_attempts += 1
        # the administrator puts the invoice back as the order says
        added = [
            rid
            for rid in admin.read_one("account.move", invoice, ["invoice_line_ids"])["invoice_line_ids"]
            if rid != line
        ]
        restore = {"price_unit": original["price_unit"], "discount": original["discount"]}
        admin.write("account.move", [invoice], {"invoice_line_ids": [(1, line, restore)] + [(2, rid) for rid in added]})
    assert admin.read_one("account.move", invoice, ["state"])["state"] == "draft"
    assert posted_attempts == 3 or login != "jp_specialist", "the specialist edits draft invoices"


@pytest.fixture
def posted(admin, staff, approved):
    """The approved order's invoice, posted by the specialist."""
    staff["jp_specialist"].call("account.move", "action_post", [approved["invoice"]])
    assert admin.read_one("account.move", approved["invoice"], ["state"])["state"] == "posted"
    return approved


def credit_note(client, invoice):
    journal = client.read_one("account.move", invoice, ["journal_id"])["journal_id"][0]
    reversal = client.create(
        "account.move.reversal",
        {"reason": "退货", "journal_id": journal, "move_ids": [(6, 0, [invoice])]},
        context={"active_model": "account.move", "active_ids": [invoice]},
    )
    return client.call("account.move.reversal", "refund_moves", [reversal])["res_id"]


@pytest.mark.parametrize("vals", [{"price_unit": 99999.0}, {"quantity": 5.0}, {"discount": 0.0, "price_unit": 50000.0}])
def test_a_credit_note_refunds_no_more_than_was_charged(admin, staff, posted, vals):
    specialist = staff["jp_specialist"]
    refund = credit_note(specialist, posted["invoice"])
    [line] = admin.search("account.move.line", [("move_id", "=", refund), ("display_type", "=", "product")])
    specialist.write("account.move", [refund], {"invoice_line_ids": [(1, line, vals)]})
    refused_and_unchanged(
        admin,
        lambda: specialist.call("account.move", "action_post", [refund]),
        "account.move",
        [refund],
        INVOICE_FIELDS,
        "UserError",
    )
    assert admin.read_one("account.move", refund, ["state"])["state"] == "draft"


def test_a_confirmed_orders_lines_take_only_their_list(admin, staff, approved):
    [line] = admin.read_one("sale.order", approved["order"], ["order_line"])["order_line"][:1]
    for login in ("jp_consultant", "jp_specialist", "jp_manager"):
        for vals in ({"is_downpayment": True}, {"is_expense": True}, {"qty_delivered": 9.0}):
            refused_and_unchanged(
                admin,
                lambda: staff[login].write("sale.order.line", [line], vals),  # noqa: B023
                "sale.order.line",
                [line],
                ["is_downpayment", "is_expense", "qty_delivered", "order_id"],
            )


def test_nobody_writes_the_state_of_the_departments_documents(admin, staff, approved, suggestion):  # noqa: F811
    for login in ROLES:
        for context in (None, {"jingpin_action": True}):
            for model, record, state, fields in (
                ("sale.order", approved["order"], "cancel", ORDER_FIELDS),
                ("sale.order", approved["order"], "draft", ORDER_FIELDS),
                ("account.move", approved["invoice"], "posted", INVOICE_FIELDS),
                ("purchase.order", suggestion["id"], "purchase", ["state", "order_line"]),
            ):
                refused_and_unchanged(
                    admin,
                    lambda: staff[login].write(model, [record], {"state": state}, context=context),  # noqa: B023
                    model,
                    [record],
                    fields,
                )


def test_a_confirmed_order_keeps_its_date(admin, staff, approved):
    order = approved["order"]
    for login in ("jp_consultant", "jp_manager", "jp_gm", "jp_group"):
        for vals in ({"date_order": "2020-01-01 08:00:00"}, {"jingpin_version": 0}):
            refused_and_unchanged(
                admin,
                lambda: staff[login].write("sale.order", [order], vals),  # noqa: B023
                "sale.order",
                [order],
                ORDER_FIELDS,
            )


def test_cancel_change_confirm_needs_a_new_approval(admin, staff, approved):
    consultant, order = staff["jp_consultant"], approved["order"]
    # (the specialist cancels: cancelling the delivery reads purchase lines, which a consultant may not)
    specialist = staff["jp_specialist"]
    specialist.call("sale.order", "action_cancel", [order])
    consultant.call("sale.order", "action_draft", [order])
    consultant.write("sale.order", [order], {"note": "换了颜色"})
    consultant.call("sale.order", "action_confirm", [order])
    values = admin.read_one("sale.order", order, ["state", "jingpin_approval_state", "jingpin_version"])
    assert (values["state"], values["jingpin_approval_state"], values["jingpin_version"]) == ("sale", "to_approve", 1)
    decisions = admin.search("jingpin.approval", [("order_id", "=", order)])
    assert len(decisions) == 1, "the old decision stays on record, but covers the cancelled version only"
    assert_refused(lambda: consultant.write("sale.order", [order], {"jingpin_version": 0}), *REFUSALS)


@pytest.mark.parametrize(
    "vals",
    [
        {"price_unit": 0.01},
        {"discount": 90.0},
        {"tax_ids": [(5, 0, 0)]},
        {"jingpin_velocity_note": "编的"},
    ],
    ids=["price", "discount", "taxes", "note"],
)
@pytest.mark.parametrize("login", ["jp_specialist", "jp_manager", "jp_gm", "jp_group"])
def test_group_purchase_lines_change_only_in_quantity(admin, staff, suggestion, login, vals):  # noqa: F811
    lines = suggestion["order_line"][:1]
    refused_and_unchanged(
        admin,
        lambda: staff[login].write("purchase.order.line", lines, vals),
        "purchase.order.line",
        lines,
        ["price_unit", "discount", "tax_ids", "product_qty", "jingpin_velocity_note"],
    )


@pytest.mark.parametrize("field", ["currency_id", "company_id", "picking_type_id", "partner_id", "fiscal_position_id"])
def test_group_purchase_order_keeps_its_terms(admin, staff, suggestion, field):  # noqa: F811
    manager, order = staff["jp_manager"], suggestion["id"]
    candidates = {
        "currency_id": ("res.currency", [("active", "=", True)]),
        "company_id": ("res.company", []),
        "picking_type_id": ("stock.picking.type", [("code", "=", "incoming")]),
        "partner_id": ("res.partner", [("is_company", "=", True)]),
        "fiscal_position_id": ("account.fiscal.position", []),
    }
    model, domain = candidates[field]
    current = admin.read_one("purchase.order", order, [field])[field]
    others = [rid for rid in admin.search(model, domain) if not current or rid != current[0]]
    if not others:
        pytest.skip(f"the demo has no other {model}")
    refused_and_unchanged(
        admin,
        lambda: manager.write("purchase.order", [order], {field: others[0]}),
        "purchase.order",
        [order],
        ["state", field, "order_line", "amount_total"],
    )
