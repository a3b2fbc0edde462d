"""Two clicks that must not both win (issue 8, class 4): simultaneous requests at the running server.

Each test prepares a document, then fires a few requests (at most MAX_THREADS, over loopback) released
together by a barrier, each thread on its own connection. Exactly one request may win; the others must be
refused with an Odoo error, and the database read back afterwards must hold one winner only.
"""

import datetime
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import OdooError, dispatch_work_order, new_customer_with_car, variant_of

MAX_THREADS = 8
ATTEMPTS = 4  # two people, each clicking twice
CAPACITY = 90  # minutes a day of the technician booked: one hour of work fits, two do not


def race(calls):
    """Run ``calls`` at the same moment, one thread each; returns [(won, result or OdooError)]."""
    assert 1 < len(calls) <= MAX_THREADS
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(timeout=60)
        try:
            return True, call()
        except OdooError as error:
            return False, error

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def the_one_winner(outcomes):
    """Assert exactly one call won and the others were refused by a rule; returns the winner's index."""
    winners = [index for index, (won, _result) in enumerate(outcomes) if won]
    assert len(winners) == 1, f"{len(winners)} of {len(outcomes)} simultaneous requests won: {outcomes}"
    for won, error in outcomes:
        if not won:
            assert error.name.startswith("odoo.exceptions."), f"refused, but not by a rule: {error}"
    return winners[0]


def connections(clients):
    """ATTEMPTS clients cycling over ``clients``, each on a connection of its own, already opened."""
    forks = [clients[index % len(clients)].fork() for index in range(ATTEMPTS)]
    for client in forks:
        client.search("res.users", [("id", "=", client.uid)])
    return forks


@pytest.fixture(scope="module")
def specialists(as_role):
    """Two specialists of the main dealership (the manager is a specialist too)."""
    return [as_role("jp_specialist"), as_role("jp_manager")]


def test_two_specialists_cannot_both_take_a_key(admin, specialists):
    """Class 4 (R21): the key box has one holder per key, even when two specialists check the same
    key out at the same moment."""
    work_order = dispatch_work_order(specialists[0], admin)
    slot = admin.create(
        "jingpin.key.slot", {"name": f"E2E-{uuid.uuid4().hex[:6]}", "company_id": admin.ref("base.main_company")}
    )
    specialists[0].call("project.task", "action_key_check_in", [work_order["id"]], slot=slot)

    clients = connections(specialists)
    outcomes = race(
        [
            lambda client=client: client.call(
                "project.task", "action_key_check_out", [work_order["id"]], holder=client.uid
            )
            for client in clients
        ]
    )
    winner = clients[the_one_winner(outcomes)]

    logs = admin.search_read(
        "jingpin.key.log", [("vehicle_id", "=", work_order["vehicle"])], ["action", "holder_id", "slot_id"], order="id"
    )
    assert [log["action"] for log in logs] == ["check_in", "check_out"], logs
    assert logs[1]["holder_id"][0] == winner.uid
    key = admin.read_one("project.task", work_order["id"], ["key_state", "key_holder_id"])
    assert key["key_state"] == "out" and key["key_holder_id"][0] == winner.uid


def test_an_order_is_approved_once(admin, as_role):
    """Class 4 (R11): the manager and the general manager approving the same order at the same moment
    record one decision."""
    consultant = as_role("jp_consultant")
    partner, vehicle = new_customer_with_car(admin, admin)  # a consultant creates no contact
    order = consultant.create(
        "sale.order",
        {
            "partner_id": partner,
            "vehicle_id": vehicle,
            "jingpin_channel": "walk_in",
            "order_line": [(0, 0, {"product_id": variant_of(admin, "product_emergency_kit_demo"), "discount": 10})],
        },
    )
    consultant.call("sale.order", "action_confirm", [order])
    assert admin.read_one("sale.order", order, ["jingpin_approval_state"])["jingpin_approval_state"] == "to_approve"

    clients = connections([as_role("jp_manager"), as_role("jp_gm")])
    wizards = [client.create("jingpin.approval.wizard", {"order_id": order, "comment": "同意"}) for client in clients]
    outcomes = race(
        [
            lambda client=client, wizard=wizard: client.call("jingpin.approval.wizard", "action_approve", [wizard])
            for client, wizard in zip(clients, wizards, strict=True)
        ]
    )
    winner = clients[the_one_winner(outcomes)]

    decisions = admin.search_read("jingpin.approval", [("order_id", "=", order)], ["level", "decision", "user_id"])
    assert [(d["decision"], d["user_id"][0]) for d in decisions] == [("approved", winner.uid)], decisions
    assert admin.read_one("sale.order", order, ["jingpin_approval_state"])["jingpin_approval_state"] == "approved"


def test_a_technician_is_not_booked_twice(admin, specialists):
    """Class 4 (R20): a technician's day holds no more planned work than his capacity, even when two
    specialists book him for the same morning at the same moment."""
    main = admin.ref("base.main_company")
    login = f"e2e-tech-{uuid.uuid4().hex[:6]}"
    technician = admin.create(
        "res.users",
        {
            "name": login,
            "login": login,
            "tz": "Asia/Shanghai",
            "jingpin_daily_capacity": CAPACITY,
            "company_id": main,
            "company_ids": [(6, 0, [main])],
            "group_ids": [(6, 0, [admin.ref("jingpin_accessories.group_jingpin_technician")])],
        },
    )
    # one hour of labour each
    work_orders = [dispatch_work_order(specialists[0], admin)["id"] for _ in range(ATTEMPTS)]
    day = datetime.date.today() + datetime.timedelta(days=30)
    start = f"{day.isoformat()} 02:00:00"  # 10:00 in Beijing

    clients = connections(specialists)
    outcomes = race(
        [
            lambda client=client, task=task: client.write(
                "project.task", [task], {"technician_id": technician, "planned_start": start}
            )
            for client, task in zip(clients, work_orders, strict=True)
        ]
    )
    winner = the_one_winner(outcomes)

    booked = admin.search_read("project.task", [("technician_id", "=", technician)], ["planned_minutes"])
    assert [row["id"] for row in booked] == [work_orders[winner]]
    assert sum(row["planned_minutes"] for row in booked) <= CAPACITY
