"""End-to-end tests: they drive a running Odoo server through its JSON-RPC API, as an outside
client would. scripts/test.sh starts the server and sets JINGPIN_URL and JINGPIN_DB."""
import itertools
import os
import uuid

import pytest
import requests


class OdooRpcError(Exception):
    def __init__(self, error):
        data = error.get("data", {})
        self.name = data.get("name", "")
        self.message = data.get("message") or error.get("message", "")
        super().__init__(f"{self.name}: {self.message}")


class OdooClient:
    """A minimal JSON-RPC client (the /jsonrpc endpoint of Odoo's external API)."""

    _ids = itertools.count(1)

    def __init__(self, url, db, login, password):
        self.url, self.db, self.password = url, db, password
        self.uid = self._call("common", "login", db, login, password)
        if not self.uid:
            raise AssertionError(f"cannot log in as {login}")

    def _call(self, service, method, *args):
        response = requests.post(f"{self.url}/jsonrpc", json={
            "jsonrpc": "2.0", "method": "call", "id": next(self._ids),
            "params": {"service": service, "method": method, "args": args},
        }, timeout=120)
        response.raise_for_status()
        payload = response.json()
        if "error" in payload:
            raise OdooRpcError(payload["error"])
        return payload.get("result")

    def call(self, model, method, *args, **kwargs):
        return self._call("object", "execute_kw", self.db, self.uid, self.password, model, method,
                          list(args), kwargs)

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        found = self.call("ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)],
                          fields=["res_id"])
        return found[0]["res_id"]


@pytest.fixture(scope="session")
def server():
    url, db = os.environ.get("JINGPIN_URL"), os.environ.get("JINGPIN_DB")
    if not url or not db:
        pytest.fail("JINGPIN_URL and JINGPIN_DB must point at a running Odoo (scripts/test.sh sets them)")
    return url, db


@pytest.fixture(scope="session")
def admin(server):
    return OdooClient(*server, "admin", "admin")


@pytest.fixture(scope="session")
def make_user(server, admin):
    """Create a user in the given groups and return a client logged in as that user."""
    def make(groups, login=None):
        login = login or f"e2e-{uuid.uuid4().hex[:8]}"
        admin.call("res.users", "create", {
            "name": login, "login": login, "password": login,
            "group_ids": [(6, 0, [admin.ref(group) for group in groups])],
        })
        return OdooClient(*server, login, login)
    return make
