from datetime import timedelta

from odoo import fields

from .common import RoleDayCase


class TestDayManager(RoleDayCase):
    """The accessories manager's day (王建国, jp_manager) on the demo: the dashboard, approvals at his
    level, a dispatch, the key box, the day's reconciliation issue, a stocktake count, a loan
    audit, a complaint handed over and last week's report; then the records are read back."""

    def ref(self, xml_id):
        return self.env.ref(f"jingpin_accessories_demo.{xml_id}")

    def order(self, name):
        return self.env["sale.order"].search([("name", "=", name)])

    def test_manager_day(self):
        manager = self.env["res.users"].search([("login", "=", "jp_manager")])
        technician = self.env["res.users"].search([("login", "=", "jp_technician")])
        issue = self.env["jingpin.reconciliation.issue"].search(
            [("state", "=", "open"), ("company_id", "=", manager.company_id.id)]
        )
        self.assertEqual(len(issue), 1, "the demo's day has one reconciliation issue")
        film = self.env["product.product"].search([("default_code", "=", "JP-WF-003")])
        quant = self.env["stock.quant"].search(
            [("product_id", "=", film.id), ("location_id", "=", manager.company_id.jingpin_loan_location_id.id)]
        )
        self.assertFalse(quant, "the film counted is not on loan")
        stock = self.env["stock.warehouse"].search([("company_id", "=", manager.company_id.id)], limit=1).lot_stock_id
        on_hand = film.with_context(location=stock.id).qty_available
        self.assertEqual(on_hand, 10)

        self.walk("jp_manager", "jingpin_day_manager_tour")

        after_sales = self.order("S00033")
        self.assertRecordValues(after_sales, [{"jingpin_approval_state": "approved"}])
        self.assertEqual(after_sales.jingpin_approval_ids[-1:].user_id, manager)
        self.assertRecordValues(self.order("S00056"), [{"jingpin_approval_state": "to_approve_gm"}])
        work_order = self.env["project.task"].search(
            [("accessory_order_id", "=", after_sales.id), ("is_work_order", "=", True)]
        )
        self.assertRecordValues(work_order, [{"technician_id": technician.id, "work_state": "dispatched"}])
        self.assertRecordValues(
            issue,
            [{"state": "resolved", "resolved_by_id": manager.id, "document_ref": self.order("S00044")}],
        )
        self.assertEqual(film.with_context(location=stock.id).qty_available, 9)
        count = self.env["stock.move"].search(
            [("product_id", "=", film.id), ("is_inventory", "=", True)], order="id desc", limit=1
        )
        self.assertRecordValues(count, [{"state": "done", "quantity": 1, "create_uid": manager.id}])
        loan = self.env["jingpin.loan"].search([("name", "=", "WJ/2026/0002")])
        self.assertRecordValues(loan, [{"state": "audited", "audited_by_id": manager.id}])
        complaint = self.env["jingpin.complaint"].search([("name", "=", "TS/2026/0001")])
        self.assertRecordValues(complaint, [{"user_id": manager.id}])
        today = fields.Date.context_today(manager.with_context(tz=manager.tz))
        last_week = today - timedelta(days=7)
        week_start = last_week - timedelta(days=(last_week.weekday() + 1) % 7)
        report = self.env["jingpin.daily.report"].search(
            [("company_id", "=", manager.company_id.id), ("kind", "=", "weekly"), ("date", "=", week_start)]
        )
        self.assertEqual(len(report), 1)
        self.assertAlmostEqual(sum(report.category_line_ids.mapped("revenue")), report.revenue_day, places=2)

    def test_dashboard_counts_the_records(self):
        """Each card of the manager's dashboard counts what it opens, as he reads it."""
        manager = self.env["res.users"].search([("login", "=", "jp_manager")])
        Dashboard = self.env["jingpin.dashboard"].with_user(manager).with_context(tz=manager.tz, lang="zh_CN")
        cards = Dashboard.search([("company_id", "=", manager.company_id.id)])
        self.assertTrue(cards)
        for card in cards:
            action = card.action_open()
            records = self.env[action["res_model"]].with_user(manager).search(action["domain"])
            if card.metric == "sales":
                self.assertEqual(card.value, len(records))
                self.assertAlmostEqual(card.sales_amount, sum(records.mapped("amount_untaxed")), places=2)
            elif card.metric == "workshop":
                self.assertEqual(card.value, len(records.vehicle_id), card.metric)
            else:
                self.assertEqual(card.value, len(records), card.metric)

    def test_loans_register_reads_true(self):
        """Each loan of the register went out before it was due back, and came back after it went."""
        loans = self.env["jingpin.loan"].search([("state", "!=", "draft")])
        self.assertTrue(loans)
        for loan in loans:
            self.assertLess(loan.date_lent, loan.date_due, loan.name)
            self.assertLessEqual(loan.create_date.date(), loan.date_lent, loan.name)
            if loan.date_returned:
                self.assertLessEqual(loan.date_lent, loan.date_returned, loan.name)
