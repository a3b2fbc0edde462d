import io
import json
import re
from datetime import date, datetime
from unittest.mock import patch

import openpyxl
from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.base.models.ir_mail_server import IrMail_Server
from odoo.addons.mail.models.mail_mail import MailMail

from .test_targets_reports import REPORT, JingpinTargetsCommon

REPORTS_WITH_PARTS = [
    "jingpin.accessory.report",
    "jingpin.appraisal.report",
    "jingpin.dashboard",
    "jingpin.figure.analysis",
    "jingpin.key.board",
    "jingpin.labour.report",
    "jingpin.plan.achievement.report",
    "jingpin.sale.margin.report",
    "jingpin.satisfaction.report",
    "jingpin.stock.ageing.report",
    "jingpin.workshop.load",
]


@tagged("post_install", "-at_install")
class TestReportIntegrity(JingpinTargetsCommon):
    """Issues 19 and 20: the operations report's figures add up, a past report shows no live
    figures, a person's target line is no more readable than his target, and a report is sent
    once, counted sent only when its mail left."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["jingpin.daily.report"]
        cls.specialist_2 = cls._user("jp_spec2", "specialist", cls.company_a)

    def _monthly(self, month=3):
        with freeze_time(datetime(self.year, month, 10, 2, 0)):
            self._confirmed_order(self.mat | self.film)
            Target = self.env["jingpin.personal.target"]
            for user, amount in ((self.specialist, 5000.0), (self.specialist_2, 7000.0)):
                Target.create({"user_id": user.id, "month": date(self.year, month, 1), "amount": amount})
            return self.Report._build(self.company_a, date(self.year, month, 20), "monthly")

    def _spreadsheet(self, action):
        return self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))

    def _xlsx_names(self, report):
        attachment = self._spreadsheet(report.action_export_xlsx())
        book = openpyxl.load_workbook(io.BytesIO(attachment.sudo().raw))
        return book, {row[0] for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)}

    def test_a_persons_line_is_read_as_his_target(self):
        report = self._monthly()
        other = self.specialist_2.name
        self.assertIn(other, report.person_line_ids.mapped("name"))
        self.env.invalidate_all()  # as in the specialist's own request
        as_specialist = report.with_user(self.specialist)
        self.assertEqual(as_specialist.person_line_ids.mapped("name"), [self.specialist.name])
        Line = self.env["jingpin.daily.report.line"].with_user(self.specialist)
        self.assertFalse(Line.search([("user_id", "=", self.specialist_2.id)]))
        self.assertFalse(Line.search_read([("name", "=", other)], ["target"]))
        groups = Line.formatted_read_group([("report_id", "=", report.id)], ["section"], ["target:sum"])
        self.assertEqual(sum(group["target:sum"] for group in groups), 5000.0, "only his own target")
        html = self.env["ir.actions.report"].with_user(self.specialist)._render_qweb_html(REPORT, report.ids)[0]
        self.assertNotIn(other, html.decode())
        self.assertIn(self.specialist.name, html.decode())
        _book, names = self._xlsx_names(as_specialist)
        self.assertNotIn(other, names)
        self.assertIn(self.specialist.name, names)
        # his spreadsheet is his: the manager's export, with everyone's figures, is not readable by him
        action = report.with_user(self.manager).action_export_xlsx()
        self.assertFalse(self._spreadsheet(action).with_user(self.specialist).has_access("read"))
        for user in (self.manager, self.viewer):
            self.env.invalidate_all()
            self.assertEqual(len(report.with_user(user).person_line_ids), 2)

    def test_mailed_pdf_is_the_managers_and_the_groups(self):
        report = self._monthly()
        report._send()
        self.assertEqual(report.state, "sent")
        pdf = report.pdf_id
        self.assertTrue(pdf)
        self.assertFalse(pdf.with_user(self.specialist).has_access("read"), "every person's figures")
        self.assertTrue(pdf.with_user(self.manager).has_access("read"))
        self.assertTrue(pdf.with_user(self.viewer).has_access("read"))

    def test_sections_are_never_added_together(self):
        report = self._monthly()
        self.assertEqual(set(report.category_line_ids.mapped("section")), {"category"})
        self.assertEqual(set(report.product_line_ids.mapped("section")), {"product"})
        self.assertAlmostEqual(sum(report.category_line_ids.mapped("revenue")), report.revenue_day)
        self.assertAlmostEqual(sum(report.product_line_ids.mapped("revenue")), report.revenue_day)
        form = etree.fromstring(
            self.Report.with_user(self.manager).get_views([(False, "form")])["views"]["form"]["arch"]
        )
        for node in form.iterfind(".//field[@name]"):
            if node.findall(".//field[@sum]"):
                self.assertIn(node.get("name"), ("category_line_ids", "product_line_ids"), "one section per total")
        self.assertFalse(form.xpath("//field[@name='line_ids']"))
        # the list of reports mixes days, weeks and months: no figure adds up across them
        listing = etree.fromstring(
            self.Report.with_user(self.manager).get_views([(False, "list")])["views"]["list"]["arch"]
        )
        self.assertFalse(listing.xpath("//field[@sum]"))
        fields = self.Report.fields_get(["revenue_day", "revenue_month", "keys_out_count"], ["aggregator"])
        self.assertFalse([name for name, field in fields.items() if field.get("aggregator")])

    def test_past_period_shows_no_live_figures(self):
        with freeze_time(datetime(self.year, 3, 10, 2, 0)):
            order, _work_order = self._confirmed_order(self.mat)
            live = self.Report._build(self.company_a, date(self.year, 3, 10), "monthly")
            self.assertFalse(live.past_period)
            self.assertEqual(live.work_open_count, 1, "this month's report: the work open now")
            past = self.Report._build(self.company_a, date(self.year, 1, 10), "monthly")
        self.assertTrue(past.past_period)
        self.assertEqual((past.work_open_count, past.keys_out_count, past.approval_count), (0, 0, 0))
        labels = {label for _heading, figures in past._summary_sections() for label, _value, _fmt in figures}
        self.assertNotIn("Work orders open", labels)
        self.assertIn("Work orders handed over in the period", labels)
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, past.ids)[0].decode()
        self.assertNotIn("Work orders open", html)
        self.assertNotIn("Keys out of the key box", html)
        _book, names = self._xlsx_names(past)
        self.assertNotIn("Work orders open", names)
        self.assertTrue(order)

    def test_xlsx_amounts_in_yuan(self):
        self.company_a.currency_id = self.env.ref("base.CNY")
        report = self._monthly()
        book, _names = self._xlsx_names(report)
        summary = book.worksheets[0]
        formats = {row[0].value: row[1].number_format for row in summary.iter_rows() if row[1].value is not None}
        self.assertIn("¥", formats["Revenue of the period"])
        self.assertNotIn("¥", formats["Achievement"])
        self.assertNotIn("¥", formats["Work orders handed over in the period"])
        categories = book["By Category"]
        self.assertIn("¥", categories.cell(2, 3).number_format, "revenue")
        self.assertNotIn("¥", categories.cell(2, 2).number_format, "quantity")

    def test_sent_once_and_only_when_the_mail_left(self):
        report = self._monthly()
        mails = self.env["mail.mail"]
        title = report._report_title()

        def report_mails():
            return mails.search([("model", "=", report._name), ("res_id", "=", report.id), ("subject", "=", title)])

        # sending is on, the mail is tried and stays in the queue (no connection): it has not left
        with (
            patch.object(IrMail_Server, "_disable_send", lambda *args: False),
            patch.object(IrMail_Server, "_connect__", lambda *args, **kwargs: None),
            patch.object(MailMail, "_send", lambda *args, **kwargs: True),
        ):
            report._send()
        self.assertEqual(report.state, "failed")
        self.assertEqual(report_mails().state, "cancel", "the job sends the report again, not the queue")
        report.with_user(self.manager).action_retry()
        self.assertEqual(report.state, "sent")
        self.assertEqual(len(report_mails()), 2)
        # sent: sending it again (a second Send Again, the job) mails nothing
        report._send()
        self.assertFalse(report._take_for_sending())
        self.assertEqual(len(report_mails()), 2)

    def test_reports_are_built_from_overridable_parts(self):
        """Issue 21: every report's query is made of its _select, _from, _where and _group_by, so an
        extension changes a report by overriding one of them."""
        for name in REPORTS_WITH_PARTS:
            with self.subTest(report=name):
                Report = self.env[name]
                query = Report._table_query.code
                for part in (Report._select(), Report._from(), Report._where(), Report._group_by()):
                    self.assertIn(part.code, query)
        # an override of one part is what the report reads: here the dashboard loses a card
        Dashboard = self.env["jingpin.dashboard"]
        cards = Dashboard.search([("company_id", "=", self.company_a.id)])
        self.assertIn("sales", cards.mapped("metric"))
        where = Dashboard._where()
        with patch.object(type(Dashboard), "_where", lambda self: SQL("%s AND metric.code != 'sales'", where)):
            narrowed = Dashboard.search([("company_id", "=", self.company_a.id)])
        self.assertEqual(set(narrowed.mapped("metric")), set(cards.mapped("metric")) - {"sales"})


@tagged("post_install", "-at_install")
class TestReportsInChinese(JingpinTargetsCommon):
    """Issue 20: the reports read in Chinese and in yuan."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["jingpin_accessories"], ["zh_CN"], overwrite=True)

    def test_period_dialog_button(self):
        arch = (
            self.env["jingpin.report.period.wizard"]
            .with_user(self.manager)
            .with_context(lang="zh_CN")
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        button = etree.fromstring(arch).xpath("//button[@name='action_open']")[0]
        self.assertEqual(button.get("string"), "打开报表")

    def test_days_and_months_of_a_group(self):
        self._confirmed_order(self.mat)
        Order = self.env["sale.order"].with_context(lang="zh_CN")
        today = fields.Date.context_today(Order)
        for granularity, label in (
            ("day", f"{today.year}年{today.month}月{today.day}日"),
            ("month", f"{today.year}年{today.month}月"),
        ):
            groups = Order.formatted_read_group([], [f"date_order:{granularity}"], ["__count"])
            self.assertIn(label, [group[f"date_order:{granularity}"][1] for group in groups])
        groups = Order.with_context(lang="en_US").formatted_read_group([], ["date_order:month"], ["__count"])
        self.assertIn(
            today.strftime("%B %Y"), [group["date_order:month"][1] for group in groups], "others as Odoo has it"
        )

    def test_letterhead_address_in_chinese_order(self):
        beijing = self.env["res.country.state"].search(
            [("country_id.code", "=", "CN"), ("name", "like", "北京")], limit=1
        )
        self.company_a.partner_id.write(
            {
                "country_id": self.env.ref("base.cn").id,
                "state_id": beijing.id,
                "city": "北京",
                "street": "朝阳区东四环北路88号",
                "zip": "100016",
            }
        )
        self.assertTrue(beijing.name.startswith("北京"))
        address = self.company_a.partner_id._jingpin_letterhead_address()
        self.assertEqual(address, f"{beijing.name}朝阳区东四环北路88号 100016")
        report = self.env["jingpin.daily.report"]._build(self.company_a, date(2026, 3, 10))
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, report.ids)[0].decode()
        self.assertIn(address, html)
        self.assertNotIn("中国", html.split("jp_dealership_contact")[1][:200])

    def test_dashboard_amounts_in_yuan(self):
        money_labels = {
            "Revenue",
            "Plan",
            "Margin",
            "Gross",
            "Gross per Car",
            "Revenue per Car",
            "Revenue last month",
            "Revenue per delivered car",
        }
        for xmlid in ("spreadsheet_dashboard_dealership", "spreadsheet_dashboard_group"):
            data = json.loads(self.env.ref(f"jingpin_accessories.{xmlid}").spreadsheet_data)
            for sheet in data["sheets"]:
                for cells, format_id in sheet["formats"].items():
                    first = cells.split(":")[0]
                    column, row = re.match(r"([A-Z]+)(\d+)", first).groups()
                    # the heading is above a table's column, to the left of a KPI
                    heading = (
                        sheet["cells"].get(f"{column}{int(row) - 1}") if ":" in cells else sheet["cells"].get(f"A{row}")
                    )
                    label = re.match(r'=_t\("(.*)"\)', heading or "")
                    if not label:
                        continue
                    with self.subTest(dashboard=xmlid, cells=cells, label=label.group(1)):
                        in_yuan = "¥" in data["formats"][str(format_id)]
                        self.assertEqual(in_yuan, label.group(1) in money_labels)
