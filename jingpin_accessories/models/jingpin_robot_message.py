import base64
import hashlib
import hmac
import json
import logging
from collections import defaultdict
from datetime import timedelta
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit, urlunsplit

import requests

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount

_logger = logging.getLogger(__name__)

ROBOT_KINDS = [("wecom", "WeCom (企业微信)"), ("dingtalk", "DingTalk (钉钉)")]
ROBOT_CONFIG_GROUPS = "base.group_system,jingpin_accessories.group_jingpin_manager"
MANAGER_GROUP = "jingpin_accessories.group_jingpin_manager"
ROBOT_EVENTS = [
    ("test", "Test"),
    ("approval", "Approval Waiting"),
    ("late", "Lateness Warning"),
    ("keys", "Keys Out at Day End"),
    ("complaint", "Complaint Escalated"),
    ("daily", "Daily Report"),
]
# Both robots take about 20 messages a minute (WeCom answers 45009 beyond, DingTalk 130101 and
# throttles the robot for 10 minutes): at most this many posts per webhook in any 60 seconds.
RATE_LIMIT = 20
RATE_WINDOW = timedelta(seconds=60)
# The robots' answers that mean "too many messages": tried again later, not counted as a failure.
RATE_LIMIT_WAIT = {45009: timedelta(minutes=1), 130101: timedelta(minutes=10)}
MAX_ATTEMPTS = 8  # then the message waits in *Not Sent* for someone to press Retry
MAX_BYTES = {"wecom": 4096, "dingtalk": 20000}  # markdown content, UTF-8
TIMEOUT = 10  # seconds, to connect and for each read


class JingpinRobotMessage(models.Model):
    """The queue of posts to the dealerships' WeCom / DingTalk group robots.

    Events (approvals waiting, late work orders, keys out at day end, escalated complaints, the
    daily report) queue a message in the dealership's language; the job sends them in order, at
    most :data:`RATE_LIMIT` a minute per webhook, each one taken with ``FOR UPDATE SKIP LOCKED`` and
    marked sent in the transaction of its successful POST (committed at once), so none is sent
    twice. A failure (HTTP error, no answer, ``errcode`` other than 0) is tried again with a growing
    delay, and holds back the later messages of its webhook to keep the order; after
    :data:`MAX_ATTEMPTS` it is *Not Sent*, with the reason, until the manager presses Retry.
    """

    _name = "jingpin.robot.message"
    _inherit = ["jingpin.guard"]
    _description = "Group Robot Message"
    _order = "id desc"
    _check_company_auto = True
    _rec_name = "title"

    # === FIELDS === #
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    robot_kind = fields.Selection(ROBOT_KINDS, string="Robot", required=True, readonly=True)
    event = fields.Selection(ROBOT_EVENTS, required=True, readonly=True)
    title = fields.Char(required=True, readonly=True)
    payload = fields.Text(required=True, readonly=True, help="The JSON body posted to the robot.")
    attachment_id = fields.Many2one(
        "ir.attachment", string="File", readonly=True, ondelete="cascade", help="The file a WeCom robot posts."
    )
    report_ids = fields.Many2many("jingpin.daily.report", string="Reports", readonly=True)
    state = fields.Selection(
        [("queued", "Queued"), ("sent", "Sent"), ("failed", "Not Sent")],
        required=True,
        readonly=True,
        default="queued",
        index=True,
    )
    attempts = fields.Integer(readonly=True)
    last_error = fields.Text(string="Reason", readonly=True)
    next_try = fields.Datetime(string="Next Attempt", readonly=True)
    last_try = fields.Datetime(string="Last Attempt", readonly=True)
    sent_at = fields.Datetime(string="Sent On", readonly=True)
    robot_key = fields.Char(readonly=True, index=True, help="A digest of the webhook the message went to.")

    _queue_idx = models.Index("(state, id) WHERE state = 'queued'")
    _rate_idx = models.Index("(robot_key, last_try)")

    # === CRUD === #
    def copy(self, default=None):  # pylint: disable=method-required-super
        raise UserError(self.env._("A robot message cannot be copied."))

    # === ACTIONS === #
    def action_retry(self):
        """Put messages that could not be sent back in the queue, to be sent at once."""
        self._check_manager()
        self.check_access("read")
        # the queue is the server's: the manager has checked above and reads these messages
        todo = self.sudo().filtered(lambda message: message.state != "sent")
        todo._jingpin_lock()
        todo._jingpin_server().write({"state": "queued", "attempts": 0, "next_try": False})
        self.env.ref("jingpin_accessories.ir_cron_jingpin_robot_send")._trigger()
        return True

    # === BUSINESS METHODS: sending === #
    @api.model
    def _robot_now(self):
        """The sender's clock (tests move it instead of sleeping)."""
        return fields.Datetime.now()

    @api.model
    def _cron_send_queue(self):
        self._send_queue(commit=lambda: self.env["ir.cron"]._commit_progress(1))

    @api.model
    def _send_queue(self, commit=None):
        """Send the queued messages in order, within each webhook's limit. ``commit`` (the cron's)
        ends each message's transaction right after its POST."""
        self.flush_model()
        self.env.cr.execute("SELECT id FROM jingpin_robot_message WHERE state = 'queued' ORDER BY id")
        candidate_ids = [row[0] for row in self.env.cr.fetchall()]
        held = set()  # webhooks that send nothing more in this run (limit reached, or a message waits)
        keys = {}
        for message_id in candidate_ids:
            now = self._robot_now()
            self.flush_model()
            self.env.cr.execute(
                "SELECT id FROM jingpin_robot_message WHERE id = %s AND state = 'queued' FOR UPDATE SKIP LOCKED",
                [message_id],
            )
            if not self.env.cr.fetchone():
                continue  # sent meanwhile, or being sent by another job
            message = self.browse(message_id)
            message.invalidate_recordset()
            company = message.company_id
            if company not in keys:
                keys[company] = company._jingpin_robot_key()
            key = keys[company]
            if not key:
                message._jingpin_server().write(
                    {
                        "state": "failed",
                        "last_error": message._in_company_lang()._(
                            "The dealership has no group robot any more: set it in Settings, then retry."
                        ),
                    }
                )
            elif key in held or (message.next_try and message.next_try > now):
                held.add(key)
            elif message._recent_count(key, now) >= RATE_LIMIT:
                held.add(key)
            else:
                message._deliver(key, now)
                if message.state != "sent":
                    held.add(key)
            if commit:
                commit()

    def _recent_count(self, key, now):
        self.flush_model(["robot_key", "last_try"])
        self.env.cr.execute(
            "SELECT count(*) FROM jingpin_robot_message WHERE robot_key = %s AND last_try >= %s",
            [key, now - RATE_WINDOW],
        )
        return self.env.cr.fetchone()[0]

    def _deliver(self, key, now):
        """Post this message now; record the outcome. Returns the reason of a failure, or ''."""
        self.ensure_one()
        env = self._in_company_lang()
        wait = None
        try:
            self._post()
        except RobotRateLimited as error:
            wait, reason = (
                RATE_LIMIT_WAIT[error.errcode],
                env._("The robot takes no more messages for now (%s): it will be sent later.", error),
            )
        except RobotError as error:
            reason = env._("The robot refused the message: %s", error)
        except requests.RequestException as error:
            reason = env._(
                "The robot could not be reached (%s). Check the webhook URL and the server's internet access.", error
            )
        else:
            self._jingpin_server().write(
                {"state": "sent", "sent_at": now, "last_try": now, "robot_key": key, "last_error": False}
            )
            return ""
        attempts = self.attempts + (0 if wait else 1)
        values = {"attempts": attempts, "last_try": now, "robot_key": key, "last_error": reason}
        if self.event == "test" or attempts >= MAX_ATTEMPTS:
            values["state"] = "failed"
        else:
            values["next_try"] = now + (wait or timedelta(minutes=min(2 ** (attempts - 1), 60)))
        self._jingpin_server().write(values)
        _logger.info("Robot message %s not sent: %s", self.id, reason)
        return reason

    def _post(self):
        """POST the message to its dealership's robot (a file is uploaded first, WeCom only)."""
        company = self.company_id.sudo()
        url = company.jingpin_robot_webhook
        payload = json.loads(self.payload)
        if company.jingpin_robot_kind == "dingtalk" and company.jingpin_robot_secret:
            url = self._signed_url(url, company.jingpin_robot_secret, int(self._robot_now().timestamp() * 1000))
        if self.attachment_id:
            payload = {"msgtype": "file", "file": {"media_id": self._upload_media(url)}}
        response = requests.post(url, json=payload, timeout=TIMEOUT)
        self._check_answer(response)

    def _upload_media(self, url):
        """WeCom: upload the file next to the webhook (``upload_media?key=…&type=file``)."""
        parts = urlsplit(url)
        query = urlencode([*parse_qsl(parts.query), ("type", "file")])
        upload_url = urlunsplit(parts._replace(path=parts.path.rsplit("/", 1)[0] + "/upload_media", query=query))
        attachment = self.attachment_id.sudo()
        response = requests.post(
            upload_url,
            files={"media": (attachment.name, attachment.raw, attachment.mimetype)},
            timeout=TIMEOUT,
        )
        return self._check_answer(response)["media_id"]

    @api.model
    def _check_answer(self, response):
        response.raise_for_status()
        try:
            answer = response.json()
        except ValueError as error:
            raise RobotError(response.text[:200]) from error
        errcode = answer.get("errcode", 0)
        if errcode in RATE_LIMIT_WAIT:
            raise RobotRateLimited(errcode, answer.get("errmsg", ""))
        if errcode:
            raise RobotError(f"{errcode} {answer.get('errmsg', '')}")
        return answer

    @api.model
    def _signed_url(self, url, secret, timestamp):
        """DingTalk's signature: ``timestamp`` (ms) and ``sign`` =
        urlencode(base64(HMAC-SHA256(secret, f"{timestamp}\\n{secret}")))."""
        digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
        sign = quote_plus(base64.b64encode(digest))
        return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"

    def _check_manager(self):
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP) or self.env.user.has_group("base.group_system")):
            raise AccessError(self.env._("Only the accessories manager or the administrator manages the group robot."))

    # === BUSINESS METHODS: queueing === #
    @api.model
    def _enqueue(self, company, event, title, text, records=None):
        """Queue one message for ``company``'s robot (nothing when it has none). ``title`` and
        ``text`` (markdown) are already in the dealership's language."""
        kind = company.jingpin_robot_kind
        if not kind:
            return self.browse()
        if kind == "wecom":
            payload = {"msgtype": "markdown", "markdown": {"content": _truncate(f"**{title}**\n{text}", kind)}}
        else:
            payload = {
                "msgtype": "markdown",
                "markdown": {"title": title[:60], "text": _truncate(f"### {title}\n{text}", kind)},
            }
        messages = (
            self.sudo()
            ._jingpin_server()
            .create(
                {
                    "company_id": company.id,
                    "robot_kind": kind,
                    "event": event,
                    "title": title,
                    "payload": json.dumps(payload, ensure_ascii=False),
                    "report_ids": [fields.Command.set(records.ids)] if records else [],
                }
            )
        )
        self.env.ref("jingpin_accessories.ir_cron_jingpin_robot_send")._trigger()
        return messages

    @api.model
    def _record_link(self, record):
        """Odoo's link to a document: it opens the document's own form and action (a work order's
        in the work orders, not in the project's task form), after the login if needed."""
        return f"{record.get_base_url()}/mail/view?{urlencode({'model': record._name, 'res_id': record.id})}"

    @api.model
    def _post_approvals(self, activities):
        """Approvals waiting: one message per approval requested, with a link to the document."""
        approval_type = self.env.ref("jingpin_accessories.mail_activity_type_concession_approval")
        for activity in activities.sudo().filtered(lambda a: a.activity_type_id == approval_type):
            record = self.env[activity.res_model].sudo().browse(activity.res_id)
            company = record.company_id if "company_id" in record._fields else self.env.company
            env = company._jingpin_robot_env()
            text = env._(
                "%(document)s waits for the approval of %(approver)s.\n> %(summary)s\n\n[Open %(document)s](%(link)s)",
                document=record.display_name,
                approver=activity.user_id.name,
                summary=activity.summary or activity.activity_type_id.with_env(env).name,
                link=self._record_link(record),
            )
            self._enqueue(company, "approval", env._("Approval waiting: %s", record.display_name), text)

    @api.model
    def _post_late(self, task, expected, promised):
        env = task.company_id._jingpin_robot_env()
        text = env._(
            "%(task)s (%(vehicle)s, specialist %(specialist)s) is expected to end at %(expected)s, after "
            "the %(promised)s promised to the customer.\n\n[Open %(task)s](%(link)s)",
            task=task.name,
            vehicle=task.vehicle_id.display_name or "-",
            specialist=task.specialist_id.name or "-",
            expected=expected,
            promised=promised,
            link=self._record_link(task),
        )
        self._enqueue(task.company_id, "late", env._("Work order late: %s", task.name), text)

    @api.model
    def _post_keys_out(self):
        """Day end: one message per dealership with a robot listing its keys out, pending
        handoffs included."""
        companies = self.env["res.company"].sudo().search([("jingpin_robot_kind", "!=", False)])
        lines = self.env["jingpin.key.board"].sudo().search([("company_id", "in", companies.ids)])
        for company, company_lines in lines.grouped("company_id").items():
            env = company._jingpin_robot_env()
            rows = []
            for line in company_lines:
                row = env._(
                    "- %(vehicle)s: with %(holder)s since %(since)s",
                    vehicle=line.vehicle_id.display_name,
                    holder=line.holder_id.name,
                    since=fields.Datetime.context_timestamp(
                        line.with_context(tz=company.partner_id.tz or "Asia/Shanghai"), line.date_out
                    ).strftime("%m-%d %H:%M"),
                )
                if line.pending_to_id:
                    row += env._(" (pending handoff to %s)", line.pending_to_id.name)
                rows.append(row)
            self._enqueue(
                company, "keys", env._("%(count)s car keys out at day end", count=len(company_lines)), "\n".join(rows)
            )

    @api.model
    def _post_complaints_escalated(self, complaints):
        for complaint in complaints:
            env = complaint.company_id._jingpin_robot_env()
            text = env._(
                "Complaint of %(customer)s, owned by %(owner)s, was due on %(deadline)s and is not resolved: "
                "escalated to the accessories manager.\n\n[Open %(complaint)s](%(link)s)",
                customer=complaint.partner_id.name,
                owner=complaint.user_id.name or "-",
                deadline=fields.Date.to_string(complaint.date_deadline),
                complaint=complaint.name,
                link=self._record_link(complaint),
            )
            self._enqueue(complaint.company_id, "complaint", env._("Complaint escalated: %s", complaint.name), text)

    @api.model
    def _post_daily_reports(self, reports):
        """The daily reports built together (17:00 in the dealerships): one consolidated markdown
        post per robot for all the dealerships posting to it, and each report's PDF where the
        robot takes files (WeCom). A report is posted once."""
        reports = reports.sudo().filtered(
            lambda report: report.kind == "daily" and report.company_id.jingpin_robot_kind
        )
        posted = self.sudo().search([("report_ids", "in", reports.ids)]).report_ids
        by_robot = defaultdict(lambda: self.env["jingpin.daily.report"])
        for report in reports - posted:
            by_robot[report.company_id._jingpin_robot_key()] |= report
        for robot_reports in by_robot.values():
            company = robot_reports[0].company_id
            env = company._jingpin_robot_env()
            sections = [
                env._(
                    "**%(company)s**\n- Revenue today: %(day)s; this month: %(month)s of %(plan)s (%(rate).0f%%)\n"
                    "- Work orders handed over: %(done)s, open: %(open)s, late: %(late)s\n"
                    "- Orders waiting for approval: %(approvals)s; keys out: %(keys)s\n[Open the report](%(link)s)",
                    company=report.company_id.name,
                    day=format_amount(env, report.revenue_day, report.currency_id),
                    month=format_amount(env, report.revenue_month, report.currency_id),
                    plan=format_amount(env, report.plan_month, report.currency_id),
                    rate=report.achievement_rate,
                    done=report.work_done_count,
                    open=report.work_open_count,
                    late=report.work_late_count,
                    approvals=report.approval_count,
                    keys=report.keys_out_count,
                    link=self._record_link(report),
                )
                for report in robot_reports
            ]
            title = env._("Accessories daily report %s", fields.Date.to_string(robot_reports[0].date))
            self._enqueue(company, "daily", title, "\n\n".join(sections), records=robot_reports)
            if company.jingpin_robot_kind == "wecom":
                for report in robot_reports.filtered("pdf_id"):
                    self._enqueue_file(company, report.pdf_id, robot_reports)

    @api.model
    def _enqueue_file(self, company, attachment, reports):
        return (
            self.sudo()
            ._jingpin_server()
            .create(
                {
                    "company_id": company.id,
                    "robot_kind": "wecom",
                    "event": "daily",
                    "title": attachment.name,
                    "payload": json.dumps({"msgtype": "file"}),
                    "attachment_id": attachment.id,
                    "report_ids": [fields.Command.set(reports.ids)],
                }
            )
        )

    @api.model
    def _send_test(self, company):
        """Send one message to ``company``'s robot right away; returns the reason of a failure, or ''."""
        self._check_manager()
        if not company.jingpin_robot_kind:
            raise UserError(self.env._("Choose the group robot and enter its webhook URL first."))
        env = company._jingpin_robot_env()
        message = self._enqueue(
            company,
            "test",
            env._("Test message from Odoo"),
            env._(
                "The group robot of %s is set up: approvals, warnings and the daily report will be posted here.",
                company.name,
            ),
        )[:1]
        return message._deliver(company._jingpin_robot_key(), self._robot_now())


class RobotError(Exception):
    """The robot answered, but did not post the message."""


class RobotRateLimited(RobotError):
    def __init__(self, errcode, errmsg):
        super().__init__(f"{errcode} {errmsg}")
        self.errcode = errcode


def _truncate(text, kind):
    """Keep the markdown within the robot's limit, in UTF-8 bytes, cutting at a character."""
    limit = MAX_BYTES[kind]
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[: limit - 4].decode(errors="ignore") + " …"
