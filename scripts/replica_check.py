"""The dealer group reads its dashboard from the replica while orders are written on the primary.

Run by ``bash scripts/replica.sh check`` against the set-up ``scripts/replica.sh start`` made (on a
copy of a database with the demo dealer group: the check gives its group viewer a password of its
own). As the group viewer (``jp_group``), it loads the dealer group's dashboards and reads the figures they show
(the dealerships ranked on 精品渗透率, 精品毛利/台 and 单产, as the spreadsheet reads them), while
the administrator enters and confirms accessory orders in another thread. Each read carries a marker
of its own; the check passes when the markers are in the replica's log and not in the primary's,
the orders' are in the primary's, and every acknowledged order reached the replica.
"""

import argparse
import json
import sys
import threading
import time
import urllib.request
import uuid
from http.cookiejar import CookieJar

import psycopg2

MEASURES = ["car_count:sum", "penetration:avg", "gross_per_car:avg", "revenue_per_car:avg"]


class Client:
    """A web client's session: JSON-RPC as the web client sends it."""

    def __init__(self, url, db, login, password):
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        session = self.rpc("/web/session/authenticate", {"db": db, "login": login, "password": password})
        self.companies = [int(company) for company in session["user_companies"]["allowed_companies"]]

    def rpc(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        request = urllib.request.Request(self.url + path, body, {"Content-Type": "application/json"})
        with self.opener.open(request, timeout=60) as response:
            answer = json.load(response)
        if "error" in answer:
            raise RuntimeError(f"{path}: {answer['error']['data']['message']}")
        return answer["result"]

    def call(self, model, method, *args, **kwargs):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def get(self, path):
        with self.opener.open(self.url + path, timeout=60) as response:
            return response.status, response.read()


def read_dashboards(client, markers, rounds, writer):
    """What the group dashboard reads, at least ``rounds`` times and as long as ``writer`` writes,
    each read with a marker of its own."""
    dashboards = client.call("spreadsheet.dashboard", "search_read", [], ["id"])
    while len(markers) < rounds or writer.is_alive():
        for dashboard in dashboards:
            status, _body = client.get(f"/spreadsheet/dashboard/data/{dashboard['id']}")
            assert status == 200, status
        # a condition every row meets (no car count is negative), unique to this read: its marker
        marker = -(10**9 + uuid.uuid4().int % 10**9)
        domain = [["car_count", "!=", marker]]
        ranking = client.call("jingpin.figure.analysis", "formatted_read_group", domain, ["company_id"], MEASURES)
        markers.append(str(marker))
        assert ranking, "the group sees its dealerships"


def write_orders(client, ref, count, acknowledged, errors):
    """Enter and confirm ``count`` accessory orders, each acknowledged once confirmed."""
    try:
        # what a walk-in customer bought before: the same accessory, for the same customer
        [line] = client.call(
            "sale.order.line",
            "search_read",
            [["order_id.jingpin_channel", "=", "walk_in"], ["order_id.state", "=", "sale"]],
            ["product_id", "order_partner_id", "company_id"],
            limit=1,
            context={"allowed_company_ids": client.companies},
        )
        context = {"allowed_company_ids": [line["company_id"][0]]}
        for index in range(count):
            order_id = client.call(
                "sale.order",
                "create",
                {
                    "partner_id": line["order_partner_id"][0],
                    "jingpin_channel": "walk_in",
                    "client_order_ref": f"{ref}-{index}",
                    "order_line": [[0, 0, {"product_id": line["product_id"][0]}]],
                },
                context=context,
            )
            client.call("sale.order", "action_confirm", [order_id], context=context)
            acknowledged.append(order_id)
    except Exception as error:  # noqa: BLE001 -- reported below: the check fails
        errors.append(error)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--primary-log", required=True)
    parser.add_argument("--replica-log", required=True)
    parser.add_argument("--replica", required=True, help="libpq connection string of the replica")
    parser.add_argument("--orders", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    admin = Client(args.url, args.db, "admin", "admin")
    # the group viewer of the demo dealer group, with a password of this run (the database is a copy)
    password = uuid.uuid4().hex
    [viewer] = admin.call("res.users", "search_read", [["login", "=", "jp_group"]], ["id", "company_ids"])
    admin.call("res.users", "write", [viewer["id"]], {"password": password})
    group = Client(args.url, args.db, "jp_group", password)
    ref = f"JPREPLICA-{uuid.uuid4().hex[:8]}"
    acknowledged, errors, markers = [], [], []
    writer = threading.Thread(target=write_orders, args=(admin, ref, args.orders, acknowledged, errors))
    tic = time.monotonic()
    writer.start()
    read_dashboards(group, markers, args.rounds, writer)
    writer.join()
    print(f"{len(markers)} dashboard reads and {len(acknowledged)} orders in {time.monotonic() - tic:.1f} s")

    failures = [f"an order failed: {error}" for error in errors]
    with open(args.primary_log, encoding="utf-8", errors="replace") as log:
        primary = log.read()
    with open(args.replica_log, encoding="utf-8", errors="replace") as log:
        replica = log.read()
    on_replica = [marker for marker in markers if marker in replica]
    on_primary = [marker for marker in markers if marker in primary]
    print(f"reads in the replica's log: {len(on_replica)}/{len(markers)}, in the primary's: {len(on_primary)}")
    if len(on_replica) != len(markers) or on_primary:
        failures.append("a dashboard read did not go to the replica")
    if ref not in primary:
        failures.append("the orders were not written on the primary")
    deadline = time.monotonic() + 30
    with psycopg2.connect(args.replica) as connection, connection.cursor() as cr:
        cr.execute("SELECT pg_is_in_recovery()")
        if not cr.fetchone()[0]:
            failures.append("the replica is not a standby")
        while True:
            cr.execute(
                "SELECT count(*) FROM sale_order WHERE client_order_ref LIKE %s AND state = 'sale'", [f"{ref}-%"]
            )
            replicated = cr.fetchone()[0]
            connection.rollback()
            if replicated == len(acknowledged) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    print(f"orders acknowledged: {len(acknowledged)}, confirmed on the replica: {replicated}")
    if replicated != len(acknowledged) or len(acknowledged) != args.orders:
        failures.append("an acknowledged order did not reach the replica")
    for failure in failures:
        print(f"FAILED: {failure}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
