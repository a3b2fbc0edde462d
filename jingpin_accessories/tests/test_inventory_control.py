from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_after_sales import JingpinAfterSalesCommon


class JingpinInventoryCommon(JingpinAfterSalesCommon):
    """Accessories in stock in both dealerships (20 of each in A), and helpers to lend them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._receive_stock(cls.mat, 10, cls.warehouse_b)

    def _loan(self, user=None, lines=None, **values):
        lines = lines or [(self.mat, 2), (self.dashcam, 1)]
        return (
            self.env["jingpin.loan"]
            .with_user(user or self.specialist)
            .create(
                {
                    "borrower_kind": "department",
                    "borrower": "New Car Sales",
                    "purpose": "Showroom display for the launch",
                    "date_due": fields.Date.today() + timedelta(days=7),
                    "line_ids": [
                        Command.create({"product_id": product.product_variant_id.id, "quantity": quantity})
                        for product, quantity in lines
                    ],
                    **values,
                }
            )
        )

    def _backdate_receipts(self, days, templates=None):
        """The stock of ``templates`` (all of it by default) came in ``days`` ago."""
        self.env.flush_all()
        products = (templates or self.mat | self.film | self.dashcam).product_variant_ids
        self.env.cr.execute(
            """UPDATE stock_move_line SET date = %s
                WHERE state = 'done' AND product_id IN %s
                  AND location_id IN (SELECT id FROM stock_location WHERE usage != 'internal')""",
            [fields.Datetime.now() - timedelta(days=days), tuple(products.ids)],
        )
        self.env.invalidate_all()

    def _on_hand(self, product, location):
        return self.env["stock.quant"]._get_available_quantity(
            product.product_variant_id, location, strict=True, allow_negative=True
        )

    def _stock_value(self, company=None):
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search([("company_id", "=", (company or self.company_a).id), ("location_id.usage", "=", "internal")])
        )
        return sum(quants.mapped("value"))


@tagged("post_install", "-at_install")
class TestLoan(JingpinInventoryCommon):
    """R30: accessories lent leave the stock for the loan location and come back; value unchanged."""

    def test_lend_and_return_in_parts_keeps_value(self):
        stock = self.warehouse_a.lot_stock_id
        value = self._stock_value()
        loan = self._loan()
        self.assertTrue(loan.name.startswith("WJ/"))
        loan.action_lend()
        loaned = self.company_a.jingpin_loan_location_id
        self.assertEqual(loaned.usage, "internal")
        self.assertEqual(loan.state, "lent")
        self.assertEqual(self._on_hand(self.mat, stock), 18)
        self.assertEqual(self._on_hand(self.mat, loaned), 2)
        self.assertEqual(loan.picking_ids.state, "done")
        self.assertAlmostEqual(self._stock_value(), value, msg="a loan does not change the stock value")

        mat_line = loan.line_ids.filtered(lambda line: line.product_id == self.mat.product_variant_id)
        loan.action_return_items([(mat_line.id, 1)])
        self.assertEqual(loan.state, "lent", "one item is still out")
        self.assertEqual(mat_line.quantity_returned, 1)
        self.assertEqual(self._on_hand(self.mat, stock), 19)
        with self.assertRaises(UserError, msg="more than is out"):
            loan.action_return_items([(mat_line.id, 2)])

        loan.action_return()
        self.assertEqual(loan.state, "returned")
        self.assertEqual(self._on_hand(self.mat, stock), 20)
        self.assertEqual(self._on_hand(self.dashcam, loaned), 0)
        self.assertEqual(len(loan.picking_ids), 3)
        self.assertAlmostEqual(self._stock_value(), value)

        with self.assertRaises(AccessError):
            loan.with_user(self.specialist).action_audit()
        loan.with_user(self.manager).action_audit()
        self.assertEqual(loan.state, "audited")
        self.assertEqual(loan.audited_by_id, self.manager)

    def test_manager_does_not_audit_his_own_loan(self):
        """Issue 19, separation of duties: who registered or moved a loan does not audit it."""
        loan = self._loan(user=self.manager).with_user(self.manager)
        loan.action_lend()
        loan.action_return()
        with self.assertRaisesRegex(AccessError, "another accessories manager audits it"):
            loan.action_audit()
        self.assertRecordValues(loan, [{"state": "returned", "audited_by_id": False}])
        other = self._loan()
        other.action_lend()
        other.with_user(self.manager).action_return()
        with self.assertRaises(AccessError, msg="he took it back"):
            other.with_user(self.manager).action_audit()
        loan.with_user(self.gm).action_audit()
        self.assertEqual(loan.audited_by_id, self.gm)

    def test_lend_refused_without_stock(self):
        loan = self._loan(lines=[(self.film, 50)])
        with self.assertRaises(UserError):
            loan.action_lend()
        self.assertEqual(loan.state, "draft")

    def test_overdue_activity_once(self):
        loan = self._loan()
        loan.action_lend()
        Loan = self.env["jingpin.loan"]
        self.assertFalse(Loan._cron_notify_overdue(), "not due yet")
        with freeze_time(fields.Date.today() + timedelta(days=8)):
            self.assertEqual(Loan._cron_notify_overdue(), loan)
            self.assertEqual(loan.activity_ids.user_id, self.specialist | self.manager)
            self.assertFalse(Loan._cron_notify_overdue(), "once")
        self.assertEqual(len(loan.activity_ids), 2)
        loan.action_return()
        self.assertFalse(loan.activity_ids, "back: the activities are done")

    def test_guard(self):
        loan = self._loan()
        with self.assertRaises(AccessError):
            loan.with_user(self.specialist).write({"state": "returned"})
        with self.assertRaises(AccessError):
            self.env["jingpin.loan"].with_user(self.specialist).with_context(default_state="lent").create(
                {"borrower": "X", "purpose": "Y", "date_due": fields.Date.today()}
            )
        with self.assertRaises(AccessError):
            self._loan(user_id=self.manager.id)
        with self.assertRaises(AccessError, msg="what came back is the server's, even on a new line"):
            self.env["jingpin.loan.line"].with_user(self.specialist).create(
                {
                    "loan_id": loan.id,
                    "product_id": self.film.product_variant_id.id,
                    "quantity": 2,
                    "quantity_returned": 2,
                }
            )
        loan.action_lend()
        with self.assertRaises(AccessError, msg="the lines of a loan made are fixed"):
            loan.line_ids[0].with_user(self.specialist).quantity = 1
        with self.assertRaises(AccessError):
            loan.with_user(self.specialist).borrower = "Someone else"
        with self.assertRaises(UserError):
            self.env["jingpin.loan.line"].with_user(self.specialist).create(
                {"loan_id": loan.id, "product_id": self.film.product_variant_id.id, "quantity": 1}
            )
        with self.assertRaises(UserError):
            loan.with_user(self.manager).unlink()
        with self.assertRaises(UserError):
            loan.copy()

    def test_roles_and_companies(self):
        with self.assertRaises(AccessError):
            self._loan(user=self.technician)
        loan = self._loan()
        self.assertFalse(self.env["jingpin.loan"].with_user(self.technician).has_access("read"))
        self.assertEqual(self.env["jingpin.loan"].with_user(self.viewer).search([]), loan)
        with self.assertRaises(AccessError):
            loan.with_user(self.viewer).action_lend()
        self.assertFalse(self.env["jingpin.loan"].with_user(self.specialist_b).search([]))
        with self.assertRaises(AccessError):
            loan.with_user(self.specialist_b).action_lend()
        loan_b = self._loan(user=self.specialist_b, lines=[(self.mat, 3)], company_id=self.company_b.id)
        loan_b.with_user(self.specialist_b).action_lend()
        self.assertEqual(self._on_hand(self.mat, self.company_b.jingpin_loan_location_id), 3)
        self.assertNotEqual(self.company_b.jingpin_loan_location_id, self.company_a.jingpin_loan_location_id)


@tagged("post_install", "-at_install")
class TestReconciliation(JingpinInventoryCommon):
    """R29: the daily check lists each mismatch once, until the specialist resolves it."""

    def _run(self):
        Issue = self.env["jingpin.reconciliation.issue"]
        Issue._run_check(self.company_a | self.company_b)
        return Issue.search([("state", "=", "open")])

    def test_nothing_flagged_when_all_agree(self):
        self._handed_over(deliver=True)
        self._loan().action_lend()
        self.assertFalse(self._run())

    def test_each_kind_found_once(self):
        order, work_order = self._handed_over(undelivered=True)
        loan = self._loan()
        loan.action_lend()
        loaned = self.company_a.jingpin_loan_location_id
        self.env["stock.quant"]._update_available_quantity(self.dashcam.product_variant_id, loaned, -1)
        self.env["stock.quant"]._update_available_quantity(
            self.film.product_variant_id, self.warehouse_a.lot_stock_id, -25
        )
        issues = self._run()
        found = {(issue.kind, issue.product_id.product_tmpl_id) for issue in issues}
        self.assertEqual(
            found,
            {
                ("sale_delivery", self.mat),
                ("sale_delivery", self.film),
                ("work_order_issue", self.mat),
                ("work_order_issue", self.film),
                ("loan_stock", self.dashcam),
                ("negative_stock", self.film),
            },
        )
        self.assertEqual(issues.company_id, self.company_a)
        self.assertIn(work_order.name, issues.filtered(lambda i: i.kind == "work_order_issue")[0].name)
        self.assertIn(order.name, issues.filtered(lambda i: i.kind == "sale_delivery")[0].name)
        self.assertEqual(self._run(), issues, "a new run does not repeat an open issue")
        self.assertEqual(self.env["jingpin.reconciliation.issue"]._open_counts(), {self.company_a.id: 6})

    def test_resolve_and_access(self):
        self._handed_over(undelivered=True)
        issue = self._run()[0]
        with self.assertRaises(UserError, msg="a note first"):
            issue.with_user(self.specialist).action_resolve()
        with self.assertRaises(AccessError):
            issue.with_user(self.specialist).write({"state": "resolved"})
        with self.assertRaises(AccessError):
            self.env["jingpin.reconciliation.issue"].with_user(self.specialist).create(
                {"name": "x", "company_id": self.company_a.id, "kind": "negative_stock", "reference": "x"}
            )
        with self.assertRaises(AccessError):
            issue.with_user(self.specialist_b).write({"resolution": "not mine"})
        with self.assertRaises(AccessError):
            issue.with_user(self.technician).read(["name"])
        self.assertEqual(self.env["jingpin.reconciliation.issue"].with_user(self.viewer).search([]), self._run())
        with self.assertRaises(AccessError):
            issue.with_user(self.viewer).action_resolve()
        issue.with_user(self.specialist).resolution = "Delivered today"
        issue.with_user(self.specialist).action_resolve()
        self.assertEqual(issue.state, "resolved")
        self.assertEqual(issue.resolved_by_id, self.specialist)
        with self.assertRaises(AccessError):
            issue.with_user(self.specialist).resolution = "changed afterwards"
        with self.assertRaises(UserError):
            issue.with_user(self.manager).unlink()

    def test_run_on_demand(self):
        self._handed_over(undelivered=True)
        with self.assertRaises(AccessError):
            self.env["jingpin.reconciliation.issue"].with_user(self.technician).action_run_check()
        action = self.env["jingpin.reconciliation.issue"].with_user(self.specialist).action_run_check()
        self.assertEqual(action["res_model"], "jingpin.reconciliation.issue")
        self.assertTrue(self.env["jingpin.reconciliation.issue"].with_user(self.specialist).search([]))


@tagged("post_install", "-at_install")
class TestStocktake(JingpinInventoryCommon):
    """R31: Odoo's cyclic count every quarter, counted and applied by the manager, valued by stock_account."""

    def test_frequency_follows_the_setting(self):
        stock = self.warehouse_a.lot_stock_id
        self.env["stock.location"]._cron_stocktake_reminder()
        self.assertEqual(stock.cyclic_inventory_frequency, 90)
        self.company_a.jingpin_stocktake_days = 30
        self.assertEqual(stock.cyclic_inventory_frequency, 30)
        self.assertEqual(self.warehouse_b.lot_stock_id.cyclic_inventory_frequency, 90)

    def test_count_applied_by_the_manager_with_value(self):
        action = self.env["stock.quant"].with_user(self.specialist).action_jingpin_stocktake()
        quants = self.env["stock.quant"].with_user(self.specialist).search(action["domain"])
        self.assertTrue(quants)
        self.assertTrue(all(quant.product_id.is_accessory for quant in quants))
        quant = quants.filtered(
            lambda q: q.product_id == self.mat.product_variant_id and q.location_id == self.warehouse_a.lot_stock_id
        )
        quant.with_user(self.specialist).with_context(inventory_mode=True).inventory_quantity = 18
        with self.assertRaises(AccessError):
            quant.with_user(self.specialist).action_apply_inventory()
        self.assertEqual(quant.quantity, 20)
        value = self._stock_value()
        quant.with_user(self.manager).action_apply_inventory()
        self.assertEqual(quant.quantity, 18)
        move = self.env["stock.move"].search(
            [("product_id", "=", self.mat.product_variant_id.id), ("is_inventory", "=", True)], order="id desc", limit=1
        )
        self.assertTrue(move.is_out)
        self.assertAlmostEqual(move.value, 800.0, msg="2 × cost 400 out of the stock value")
        self.assertAlmostEqual(self._stock_value(), value - 800.0)

    def test_reminder_once_a_week_before(self):
        stock = self.warehouse_a.lot_stock_id
        Location = self.env["stock.location"]
        Location._cron_stocktake_reminder()
        self.assertFalse(self.env["mail.activity"].search([("res_model", "=", "stock.location")]))
        stock.last_inventory_date = fields.Date.today() - timedelta(days=85)
        self.assertEqual(Location._cron_stocktake_reminder(), stock)
        activity = self.env["mail.activity"].search([("res_model", "=", "stock.location"), ("res_id", "=", stock.id)])
        self.assertEqual(activity.user_id, self.manager)
        self.assertFalse(Location._cron_stocktake_reminder(), "once")


@tagged("post_install", "-at_install")
class TestStockAgeing(JingpinInventoryCommon):
    """R28, B10: accessory stock by age since it came in, valued at cost, slow movers flagged."""

    def test_buckets_value_and_slow_movers(self):
        quant = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.film.product_variant_id.id),
                ("location_id", "=", self.warehouse_a.lot_stock_id.id),
            ]
        )
        quant.in_date = fields.Datetime.now() - timedelta(days=400)  # not how old its stock is
        self._handed_over(products=self.mat, deliver=True)
        Report = self.env["jingpin.stock.ageing.report"].with_user(self.specialist)

        def film_row():
            Report.invalidate_model()
            return Report.search([("product_id", "=", self.film.product_variant_id.id)])

        film = film_row()
        self.assertEqual(
            (film.age_bucket, film.is_slow_mover),
            ("0_90", False),
            "aged from its receipt, today, not from the quant's date: what just came in is not slow",
        )
        self._backdate_receipts(200, self.film)
        self._receive_stock(self.film, 25)  # 5 more come in today: the 20 older ones are still there
        film = film_row()
        self.assertEqual((film.in_date, film.age_bucket), (fields.Date.today() - timedelta(days=200), "181_365"))
        self._receive_stock(self.film, 5)  # a count finds only 5: those that came in today
        self.assertEqual(film_row().age_bucket, "0_90")
        self._backdate_receipts(200, self.film)
        self._receive_stock(self.film, 20)
        film = film_row()
        self.assertEqual(film.age_bucket, "181_365")
        self.assertEqual(film.quantity, 20)
        self.assertAlmostEqual(film.value, 20 * 1200.0)
        self.assertTrue(film.is_slow_mover, "no film sold in 90 days")
        mat = Report.search([("product_id", "=", self.mat.product_variant_id.id)])
        self.assertEqual(mat.age_bucket, "0_90")
        self.assertFalse(mat.is_slow_mover, "a mat was delivered today")
        self.assertFalse(
            Report.with_user(self.specialist_b).search([("company_id", "=", self.company_a.id)]),
            "another dealership's stock is not read",
        )
        with self.assertRaises(AccessError):
            Report.with_user(self.technician).search([])
