import base64
import hashlib
import hmac
import json
import threading
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import JingpinWorkOrderCommon

SECRET = "SECtest-secret-0123456789"


class RobotEndpoint:
    """A WeCom / DingTalk robot on 127.0.0.1: checks each post, records it at the sender's clock."""

    def __init__(self, clock):
        self.clock = clock
        self.received = []  # (clock, path, query, body)
        self.answer = "ok"  # ok, http500, errcode, ratelimit
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                parts = urlsplit(self.path)
                query = {key: values[0] for key, values in parse_qs(parts.query).items()}
                if endpoint.answer == "http500":
                    return self._reply(500, {"error": "down"})
                if endpoint.answer == "errcode":
                    return self._reply(200, {"errcode": 93000, "errmsg": "invalid webhook url"})
                if endpoint.answer == "ratelimit":
                    return self._reply(200, {"errcode": 45009, "errmsg": "api freq out of limit"})
                if parts.path.endswith("/upload_media"):
                    assert query["type"] == "file" and b"%PDF" in raw, "a file upload carries the PDF"
                    return self._reply(200, {"errcode": 0, "media_id": "MEDIA-1"})
                body = json.loads(raw)
                if parts.path.startswith("/robot/"):
                    expected = base64.b64encode(
                        hmac.new(SECRET.encode(), f"{query['timestamp']}\n{SECRET}".encode(), hashlib.sha256).digest()
                    ).decode()
                    if query.get("sign") != expected:
                        return self._reply(200, {"errcode": 310000, "errmsg": "sign not match"})
                endpoint.received.append((endpoint.clock[0], parts.path, query, body))
                return self._reply(200, {"errcode": 0, "errmsg": "ok"})

            def _reply(self, status, answer):
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@tagged("post_install", "-at_install")
class TestRobotMessage(JingpinWorkOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Message = cls.env["jingpin.robot.message"]
        cls.company_a.partner_id.lang = "en_US"

    def setUp(self):
        super().setUp()
        self.clock = [datetime(2026, 3, 2, 9, 0, 0)]
        patcher = patch.object(type(self.Message), "_robot_now", lambda _self: self.clock[0])
        patcher.start()
        self.addCleanup(patcher.stop)
        self.endpoint = self.enterContext(RobotEndpoint(self.clock))

    def _use_wecom(self, company=None):
        (company or self.company_a).write(
            {
                "jingpin_robot_kind": "wecom",
                "jingpin_robot_webhook": f"{self.endpoint.url}/cgi-bin/webhook/send?key=KEY-A",
            }
        )

    def _use_dingtalk(self):
        self.company_a.write(
            {
                "jingpin_robot_kind": "dingtalk",
                "jingpin_robot_webhook": f"{self.endpoint.url}/robot/send?access_token=TOKEN-A",
                "jingpin_robot_secret": SECRET,
            }
        )

    def _run(self, minutes=0, seconds=0):
        self.clock[0] += timedelta(minutes=minutes, seconds=seconds)
        self.Message._send_queue()

    def _contents(self):
        return [body["markdown"]["content"] for _at, _path, _query, body in self.endpoint.received]

    def test_burst_arrives_in_order_once_within_the_limit(self):
        self._use_wecom()
        for number in range(100):
            self.Message._enqueue(self.company_a, "late", f"Message {number:03d}", "text")
        for _step in range(40):
            self._run(seconds=15)
        contents = self._contents()
        self.assertEqual(contents, [f"**Message {number:03d}**\ntext" for number in range(100)], "in order, once")
        times = [at for at, *_rest in self.endpoint.received]
        for at in times:
            in_minute = [other for other in times if at <= other < at + timedelta(seconds=60)]
            self.assertLessEqual(len(in_minute), 20, f"more than 20 messages in the minute from {at}")
        self.assertEqual(set(self.Message.search([]).mapped("state")), {"sent"})
        self._run(minutes=5)
        self.assertEqual(len(self.endpoint.received), 100, "nothing is sent twice")

    def test_failing_robot_keeps_messages_queued_and_visible(self):
        self._use_wecom()
        messages = self.Message.browse()
        for number in range(3):
            messages |= self.Message._enqueue(self.company_a, "late", f"Message {number}", "text")
        for answer in ("http500", "errcode"):
            self.endpoint.answer = answer
            self._run(minutes=10)
        self.assertEqual(self.endpoint.received, [])
        self.assertEqual(messages.mapped("state"), ["queued"] * 3)
        self.assertEqual(messages[0].attempts, 2, "the first message holds back the later ones, in order")
        self.assertEqual(messages[1:].mapped("attempts"), [0, 0])
        self.assertIn("93000", messages[0].last_error)
        listed = self.Message.with_user(self.manager).search([("state", "!=", "sent")])
        self.assertEqual(listed, messages, "the manager sees what is not sent, with the reason")
        # the robot answers "too many": tried again later, not counted as a failure
        self.endpoint.answer = "ratelimit"
        self._run(minutes=10)
        self.assertEqual(messages[0].attempts, 2)
        self.assertEqual(messages[0].next_try, self.clock[0] + timedelta(minutes=1))
        self.endpoint.answer = "ok"
        self._run(seconds=30)
        self.assertEqual(self.endpoint.received, [], "not before its next attempt")
        self._run(minutes=1)
        self.assertEqual(self._contents(), [f"**Message {number}**\ntext" for number in range(3)])
        self.assertEqual(messages.mapped("state"), ["sent"] * 3)

    def test_gives_up_then_manager_retries(self):
        self._use_wecom()
        message = self.Message._enqueue(self.company_a, "late", "Late", "text")
        later = self.Message._enqueue(self.company_a, "late", "Later", "text")
        self.endpoint.answer = "http500"
        for _step in range(12):
            self._run(minutes=61)
        self.assertEqual(message.state, "failed")
        self.assertEqual(message.attempts, 8)
        self.assertIn("500", message.last_error)
        self.assertEqual(later.state, "queued")
        self.assertTrue(later.attempts, "once the first is given up, the next one is tried")
        self.endpoint.answer = "ok"
        with self.assertRaises(AccessError):
            message.with_user(self.specialist).action_retry()
        message.with_user(self.manager).action_retry()
        self.assertEqual(message.state, "queued")
        self._run(minutes=61)
        self.assertEqual((message | later).mapped("state"), ["sent", "sent"])
        self.assertEqual(self._contents(), ["**Late**\ntext", "**Later**\ntext"])

    def test_dingtalk_post_is_signed(self):
        self._use_dingtalk()
        message = self.Message._enqueue(self.company_a, "late", "Late", "**text**")
        self._run()
        self.assertEqual(message.state, "sent", message.last_error)
        (_at, path, query, body) = self.endpoint.received[0]
        self.assertEqual(path, "/robot/send")
        self.assertEqual(query["access_token"], "TOKEN-A")
        self.assertEqual(query["timestamp"], str(int(self.clock[0].timestamp() * 1000)))
        self.assertEqual(body, {"msgtype": "markdown", "markdown": {"title": "Late", "text": "### Late\n**text**"}})
        # a wrong secret: the robot refuses, the message waits with the robot's words
        self.company_a.jingpin_robot_secret = "SECwrong"
        message = self.Message._enqueue(self.company_a, "late", "Late again", "text")
        self._run(minutes=1)
        self.assertEqual(message.state, "queued")
        self.assertIn("310000", message.last_error)

    def test_markdown_stays_within_the_robot_limit(self):
        self._use_wecom()
        message = self.Message._enqueue(self.company_a, "keys", "钥匙", "钥" * 3000)
        content = json.loads(message.payload)["markdown"]["content"]
        self.assertLessEqual(len(content.encode()), 4096)
        self._use_dingtalk()
        message = self.Message._enqueue(self.company_a, "keys", "钥匙", "钥" * 9000)
        self.assertLessEqual(len(json.loads(message.payload)["markdown"]["text"].encode()), 20000)

    def test_test_send_from_the_settings(self):
        self._use_wecom()
        admin = self.env.ref("base.user_admin")
        settings = self.env["res.config.settings"].with_user(admin).create({})
        result = settings.action_jingpin_robot_test()
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(len(self.endpoint.received), 1)
        self.endpoint.answer = "http500"
        result = settings.action_jingpin_robot_test()
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn("500", result["params"]["message"])
        self.assertEqual(self.Message.search([("event", "=", "test")], limit=1).state, "failed")

    def test_only_manager_and_admin_read_the_credentials(self):
        self._use_dingtalk()
        for user in (self.technician, self.specialist, self.consultant, self.viewer):
            company = self.company_a.with_user(user)
            with self.assertRaises(AccessError):
                company.read(["jingpin_robot_secret"])
            with self.assertRaises(AccessError):
                company.read(["jingpin_robot_webhook"])
            with self.assertRaises(AccessError):
                company.write({"jingpin_robot_webhook": "https://evil.example.com/"})
            with self.assertRaises(AccessError):
                self.env["res.config.settings"].with_user(user).create({"jingpin_robot_kind": "wecom"})
            with self.assertRaises(AccessError):
                self.Message.with_user(user).search([])
            self.assertNotIn("jingpin_robot_secret", company.fields_get())
        self.assertEqual(self.company_a.with_user(self.manager).jingpin_robot_secret, SECRET)
        self.assertNotIn(SECRET, self.Message.search([]).mapped("payload"))
        with self.assertRaises(ValidationError):
            self.company_a.jingpin_robot_webhook = "not a url"

    def test_events_post_to_the_dealership_robot(self):
        self._use_wecom()
        # an approval waiting, with a link to the order
        order, _work_order = self._confirmed_order()
        order.activity_schedule(
            "jingpin_accessories.mail_activity_type_concession_approval",
            user_id=self.manager.id,
            summary="Concessions to approve",
        )
        approval = self.Message.search([("event", "=", "approval")])
        self.assertEqual(len(approval), 1)
        self.assertIn(f"/mail/view?model=sale.order&res_id={order.id}", approval.payload)
        # keys out at day end, with a pending handoff
        slot = self._free_key_slot(self.company_a)
        _work_order.with_user(self.specialist).technician_id = self.technician
        _work_order.with_user(self.technician).action_key_check_in(slot)
        _work_order.with_user(self.technician).action_key_check_out(self.technician)
        self.env["jingpin.key.handoff"].with_user(self.technician)._offer(_work_order, self.specialist)
        self.env["project.task"]._cron_flag_keys_not_with_specialist()
        keys = self.Message.search([("event", "=", "keys")])
        self.assertEqual(len(keys), 1)
        self.assertIn("pending handoff to jp_spec", json.loads(keys.payload)["markdown"]["content"])
        # nothing for a dealership without a robot
        self.assertFalse(self.Message.search([("company_id", "=", self.company_b.id)]))

    def test_daily_reports_one_post_per_robot_with_the_pdfs(self):
        self._use_wecom()
        self._use_wecom(self.company_b)  # the same group robot for both dealerships
        reports = self.env["jingpin.daily.report"]._build(self.company_a | self.company_b, date(2026, 3, 2), "daily")
        with patch.object(
            type(self.env["ir.actions.report"]), "_render_qweb_pdf", lambda *args, **kw: (b"%PDF-1.4 test", "pdf")
        ):
            reports._send()
            reports._send()  # sent again: posted once
        daily = self.Message.search([("event", "=", "daily")], order="id")
        self.assertEqual(len(daily), 3, "one consolidated markdown, then each dealership's PDF")
        content = json.loads(daily[0].payload)["markdown"]["content"]
        self.assertIn(self.company_a.name, content)
        self.assertIn(self.company_b.name, content)
        self._run()
        self.assertEqual(daily.mapped("state"), ["sent"] * 3, daily.mapped("last_error"))
        bodies = [body for _at, _path, _query, body in self.endpoint.received]
        self.assertEqual(bodies[0]["msgtype"], "markdown")
        self.assertEqual(bodies[1:], [{"msgtype": "file", "file": {"media_id": "MEDIA-1"}}] * 2)
