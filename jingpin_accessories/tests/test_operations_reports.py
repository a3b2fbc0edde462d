import io
from datetime import date, datetime

import openpyxl
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .test_targets_reports import REPORT, JingpinTargetsCommon


@tagged("post_install", "-at_install")
class TestPeriodReports(JingpinTargetsCommon):
    """R35, R36: weekly and monthly reports, due in each dealership's time zone, sent once;
    opened for any period, printed and exported with the same figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b.partner_id.tz = "Europe/Paris"
        group = cls.env["res.partner"].create({"name": "集团精品部", "email": "group@example.com"})
        (cls.company_a | cls.company_b).jingpin_daily_report_partner_ids = group
        cls.Report = cls.env["jingpin.daily.report"]

    def _reports(self, kind):
        return self.Report.search([("kind", "=", kind)]).mapped(lambda r: (r.company_id, r.date, r.date_end))

    def test_weekly_due_on_saturday(self):
        with freeze_time("2026-03-13 09:30:00"):  # Friday 17:30 in Beijing
            self.Report._cron_build_and_send()
            self.assertFalse(self._reports("weekly"))
        with freeze_time("2026-03-14 09:30:00"):  # Saturday 17:30 in Beijing, 10:30 in Paris
            self.Report._cron_build_and_send()
            self.assertEqual(self._reports("weekly"), [(self.company_a, date(2026, 3, 8), date(2026, 3, 14))])
            self.assertEqual(self.Report.search([("kind", "=", "weekly")]).state, "sent")
        with freeze_time("2026-03-14 16:30:00"):  # Saturday 17:30 in Paris
            self.Report._cron_build_and_send()
            self.Report._cron_build_and_send()
            self.assertEqual(
                sorted(self._reports("weekly"), key=lambda r: r[0].id),
                sorted(
                    [
                        (self.company_a, date(2026, 3, 8), date(2026, 3, 14)),
                        (self.company_b, date(2026, 3, 8), date(2026, 3, 14)),
                    ],
                    key=lambda r: r[0].id,
                ),
                "one weekly report per dealership",
            )
            for report in self.Report.search([("kind", "=", "weekly")]):
                mails = self.env["mail.mail"].search([("model", "=", report._name), ("res_id", "=", report.id)])
                self.assertEqual(len(mails), 1, "sent once")

    def test_monthly_due_on_the_first(self):
        with freeze_time("2026-04-01 00:30:00"):  # 08:30 on the 1st in Beijing, 02:30 in Paris
            self.Report._cron_build_and_send()
            self.assertEqual(self._reports("monthly"), [(self.company_a, date(2026, 3, 1), date(2026, 3, 31))])
        with freeze_time("2026-04-01 06:30:00"):  # 08:30 in Paris
            self.Report._cron_build_and_send()
            self.Report._cron_build_and_send()
            self.assertEqual(len(self._reports("monthly")), 2)
            reports = self.Report.search([("kind", "=", "monthly")])
            mails = self.env["mail.mail"].search([("model", "=", reports._name), ("res_id", "in", reports.ids)])
            self.assertEqual(len(mails), 2, "each sent once")
            self.assertEqual(
                self.Report.search([("kind", "=", "monthly"), ("company_id", "=", self.company_b.id)]).date,
                date(2026, 3, 1),
            )
        with freeze_time("2026-04-02 06:30:00"):
            self.Report._cron_build_and_send()
            self.assertEqual(len(self._reports("monthly")), 2, "only on the 1st")

    def _monthly_with_sales(self):
        with freeze_time(datetime(self.year, 3, 10, 2, 0)):
            self._approved_plan()
            order, _work_order = self._confirmed_order(self.mat | self.film)
            order_2, _work_order = self._confirmed_order(self.dashcam)
            target = self.env["jingpin.personal.target"].create(
                {"user_id": self.specialist.id, "month": date(self.year, 3, 1), "amount": 5000.0}
            )
        return self.Report._build(self.company_a, date(self.year, 3, 20), "monthly"), order | order_2, target

    def test_monthly_figures(self):
        report, orders, target = self._monthly_with_sales()
        self.assertEqual((report.date, report.date_end), (date(self.year, 3, 1), date(self.year, 3, 31)))
        self.assertAlmostEqual(report.revenue_day, self._revenue(orders))
        self.assertAlmostEqual(report.revenue_month, self._revenue(orders))
        self.assertEqual(report.plan_month, 10003.0)
        self.assertEqual(report.plan_next_month, 10004.0)
        self.assertAlmostEqual(report.achievement_rate, 100.0 * self._revenue(orders) / 10003.0)
        # The category analysis is the sales analysis of the month.
        start, end = self.Report._local_bounds(self.company_a, report.date, report.date_end)
        analysis = self.env["jingpin.accessory.report"]._read_group(
            [("company_id", "=", self.company_a.id), ("date", ">=", start), ("date", "<", end)],
            ["categ_id"],
            ["revenue:sum"],
        )
        categories = report.line_ids.filtered(lambda line: line.section == "category")
        self.assertEqual(
            sorted((line.name, round(line.revenue, 2)) for line in categories),
            sorted((categ.display_name, round(revenue, 2)) for categ, revenue in analysis),
        )
        self.assertAlmostEqual(
            sum(report.line_ids.filtered(lambda line: line.section == "product").mapped("revenue")),
            self._revenue(orders),
        )
        person = report.line_ids.filtered(lambda line: line.section == "person")
        self.assertRecordValues(
            person,
            [{"name": self.specialist.name, "target": 5000.0, "revenue": target.achieved_confirmed}],
        )

    def test_pdf_and_xlsx_hold_the_figures(self):
        report, _orders, _target = self._monthly_with_sales()
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, report.ids)[0].decode()
        self.assertIn("Monthly Operations Report", html)
        for _heading, figures in report._summary_sections():
            for label, value, fmt in figures:
                self.assertIn(label, html)
                shown = f"{value:,.2f}" if fmt == "money" else f"{value:.1f}" if fmt == "percent" else str(value)
                self.assertIn(shown, html, label)
        for line in report.line_ids:
            self.assertIn(f"{line.revenue:,.2f}", html)

        action = report.action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        self.assertFalse(attachment.res_id, "the exporter's own file, attached to no report that others read")
        book = openpyxl.load_workbook(io.BytesIO(attachment.raw))
        summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if row[1] is not None}
        for _heading, figures in report._summary_sections():
            for label, value, _fmt in figures:
                self.assertAlmostEqual(summary[label], value, msg=label)
        categories = book["By Category"]
        rows = list(categories.iter_rows(min_row=2, values_only=True))
        lines = report.line_ids.filtered(lambda line: line.section == "category")
        self.assertEqual([(row[0], row[2]) for row in rows], [(line.name, line.revenue) for line in lines])

    def test_open_for_a_period(self):
        Wizard = self.env["jingpin.report.period.wizard"]
        with freeze_time("2026-03-11 02:00:00"):  # Wednesday 10:00 in Beijing
            wizard = Wizard.with_user(self.manager).create({"kind": "weekly", "date": date(2026, 3, 11)})
            action = wizard.action_open()
            report = self.Report.browse(action["res_id"])
            self.assertRecordValues(report, [{"kind": "weekly", "date": date(2026, 3, 8), "state": False}])
            self.assertFalse(self.env["mail.mail"].search([("model", "=", report._name), ("res_id", "=", report.id)]))
            self.assertEqual(
                Wizard.with_user(self.manager).create({"kind": "weekly"}).action_open()["res_id"], report.id
            )
            for user in (self.specialist, self.technician):
                with self.assertRaises(AccessError):
                    Wizard.with_user(user).create({"kind": "monthly"}).action_open()
            with self.assertRaises(AccessError):
                Wizard.with_user(self.manager).new({"kind": "monthly", "company_id": self.company_b.id}).action_open()
            self.assertFalse(self.Report.search([("company_id", "=", self.company_b.id)]))
            order, _work_order = self._confirmed_order(self.mat)
        with freeze_time("2026-03-14 09:30:00"):  # Saturday 17:30: the job refreshes and sends it
            self.Report._cron_build_and_send()
            self.assertEqual(report.state, "sent")
            self.assertAlmostEqual(report.revenue_day, self._revenue(order))
            self.assertEqual(self.Report.search_count([("kind", "=", "weekly")]), 1)

    def test_unique_per_kind_and_period(self):
        day = date(2026, 3, 1)  # a Sunday: the day, the week and the month start on it
        reports = self.Report.browse(
            [self.Report._build(self.company_a, day, kind).id for kind in ("daily", "weekly", "monthly")]
        )
        self.assertEqual(set(reports.mapped("date")), {day})
        self.assertEqual(len(reports), 3)
        self.assertEqual(self.Report._build(self.company_a, date(2026, 3, 5), "weekly"), reports[1])
        with self.assertRaises(AccessError):
            reports[2].with_user(self.manager).write({"state": "sent"})
        with self.assertRaises(AccessError):
            reports[2].line_ids.with_user(self.manager).create(
                {"report_id": reports[2].id, "section": "category", "name": "x", "revenue": 1e6}
            )


@tagged("post_install", "-at_install")
class TestAppraisal(JingpinTargetsCommon):
    """R2: each person's month from the system's data; staff read their own row."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order, cls.work_order = cls._confirmed_order(cls.mat | cls.film)
        cls.month = cls._local_month(cls.order)
        cls.target = cls.env["jingpin.personal.target"].create(
            {"user_id": cls.specialist.id, "month": cls.month, "amount": 5000.0}
        )
        cls._start_work(cls.work_order)
        cls.env["hr.employee"].create({"name": "Technician", "user_id": cls.technician.id})
        cls.timesheets = cls.env["account.analytic.line"].create(
            {
                "name": "fitting",
                "task_id": cls.work_order.id,
                "project_id": cls.work_order.project_id.id,
                "user_id": cls.technician.id,
                "unit_amount": 1.5,
                "date": fields.Date.today(),
            }
        )
        cls.work_order.with_user(cls.technician).action_sign_completion()
        cls._pass_inspection(cls.work_order)
        cls._hand_over(cls.work_order)
        cls.followup = cls.env["jingpin.followup"].search([("task_id", "=", cls.work_order.id)])
        # the manager makes the call of the specialist's follow-up: it is his
        cls.followup.with_user(cls.manager).action_record_result(True, "4")
        cls.env["jingpin.complaint"].with_user(cls.specialist).create(
            {"complaint_type": "installation", "task_id": cls.work_order.id, "description": "Mat loose"}
        )
        training = cls.env["jingpin.training"].create(
            {
                "name": "Sales basics",
                "trainer_id": cls.manager.id,
                "attendance_ids": [Command.create({"user_id": cls.technician.id, "present": True})],
            }
        )
        training._jingpin_server().write({"state": "held"})
        cls.Appraisal = cls.env["jingpin.appraisal.report"]

    def test_figures_equal_the_sources(self):
        self.env.flush_all()
        specialist = self.Appraisal.search([("user_id", "=", self.specialist.id), ("month", "=", self.month)])
        self.assertAlmostEqual(specialist.revenue, self._revenue(self.order))
        self.assertAlmostEqual(specialist.revenue, self.target.achieved_confirmed)
        self.assertEqual(specialist.target, 5000.0)
        self.assertAlmostEqual(specialist.achievement_rate, self.target.achievement_rate)
        technician = self.Appraisal.search([("user_id", "=", self.technician.id)])
        self.assertEqual(len(technician), 1)
        work_order = self.work_order
        self.assertEqual(technician.work_done_count, 1)
        self.assertEqual(
            technician.work_on_time_count,
            int(
                not (work_order.promised_datetime or work_order.planned_end)
                or work_order.date_end <= (work_order.promised_datetime or work_order.planned_end)
            ),
        )
        self.assertEqual(technician.rework_count, 0)
        self.assertEqual(technician.standard_minutes, work_order.planned_minutes)
        self.assertAlmostEqual(technician.actual_minutes, sum(self.timesheets.mapped("unit_amount")) * 60)
        self.assertTrue(self.timesheets)
        self.assertEqual(technician.training_count, 1)
        self.assertEqual(technician.complaint_count, 1)
        self.assertEqual(len(self.followup), 1)
        self.assertNotEqual(self.followup.user_id, self.manager)
        self.assertEqual((technician.followup_count, technician.followup_score), (0, 0.0), "he made no call")
        caller = self.Appraisal.search([("user_id", "=", self.manager.id), ("month", "=", self.month)])
        self.assertEqual((caller.followup_count, caller.followup_score), (1, 4.0), "credited to who made the call")

    def test_each_sees_his_own(self):
        self.env.flush_all()
        own = self.Appraisal.with_user(self.specialist).search([])
        self.assertEqual(own.user_id, self.specialist)
        self.assertEqual(self.Appraisal.with_user(self.technician).search([]).user_id, self.technician)
        self.assertEqual(
            self.Appraisal.with_user(self.manager).search([]).user_id, self.specialist | self.technician | self.manager
        )
        self.assertFalse(self.Appraisal.with_user(self.manager_b).search([]))
        self.assertEqual(self.Appraisal.with_user(self.viewer).search_count([]), 3)


@tagged("post_install", "-at_install")
class TestPeriodReportTour(HttpCase, JingpinTargetsCommon):
    """In the web client, the manager and the dealer group open this month's report of the dealership
    from the reporting menu and export it: the spreadsheet holds the month's sales."""

    def test_open_and_export_in_the_web_client(self):
        order, _work_order = self._confirmed_order(self.mat | self.film)
        self.assertEqual(self._revenue(order), 3800.0)
        Report = self.env["jingpin.daily.report"]
        for login in ("jp_mgr", "jp_group"):
            self.start_tour(
                "/odoo/accessory-daily-reports",
                "jingpin_report_period_tour",
                login=login,
                cookies={"cids": str(self.company_a.id)},
            )
        report = Report.search([("company_id", "=", self.company_a.id), ("kind", "=", "monthly")])
        self.assertEqual(len(report), 1, "both opened the same report")
        self.assertFalse(report.state, "opening a report sends nothing")
        spreadsheets = self.env["ir.attachment"].search(
            [("name", "=", f"{report._report_title()}.xlsx"), ("create_uid", "in", (self.manager | self.viewer).ids)]
        )
        self.assertEqual(len(spreadsheets), 2)
        for spreadsheet in spreadsheets:
            summary = {
                row[0]: row[1]
                for row in openpyxl.load_workbook(io.BytesIO(spreadsheet.raw)).worksheets[0].iter_rows(values_only=True)
            }
            self.assertIn(3800.0, summary.values())
