"""Rules that hold through every door (issue 8): each test tries, as a demo role calling the JSON-2 API,
to get round one rule, and proves that the server refuses it with an Odoo error and that the data read
back as the administrator is unchanged.

Every test works on documents it makes itself through the roles' own doors (a fresh order, work order,
promotion or due bill), so that an attempt the server wrongly accepts spoils nothing else. The technician
is jp_technician2 (jp_technician's queue is the demo's, checked by test_demo_dealership_e2e).
Each docstring names the rule, after the classes of issue 8.
"""

import datetime
import uuid

import pytest
from conftest import (
    REFUSALS,
    OdooError,
    assert_refused,
    dispatch_work_order,
    new_customer_with_car,
    refused_and_unchanged,
    variant_of,
)

# A rule may answer with any of these; what matters is that the attempt fails and changes nothing.


@pytest.fixture(scope="module")
def roles(as_role):
    return {
        login: as_role(login) for login in ("jp_technician2", "jp_specialist", "jp_consultant", "jp_manager", "jp_gm")
    }


@pytest.fixture(scope="module")
def technician(roles):
    return roles["jp_technician2"]


@pytest.fixture(scope="module")
def specialist(roles):
    return roles["jp_specialist"]


@pytest.fixture
def work_order(specialist, admin, technician):
    """A work order freshly dispatched to jp_technician2."""
    return dispatch_work_order(specialist, admin, technician=technician.uid)


def discounted_order(client, admin, discount=10.0, **values):
    """A confirmed accessory order of ``client`` with a manual discount (a concession the manager approves),
    for a new customer and car (entered by the administrator: a consultant creates no contact)."""
    partner, vehicle = new_customer_with_car(admin, admin)
    order = client.create(
        "sale.order",
        {
            "partner_id": partner,
            "vehicle_id": vehicle,
            "jingpin_channel": "walk_in",
            "order_line": [
                (0, 0, {"product_id": variant_of(admin, "product_emergency_kit_demo"), "discount": discount})
            ],
            **values,
        },
    )
    client.call("sale.order", "action_confirm", [order])
    return order


# === 1. No client-sent value opens a gate; 2. control fields; 3. documents around the workflow === #

WORK_ORDER_FIELDS = [
    "stage_id",
    "work_state",
    "is_work_order",
    "project_id",
    "active",
    "technician_id",
    "date_started",
    "user_ids",
]


@pytest.mark.parametrize("context", [None, {"jingpin_workflow": True}], ids=["plain", "jingpin_workflow"])
def test_technician_cannot_force_the_stage_of_his_work_order(admin, technician, work_order, context):
    """Class 1 (no client-trusted context) and 2: a work order moves through its steps only with its
    buttons; the context key ``jingpin_workflow`` sent by a client opens nothing."""
    handed_over = admin.ref("jingpin_accessories.task_type_handed_over")
    refused_and_unchanged(
        admin,
        lambda: technician.write("project.task", [work_order["id"]], {"stage_id": handed_over}, context=context),
        "project.task",
        [work_order["id"]],
        WORK_ORDER_FIELDS,
    )


@pytest.fixture(scope="module")
def other_project(admin):
    return admin.create("project.project", {"name": f"E2E other project {uuid.uuid4().hex[:6]}"})


@pytest.mark.parametrize("context", [None, {"jingpin_workflow": True}], ids=["plain", "jingpin_workflow"])
@pytest.mark.parametrize("field", ["work_state", "is_work_order", "project_id", "active"])
def test_technician_cannot_write_control_fields_of_his_work_order(
    admin, technician, work_order, other_project, field, context
):
    """Class 2: ``work_state``, ``is_work_order``, ``project_id`` and ``active`` change only through
    the workflow (archiving or moving a work order out of the installation project would hide open
    work from the handover gate)."""
    value = {"work_state": "handed_over", "is_work_order": False, "project_id": other_project, "active": False}[field]
    refused_and_unchanged(
        admin,
        lambda: technician.write("project.task", [work_order["id"]], {field: value}, context=context),
        "project.task",
        [work_order["id"]],
        WORK_ORDER_FIELDS,
    )


def test_technician_cannot_archive_his_work_order(admin, technician, work_order):
    """Class 2/3: ``action_archive`` is another door to ``active``."""
    refused_and_unchanged(
        admin,
        lambda: technician.call("project.task", "action_archive", [work_order["id"]]),
        "project.task",
        [work_order["id"]],
        WORK_ORDER_FIELDS,
    )


@pytest.mark.parametrize("context", [None, {"jingpin_workflow": True}], ids=["plain", "jingpin_workflow"])
def test_technician_cannot_create_a_work_order(admin, technician, work_order, context):
    """Class 3: work orders come only from dispatch; a technician creates no task in the installation
    project (not even with a client-sent context or ``default_*`` keys)."""
    project = admin.read_one("project.task", work_order["id"], ["project_id"])["project_id"][0]
    name = f"E2E forged work order {uuid.uuid4().hex[:8]}"
    assert_refused(
        lambda: technician.create(
            "project.task",
            {
                "name": name,
                "project_id": project,
                "vehicle_id": work_order["vehicle"],
                "technician_id": technician.uid,
            },
            context=context,
        ),
        *REFUSALS,
    )
    assert admin.search("project.task", [("name", "=", name)], context={"active_test": False}) == []


def test_technician_cannot_delete_his_work_order(admin, technician, work_order):
    """Class 3: technicians never delete work orders."""
    refused_and_unchanged(
        admin,
        lambda: technician.unlink("project.task", [work_order["id"]]),
        "project.task",
        [work_order["id"]],
        WORK_ORDER_FIELDS,
    )


@pytest.mark.parametrize("login", ["jp_technician2", "jp_specialist"])
def test_nobody_creates_a_signature_with_the_sign_context(admin, roles, work_order, login):
    """Class 1 (context ``jingpin_sign``) and B1: signatures come only from the work order's sign
    buttons, never from a create, whatever context the client sends."""
    client = roles[login]
    assert_refused(
        lambda: client.create(
            "jingpin.signature",
            {
                "task_id": work_order["id"],
                "role": "completion",
                "signer_name": "forged",
                "user_id": client.uid,
                "content": "{}",
            },
            context={"jingpin_sign": True},
        ),
        *REFUSALS,
    )
    assert admin.search("jingpin.signature", [("task_id", "=", work_order["id"])]) == []


# === 2. Control fields of the accessory order === #

ORDER_FIELDS = [
    "state",
    "jingpin_channel",
    "jingpin_approval_state",
    "jingpin_approval_level",
    "jingpin_excess_amount",
    "jingpin_concession_amount",
    "jingpin_approval_ids",
]


@pytest.fixture
def consultant_order(roles, admin):
    """A confirmed accessory order of the consultant with a 10 % discount: waiting for the manager."""
    order = discounted_order(roles["jp_consultant"], admin)
    assert admin.read_one("sale.order", order, ["jingpin_approval_state"])["jingpin_approval_state"] == "to_approve"
    return order


@pytest.mark.parametrize(
    "vals",
    [
        {"jingpin_approval_state": "approved"},
        {"jingpin_approval_level": "none"},
        {"jingpin_excess_amount": 999999},
        {"jingpin_concession_amount": 0},
    ],
    ids=lambda vals: next(iter(vals)),
)
def test_consultant_cannot_write_approval_fields(admin, roles, consultant_order, vals):
    """Class 2 (R11): the approval state, level and amounts are the server's computation; a client
    neither approves an order nor charges the manager an invented excess by writing them."""
    refused_and_unchanged(
        admin,
        lambda: roles["jp_consultant"].write("sale.order", [consultant_order], vals),
        "sale.order",
        [consultant_order],
        ORDER_FIELDS,
    )


def test_consultant_cannot_write_the_concession_of_a_line(admin, roles, consultant_order):
    """Class 2 (R11): a line's ``jingpin_concession`` is computed from its price and discount."""
    lines = admin.search("sale.order.line", [("order_id", "=", consultant_order)])
    refused_and_unchanged(
        admin,
        lambda: roles["jp_consultant"].write("sale.order.line", lines, {"jingpin_concession": 0}),
        "sale.order.line",
        lines,
        ["jingpin_concession", "jingpin_reference_price", "discount", "price_unit"],
    )


def test_consultant_cannot_clear_the_channel_of_a_confirmed_order(admin, roles, consultant_order):
    """Class 2: a confirmed accessory order keeps its sales channel (clearing it would take the order
    out of the department's authority and its approval)."""
    refused_and_unchanged(
        admin,
        lambda: roles["jp_consultant"].write("sale.order", [consultant_order], {"jingpin_channel": False}),
        "sale.order",
        [consultant_order],
        ORDER_FIELDS,
    )


def test_consultant_cannot_create_an_order_already_approved(admin, roles):
    """Class 2: ``create`` is checked like ``write``; an order does not start out approved."""
    consultant = roles["jp_consultant"]
    partner, vehicle = new_customer_with_car(admin, admin)
    assert_refused(
        lambda: consultant.create(
            "sale.order",
            {
                "partner_id": partner,
                "vehicle_id": vehicle,
                "jingpin_channel": "walk_in",
                "jingpin_approval_state": "approved",
                "jingpin_approval_level": "none",
                "order_line": [(0, 0, {"product_id": variant_of(admin, "product_emergency_kit_demo"), "discount": 50})],
            },
        ),
        *REFUSALS,
    )
    assert admin.search("sale.order", [("partner_id", "=", partner)]) == []


# === 2/9. Promotions: state and approver === #


@pytest.fixture
def submitted_promotion(roles, admin):
    """A promotion of jp_manager, submitted to the general manager."""
    manager = roles["jp_manager"]
    start = datetime.date.today() + datetime.timedelta(days=400)
    promotion = manager.create(
        "jingpin.promotion",
        {
            "name": f"E2E 促销 {uuid.uuid4().hex[:6]}",
            "date_from": start.isoformat(),
            "date_to": (start + datetime.timedelta(days=10)).isoformat(),
            "line_ids": [
                (
                    0,
                    0,
                    {
                        "product_tmpl_id": admin.ref("jingpin_accessories_demo.product_dashcam_70mai_demo"),
                        "promotion_price": 799,
                    },
                )
            ],
        },
    )
    manager.call("jingpin.promotion", "action_submit", [promotion])
    return promotion


PROMOTION_FIELDS = ["state", "approved_by_id", "approved_on", "pricelist_item_ids"]


@pytest.mark.parametrize("vals", ["state", "approved_by_id", "approved_on"])
def test_manager_cannot_approve_his_own_promotion_by_writing_it(admin, roles, submitted_promotion, vals):
    """Class 2 and 9: only the general manager approves a promotion, through ``action_approve``; the
    manager who submitted it cannot write its state, approver or approval time."""
    manager = roles["jp_manager"]
    value = {"state": "approved", "approved_by_id": manager.uid, "approved_on": "2020-01-01 00:00:00"}[vals]
    refused_and_unchanged(
        admin,
        lambda: manager.write("jingpin.promotion", [submitted_promotion], {vals: value}),
        "jingpin.promotion",
        [submitted_promotion],
        PROMOTION_FIELDS,
    )


def test_manager_cannot_approve_his_own_promotion_with_the_sync_context(admin, roles, submitted_promotion):
    """Class 1: the context key ``jingpin_promotion_sync`` sent by a client opens nothing."""
    manager = roles["jp_manager"]
    refused_and_unchanged(
        admin,
        lambda: manager.write(
            "jingpin.promotion",
            [submitted_promotion],
            {"state": "approved", "approved_by_id": roles["jp_gm"].uid},
            context={"jingpin_promotion_sync": True},
        ),
        "jingpin.promotion",
        [submitted_promotion],
        PROMOTION_FIELDS,
    )


# === 2. Due bills: signed only by the customer's signature === #

DUE_BILL_FIELDS = ["state", "signed_on", "signature", "signer_name"]


@pytest.fixture
def draft_due_bill(specialist, admin, work_order):
    return specialist.create(
        "jingpin.due.bill",
        {
            "vehicle_id": work_order["vehicle"],
            "partner_id": work_order["partner"],
            "work_order_ids": [(6, 0, [work_order["id"]])],
        },
    )


@pytest.mark.parametrize(
    "vals",
    [
        {"state": "signed", "signed_on": "2020-01-01 00:00:00"},
        {"state": "signed"},
        {"signed_on": "2020-01-01 00:00:00"},
    ],
    ids=["state+signed_on", "state", "signed_on"],
)
def test_specialist_cannot_mark_a_due_bill_signed(admin, specialist, draft_due_bill, vals):
    """Class 2 (B11): a due bill is signed only by the customer through ``action_sign``; nobody writes
    it signed without a signature, nor back-dates it."""
    refused_and_unchanged(
        admin,
        lambda: specialist.write("jingpin.due.bill", [draft_due_bill], vals),
        "jingpin.due.bill",
        [draft_due_bill],
        DUE_BILL_FIELDS,
    )


def test_specialist_cannot_create_a_due_bill_already_signed(admin, specialist, work_order):
    """Class 2 (B11): ``create`` is checked like ``write``."""
    assert_refused(
        lambda: specialist.create(
            "jingpin.due.bill",
            {
                "vehicle_id": work_order["vehicle"],
                "partner_id": work_order["partner"],
                "work_order_ids": [(6, 0, [work_order["id"]])],
                "state": "signed",
                "signed_on": "2020-01-01 00:00:00",
            },
        ),
        *REFUSALS,
    )
    assert admin.search("jingpin.due.bill", [("vehicle_id", "=", work_order["vehicle"])]) == []


# === 5. Money never reaches technicians === #


@pytest.mark.parametrize(
    "model, field",
    [
        ("sale.order.line", "price_unit"),
        ("sale.order.line", "margin"),
        ("sale.order.line", "price_subtotal"),
        ("sale.order.line", "price_tax"),
        ("sale.order.line", "jingpin_reference_price"),
        ("sale.order", "amount_total"),
        ("sale.order", "margin"),
        ("sale.order", "jingpin_concession_percent"),
    ],
    ids=lambda value: value,
)
def test_technician_reads_no_money_of_his_work_orders_order(admin, technician, work_order, model, field):
    """Class 5 (R1): the technician reads no price, amount or margin of the order behind his own work
    order."""
    if model == "sale.order":
        ids = [work_order["order"]]
    else:
        ids = admin.search("sale.order.line", [("order_id", "=", work_order["order"])])
    assert_refused(lambda: technician.read(model, ids, [field]), "AccessError")


@pytest.mark.parametrize(
    "model, field",
    [
        ("product.template", "list_price"),
        ("product.template", "standard_price"),
        ("product.product", "lst_price"),
        ("product.product", "standard_price"),
        ("product.combo.item", "lst_price"),
        ("product.pricelist.item", "fixed_price"),
    ],
    ids=lambda value: value,
)
def test_technician_reads_no_price_of_the_catalogue(admin, technician, model, field):
    """Class 5 (R1): no price or cost of products, packages or price lists reaches a technician."""
    ids = admin.search(model, [], limit=3)
    assert ids, f"the demo dealership has {model} records"
    assert_refused(lambda: technician.read(model, ids, [field]), "AccessError")


def test_technician_sees_only_the_orders_of_his_work_orders(admin, technician, work_order):
    """Class 5: a technician sees only what his own work orders need, not every order of the company."""
    try:
        visible = set(technician.search("sale.order", []))
    except OdooError as error:  # no access to orders at all also keeps the rule
        assert error.name == "odoo.exceptions.AccessError", error
        return
    mine = {
        row["accessory_order_id"][0]
        for row in admin.search_read(
            "project.task",
            [("technician_id", "=", technician.uid), ("accessory_order_id", "!=", False)],
            ["accessory_order_id"],
        )
    }
    assert visible <= mine, f"the technician sees {len(visible - mine)} orders that are not his work"


# === 8. Arithmetic === #


@pytest.mark.parametrize(
    "lines",
    [
        [{"discount": 100}, {"is_gift": True, "product_uom_qty": -1}],
        [{"product_uom_qty": -2}],
        [{"price_unit": -100}],
    ],
    ids=["gift-minus-one-offsets-full-discount", "negative-quantity", "negative-price"],
)
def test_accessory_order_refuses_negative_quantities_and_prices(admin, specialist, lines):
    """Class 8: accessory orders refuse negative quantities and prices (returns go through Odoo's
    returns and credit notes), so concessions cannot be netted against each other."""
    partner, vehicle = new_customer_with_car(specialist, admin)
    kit = variant_of(admin, "product_emergency_kit_demo")

    def create():
        order = specialist.create(
            "sale.order",
            {
                "partner_id": partner,
                "vehicle_id": vehicle,
                "jingpin_channel": "walk_in",
                "order_line": [(0, 0, {"product_id": kit, **line}) for line in lines],
            },
        )
        specialist.call("sale.order", "action_confirm", [order])
        return order

    assert_refused(create, *REFUSALS)
    # Refused at entry or at confirmation: no such order is confirmed.
    orders = admin.search_read("sale.order", [("partner_id", "=", partner)], ["state"])
    assert all(order["state"] in ("draft", "cancel") for order in orders), orders


# === 9. Nobody approves his own request === #


def test_manager_cannot_approve_his_own_order(admin, roles):
    """Class 9 (R11): an approver does not decide on his own order; the manager's own discount waits
    for someone else."""
    manager = roles["jp_manager"]
    order = discounted_order(manager, admin, user_id=manager.uid)
    assert admin.read_one("sale.order", order, ["jingpin_approval_state"])["jingpin_approval_state"] == "to_approve"

    def approve():
        wizard = manager.create("jingpin.approval.wizard", {"order_id": order, "comment": "我自己的单"})
        return manager.call("jingpin.approval.wizard", "action_approve", [wizard])

    refused_and_unchanged(admin, approve, "sale.order", [order], ORDER_FIELDS)
