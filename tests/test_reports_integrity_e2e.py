"""Reports hold through every door (issues 19, 20): as demo roles calling the JSON-2 API and the
web routes, read another person's target through the operations report's lines, its HTML and
PDF routes and its spreadsheet; render the price sheet as the read-only group viewer; send a
report twice at once. Each attempt shows or changes nothing it may not, read back as the
administrator."""

import datetime
import io
import socketserver
import threading
from concurrent.futures import ThreadPoolExecutor

import openpyxl
import pytest
import requests
from conftest import TIMEOUT, OdooError, assert_refused, refused_and_unchanged
from test_operations_reports_e2e import company_of, open_report

PRICE_SHEET = "jingpin_accessories.report_price_sheet"
DAILY_REPORT = "jingpin_accessories.report_daily"


def web_session(server, login):
    """A browser's session of the demo user (the /report/ and /web/content/ routes)."""
    url, db = server
    session = requests.Session()
    response = session.post(
        f"{url}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": "demo"}},
        timeout=TIMEOUT,
    )
    assert response.json().get("result", {}).get("uid"), response.text[:300]
    return session


def persons(admin, report):
    lines = admin.search_read(
        "jingpin.daily.report.line", [("report_id", "=", report), ("section", "=", "person")], ["name", "user_id"]
    )
    return {line["user_id"][0]: line["name"] for line in lines if line["user_id"]}


@pytest.fixture(scope="module")
def group(as_role):
    return as_role("jp_group")


@pytest.fixture(scope="module")
def this_month(admin, manager):
    """This month's report of the manager's dealership, with the demo targets of the month."""
    report = open_report(manager, "monthly", datetime.date.today().isoformat())
    assert len(persons(admin, report)) >= 2, "the demo has targets for two people this month"
    return report


def test_specialist_reads_only_his_own_target(server, admin, specialist, this_month):
    everyone = persons(admin, this_month)
    others = [name for uid, name in everyone.items() if uid != specialist.uid]
    assert others and specialist.uid in everyone
    # the lines, through search, read and the grouped read
    lines = specialist.search_read("jingpin.daily.report.line", [("report_id", "=", this_month)], ["name", "section"])
    assert {line["name"] for line in lines if line["section"] == "person"} == {everyone[specialist.uid]}
    assert not specialist.search("jingpin.daily.report.line", [("name", "in", others)])
    groups = specialist.call(
        "jingpin.daily.report.line",
        "formatted_read_group",
        domain=[("report_id", "=", this_month), ("section", "=", "person")],
        groupby=["user_id"],
        aggregates=["target:sum"],
    )
    assert [group["user_id"][0] for group in groups] == [specialist.uid]
    # the report's routes render what he may read
    session = web_session(server, "jp_specialist")
    url = server[0]
    html = session.get(f"{url}/report/html/{DAILY_REPORT}/{this_month}", timeout=TIMEOUT)
    assert html.status_code == 200 and everyone[specialist.uid] in html.text
    for name in others:
        assert name not in html.text
    pdf = session.get(f"{url}/report/pdf/{DAILY_REPORT}/{this_month}", timeout=TIMEOUT)
    assert pdf.headers["Content-Type"] == "application/pdf"
    # his spreadsheet holds his line only; the manager's, with everyone's, is not his to download
    action = specialist.call("jingpin.daily.report", "action_export_xlsx", [this_month])
    book = openpyxl.load_workbook(io.BytesIO(session.get(url + action["url"], timeout=TIMEOUT).content))
    names = {row[0] for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)}
    assert everyone[specialist.uid] in names
    assert not names & set(others)


def test_managers_spreadsheet_is_his(server, manager, this_month):
    action = manager.call("jingpin.daily.report", "action_export_xlsx", [this_month])
    content = web_session(server, "jp_specialist").get(server[0] + action["url"], timeout=TIMEOUT)
    assert content.status_code in (403, 404), "another user's download"
    assert not content.content.startswith(b"PK")


def test_group_viewer_renders_the_price_sheet_and_marks_nothing(server, admin, group):
    """Rendering the price sheet through /report/ writes nothing; printing it (marking the tags
    current) is an action for the sales staff, which the read-only viewer may not take."""
    company = company_of(admin, group)
    fields = ["jingpin_price_sheet_printed_on"]
    before = admin.read("res.company", [company], fields)
    sheet = admin.search(
        "product.template", [("is_accessory", "=", True), ("on_price_sheet", "=", True), ("sale_ok", "=", True)]
    )
    session = web_session(server, "jp_group")
    for kind in ("html", "pdf"):
        session.get(f"{server[0]}/report/{kind}/{PRICE_SHEET}/{','.join(map(str, sheet))}", timeout=TIMEOUT)
    assert admin.read("res.company", [company], fields) == before, "rendering marked the price sheet printed"
    refused_and_unchanged(
        admin,
        lambda: group.call("product.template", "action_print_price_sheet", []),
        "res.company",
        [company],
        fields,
        "AccessError",
    )


class SmtpSink(socketserver.ThreadingTCPServer):
    """A mail server on the loopback that takes every mail and keeps it (the messages' subjects)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.subjects = []
        super().__init__(("127.0.0.1", 0), SmtpHandler)


class SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 e2e sink")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 e2e sink")
            elif command == "DATA":
                self.reply("354 go on")
                message = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    message.append(data.decode(errors="replace"))
                subject = next((row[9:].strip() for row in message if row.lower().startswith("subject: ")), "")
                self.server.subjects.append(subject)
                self.reply("250 queued")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.fixture
def sink(admin):
    """The sink as the database's only outgoing mail server, for the test's duration."""
    server = SmtpSink()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    mail_server = admin.create(
        "ir.mail_server",
        {
            "name": "e2e sink",
            "smtp_host": "127.0.0.1",
            "smtp_port": server.server_address[1],
            "smtp_encryption": "none",
            "sequence": 1,
        },
    )
    yield server, mail_server
    admin.unlink("ir.mail_server", [mail_server])
    server.shutdown()
    server.server_close()


def fail_report(admin, report):
    """The administrator marks the report not sent, as the job does when its mail fails."""
    action = admin.create(
        "ir.actions.server",
        {
            "name": "e2e: report not sent",
            "model_id": admin.search("ir.model", [("model", "=", "jingpin.daily.report")])[0],
            "state": "code",
            "code": f"model.browse({report}).sudo()._failed('e2e: the mail server was down')",
        },
    )
    admin.call("ir.actions.server", "run", [action])
    admin.unlink("ir.actions.server", [action])
    assert admin.read_one("jingpin.daily.report", report, ["state"])["state"] == "failed"


def test_send_again_at_once_mails_once(admin, manager, sink):
    """The manager presses *Send Again* twice at once: one mail leaves, the second press is
    refused; a mail that could not leave leaves the report *Not Sent*."""
    smtp, mail_server = sink
    report = open_report(manager, "daily", "2025-03-12")
    fail_report(admin, report)
    # the demo's people have no e-mail address: the recipients get one for the test
    recipients = admin.read_one("jingpin.daily.report", report, ["recipient_ids"])["recipient_ids"]
    emails = admin.read("res.partner", recipients, ["email"])
    for partner in emails:
        admin.write("res.partner", [partner["id"]], {"email": partner["email"] or f"e2e-{partner['id']}@example.com"})
    try:
        send_again_twice(admin, manager, report, smtp, mail_server)
    finally:
        for partner in emails:
            admin.write("res.partner", [partner["id"]], {"email": partner["email"]})


def send_again_twice(admin, manager, report, smtp, mail_server):
    sent_mails = [("model", "=", "jingpin.daily.report"), ("res_id", "=", report), ("state", "=", "sent")]
    sent_before = len(admin.search("mail.mail", sent_mails))
    # the mail server refuses the connection: still not sent
    admin.write("ir.mail_server", [mail_server], {"smtp_port": 1})
    manager.call("jingpin.daily.report", "action_retry", [report])
    assert admin.read_one("jingpin.daily.report", report, ["state"])["state"] == "failed"
    assert not smtp.subjects
    admin.write("ir.mail_server", [mail_server], {"smtp_port": smtp.server_address[1]})
    clients = [manager.fork(), manager.fork()]

    def send_again(client):
        try:
            return client.call("jingpin.daily.report", "action_retry", [report])
        except OdooError as error:
            return error

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(send_again, clients))
    refused = [result for result in results if isinstance(result, OdooError)]
    assert len(refused) == 1 and refused[0].name == "odoo.exceptions.UserError", results
    assert len(smtp.subjects) == 1, smtp.subjects
    assert admin.read_one("jingpin.daily.report", report, ["state"])["state"] == "sent"
    assert len(admin.search("mail.mail", sent_mails)) == sent_before + 1
    assert_refused(lambda: manager.call("jingpin.daily.report", "action_retry", [report]), "UserError")
    assert len(smtp.subjects) == 1
