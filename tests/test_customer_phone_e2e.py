"""The customer's phone (B17) from outside: an anonymous client with a link opens his menu only,
and forged, other-purpose, used or outdated links are refused and change nothing; every request
is counted, and a flood of them is refused."""

import re

import pytest
import requests
from conftest import assert_refused

TIMEOUT = 60
COSTS = ("420.00", "1,900.00", "520.00")  # the demo floor mats', window film's and dashcam's costs


def variant(admin, xmlid):
    template = admin.ref(f"jingpin_accessories_demo.{xmlid}")
    return admin.read_one("product.template", template, ["product_variant_id"])["product_variant_id"][0]


@pytest.fixture
def offer(admin, as_role):
    """A walk-in quotation of three accessories sent to the customer's phone: (order, token, url)."""
    specialist = as_role("jp_specialist")
    customer = specialist.create("res.partner", {"name": "E2E 钱先生", "phone": "+86 139 0000 0001"})
    order = specialist.create(
        "sale.order",
        {
            "partner_id": customer,
            "jingpin_channel": "walk_in",
            "order_line": [
                (0, 0, {"product_id": variant(admin, xmlid)})
                for xmlid in ("product_mat_tpe_camry_demo", "product_film_3m_full_demo", "product_dashcam_70mai_demo")
            ],
        },
    )
    specialist.call("sale.order", "action_jingpin_send_customer_link", [order])
    url = specialist.read_one("sale.order", order, ["jingpin_customer_url"])["jingpin_customer_url"]
    return order, url.rsplit("/", 1)[1], url


def anonymous(server_url):
    session = requests.Session()
    session.base = server_url
    return session


def page(session, token):
    return session.get(f"{session.base}/jingpin/c/{token}", timeout=TIMEOUT)


def csrf(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def lines_of(admin, order):
    return admin.read_one("sale.order", order, ["order_line"])["order_line"]


def decisions_of(admin, order):
    return admin.search("jingpin.customer.decision", [("order_id", "=", order)])


def sign(session, token, name="钱先生", door="c"):
    response = session.post(
        f"{session.base}/jingpin/{door}/{token}/sign",
        json={"jsonrpc": "2.0", "method": "call", "params": {"name": name, "signature": SIGNATURE_PNG}},
        timeout=TIMEOUT,
    )
    return response.json()["result"]


SIGNATURE_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def test_the_menu_shows_his_order_and_no_cost(server, offer):
    _order, token, _url = offer
    response = page(anonymous(server[0]), token)
    assert response.status_code == 200
    assert "E2E 钱先生" in response.text
    for cost in COSTS:
        assert cost not in response.text


def test_forged_and_other_purpose_tokens_are_refused_and_change_nothing(admin, server, offer):
    order, token, _url = offer
    session = anonymous(server[0])
    form = csrf(page(session, token).text)
    before = lines_of(admin, order)
    forged = token[:-2] + ("xy" if not token.endswith("xy") else "zw")
    assert page(session, forged).status_code == 404
    response = session.post(
        f"{server[0]}/jingpin/c/{forged}/decide",
        data={"csrf_token": form, "line_id": before[0], "decision": "declined"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 404
    assert "error" in sign(session, forged)
    assert lines_of(admin, order) == before
    assert not decisions_of(admin, order)


def test_another_orders_line_is_refused(admin, server, offer, as_role):
    order, token, _url = offer
    other_order = _another_offer(admin, as_role)
    session = anonymous(server[0])
    form = csrf(page(session, token).text)
    other_lines = lines_of(admin, other_order)
    response = session.post(
        f"{server[0]}/jingpin/c/{token}/decide",
        data={"csrf_token": form, "line_id": other_lines[0], "decision": "declined"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200 and "jp_customer_error" in response.text
    assert lines_of(admin, other_order) == other_lines
    assert not decisions_of(admin, order) and not decisions_of(admin, other_order)


def _another_offer(admin, as_role):
    specialist = as_role("jp_specialist")
    customer = specialist.create("res.partner", {"name": "E2E 孙女士"})
    order = specialist.create(
        "sale.order",
        {
            "partner_id": customer,
            "jingpin_channel": "walk_in",
            "order_line": [(0, 0, {"product_id": variant(admin, "product_mat_tpe_camry_demo")})],
        },
    )
    specialist.call("sale.order", "action_jingpin_send_customer_link", [order])
    return order


def test_decline_accept_sign_then_the_link_is_spent(admin, server, offer, as_role):
    order, token, _url = offer
    session = anonymous(server[0])
    lines = lines_of(admin, order)
    form = csrf(page(session, token).text)
    for line, decision in zip(lines, ("declined", "accepted", "accepted"), strict=True):
        response = session.post(
            f"{server[0]}/jingpin/c/{token}/decide",
            data={"csrf_token": csrf(page(session, token).text), "line_id": line, "decision": decision},
            timeout=TIMEOUT,
        )
        assert response.status_code == 200 and "jp_customer_error" not in response.text
    assert lines_of(admin, order) == lines[1:]
    declined = admin.search_read("jingpin.customer.decision", [("order_id", "=", order)], ["decision"])
    assert sorted(d["decision"] for d in declined) == ["accepted", "accepted", "declined"]
    assert sign(session, token) == {"force_refresh": True, "redirect_url": f"/jingpin/c/{token}"}
    state = admin.read_one("sale.order", order, ["jingpin_customer_sign_state"])["jingpin_customer_sign_state"]
    assert state == "current"
    # used: the link only shows what he signed and how his car is getting on; nothing more is done through it
    followed = page(session, token)
    assert followed.status_code == 200 and "jp_customer_signed" in followed.text
    assert "jp_decline" not in followed.text and "o_portal_sign_submit" not in followed.text
    for cost in COSTS:
        assert cost not in followed.text
    [document] = re.findall(rf"/jingpin/c/{token}/document/(\d+)", followed.text)
    pdf = session.get(f"{server[0]}/jingpin/c/{token}/document/{document}", timeout=TIMEOUT)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    response = session.post(
        f"{server[0]}/jingpin/c/{token}/decide",
        data={"csrf_token": form, "line_id": lines[1], "decision": "declined"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 404
    assert "error" in sign(session, token)
    assert len(admin.search("jingpin.signature", [("order_id", "=", order)])) == 1
    assert lines_of(admin, order) == lines[1:]
    # his signed sheet from another link, or another attachment through his: refused
    assert session.get(f"{server[0]}/jingpin/h/{token}/document/{document}", timeout=TIMEOUT).status_code == 404
    other = int(document) - 1
    assert session.get(f"{server[0]}/jingpin/c/{token}/document/{other}", timeout=TIMEOUT).status_code == 404
    # the order changes after he signed: his signature is out of date
    specialist = as_role("jp_specialist")
    specialist.write("sale.order.line", [lines[1]], {"product_uom_qty": 2})
    state = admin.read_one("sale.order", order, ["jingpin_customer_sign_state"])["jingpin_customer_sign_state"]
    assert state == "outdated"


def test_a_changed_order_closes_the_link(admin, server, offer, as_role):
    order, token, _url = offer
    as_role("jp_specialist").write("sale.order.line", lines_of(admin, order)[:1], {"price_unit": 1.0})
    assert page(anonymous(server[0]), token).status_code == 404


def test_nobody_forges_a_decision_or_a_link_through_the_api(admin, as_role, offer):
    order, _token, _url = offer
    specialist = as_role("jp_specialist")
    line = lines_of(admin, order)[0]
    product = admin.read_one("sale.order.line", line, ["product_id"])["product_id"][0]
    for model, vals in (
        ("jingpin.customer.decision", {"order_id": order, "product_id": product, "decision": "declined"}),
        ("jingpin.customer.link", {"order_id": order, "purpose": "confirm", "token_digest": "0" * 64}),
    ):
        with pytest.raises(Exception):  # noqa: B017, PT011 - refused as UserError or AccessError
            specialist.create(model, vals)
    assert not decisions_of(admin, order)


def test_a_flood_of_requests_is_refused(server):
    session = anonymous(server[0])
    token = "flood-" + "a" * 26
    statuses = [page(session, token).status_code for _i in range(61)]
    assert set(statuses[:60]) == {404}
    assert statuses[60] == 429


def test_the_handover_door_opens_no_confirmation_link(admin, server, offer):
    """A menu's token at the handover's door (page, code, verify, sign, document) opens nothing and
    changes nothing; nor does a forged handover token."""
    order, token, _url = offer
    session = anonymous(server[0])
    form = csrf(page(session, token).text)
    before = lines_of(admin, order)
    forged = "h" + token[1:] if not token.startswith("h") else "x" + token[1:]
    for candidate in (token, forged):
        assert session.get(f"{server[0]}/jingpin/h/{candidate}", timeout=TIMEOUT).status_code == 404
        for action, data in (("code", {}), ("verify", {"code": "123456"})):
            response = session.post(
                f"{server[0]}/jingpin/h/{candidate}/{action}", data={"csrf_token": form, **data}, timeout=TIMEOUT
            )
            assert response.status_code == 404, action
        assert "error" in sign(session, candidate, door="h")
        assert session.get(f"{server[0]}/jingpin/h/{candidate}/document/1", timeout=TIMEOUT).status_code == 404
    assert lines_of(admin, order) == before
    assert not admin.search("jingpin.signature", [("order_id", "=", order)])


def test_nobody_forges_a_handover_link_or_sends_one_for_an_unready_car(admin, as_role, offer):
    order, _token, _url = offer
    specialist = as_role("jp_specialist")
    dispatched = specialist.search(
        "project.task", [("is_work_order", "=", True), ("work_state", "=", "dispatched")], limit=1
    )
    assert dispatched, "the demo dealership has a dispatched work order"
    assert_refused(
        lambda: specialist.call("project.task", "action_jingpin_send_handover_link", dispatched), "UserError"
    )
    assert_refused(
        lambda: specialist.call("project.task", "action_jingpin_email_handover_link", dispatched), "UserError"
    )
    assert_refused(
        lambda: specialist.create(
            "jingpin.customer.link",
            {"order_id": order, "task_id": dispatched[0], "purpose": "handover", "token_digest": "0" * 64},
        )
    )
    assert not admin.search("jingpin.customer.link", [("task_id", "=", dispatched[0])])
