from datetime import date, datetime
from unittest.mock import patch

import pytz
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.base.models.ir_mail_server import IrMail_Server, MailDeliveryException

from .approval_common import ApprovalTable
from .common import JingpinWorkOrderCommon

REPORT = "jingpin_accessories.action_report_daily"


class JingpinTargetsCommon(JingpinWorkOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.partner_id.tz = "Asia/Shanghai"
        cls.gm_2 = cls._user("jp_gm2", "gm", cls.company_a)
        cls.manager_b = cls._user("jp_mgr_b", "manager", cls.company_b)
        cls.gm_b = cls._user("jp_gm_b", "gm", cls.company_b)
        cls.year = fields.Date.today().year
        (cls.mat | cls.film | cls.dashcam).invoice_policy = "order"

    @classmethod
    def _user(cls, login, role, company):
        return new_test_user(
            cls.env,
            login=login,
            groups=f"jingpin_accessories.group_jingpin_{role}",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    @classmethod
    def _plan(cls, user=None, company=None, year=None, amount=10000.0):
        company = company or cls.company_a
        manager = cls.manager if company == cls.company_a else cls.manager_b
        return (
            cls.env["jingpin.sales.plan"]
            .with_user(user or manager)
            .with_company(company)
            .create(
                {
                    "year": year or cls.year,
                    "line_ids": [
                        Command.create({"month": str(month), "amount": amount + month}) for month in range(1, 13)
                    ],
                }
            )
        )

    @classmethod
    def _approved_plan(cls, **kwargs):
        plan = cls._plan(**kwargs)
        a = plan.company_id == cls.company_a
        plan.with_user(cls.manager if a else cls.manager_b).action_submit()
        plan.with_user(cls.gm if a else cls.gm_b).action_approve()
        return plan

    @staticmethod
    def _local_month(order):
        tz = pytz.timezone(order.company_id.partner_id.tz or "UTC")
        return pytz.utc.localize(order.date_order).astimezone(tz).date().replace(day=1)

    @staticmethod
    def _revenue(orders):
        """What the orders bring, summed line by line: gifts and package lines (spread over their
        components) excluded."""
        return sum(
            line.price_subtotal
            for line in orders.order_line
            if not line.is_gift and not line.display_type and line.product_id.type != "combo"
        )


@tagged("post_install", "-at_install")
class TestSalesPlan(JingpinTargetsCommon):
    """R3: the manager submits the annual plan, the general manager approves it."""

    def test_approval_flow(self):
        plan = self._plan()
        self.assertEqual(plan.state, "draft")
        self.assertEqual(plan.amount_total, sum(10000.0 + month for month in range(1, 13)))
        plan.with_user(self.manager).action_submit()
        self.assertRecordValues(plan, [{"state": "submitted", "submitted_by_id": self.manager.id}])
        activity_type = self.env.ref("jingpin_accessories.mail_activity_type_sales_plan_approval")
        self.assertEqual(plan.activity_ids.filtered(lambda a: a.activity_type_id == activity_type).user_id, self.gm)

        with self.assertRaises(AccessError):
            plan.with_user(self.specialist).action_approve()
        with self.assertRaises(AccessError):
            plan.with_user(self.manager).action_approve()
        self.assertEqual(plan.state, "submitted")

        plan.with_user(self.gm).action_approve()
        self.assertRecordValues(plan, [{"state": "approved", "approved_by_id": self.gm.id}])
        self.assertTrue(plan.approved_on)
        self.assertFalse(plan.activity_ids, "the approval request is done")

    def test_annual_plan_covers_the_year(self):
        plan = (
            self.env["jingpin.sales.plan"]
            .with_user(self.manager)
            .create(
                {
                    "year": self.year + 1,
                    "line_ids": [Command.create({"month": month, "amount": 50000.0}) for month in ("1", "2")],
                }
            )
        )
        with self.assertRaisesRegex(UserError, "every month.*March.*December"):
            plan.with_user(self.manager).action_submit()
        self.assertEqual(plan.state, "draft")
        plan.with_user(self.manager).line_ids = [
            Command.create({"month": str(month), "amount": 50000.0}) for month in range(3, 13)
        ]
        plan.with_user(self.manager).action_submit()
        self.assertEqual(plan.state, "submitted")

    def test_refuse_needs_reason(self):
        plan = self._plan()
        plan.with_user(self.manager).action_submit()
        with self.assertRaises(AccessError):
            plan.with_user(self.manager).action_refuse("no")
        with self.assertRaises(UserError):
            plan.with_user(self.gm).action_refuse("  ")
        wizard = (
            self.env["jingpin.approval.refuse.wizard"]
            .with_user(self.gm)
            .with_context(**plan.with_user(self.gm).action_open_refuse_wizard()["context"])
            .create({"reason": "Too low for the new showroom"})
        )
        wizard.action_refuse()
        self.assertEqual(plan.state, "draft")
        self.assertIn("Too low for the new showroom", plan.message_ids[0].body)
        self.assertFalse(plan.activity_ids)

    def test_general_manager_cannot_approve_his_own(self):
        plan = self._plan(user=self.gm)
        plan.with_user(self.gm).action_submit()
        with self.assertRaises(AccessError):
            plan.with_user(self.gm).action_approve()
        plan.with_user(self.gm_2).action_approve()
        self.assertEqual(plan.state, "approved")

    def test_client_cannot_write_control_fields(self):
        plan = self._plan()
        Plan = self.env["jingpin.sales.plan"].with_user(self.manager)
        with self.assertRaises(AccessError):
            plan.with_user(self.manager).write({"state": "approved"})
        with self.assertRaises(AccessError):
            plan.with_user(self.manager).write({"approved_by_id": self.manager.id})
        with self.assertRaises(AccessError):
            Plan.create({"year": self.year + 1, "state": "approved"})
        with self.assertRaises(AccessError):
            Plan.with_context(default_state="approved").create({"year": self.year + 1})
        with self.assertRaises(AccessError):
            Plan.with_context(jingpin_server=True).write({"state": "approved"})
        self.assertEqual(plan.state, "draft")

    def test_approved_plan_is_locked(self):
        plan = self._approved_plan()
        line = plan.line_ids[0]
        with self.assertRaises(UserError):
            line.with_user(self.manager).amount = 1.0
        with self.assertRaises(UserError):
            plan.with_user(self.manager).write({"line_ids": [Command.create({"month": "1", "amount": 5.0})]})
        with self.assertRaises(UserError):
            line.with_user(self.manager).unlink()
        with self.assertRaises(UserError):
            plan.with_user(self.manager).year = self.year + 1
        with self.assertRaises(UserError):
            plan.with_user(self.manager).unlink()
        copy = plan.with_user(self.manager).copy()
        self.assertRecordValues(copy, [{"state": "draft", "year": self.year + 1, "approved_by_id": False}])
        self.assertEqual(line.amount, 10001.0)

    def test_one_approved_plan_per_company_and_year(self):
        self._approved_plan()
        second = self._plan(amount=20000.0)
        second.with_user(self.manager).action_submit()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            second.with_user(self.gm).action_approve()
            second.flush_recordset()
        # Another year, or another dealership, has its own plan.
        self._approved_plan(year=self.year + 1)

    def test_record_rules(self):
        plan_a = self._approved_plan()
        plan_b = self._plan(company=self.company_b)
        Plan = self.env["jingpin.sales.plan"]
        self.assertEqual(Plan.with_user(self.specialist).search([]), plan_a)
        self.assertEqual(Plan.with_user(self.specialist_b).search([]), plan_b)
        viewer = Plan.with_user(self.viewer).with_context(allowed_company_ids=(self.company_a | self.company_b).ids)
        self.assertEqual(viewer.search([]), plan_a | plan_b)
        with self.assertRaises(AccessError):
            plan_b.with_user(self.viewer).line_ids[0].amount = 5.0
        with self.assertRaises(AccessError):
            Plan.with_user(self.technician).search([])
        with self.assertRaises(AccessError):
            Plan.with_user(self.consultant).search([])


@tagged("post_install", "-at_install")
class TestSalesPlanApproval(ApprovalTable, JingpinTargetsCommon):
    """The approval table (``approval_common``) for sales plans: the manager submits, the general manager decides."""

    approval_model = "jingpin.sales.plan"
    approval_activity = "jingpin_accessories.mail_activity_type_sales_plan_approval"
    approval_submitters = ("manager", "gm")
    approval_approvers = ("gm",)
    approval_second_approver = "gm_2"

    def _approval_draft(self, creator=None, owner=None):
        # a year of its own each: a dealership has one approved plan a year
        self.plan_year = getattr(self, "plan_year", self.year) + 1
        return self._plan(user=creator, year=self.plan_year)


@tagged("post_install", "-at_install")
class TestAchievement(JingpinTargetsCommon):
    """R3, R4: achievement from confirmed and invoiced accessory revenue; gifts apart."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order, _work_order = cls._confirmed_order(cls.mat | cls.film)
        cls.invoice = cls.order.with_user(cls.specialist)._create_invoices()
        cls.invoice.with_user(cls.specialist).action_post()
        # A new-car order sold by the consultant with a gift: revenue for him, the gift apart.
        cls.car_sale = cls.env["sale.order"].create({"partner_id": cls.customer.id, "user_id": cls.consultant.id})
        cls.new_car_order = (
            cls.env["sale.order"]
            .with_user(cls.consultant)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "jingpin_channel": "new_car",
                    "car_sale_order_id": cls.car_sale.id,
                    "specialist_id": False,
                    "order_line": [
                        Command.create({"product_id": cls.dashcam.product_variant_id.id}),
                        Command.create({"product_id": cls.film.product_variant_id.id, "is_gift": True}),
                    ],
                }
            )
        )
        cls.new_car_order.action_confirm()
        cls.month = cls._local_month(cls.order)

    def test_plan_achievement(self):
        plan = self._approved_plan()
        orders = self.order | self.new_car_order
        gift = self.new_car_order.order_line.filtered("is_gift")
        self.assertTrue(gift)
        self.assertAlmostEqual(plan.achieved_confirmed, self._revenue(orders))
        self.assertAlmostEqual(plan.achieved_invoiced, self.invoice.amount_untaxed)
        self.assertAlmostEqual(plan.gift_cost, gift.purchase_price * gift.product_uom_qty)
        self.assertAlmostEqual(plan.achievement_rate, 100.0 * self._revenue(orders) / plan.amount_total)
        # Dealership B's plan counts none of A's sales.
        self.assertFalse(self._approved_plan(company=self.company_b).achieved_confirmed)

    def test_personal_targets(self):
        Target = self.env["jingpin.personal.target"].with_user(self.manager)
        target_specialist, target_consultant = Target.create(
            [
                {"user_id": self.specialist.id, "month": self.month, "amount": 5000.0},
                {"user_id": self.consultant.id, "month": self.month, "amount": 2000.0},
            ]
        )
        self.assertAlmostEqual(target_specialist.achieved_confirmed, self._revenue(self.order))
        self.assertAlmostEqual(target_specialist.achieved_invoiced, self.invoice.amount_untaxed)
        self.assertAlmostEqual(
            target_specialist.achievement_rate, 100.0 * self._revenue(self.order) / target_specialist.amount
        )
        self.assertAlmostEqual(target_consultant.achieved_confirmed, self._revenue(self.new_car_order))
        self.assertFalse(target_consultant.achieved_invoiced)
        self.assertTrue(target_consultant.gift_cost)

        # Each reads his own target; the manager sets them.
        self.assertEqual(Target.with_user(self.specialist).search([]), target_specialist)
        self.assertEqual(Target.with_user(self.consultant).search([]), target_consultant)
        with self.assertRaises(AccessError):
            target_specialist.with_user(self.specialist).amount = 1.0
        with self.assertRaises(AccessError):
            Target.with_user(self.technician).search([])
        with self.assertRaises(AccessError):
            target_specialist.write({"achieved_confirmed": 1.0})
        next_month = self.month + relativedelta(months=1)
        later = Target.create({"user_id": self.specialist.id, "month": next_month, "amount": 1.0})
        self.assertFalse(later.achieved_confirmed, "nothing sold next month yet")

    def test_dashboard_shows_plan(self):
        plan = self._approved_plan()
        today = self.env["jingpin.dashboard"].with_user(self.manager)._today()
        expected = sum(plan.line_ids.filtered(lambda line: line.month == str(today.month)).mapped("amount"))
        self.assertEqual(
            self.env["jingpin.dashboard"]._get_sales_plan_amounts(date(today.year, today.month, 1)),
            {self.company_a: expected},
        )
        cards = self.env["jingpin.dashboard"].with_user(self.manager).search([("metric", "=", "sales")])
        self.assertEqual(cards.sales_plan_amount, expected)


@tagged("post_install", "-at_install")
class TestAccessoryReport(JingpinTargetsCommon):
    """R5, R37, B14: the analysis adds up to the sale lines; each dealership sees itself."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.perfume = cls.env["product.template"].create(
            cls._accessory_vals("Car Perfume", cls.categ_cam, 200.0, 80.0, 0)
        )
        cls.order, _work_order = cls._confirmed_order(cls.mat | cls.package)
        cls.referral = (
            cls.env["sale.order"]
            .with_user(cls.specialist)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "jingpin_channel": "referral",
                    "rebate_partner_id": cls.customer.id,
                    "rebate_amount": 100.0,
                    "order_line": [
                        Command.create({"product_id": cls.perfume.product_variant_id.id, "product_uom_qty": 3}),
                        Command.create({"product_id": cls.dashcam.product_variant_id.id, "is_gift": True}),
                    ],
                }
            )
        )
        cls.referral.action_confirm()
        cls.order_b = (
            cls.env["sale.order"]
            .with_user(cls.specialist_b)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "jingpin_channel": "walk_in",
                    "order_line": [Command.create({"product_id": cls.perfume.product_variant_id.id})],
                }
            )
        )
        cls.order_b.action_confirm()
        cls.orders_a = cls.order | cls.referral

    def _sums(self, user, company_ids):
        Report = self.env["jingpin.accessory.report"].with_user(user).with_context(allowed_company_ids=company_ids)
        return {
            company: (revenue, cost, gift_cost, rebate, margin)
            for company, revenue, cost, gift_cost, rebate, margin in Report._read_group(
                [], ["company_id"], ["revenue:sum", "cost:sum", "gift_cost:sum", "rebate:sum", "margin:sum"]
            )
        }

    def test_totals_equal_sale_lines(self):
        lines = self.orders_a.order_line.filtered(lambda line: line.product_id.type != "combo")
        revenue = self._revenue(self.orders_a)
        cost = sum(line.purchase_price * line.product_uom_qty for line in lines)
        gift_cost = sum(line.purchase_price * line.product_uom_qty for line in lines if line.is_gift)
        rebate = sum(self.orders_a.mapped("rebate_amount"))
        sums = self._sums(self.specialist, self.company_a.ids)
        self.assertEqual(list(sums), [self.company_a], "the specialist sees his dealership only")
        expected = (revenue, cost, gift_cost, rebate, revenue - cost - rebate)
        for got, want in zip(sums[self.company_a], expected, strict=True):
            self.assertAlmostEqual(got, want)
        self.assertEqual(rebate, 100.0)

        rows = self.env["jingpin.accessory.report"].search([("order_id", "=", self.order.id)])
        components = self.order.order_line.filtered("combo_item_id")
        self.assertEqual(len(components), 3)
        self.assertEqual(
            rows.filtered("package_id").product_id, components.product_id, "package components name their package"
        )
        self.assertEqual(rows.filtered("package_id").package_id, self.package.product_variant_id)
        self.assertFalse(rows.filtered(lambda row: row.product_id.type == "combo"), "the package line is no row")

    def test_record_rules(self):
        self.assertEqual(list(self._sums(self.specialist_b, self.company_b.ids)), [self.company_b])
        with self.assertRaises(AccessError):
            self._sums(self.specialist, (self.company_a | self.company_b).ids)
        sums = self._sums(self.viewer, (self.company_a | self.company_b).ids)
        self.assertEqual(set(sums), {self.company_a, self.company_b}, "the group sees every dealership")
        self.assertAlmostEqual(sums[self.company_b][0], self._revenue(self.order_b))
        with self.assertRaises(AccessError):
            self.env["jingpin.accessory.report"].with_user(self.technician).search([])
        with self.assertRaises(AccessError):
            self.env["jingpin.car.delivery.report"].with_user(self.technician).search([])

    def test_revenue_per_delivered_car(self):
        car_product = self.env["product.product"].create({"name": "Camry 2.5G", "type": "consu", "list_price": 180000})
        Vehicle = self.env["jingpin.vehicle"]
        sales = self.env["sale.order"]
        for vin, model, accessories in (
            ("LVGBE40K8GP000001", self.camry, [(self.perfume, 2, False), (self.dashcam, 1, True)]),
            ("LVGBE40K8GP000002", self.rav4, []),
        ):
            vehicle = Vehicle.create({"vin": vin, "model_id": model.id, "partner_id": self.customer.id})
            car_sale = self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "user_id": self.consultant.id,
                    "vehicle_id": vehicle.id,
                    "order_line": [Command.create({"product_id": car_product.id})],
                }
            )
            car_sale.action_confirm()
            if accessories:
                accessory_order = self.env["sale.order"].create(
                    {
                        "partner_id": self.customer.id,
                        "user_id": self.consultant.id,
                        "jingpin_channel": "new_car",
                        "car_sale_order_id": car_sale.id,
                        "order_line": [
                            Command.create(
                                {"product_id": tmpl.product_variant_id.id, "product_uom_qty": qty, "is_gift": gift}
                            )
                            for tmpl, qty, gift in accessories
                        ],
                    }
                )
                accessory_order.action_confirm()
                sales |= accessory_order
            car_sale.picking_ids.move_ids.quantity = 1
            car_sale.picking_ids.button_validate()
            self.assertEqual(car_sale.picking_ids.state, "done")
        # A car sold but not delivered yet counts for nothing.
        self.env["sale.order"].create(
            {"partner_id": self.customer.id, "order_line": [Command.create({"product_id": car_product.id})]}
        ).action_confirm()

        Report = self.env["jingpin.car.delivery.report"].with_user(self.manager)
        [(cars, revenue, per_car)] = Report._read_group([], [], ["car_count:sum", "revenue:sum", "revenue_per_car:avg"])
        self.assertEqual(cars, 2)
        self.assertAlmostEqual(revenue, self._revenue(sales))
        self.assertAlmostEqual(per_car, self._revenue(sales) / 2)
        by_model = dict(Report._read_group([], ["vehicle_model_id"], ["revenue_per_car:avg"]))
        self.assertAlmostEqual(by_model[self.camry], self._revenue(sales))
        self.assertEqual(by_model[self.rav4], 0.0)


@tagged("post_install", "-at_install")
class TestDailyReport(JingpinTargetsCommon):
    """R34, B5: built at 17:00 in each dealership, once a day, mailed with its PDF; retried on failure."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.group_partner = cls.env["res.partner"].create({"name": "集团精品部", "email": "group@example.com"})
        cls.company_a.jingpin_daily_report_partner_ids = cls.group_partner
        cls.company_b.partner_id.tz = "Europe/Paris"
        cls.Report = cls.env["jingpin.daily.report"]

    def _run_cron(self):
        self.Report._cron_build_and_send()

    def test_built_once_after_five(self):
        # 09:30 UTC: 17:30 in Beijing, 10:30 in Paris.
        with freeze_time("2026-03-10 09:30:00"):
            order, _work_order = self._confirmed_order(self.mat | self.film)
            self._run_cron()
            report = self.Report.search([])
            self.assertRecordValues(
                report,
                [{"company_id": self.company_a.id, "date": date(2026, 3, 10), "state": "sent"}],
            )
            self.assertAlmostEqual(report.revenue_day, self._revenue(order))
            self.assertAlmostEqual(report.revenue_month, self._revenue(order))
            self.assertEqual(report.work_open_count, 1)
            self.assertEqual(report.approval_count, 0)
            self.assertEqual(report.recipient_ids, self.manager.partner_id | self.group_partner)
            mail = self.env["mail.mail"].search([("model", "=", report._name), ("res_id", "=", report.id)])
            # Tests never reach an SMTP server: the mail stays queued, not failed.
            self.assertEqual(mail.state, "outgoing")
            self.assertEqual(mail.recipient_ids, self.manager.partner_id | self.group_partner)
            self.assertEqual(mail.attachment_ids, report.pdf_id)
            self._run_cron()
            self.assertEqual(self.Report.search([]), report, "a day's report is built once")
        with freeze_time("2026-03-11 08:00:00"):  # 16:00 in Beijing
            self._run_cron()
            self.assertEqual(self.Report.search([]), report, "not before 17:00")
        with freeze_time("2026-03-11 17:00:00"):  # 18:00 in Paris, 01:00 on the 12th in Beijing
            self._run_cron()
            self.assertEqual(
                self.Report.search([]).mapped(lambda r: (r.company_id, r.date)),
                [(self.company_b, date(2026, 3, 11)), (self.company_a, date(2026, 3, 10))],
            )
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.Report._jingpin_server().create({"company_id": self.company_a.id, "date": date(2026, 3, 10)})
            self.Report.flush_model()
        self.assertEqual(self.Report._build(self.company_a, date(2026, 3, 10)), report, "a sent report stays")

    def test_dealership_day(self):
        """An order at 04:00 on 1 April in Beijing (20:00 UTC on 31 March) is April's."""
        with freeze_time("2026-03-31 20:00:00"):
            order, _work_order = self._confirmed_order(self.dashcam | self.film)
        march, april = (self.Report._build(self.company_a, day) for day in (date(2026, 3, 31), date(2026, 4, 1)))
        self.assertFalse(march.revenue_day)
        self.assertFalse(march.revenue_month)
        self.assertAlmostEqual(april.revenue_day, self._revenue(order))
        self.assertAlmostEqual(april.revenue_month, self._revenue(order))

    def test_dealerships_built_together(self):
        """The figures of several dealerships are taken together (one query each, whatever their
        number), each in its own time zone, each dealership's in its own report."""
        with freeze_time("2026-03-10 09:30:00"):  # 17:30 in Beijing, 10:30 in Paris
            order, _work_order = self._confirmed_order(self.mat | self.film)
            both = self.company_a | self.company_b
            day = date(2026, 3, 10)
            self.env.invalidate_all()
            queries = self.cr.sql_log_count
            self.Report._figures(self.company_a, day)
            one = self.cr.sql_log_count - queries
            self.env.invalidate_all()
            queries = self.cr.sql_log_count
            # on the day: the work open now is the day's (a past day's report has none)
            figures = self.Report._figures(both, day)
        self.assertEqual(self.cr.sql_log_count - queries, one, "no query more for a second dealership")
        self.assertAlmostEqual(figures[self.company_a]["revenue_day"], self._revenue(order))
        self.assertEqual(figures[self.company_a]["work_open_count"], 1)
        self.assertFalse(figures[self.company_b]["revenue_month"])
        self.assertFalse(figures[self.company_b]["work_open_count"])
        reports = self.Report._build(both, day)
        self.assertEqual(reports.company_id, both)
        self.assertAlmostEqual(
            reports.filtered(lambda r: r.company_id == self.company_a).revenue_day, self._revenue(order)
        )

    def test_plan_on_report(self):
        with freeze_time(datetime(self.year, 3, 10, 9, 30)):
            self._approved_plan()
            report = self.Report._build(self.company_a, date(self.year, 3, 10))
            self.assertEqual(report.plan_month, 10003.0)

    def test_failed_send_is_retried(self):
        def fail(*args, **kwargs):
            raise MailDeliveryException("SMTP server down")

        with freeze_time("2026-03-10 09:30:00"):
            with patch.object(IrMail_Server, "_connect__", fail):
                self._run_cron()
            report = self.Report.search([])
            self.assertEqual(report.state, "failed")
            self.assertIn("Check the outgoing mail server", report.failure_reason)
            self.assertIn("SMTP server down", report.failure_reason, "the server's words are kept for the fix")
            self.assertIn(report, self.Report.with_user(self.manager).search([("state", "=", "failed")]))
            self.assertEqual(report.activity_ids.user_id, self.manager, "the manager is told")
            self._run_cron()
            self.assertEqual(report.state, "sent", "the next run sends it")
            self.assertFalse(report.activity_ids)
            self.assertEqual(self.Report.search([]), report)

    def test_pdf_rendered(self):
        report = self.Report._build(self.company_a, date(2026, 3, 10))
        Reports = self.env["ir.actions.report"]
        pdf, fmt = Reports.with_context(force_report_rendering=True)._render_qweb_pdf(REPORT, report.ids)
        self.assertEqual(fmt, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        html, _fmt = Reports._render_qweb_html(REPORT, report.ids)
        self.assertIn(self.company_a.name, html.decode())

    def test_named_by_kind_and_period(self):
        """The breadcrumb names the report by its kind and period in the reader's words, not as an
        ISO date."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["jingpin_accessories"], ["zh_CN"], overwrite=True)
        report = self.Report._build(self.company_a, date(2026, 3, 10), "weekly")
        self.assertEqual(report.with_context(lang="zh_CN").display_name, "周报 2026/03/08 ~ 2026/03/14")
        daily = self.Report._build(self.company_a, date(2026, 3, 10))
        self.assertEqual(daily.with_context(lang="en_US").display_name, "Daily 03/10/2026")

    def test_no_hand_made_report(self):
        Report = self.Report.with_user(self.manager)
        with self.assertRaises(AccessError):
            Report.create({"company_id": self.company_a.id, "date": date(2026, 3, 10)})
        report = self.Report._build(self.company_a, date(2026, 3, 10))
        with self.assertRaises(AccessError):
            report.with_user(self.manager).write({"state": "sent"})
        with self.assertRaises(UserError):
            report.with_user(self.manager).action_retry()
        with self.assertRaises(AccessError):
            report.with_user(self.specialist).action_retry()
        with self.assertRaises(AccessError):
            self.Report.with_user(self.technician).search([])
