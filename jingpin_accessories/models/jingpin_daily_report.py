import base64
from collections import Counter, defaultdict
from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

DAILY_REPORT_HOUR = 17  # the report is due by 17:00 in the dealership (R34)
FAILED_ACTIVITY = "mail.mail_activity_data_todo"
MANAGER_GROUP = "jingpin_accessories.group_jingpin_manager"
REPORT_ACTION = "jingpin_accessories.action_report_daily"


class JingpinDailyReport(models.Model):
    """The daily operations report (精品营运日报表, R34, B5) of a dealership: built and sent by itself
    at 17:00 in the dealership's time zone, once per dealership and day (a unique index decides).

    Every field is the server's: the hourly job builds the report (there is no create right), takes
    the figures of the day, renders the PDF and mails it to the accessories manager and the dealer
    group's recipients.

    ========= ======= ================================================== =========================
    From      To      Guard                                              Who
    ========= ======= ================================================== =========================
    (none)    sent    17:00 has passed in the dealership, no report yet  the hourly job
    (none)    failed  the same, but the mail could not be sent           the hourly job
    failed    sent    (retry) the mail goes this time                    the hourly job, manager
    ========= ======= ================================================== =========================

    A failed report is retried by every run of the job, and the accessories manager gets a to-do
    on it (once) and a filter to find it. Reports are never deleted; nobody has the right to create
    one, so none is copied either (a copy is a create, and its fields are the server's).
    """

    _name = "jingpin.daily.report"
    _description = "Daily Operations Report"
    _inherit = ["mail.thread", "mail.activity.mixin", "jingpin.guard"]
    _order = "date desc, company_id"
    _rec_name = "date"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, readonly=True)
    state = fields.Selection(
        [("sent", "Sent"), ("failed", "Not Sent")],
        readonly=True,
        copy=False,
        tracking=True,
    )
    sent_on = fields.Datetime(readonly=True, copy=False)
    failure_reason = fields.Text(readonly=True, copy=False)
    recipient_ids = fields.Many2many("res.partner", string="Recipients", readonly=True)
    revenue_day = fields.Monetary(string="Revenue of the Day", readonly=True)
    revenue_month = fields.Monetary(string="Revenue of the Month", readonly=True, help="Month to date.")
    plan_month = fields.Monetary(string="Plan of the Month", readonly=True)
    achievement_rate = fields.Float(string="Achievement (%)", readonly=True, help="Month to date against the plan.")
    gift_cost_day = fields.Monetary(string="Gifts of the Day", readonly=True, help="At cost; never revenue.")
    gift_cost_month = fields.Monetary(string="Gifts of the Month", readonly=True, help="At cost; never revenue.")
    approval_count = fields.Integer(string="Orders Waiting for Approval", readonly=True)
    work_done_count = fields.Integer(string="Work Orders Handed Over", readonly=True)
    work_late_count = fields.Integer(string="Work Orders Late", readonly=True)
    work_open_count = fields.Integer(string="Work Orders Open", readonly=True)
    keys_out_count = fields.Integer(string="Keys Out", readonly=True)
    due_bill_count = fields.Integer(string="Open Due Bills", readonly=True)
    pdf_id = fields.Many2one("ir.attachment", string="PDF", readonly=True, copy=False)

    _one_per_day = models.UniqueIndex("(company_id, date)", "A dealership has one daily report a day.")

    @api.ondelete(at_uninstall=False)
    def _unlink_except_report(self):
        raise UserError(self.env._("A daily report is kept: it cannot be deleted."))

    # === ACTIONS === #
    def action_retry(self):
        """The manager sends a report that could not be sent again (the hourly job does too)."""
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only the accessories manager sends a daily report again."))
        if self.filtered(lambda report: report.state != "failed"):
            raise UserError(self.env._("Only a daily report that could not be sent is sent again."))
        # Sending mails and rendering on the department's behalf; the records are the ones checked above.
        self.sudo()._send()
        return True

    # === BUSINESS METHODS === #
    @api.model
    def _cron_build_and_send(self):
        """Hourly: each dealership whose local time has passed 17:00 gets today's report, once;
        reports that could not be sent are sent again."""
        self.search([("state", "=", "failed")])._send()
        now = fields.Datetime.now()
        due = defaultdict(lambda: self.env["res.company"])
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            local_now = pytz.utc.localize(now).astimezone(self._company_tz(company))
            if local_now.hour < DAILY_REPORT_HOUR:
                continue
            if not self.search_count([("company_id", "=", company.id), ("date", "=", local_now.date())]):
                due[local_now.date()] |= company
        for day, companies in due.items():
            self._build(companies, day)._send()

    @api.model
    def _build(self, companies, day):
        """The reports of ``companies`` for ``day``, with their figures (not sent yet)."""
        figures = self._figures(companies, day)
        return self._jingpin_server().create(
            [
                {
                    "company_id": company.id,
                    "date": day,
                    "recipient_ids": (
                        company.jingpin_manager_id.partner_id | company.jingpin_daily_report_partner_ids
                    ).ids,
                    **figures[company],
                }
                for company in companies
            ]
        )

    @api.model
    def _figures(self, companies, day):
        """The figures of the reports of ``companies`` for ``day``: {company: {field name: value}}.

        Batched: each figure is one query for all the dealerships."""
        month = day.replace(day=1)
        Line = self.env["sale.order.line"]
        revenue_month = Line._jingpin_revenue_by_month(companies, month, day)
        revenue_day = Line._jingpin_revenue_by_month(companies, day, day)
        plans = self.env["jingpin.sales.plan"]._get_plan_amounts(month)
        Dashboard = self.env["jingpin.dashboard"]
        handed_over_today = Domain.OR(
            Domain("company_id", "=", company.id) & Domain("date_end", ">=", start) & Domain("date_end", "<", end)
            for company in companies
            for start, end in [self._local_bounds(company, day)]
        )

        def count(model, domain):
            groups = self.env[model]._read_group(
                Domain(domain) & Domain("company_id", "in", companies.ids), ["company_id"], ["__count"]
            )
            return dict(groups)

        approvals = count("sale.order", [("jingpin_approval_state", "in", ("to_approve", "to_approve_gm"))])
        done = count(
            "project.task",
            Domain("is_work_order", "=", True) & Domain("work_state", "=", "handed_over") & handed_over_today,
        )
        late = Counter(task.company_id for task in Dashboard._late_work_orders(companies))
        opened = count("project.task", Dashboard._open_work_order_domain(companies))
        keys_out = Counter(
            log.company_id
            for log in self.env["jingpin.key.log"]._get_current_logs(companies=companies)
            if log.action == "check_out"
        )
        due_bills = count("jingpin.due.bill", [("state", "in", ("draft", "signed"))])
        figures = {}
        for company in companies:
            month_figures = revenue_month.get((company.id, month), {})
            day_figures = revenue_day.get((company.id, month), {})
            plan = plans.get(company, 0.0)
            figures[company] = {
                "revenue_day": day_figures.get("confirmed", 0.0),
                "revenue_month": month_figures.get("confirmed", 0.0),
                "plan_month": plan,
                "achievement_rate": plan and 100.0 * month_figures.get("confirmed", 0.0) / plan,
                "gift_cost_day": day_figures.get("gift_cost", 0.0),
                "gift_cost_month": month_figures.get("gift_cost", 0.0),
                "approval_count": approvals.get(company, 0),
                "work_done_count": done.get(company, 0),
                "work_late_count": late[company],
                "work_open_count": opened.get(company, 0),
                "keys_out_count": keys_out[company],
                "due_bill_count": due_bills.get(company, 0),
            }
        return figures

    def _send(self):
        """Render each report's PDF and mail it; a report whose mail fails stays 'failed'."""
        for report in self:
            if not report.pdf_id:
                pdf, _format = self.env["ir.actions.report"]._render_qweb_pdf(REPORT_ACTION, report.ids)
                attachment = self.env["ir.attachment"].create(
                    {
                        "name": f"{report._report_title()}.pdf",
                        "datas": base64.b64encode(pdf),
                        "res_model": report._name,
                        "res_id": report.id,
                        "mimetype": "application/pdf",
                    }
                )
                report._jingpin_server().pdf_id = attachment
            report._send_mail()

    def _send_mail(self):
        self.ensure_one()
        env = self._in_company_lang()
        if not self.recipient_ids:
            return self._failed(env._("No recipient: set the accessories manager or the report's recipients."))
        mail = (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": self._report_title(),
                    "body_html": Markup("<p>%s</p>")
                    % env._("The daily operations report of %s is attached.", self.company_id.name),
                    "email_from": self.company_id.email_formatted or self.env.user.email_formatted,
                    "recipient_ids": self.recipient_ids.ids,
                    "attachment_ids": self.pdf_id.ids,
                    "model": self._name,
                    "res_id": self.id,
                    "auto_delete": False,
                }
            )
        )
        mail.send(raise_exception=False)
        if mail.state == "exception":
            return self._failed(mail.failure_reason or env._("The mail could not be sent."))
        self._jingpin_server().write({"state": "sent", "sent_on": fields.Datetime.now(), "failure_reason": False})
        self.activity_unlink([FAILED_ACTIVITY])
        return True

    def _failed(self, reason):
        self._jingpin_server().write({"state": "failed", "failure_reason": reason})
        manager = self.company_id.jingpin_manager_id
        if manager and not self.activity_ids.filtered(lambda activity: activity.user_id == manager):
            self.activity_schedule(
                FAILED_ACTIVITY,
                user_id=manager.id,
                summary=self._in_company_lang()._("Daily report not sent"),
                note=reason,
            )
        return False

    def _report_title(self):
        self.ensure_one()
        env = self._in_company_lang()
        return env._("%(company)s daily report %(date)s", company=self.company_id.name, date=self.date)

    @api.model
    def _company_tz(self, company):
        return pytz.timezone(company.partner_id.tz or "UTC")

    @api.model
    def _local_bounds(self, company, day):
        """The day in the dealership's time zone, as naive UTC datetimes."""
        tz = self._company_tz(company)

        def to_utc(moment):
            return tz.localize(moment).astimezone(pytz.utc).replace(tzinfo=None)

        return to_utc(datetime.combine(day, time.min)), to_utc(datetime.combine(day + timedelta(days=1), time.min))
