import base64
import io
from collections import Counter, defaultdict
from datetime import datetime, time, timedelta

import pytz
import xlsxwriter
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL, format_date

from .jingpin_key_log import KEY_OUT_ACTIONS

FAILED_ACTIVITY = "mail.mail_activity_data_todo"
MANAGER_GROUP = "jingpin_accessories.group_jingpin_manager"
GROUP_VIEWER = "jingpin_accessories.group_jingpin_group_viewer"
REPORT_ACTION = "jingpin_accessories.action_report_daily"
REPORT_KINDS = [("daily", "Daily"), ("weekly", "Weekly"), ("monthly", "Monthly")]
# When each kind is due in the dealership's local time: the daily report by 17:00 (R34), the weekly
# one on Saturday at 17:00 for the week from Sunday (R35), the monthly one on the 1st at 08:00 for
# the month that has just ended (R36).
DUE_HOUR = {"daily": 17, "weekly": 17, "monthly": 8}
SATURDAY = 5
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class JingpinDailyReport(models.Model):
    """The operations report of a dealership for a day, a week or a month (R34–R36, B5): the daily
    report (精品营运日报表) is built and sent by itself at 17:00 in the dealership's time zone, the
    weekly one on Saturdays at 17:00 (the week from Sunday), the monthly one on the 1st at 08:00
    (the month just ended). One report per dealership, kind and period start (a unique index
    decides). ``revenue_day`` and ``gift_cost_day`` hold the figures of the report's period (the
    day's for a daily report); the month figures are those of the month the period ends in.

    Every field is the server's: the hourly job builds the report (there is no create right), takes
    the figures of the period, renders the PDF and mails it to the accessories manager and the
    dealer group's recipients. The manager and the group can also build a report for any period
    (without sending it) to read, print or export; the job sends it when its time comes.

    ========= ======= ================================================== =========================
    From      To      Guard                                              Who
    ========= ======= ================================================== =========================
    (none)    (none)  a report opened for a period                       manager, group (wizard)
    (none)    sent    the due time has passed in the dealership          the hourly job
    (none)    failed  the same, but the mail could not be sent           the hourly job
    failed    sent    (retry) the mail goes this time                    the hourly job, manager
    ========= ======= ================================================== =========================

    A failed report is retried by every run of the job, and the accessories manager gets a to-do
    on it (once) and a filter to find it. A report is sent once: sending takes its row, so of two
    transactions sending it at once the second waits and fails to serialize (Odoo retries it, and
    the retry finds it sent); it counts as sent only when its mail has left.

    The workshop figures and the orders waiting for approval are how things stand when the report
    is built, not sums over its period: a report built once its period is over (opened for a past
    period) has none (``past_period``), rather than today's. Reports are never deleted; nobody has the right to create
    one, so none is copied either (a copy is a create, and its fields are the server's).
    """

    _name = "jingpin.daily.report"
    _description = "Operations Report"
    _inherit = ["mail.thread", "mail.activity.mixin", "jingpin.guard"]
    _order = "date desc, kind, company_id"
    _rec_name = "date"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(REPORT_KINDS, required=True, default="daily", readonly=True)
    date = fields.Date(string="Period Start", required=True, readonly=True)
    date_end = fields.Date(string="Period End", readonly=True)
    state = fields.Selection(
        [("sent", "Sent"), ("failed", "Not Sent")],
        readonly=True,
        copy=False,
        tracking=True,
    )
    sent_on = fields.Datetime(readonly=True, copy=False)
    failure_reason = fields.Text(readonly=True, copy=False)
    recipient_ids = fields.Many2many("res.partner", string="Recipients", readonly=True)
    # No aggregator: reports of different kinds and periods overlap, and a figure of the moment
    # (keys out, work open) is no quantity to add up.
    revenue_day = fields.Monetary(string="Revenue of the Period", readonly=True, aggregator=None)
    revenue_month = fields.Monetary(
        string="Revenue of the Month", readonly=True, aggregator=None, help="Month to date."
    )
    plan_month = fields.Monetary(string="Plan of the Month", readonly=True, aggregator=None)
    achievement_rate = fields.Float(
        string="Achievement (%)", readonly=True, aggregator=None, help="Month to date against the plan."
    )
    plan_next_month = fields.Monetary(string="Plan of Next Month", readonly=True, aggregator=None)
    gift_cost_day = fields.Monetary(
        string="Gifts of the Period", readonly=True, aggregator=None, help="At cost; never revenue."
    )
    gift_cost_month = fields.Monetary(
        string="Gifts of the Month", readonly=True, aggregator=None, help="At cost; never revenue."
    )
    approval_count = fields.Integer(string="Orders Waiting for Approval", readonly=True, aggregator=None)
    work_done_count = fields.Integer(string="Work Orders Handed Over", readonly=True, aggregator=None)
    work_late_count = fields.Integer(string="Work Orders Late", readonly=True, aggregator=None)
    work_open_count = fields.Integer(string="Work Orders Open", readonly=True, aggregator=None)
    keys_out_count = fields.Integer(string="Keys Out", readonly=True, aggregator=None)
    due_bill_count = fields.Integer(string="Open Due Bills", readonly=True, aggregator=None)
    past_period = fields.Boolean(
        readonly=True,
        help="Built after its period was over: the figures of the moment (work orders, keys, approvals, due "
        "bills) are not those of its period, so it has none.",
    )
    line_ids = fields.One2many("jingpin.daily.report.line", "report_id", string="Analysis", readonly=True)
    category_line_ids = fields.One2many(
        "jingpin.daily.report.line",
        "report_id",
        string="By Category",
        domain=[("section", "=", "category")],
        readonly=True,
    )
    product_line_ids = fields.One2many(
        "jingpin.daily.report.line",
        "report_id",
        string="Sales List",
        domain=[("section", "=", "product")],
        readonly=True,
    )
    person_line_ids = fields.One2many(
        "jingpin.daily.report.line",
        "report_id",
        string="Personal Targets",
        domain=[("section", "=", "person")],
        readonly=True,
    )
    # Mailed to the manager and the group, with every person's figures: theirs to read only.
    pdf_id = fields.Many2one(
        "ir.attachment", string="PDF", readonly=True, copy=False, groups=f"{MANAGER_GROUP},{GROUP_VIEWER}"
    )

    _one_per_period = models.UniqueIndex(
        "(company_id, kind, date)", "A dealership has one report of each kind for a period."
    )

    @api.depends("kind", "date", "date_end")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """The kind and the period, as the user writes dates (the breadcrumb and the links read it)."""
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for report in self:
            period = format_date(self.env, report.date)
            if report.kind != "daily" and report.date_end:
                period = f"{period} ~ {format_date(self.env, report.date_end)}"
            report.display_name = f"{kinds.get(report.kind, '')} {period}"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_report(self):
        raise UserError(self.env._("An operations report is kept: it cannot be deleted."))

    # === ACTIONS === #
    def action_retry(self):
        """The manager sends a report that could not be sent again (the hourly job does too)."""
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only the accessories manager sends a report again."))
        if self.filtered(lambda report: report.state != "failed"):
            raise UserError(self.env._("Only a report that could not be sent is sent again."))
        # Sending mails and rendering on the department's behalf; the records are the ones checked above.
        self.sudo()._send()
        return True

    def action_export_xlsx(self):
        """The report as a spreadsheet: the same figures as its PDF, as the user reads them (his
        lines only), in a file of his own to download: attached to no record, so nobody else reads it."""
        self.ensure_one()
        self.check_access("read")
        attachment = self.env["ir.attachment"].create(
            {"name": f"{self._report_title()}.xlsx", "raw": self._xlsx(), "mimetype": XLSX_MIMETYPE}
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    # === BUSINESS METHODS === #
    @api.model
    def _cron_build_and_send(self):
        """Hourly: each dealership whose local due time has passed gets the report of each kind,
        once; reports that could not be sent are sent again. The dealerships due for the same
        period are built together."""
        self.search([("state", "=", "failed"), ("company_id.jingpin_enabled", "=", True)])._send()
        now = fields.Datetime.now()
        due = defaultdict(lambda: self.env["res.company"])
        for company in self.env["res.company"]._jingpin_enabled_companies():
            local_now = pytz.utc.localize(now).astimezone(self._company_tz(company))
            for kind, _label in REPORT_KINDS:
                day = self._due_day(kind, local_now)
                if day:
                    due[kind, day] |= company
        for (kind, day), companies in due.items():
            start, _end = self._period(kind, day)
            sent = self.search(
                [("company_id", "in", companies.ids), ("kind", "=", kind), ("date", "=", start), ("state", "!=", False)]
            )
            if companies - sent.company_id:
                self._build(companies - sent.company_id, day, kind)._send()

    @api.model
    def _due_day(self, kind, local_now):
        """A day of the period of ``kind`` due at ``local_now`` in the dealership, or None."""
        if local_now.hour < DUE_HOUR[kind]:
            return None
        today = local_now.date()
        if kind == "daily":
            return today
        if kind == "weekly":
            return today if today.weekday() == SATURDAY else None
        return today - timedelta(days=1) if today.day == 1 else None

    @api.model
    def _period(self, kind, day):
        """(first day, last day) of the period of ``kind`` that holds ``day``; weeks start on Sunday."""
        if kind == "weekly":
            start = day - timedelta(days=(day.weekday() + 1) % 7)
            return start, start + timedelta(days=6)
        if kind == "monthly":
            return day.replace(day=1), day + relativedelta(day=31)
        return day, day

    @api.model
    def _build(self, companies, day, kind="daily"):
        """The reports of ``companies`` of ``kind`` for the period holding ``day``, with their
        figures (not sent yet). A report already sent stays as it is; one not sent yet has its
        figures taken again."""
        start, _end = self._period(kind, day)
        reports = self.search([("company_id", "in", companies.ids), ("kind", "=", kind), ("date", "=", start)])
        todo = companies - reports.filtered("state").company_id
        if not todo:
            return reports
        figures = self._figures(todo, day, kind)
        for company in todo:
            figures[company]["recipient_ids"] = (
                company.jingpin_manager_id.partner_id | company.jingpin_daily_report_partner_ids
            ).ids
        drafts = reports.filtered(lambda report: not report.state)
        for report in drafts:
            values = figures[report.company_id]
            report._jingpin_server().write(values | {"line_ids": [fields.Command.clear()] + values["line_ids"]})
        created = self._jingpin_server().create(
            [
                figures[company] | {"company_id": company.id, "kind": kind, "date": start}
                for company in todo - drafts.company_id
            ]
        )
        return reports | created.with_env(self.env)

    @api.model
    def _figures(self, companies, day, kind="daily"):
        """The figures of the reports of ``companies`` of ``kind`` for the period holding ``day``:
        {company: {field name: value}}.

        Batched: each figure is one query for all the dealerships (the analysis lines of weekly and
        monthly reports are taken per dealership)."""
        start, end = self._period(kind, day)
        month = end.replace(day=1)
        Line = self.env["sale.order.line"]
        revenue_period = Line._jingpin_revenue_by_month(companies, start, end)
        revenue_month = Line._jingpin_revenue_by_month(companies, month, end)
        Plan = self.env["jingpin.sales.plan"]
        plans = Plan._get_plan_amounts(month)
        plans_next = Plan._get_plan_amounts(month + relativedelta(months=1)) if kind == "monthly" else {}
        Dashboard = self.env["jingpin.dashboard"]
        bounds = {company: self._local_bounds(company, start, end) for company in companies}
        handed_over = Domain.OR(
            Domain("company_id", "=", company.id)
            & Domain("date_end", ">=", date_from)
            & Domain("date_end", "<", date_to)
            for company, (date_from, date_to) in bounds.items()
        )

        def count(model, domain):
            groups = self.env[model]._read_group(
                Domain(domain) & Domain("company_id", "in", companies.ids), ["company_id"], ["__count"]
            )
            return dict(groups)

        approvals = count("sale.order", [("jingpin_approval_state", "in", ("to_approve", "to_approve_gm"))])
        done = count(
            "project.task",
            Domain("is_work_order", "=", True) & Domain("work_state", "=", "handed_over") & handed_over,
        )
        late = Counter(task.company_id for task in Dashboard._late_work_orders(companies))
        opened = count("project.task", Dashboard._open_work_order_domain(companies))
        keys_out = Counter(
            log.company_id
            for log in self.env["jingpin.key.log"]._get_current_logs(companies=companies)
            if log.action in KEY_OUT_ACTIONS
        )
        due_bills = count("jingpin.due.bill", [("state", "in", ("draft", "signed"))])
        ReportLine = self.env["jingpin.daily.report.line"]
        figures = {}
        for company in companies:
            past = self._is_past_period(company, kind, end)
            period = [values for (company_id, _month), values in revenue_period.items() if company_id == company.id]
            month_figures = revenue_month.get((company.id, month), {})
            plan = plans.get(company, 0.0)
            figures[company] = {
                "date_end": end,
                "revenue_day": sum(values["confirmed"] for values in period),
                "revenue_month": month_figures.get("confirmed", 0.0),
                "plan_month": plan,
                "achievement_rate": plan and 100.0 * month_figures.get("confirmed", 0.0) / plan,
                "plan_next_month": plans_next.get(company, 0.0),
                "gift_cost_day": sum(values["gift_cost"] for values in period),
                "gift_cost_month": month_figures.get("gift_cost", 0.0),
                "work_done_count": done.get(company, 0),
                "past_period": past,
                # the figures of the moment: a report built after its period has none
                "approval_count": 0 if past else approvals.get(company, 0),
                "work_late_count": 0 if past else late[company],
                "work_open_count": 0 if past else opened.get(company, 0),
                "keys_out_count": 0 if past else keys_out[company],
                "due_bill_count": 0 if past else due_bills.get(company, 0),
                "line_ids": (
                    [] if kind == "daily" else ReportLine._prepare_lines(company, *bounds[company], month, kind)
                ),
            }
        return figures

    @api.model
    def _is_past_period(self, company, kind, end):
        """Whether the period of ``kind`` ending on ``end`` is over in the dealership: its report
        is due at the latest on the day after its end (the monthly one on the 1st)."""
        local_today = pytz.utc.localize(fields.Datetime.now()).astimezone(self._company_tz(company)).date()
        return local_today > end + timedelta(days=1 if kind == "monthly" else 0)

    def _send(self):
        """Render each report's PDF and mail it, once (:meth:`_take_for_sending`); a report whose
        mail does not leave is 'failed'."""
        for report in self:
            if not report._take_for_sending():
                continue
            if not report.pdf_id:
                Reports = self.env["ir.actions.report"].with_context(lang=report._in_company_lang().lang)
                pdf, _format = Reports._render_qweb_pdf(REPORT_ACTION, report.ids)
                attachment = self.env["ir.attachment"].create(
                    {
                        "name": f"{report._report_title()}.pdf",
                        "datas": base64.b64encode(pdf),
                        "res_model": report._name,
                        "res_id": report.id,
                        # read as the field is: by the manager and the group (every person's figures)
                        "res_field": "pdf_id",
                        "mimetype": "application/pdf",
                    }
                )
                report._jingpin_server().pdf_id = attachment
            report._send_mail()
        self.env["jingpin.robot.message"]._post_daily_reports(self)

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
                    "body_html": Markup("<p>%s</p>") % env._("%s is attached.", self._report_title()),
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
        if mail.state == "outgoing" and not self.env["ir.mail_server"]._disable_send():
            # tried and still queued (throttled, no connection): not left. The job sends the report
            # again, so the queue must not send this one too.
            mail.state = "cancel"
        if mail.state not in ("sent", "outgoing"):
            # an SMTP error, no valid address: the mail has not left (an outgoing mail is one queued
            # while sending is off, as in tests and during an install, and leaves with the queue). The
            # mail server's own words are technical and in English: say it in the dealership's
            # language, what went wrong and what to do, and keep them for whoever fixes the server
            labels = dict(mail._fields["failure_type"]._description_selection(env))
            return self._failed(
                env._(
                    "The report could not be emailed (%(why)s). Check the outgoing mail server in "
                    "Settings, then send it again. The mail server said: %(detail)s",
                    why=labels.get(mail.failure_type) or env._("the mail server could not be reached"),
                    detail=(mail.failure_reason or "").strip() or "-",
                )
            )
        self._jingpin_server().write({"state": "sent", "sent_on": fields.Datetime.now(), "failure_reason": False})
        self._jingpin_server().activity_unlink([FAILED_ACTIVITY])
        return True

    def _take_for_sending(self):
        """Take this report's row to send it: False if it is sent already. Of two transactions
        sending it at once, the second waits for the first, then fails to serialize."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET write_date = (now() AT TIME ZONE 'UTC') WHERE id = %s AND state IS DISTINCT FROM 'sent'"
                " RETURNING id",
                SQL.identifier(self._table),
                self.id,
            )
        )
        taken = bool(self.env.cr.fetchone())
        self.invalidate_recordset(["state"])
        return taken

    def _failed(self, reason):
        self._jingpin_server().write({"state": "failed", "failure_reason": reason})
        manager = self.company_id.jingpin_manager_id
        if manager and not self.activity_ids.filtered(lambda activity: activity.user_id == manager):
            self.activity_schedule(
                FAILED_ACTIVITY,
                user_id=manager.id,
                summary=self._in_company_lang()._("Operations report not sent"),
                note=reason,
            )
        return False

    def _report_title(self):
        self.ensure_one()
        env = self._in_company_lang()
        kind = dict(self.with_env(env)._fields["kind"]._description_selection(env))[self.kind]
        period = str(self.date) if self.kind == "daily" else f"{self.date} ~ {self.date_end}"
        return env._("%(company)s %(kind)s report %(period)s", company=self.company_id.name, kind=kind, period=period)

    def _summary_sections(self):
        """The report's figures as (heading, [(label, value, format)]): what its PDF and its
        spreadsheet show, in the same order. Format is 'money', 'percent' or 'count'."""
        self.ensure_one()
        sales = [
            (self.env._("Revenue of the period"), self.revenue_day, "money"),
            (self.env._("Revenue of the month to date"), self.revenue_month, "money"),
            (self.env._("Plan of the month"), self.plan_month, "money"),
            (self.env._("Achievement"), self.achievement_rate, "percent"),
            (self.env._("Gifts of the period (at cost)"), self.gift_cost_day, "money"),
            (self.env._("Gifts of the month (at cost)"), self.gift_cost_month, "money"),
        ]
        if not self.past_period:
            sales.append((self.env._("Orders waiting for approval"), self.approval_count, "count"))
        if self.kind == "monthly":
            sales.append((self.env._("Plan of next month"), self.plan_next_month, "money"))
        workshop = [(self.env._("Work orders handed over in the period"), self.work_done_count, "count")]
        if not self.past_period:
            workshop += [
                (self.env._("Work orders late"), self.work_late_count, "count"),
                (self.env._("Work orders open"), self.work_open_count, "count"),
                (self.env._("Keys out of the key box"), self.keys_out_count, "count"),
                (self.env._("Open due bills"), self.due_bill_count, "count"),
            ]
        return [(self.env._("Sales"), sales), (self.env._("Workshop"), workshop)]

    def _readable_lines(self):
        """The analysis lines the user may read (record rules), whatever this transaction read before."""
        return self.line_ids._filtered_access("read")

    def _xlsx(self):
        """The spreadsheet: the summary, then the analysis lines of each section."""
        self.ensure_one()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        symbol = self.currency_id.symbol or ""
        money_format = f'"{symbol}"#,##0.00' if self.currency_id.position != "after" else f'#,##0.00" {symbol}"'
        formats = {
            "money": workbook.add_format({"num_format": money_format}),
            "percent": workbook.add_format({"num_format": '0.0" %"'}),
            "count": None,
        }
        sheet = workbook.add_worksheet(self.env._("Summary"))
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 4, 16)
        sheet.write(0, 0, self._report_title(), bold)
        row = 2
        for heading, figures in self._summary_sections():
            sheet.write(row, 0, heading, bold)
            row += 1
            for label, value, fmt in figures:
                sheet.write(row, 0, label)
                sheet.write_number(row, 1, value, formats[fmt])
                row += 1
            row += 1
        Line = self.env["jingpin.daily.report.line"]
        sections = dict(Line._fields["section"]._description_selection(self.env))
        headers = [Line._fields[name].get_description(self.env)["string"] for name in Line._xlsx_columns()]
        for section, label in sections.items():
            lines = self._readable_lines().filtered(lambda line, section=section: line.section == section)
            if not lines:
                continue
            sheet = workbook.add_worksheet(label)
            sheet.set_column(0, 0, 30)
            sheet.set_column(1, len(headers), 16)
            sheet.write_row(0, 0, [self.env._("Name")] + headers, bold)
            for row, line in enumerate(lines, start=1):
                sheet.write(row, 0, line.name)
                for column, (name, fmt) in enumerate(Line._xlsx_columns().items(), start=1):
                    sheet.write_number(row, column, line[name], formats[fmt])
        workbook.close()
        return output.getvalue()

    @api.model
    def _company_tz(self, company):
        return pytz.timezone(company.partner_id.tz or "UTC")

    @api.model
    def _local_bounds(self, company, day, day_end=None):
        """From the start of ``day`` to the end of ``day_end`` (``day`` by default) in the
        dealership's time zone, as naive UTC datetimes."""
        tz = self._company_tz(company)

        def to_utc(moment):
            return tz.localize(moment).astimezone(pytz.utc).replace(tzinfo=None)

        last = day_end or day
        return to_utc(datetime.combine(day, time.min)), to_utc(datetime.combine(last + timedelta(days=1), time.min))
