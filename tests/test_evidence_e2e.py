"""Evidence that cannot be rewritten (issue 19) and deletes that plain Odoo allows (issue 25), attacked
through a running server as each demo role: JSON-2 calls, and the web client's own routes (message edit
and delete, attachment delete, message post) in a logged-in web session. After each refusal the data is
read back as the administrator, unchanged.
"""

import datetime
import uuid

import pytest
import requests
from conftest import (
    REFUSALS,
    TIMEOUT,
    OdooError,
    assert_refused,
    dispatch_work_order,
    refused_and_unchanged,
)

# The web client's routes answer a refusal of theirs (no access to the thread) with NotFound.
ROUTE_REFUSALS = (*REFUSALS, "werkzeug.exceptions.NotFound")
MESSAGE_FIELDS = ["body", "author_id", "attachment_ids", "model", "res_id", "tracking_value_ids"]
ACTIVITY_FIELDS = ["active", "user_id", "res_model", "res_id", "date_deadline", "summary"]


class WebSession:
    """A user logged in to the web client (password ``demo``), calling its JSON-RPC routes."""

    def __init__(self, server, login):
        self.url, db = server
        self.session = requests.Session()
        self.rpc(
            "/web/session/authenticate",
            db=db,
            login=login,
            password="admin" if login == "admin" else "demo",
        )

    def rpc(self, path, **params):
        response = self.session.post(
            f"{self.url}{path}", json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}, timeout=TIMEOUT
        )
        if response.status_code >= 400:
            raise OdooError(f"HTTP {response.status_code}", response.text[:300], response.status_code)
        payload = response.json()
        if "error" in payload:
            data = payload["error"].get("data", {})
            raise OdooError(data.get("name", ""), data.get("message", ""))
        return payload["result"]


@pytest.fixture(scope="module")
def roles(as_role):
    return {
        login: as_role(login)
        for login in ("jp_technician2", "jp_specialist", "jp_manager", "jp_gm", "jp_group", "jp_consultant")
    }


@pytest.fixture(scope="module")
def web(server):
    sessions = {}

    def session(login):
        if login not in sessions:
            sessions[login] = WebSession(server, login)
        return sessions[login]

    return session


@pytest.fixture
def work_order(roles, admin):
    return dispatch_work_order(roles["jp_specialist"], admin, technician=roles["jp_technician2"].uid)


def partner_of(admin, client):
    return admin.read_one("res.users", client.uid, ["partner_id"])["partner_id"][0]


def single(result):
    """A method returning one record answers its id, or a list of one id."""
    return result[0] if isinstance(result, list) else result


def post(client, model, res_id, body, **kwargs):
    return single(client.call(model, "message_post", [res_id], body=body, message_type="comment", **kwargs))


# === Messages: never edited nor deleted, authored by their poster === #


@pytest.mark.parametrize("login", ["jp_specialist", "jp_manager", "admin"])
def test_nobody_edits_or_deletes_a_message_of_a_work_order(admin, roles, as_role, web, work_order, login):
    message = post(roles["jp_specialist"], "project.task", work_order["id"], "划痕已拍照")
    client = as_role(login)
    for attempt in (
        lambda: client.write("mail.message", [message], {"body": "<p>没有划痕</p>"}),
        lambda: client.unlink("mail.message", [message]),
        lambda: client.write("mail.message", [message], {"model": "res.partner", "res_id": work_order["partner"]}),
    ):
        refused_and_unchanged(admin, attempt, "mail.message", [message], MESSAGE_FIELDS)
    # the web client's edit and delete of a message (offered to its author and the administrator),
    # which run as superuser
    session = web("jp_specialist" if login == "jp_manager" else login)
    for update in ({"body": "<p>没有划痕</p>"}, {"body": ""}):
        refused_and_unchanged(
            admin,
            lambda update=update: session.rpc("/mail/message/update_content", message_id=message, update_data=update),
            "mail.message",
            [message],
            MESSAGE_FIELDS,
            *ROUTE_REFUSALS,
        )


def test_nobody_deletes_a_file_of_a_posted_message(admin, roles, web, work_order):
    specialist = roles["jp_specialist"]
    message = post(specialist, "project.task", work_order["id"], "交车前照片", attachments=[["photo.txt", "before"]])
    [attachment] = admin.read_one("mail.message", message, ["attachment_ids"])["attachment_ids"]
    for login in ("jp_specialist", "admin"):
        refused_and_unchanged(
            admin,
            lambda login=login: web(login).rpc("/mail/attachment/delete", attachment_id=attachment),
            "ir.attachment",
            [attachment],
            ["res_model", "res_id", "checksum"],
            *ROUTE_REFUSALS,
        )
        refused_and_unchanged(
            admin,
            lambda login=login: web(login).rpc(
                "/mail/message/update_content", message_id=message, update_data={"body": None, "attachment_ids": []}
            ),
            "mail.message",
            [message],
            MESSAGE_FIELDS,
            *ROUTE_REFUSALS,
        )


def test_a_message_is_authored_by_whoever_posts_it(admin, roles, work_order):
    gm_partner = partner_of(admin, roles["jp_gm"])
    for login, author in (("jp_specialist", gm_partner), ("jp_technician2", work_order["partner"])):
        client = roles[login]
        message = post(client, "project.task", work_order["id"], "总经理同意", author_id=author)
        assert admin.read_one("mail.message", message, ["author_id"])["author_id"][0] == partner_of(admin, client)
    direct = roles["jp_specialist"].create(
        "mail.message",
        {
            "model": "sale.order",
            "res_id": work_order["order"],
            "body": "客户确认",
            "message_type": "comment",
            "author_id": work_order["partner"],
        },
    )
    author = admin.read_one("mail.message", direct, ["author_id"])["author_id"][0]
    assert author == partner_of(admin, roles["jp_specialist"])


def test_a_message_is_dated_when_it_is_posted(admin, roles, work_order):
    for login in ("jp_specialist", "jp_technician2", "jp_manager"):
        message = post(roles[login], "project.task", work_order["id"], "上周已完工", date="2020-01-01 08:00:00")
        date = admin.read_one("mail.message", message, ["date"])["date"]
        assert date > "2026-01-01", f"{login} backdated a message to {date}"


# === Activities: the assignee's === #


def test_only_the_assignee_closes_his_activity(admin, roles, work_order):
    manager = roles["jp_manager"]
    activity = admin.call(
        "project.task",
        "activity_schedule",
        [work_order["id"]],
        act_type_xmlid="mail.mail_activity_data_todo",
        user_id=manager.uid,
        summary="客户不满意: 回访",
    )
    activity = single(activity)
    for login in ("jp_specialist", "jp_technician2"):
        client = roles[login]
        for attempt in (
            lambda client=client: client.call("mail.activity", "action_feedback", [activity], feedback="已处理"),
            lambda client=client: client.call("mail.activity", "action_done", [activity]),
            lambda client=client: client.unlink("mail.activity", [activity]),
            lambda client=client: client.write("mail.activity", [activity], {"user_id": client.uid}),
            lambda client=client: client.call(
                "project.task", "activity_unlink", [work_order["id"]], act_type_xmlids=["mail.mail_activity_data_todo"]
            ),
        ):
            refused_and_unchanged(admin, attempt, "mail.activity", [activity], ACTIVITY_FIELDS)
    manager.call("mail.activity", "action_feedback", [activity], feedback="已回访")
    assert not admin.search("mail.activity", [("id", "=", activity)])


# === Signed evidence files === #


@pytest.fixture(scope="module")
def handed_over(admin):
    found = admin.search_read(
        "project.task",
        [("work_state", "=", "handed_over"), ("installation_sheet_id", "!=", False)],
        ["installation_sheet_id"],
        limit=1,
    )
    if not found:
        pytest.fail("the demo has handed-over work orders with their archived installation sheet")
    return found[0]["id"], found[0]["installation_sheet_id"][0]


@pytest.mark.parametrize("login", ["jp_specialist", "jp_manager", "admin"])
def test_the_archived_installation_sheet_stays(admin, web, as_role, handed_over, login):
    task, sheet = handed_over
    fields = ["res_model", "res_id", "checksum", "name"]
    refused_and_unchanged(
        admin,
        lambda: web(login).rpc("/mail/attachment/delete", attachment_id=sheet),
        "ir.attachment",
        [sheet],
        fields,
        *ROUTE_REFUSALS,
    )
    client = as_role(login)
    refused_and_unchanged(admin, lambda: client.unlink("ir.attachment", [sheet]), "ir.attachment", [sheet], fields)
    refused_and_unchanged(
        admin,
        lambda: client.write("ir.attachment", [sheet], {"res_model": "res.partner"}),
        "ir.attachment",
        [sheet],
        fields,
    )
    # nor is another file moved onto the signed record
    other = client.create(
        "ir.attachment",
        {
            "name": f"old-{uuid.uuid4().hex[:6]}.txt",
            "raw": "b2xk",
            "res_model": "res.partner",
            "res_id": partner_of(admin, client),
        },
    )
    refused_and_unchanged(
        admin,
        lambda: client.write("ir.attachment", [other], {"res_model": "project.task", "res_id": task}),
        "ir.attachment",
        [other],
        ["res_model", "res_id"],
    )


# === The group viewer === #


def test_the_group_viewer_posts_attaches_and_writes_nothing(admin, roles, web, work_order):
    viewer = roles["jp_group"]
    task = work_order["id"]
    assert viewer.read_one("project.task", task, ["name"]), "he reads the work order"
    fields = ["message_ids", "attachment_ids", "description", "activity_ids"]
    for attempt in (
        lambda: post(viewer, "project.task", task, "集团来过"),
        lambda: viewer.create("mail.message", {"model": "project.task", "res_id": task, "body": "集团"}),
        lambda: viewer.create(
            "ir.attachment", {"name": "group.txt", "raw": "Z3JvdXA=", "res_model": "project.task", "res_id": task}
        ),
        lambda: viewer.write("project.task", [task], {"description": "<p>集团来过</p>"}),
        lambda: viewer.call(
            "project.task",
            "activity_schedule",
            [task],
            act_type_xmlid="mail.mail_activity_data_todo",
            user_id=viewer.uid,
        ),
        lambda: post(viewer, "sale.order", work_order["order"], "集团来过"),
    ):
        refused_and_unchanged(admin, attempt, "project.task", [task], fields)
    refused_and_unchanged(
        admin,
        lambda: web("jp_group").rpc(
            "/mail/message/post",
            thread_model="project.task",
            thread_id=task,
            post_data={"body": "集团来过", "message_type": "comment"},
        ),
        "project.task",
        [task],
        fields,
        *ROUTE_REFUSALS,
    )


# === Issue 25: deletes that plain Odoo allows === #


def test_deleting_what_odoo_deletes_still_works(admin, roles):
    project = admin.create("project.project", {"name": f"E2E 展厅 {uuid.uuid4().hex[:6]}"})
    task = admin.create("project.task", {"name": "刷墙", "project_id": project})
    admin.write("project.task", [task], {"name": "刷北墙", "priority": "1"})
    admin.unlink("project.task", [task])
    assert not admin.search("project.task", [("id", "=", task)])
    customer = admin.create("res.partner", {"name": f"E2E 报价客户 {uuid.uuid4().hex[:6]}"})
    quotation = admin.create("sale.order", {"partner_id": customer})
    admin.unlink("sale.order", [quotation])
    assert not admin.search("sale.order", [("id", "=", quotation)])
    # a draft promotion of the manager, with its history, is deleted with it
    manager = roles["jp_manager"]
    today = datetime.date.today()
    promotion = manager.create(
        "jingpin.promotion",
        {
            "name": f"E2E 草稿活动 {uuid.uuid4().hex[:6]}",
            "date_from": str(today),
            "date_to": str(today + datetime.timedelta(days=7)),
        },
    )
    post(manager, "jingpin.promotion", promotion, "草稿")
    manager.unlink("jingpin.promotion", [promotion])
    assert not admin.search("mail.message", [("model", "=", "jingpin.promotion"), ("res_id", "=", promotion)])
    # what is never deleted stays refused
    assert_refused(
        lambda: admin.unlink("project.task", admin.search("project.task", [("is_work_order", "=", True)], limit=1))
    )
