"""End-to-end tests: they drive a running Odoo server as an outside client would, through Odoo 19's
JSON-2 API (``POST /json/2/<model>/<method>`` with a bearer API key per user).

scripts/test.sh starts the server and sets:

- ``JINGPIN_URL`` and ``JINGPIN_DB``: the server and its demo database;
- ``JINGPIN_API_KEYS`` (optional): a JSON file ``{login: api key}`` written by ``create_demo_api_keys``
  (scripts/common.sh). Without it, each demo user makes his own key in a web session, as from his
  preferences (password ``demo``; ``admin`` for the administrator).
"""

import json
import os
import uuid

import pytest
import requests

TIMEOUT = 120


class OdooError(Exception):
    """An error answered by the server: ``name`` is the exception's dotted name
    (``odoo.exceptions.AccessError``), ``message`` what the user would read, ``status`` the HTTP status."""

    def __init__(self, name, message, status=None):
        self.name, self.message, self.status = name, message, status
        super().__init__(f"{name}: {message}")


# Kept for the tests written against the JSON-RPC client.
OdooRpcError = OdooError


class OdooClient:
    """A JSON-2 client logged in with one user's API key.

    ``call(model, method, ids, context=..., **kwargs)`` posts ``{"ids": ids, "context": context, **kwargs}``
    to ``/json/2/<model>/<method>``: the method's arguments are passed by name (``vals_list``, ``vals``,
    ``domain``, ``fields``...). Recordsets come back as lists of ids.
    """

    def __init__(self, url, db, api_key, login=None):
        self.url, self.db, self.login, self._api_key = url, db, login, api_key
        self.session = requests.Session()
        self.session.headers.update(
            {
                "Authorization": f"bearer {api_key}",
                "X-Odoo-Database": db,
                "Content-Type": "application/json",
            }
        )
        self._uid = None

    def fork(self):
        """The same user on a connection of its own (a requests session is not shared between threads)."""
        client = OdooClient(self.url, self.db, self._api_key, login=self.login)
        client._uid = self._uid
        return client

    def __repr__(self):
        return f"<OdooClient {self.login or '?'}@{self.db}>"

    def call(self, model, method, ids=None, /, context=None, **kwargs):
        body = dict(kwargs)
        if ids is not None:
            body["ids"] = list(ids)
        if context:
            body["context"] = context
        response = self.session.post(f"{self.url}/json/2/{model}/{method}", data=json.dumps(body), timeout=TIMEOUT)
        if response.status_code >= 400:
            raise self._error(response)
        return response.json()

    @staticmethod
    def _error(response):
        try:
            payload = response.json()
        except ValueError:
            return OdooError(f"HTTP {response.status_code}", response.text[:500], response.status_code)
        return OdooError(payload.get("name", ""), payload.get("message", ""), response.status_code)

    # --- shorthands for the ORM's own methods --- #
    def create(self, model, vals, context=None):
        """Create one record (``vals`` a dict: returns its id) or several (a list: returns their ids)."""
        ids = self.call(model, "create", vals_list=[vals] if isinstance(vals, dict) else vals, context=context)
        return ids[0] if isinstance(vals, dict) else ids

    def write(self, model, ids, vals, context=None):
        return self.call(model, "write", ids, vals=vals, context=context)

    def read(self, model, ids, fields, context=None):
        return self.call(model, "read", ids, fields=fields, context=context)

    def read_one(self, model, record_id, fields):
        return self.read(model, [record_id], fields)[0]

    def search(self, model, domain, **kwargs):
        return self.call(model, "search", domain=domain, **kwargs)

    def search_read(self, model, domain, fields, **kwargs):
        return self.call(model, "search_read", domain=domain, fields=fields, **kwargs)

    def unlink(self, model, ids):
        return self.call(model, "unlink", ids)

    @property
    def uid(self):
        if self._uid is None:
            [self._uid] = self.search("res.users", [("login", "=", self.login)])
        return self._uid

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        found = self.search_read("ir.model.data", [("module", "=", module), ("name", "=", name)], ["res_id"])
        if not found:
            raise AssertionError(f"no record {xmlid}")
        return found[0]["res_id"]


def make_api_key(url, db, login, password):
    """Let the user make his own API key, as from his preferences in the web client: a web session,
    the key wizard, then the identity check with his password (Odoo does not let anyone else make a
    user's key, and the JSON-2 API needs a key to start with)."""
    session = requests.Session()

    def rpc(path, params):
        response = session.post(
            f"{url}{path}", json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}, timeout=TIMEOUT
        )
        response.raise_for_status()
        payload = response.json()
        if "error" in payload:
            data = payload["error"].get("data", {})
            raise OdooError(data.get("name", ""), data.get("message", ""))
        return payload["result"]

    def call_kw(model, method, args, kwargs=None):
        return rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    rpc("/web/session/authenticate", {"db": db, "login": login, "password": password})
    wizard = call_kw("res.users.apikeys.description", "create", [{"name": "e2e", "duration": "1"}])
    wizard = wizard[0] if isinstance(wizard, list) else wizard
    action = call_kw("res.users.apikeys.description", "make_key", [[wizard]])
    if action.get("res_model") == "res.users.identitycheck":
        action = call_kw(
            "res.users.identitycheck", "run_check", [[action["res_id"]]], {"context": {"password": password}}
        )
    return action["context"]["default_key"]


@pytest.fixture(scope="session")
def server():
    url, db = os.environ.get("JINGPIN_URL"), os.environ.get("JINGPIN_DB")
    if not url or not db:
        pytest.fail("JINGPIN_URL and JINGPIN_DB must point at a running Odoo (scripts/test.sh sets them)")
    return url.rstrip("/"), db


@pytest.fixture(scope="session")
def api_keys(server):
    """{login: API key} of the demo users: from the JINGPIN_API_KEYS file, else made on demand."""
    path = os.environ.get("JINGPIN_API_KEYS")
    if path:
        with open(path, encoding="utf-8") as file:
            return json.load(file)
    return {}


@pytest.fixture(scope="session")
def as_role(server, api_keys):
    """``as_role(login)``: a JSON-2 client of that demo user (one per login for the session)."""
    clients = {}

    def client(login):
        if login not in clients:
            if login not in api_keys:
                api_keys[login] = make_api_key(*server, login, "admin" if login == "admin" else "demo")
            clients[login] = OdooClient(*server, api_keys[login], login=login)
        return clients[login]

    return client


@pytest.fixture(scope="session")
def admin(as_role):
    return as_role("admin")


@pytest.fixture(scope="session")
def make_user(server, admin):
    """Create a user in the given groups and return a JSON-2 client of that user (his own API key)."""

    def make(groups, login=None, **values):
        login = login or f"e2e-{uuid.uuid4().hex[:8]}"
        admin.create(
            "res.users",
            {
                "name": login,
                "login": login,
                "password": login,
                "group_ids": [(6, 0, [admin.ref(group) for group in groups])],
                **values,
            },
        )
        return OdooClient(*server, make_api_key(*server, login, login), login=login)

    return make


REFUSALS = ("AccessError", "UserError", "ValidationError")


@pytest.fixture(scope="session")
def specialist(as_role):
    return as_role("jp_specialist")


@pytest.fixture(scope="session")
def manager(as_role):
    return as_role("jp_manager")


def refused_and_unchanged(admin, call, model, ids, fields, *exc_names):
    """Assert ``call()`` is refused (by one of ``exc_names``; by a rule's refusal by default) and that
    ``fields`` of ``model`` ``ids`` read back as the administrator the same as before; returns the error."""
    before = admin.read(model, ids, fields)
    error = assert_refused(call, *(exc_names or REFUSALS))
    assert admin.read(model, ids, fields) == before, f"{model} {ids} changed although the call was refused"
    return error


def assert_refused(call, *exc_names):
    """Run ``call()`` and assert the server refuses it with one of the named Odoo exceptions
    (short names such as ``"AccessError"`` or dotted ones); returns the error."""
    names = {name if "." in name else f"odoo.exceptions.{name}" for name in exc_names} or None
    try:
        result = call()
    except OdooError as caught:
        error = caught
    else:
        pytest.fail(f"the server accepted it (it returned {result!r})")
    if names is None:
        assert error.name.startswith("odoo.exceptions."), f"refused, but not by a rule: {error}"
    else:
        assert error.name in names, f"expected one of {sorted(names)}, got {error}"
    return error


# --- the demo dealership's documents, made fresh for a test through the roles' own doors --- #


def variant_of(admin, xmlid):
    """The product variant of a demo product template (``jingpin_accessories.<xmlid>``)."""
    template = admin.ref(f"jingpin_accessories_demo.{xmlid}")
    return admin.read_one("product.template", template, ["product_variant_id"])["product_variant_id"][0]


def new_customer_with_car(client, admin, name="E2E 客户"):
    """A new customer (named uniquely) and his Camry: returns (partner id, vehicle id)."""
    tag = uuid.uuid4().hex[:8].upper()
    partner = client.create("res.partner", {"name": f"{name} {tag}"})
    vehicle = client.create(
        "jingpin.vehicle",
        {
            "vin": f"E2E{tag}{uuid.uuid4().hex[:6].upper()}",
            "model_id": admin.ref("jingpin_accessories_demo.vehicle_model_camry_demo"),
            "partner_id": partner,
        },
    )
    return partner, vehicle


def dispatch_work_order(specialist, admin, technician=None, product="product_dashcam_70mai_demo"):
    """The specialist sells a car an accessory to install and confirms the order, which dispatches a
    work order; ``technician`` (a user id) is then assigned to it. Returns the work order's values."""
    partner, vehicle = new_customer_with_car(specialist, admin)
    order = specialist.create(
        "sale.order",
        {
            "partner_id": partner,
            "vehicle_id": vehicle,
            "jingpin_channel": "walk_in",
            "order_line": [(0, 0, {"product_id": variant_of(admin, product)})],
        },
    )
    specialist.call("sale.order", "action_confirm", [order])
    [task] = specialist.search("project.task", [("accessory_order_id", "=", order)])
    if technician:
        specialist.write("project.task", [task], {"technician_id": technician})
    return {"id": task, "order": order, "vehicle": vehicle, "partner": partner}
