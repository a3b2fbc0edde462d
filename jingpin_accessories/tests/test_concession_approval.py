from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import JingpinCommon


@tagged("post_install", "-at_install")
class TestConcessionApproval(JingpinCommon):
    """R11: the manager approves every concession; beyond his authority the GM approves before
    settlement; value given beyond authority without approval is charged to the manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._receive_stock(cls.mat | cls.film | cls.dashcam, 10)
        (cls.mat | cls.film | cls.dashcam).invoice_policy = "order"
        cls.company_a.write({
            "jingpin_manager_limit_amount": 1000.0,
            "jingpin_manager_limit_percent": 40.0,
            "jingpin_manager_id": cls.manager.id,
            "jingpin_gm_id": cls.gm.id,
        })
        cls.referrer = cls.env["res.partner"].create({"name": "Old Customer Zhang"})

    def _order(self, lines, **values):
        order = self.env["sale.order"].with_user(self.consultant).create({
            "partner_id": self.customer.id,
            "jingpin_channel": "referral",
            "order_line": [Command.create(line) for line in lines],
            **values,
        })
        order.action_confirm()
        return order

    def _small_discount_order(self):
        # 3000 film at 10% off: 300 given, within the manager's 1000 / 40%.
        return self._order([{"product_id": self.film.product_variant_id.id, "discount": 10.0}])

    def _beyond_authority_order(self):
        # Film sold at list price, floor mats given free (800), referral rebate 500: 1300 > 1000.
        return self._order(
            [{"product_id": self.film.product_variant_id.id},
             {"product_id": self.mat.product_variant_id.id, "is_gift": True}],
            rebate_partner_id=self.referrer.id, rebate_amount=500.0,
        )

    def _invoice(self, order):
        return order.with_user(self.specialist)._create_invoices()

    def _settle(self, order_or_invoice):
        invoice = order_or_invoice
        if order_or_invoice._name == "sale.order":
            invoice = self._invoice(order_or_invoice)
        invoice.with_user(self.specialist).action_post()
        return invoice

    def _decide(self, order, user, approve=True, comment="OK"):
        wizard = self.env["jingpin.approval.wizard"].with_user(user).create({"order_id": order.id, "comment": comment})
        return wizard.action_approve() if approve else wizard.action_reject()

    def _deliver(self, order):
        picking = order.picking_ids
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        picking.work_order_id = order.work_order_ids[:1]
        picking.with_user(self.specialist).button_validate()

    def test_order_without_concession_settles_freely(self):
        order = self._order([{"product_id": self.film.product_variant_id.id}])
        self.assertEqual(order.jingpin_approval_state, "not_needed")
        self.assertEqual(self._settle(order).state, "posted")

    def test_manager_approves_concessions_within_authority(self):
        order = self._small_discount_order()
        self.assertEqual(order.jingpin_concession_amount, 300.0)
        self.assertEqual((order.jingpin_approval_level, order.jingpin_approval_state), ("manager", "to_approve"))
        activity = order.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertEqual(len(activity), 1, "the company's accessories manager is asked")
        invoice = self._invoice(order)
        with self.assertRaisesRegex(UserError, "accessories manager must approve it.*cannot be settled"):
            self._settle(invoice)
        for user in (self.consultant, self.specialist, self.technician):
            with self.assertRaises(AccessError, msg=f"{user.login} may not approve"):
                self.env["jingpin.approval"].with_user(user).create({
                    "order_id": order.id, "level": "manager", "decision": "approved"})
        before = fields.Datetime.now()
        self._decide(order, self.manager, comment="Loyal customer")
        self.assertEqual(order.jingpin_approval_state, "approved")
        self.assertFalse(order.activity_ids, "the approval request is done")
        decision = order.jingpin_approval_ids
        self.assertRecordValues(decision, [{
            "level": "manager", "decision": "approved", "user_id": self.manager.id,
            "comment": "Loyal customer", "concession_amount": 300.0,
        }])
        self.assertGreaterEqual(decision.decided_on, before - timedelta(seconds=1))
        self.assertEqual(self._settle(invoice).state, "posted")

    def test_beyond_authority_needs_the_gm_before_settlement(self):
        order = self._beyond_authority_order()
        self.assertEqual(order.jingpin_gift_amount, 800.0)
        self.assertEqual(order.jingpin_concession_amount, 1300.0)
        self.assertEqual(order.jingpin_excess_amount, 300.0)
        self.assertEqual(order.jingpin_approval_level, "gm")
        self._decide(order, self.manager)
        self.assertEqual(order.jingpin_approval_state, "to_approve_gm")
        self.assertTrue(order.activity_ids.filtered(lambda a: a.user_id == self.gm), "the GM is asked next")
        invoice = self._invoice(order)
        with self.assertRaisesRegex(UserError, "general manager must approve it"):
            self._settle(invoice)
        with self.assertRaisesRegex(AccessError, "general manager must approve"):
            self._decide(order, self.manager)
        with self.assertRaises(AccessError):
            self.env["jingpin.approval"].with_user(self.manager).create({
                "order_id": order.id, "level": "gm", "decision": "approved"})
        self._decide(order, self.gm, comment="Fleet customer, agreed")
        self.assertEqual(order.jingpin_approval_state, "approved")
        self.assertEqual(order.jingpin_approval_ids.mapped("level"), ["gm", "manager"])
        self.assertEqual(self._settle(invoice).state, "posted")

    def test_percentage_limit_counts_too(self):
        # 1200 dashcam at half price: 600 is within the amount but beyond 40 %.
        order = self._order([{"product_id": self.dashcam.product_variant_id.id, "discount": 50.0}])
        self.assertAlmostEqual(order.jingpin_concession_percent, 50.0)
        self.assertEqual(order.jingpin_approval_level, "gm")
        self.assertAlmostEqual(order.jingpin_excess_amount, 120.0)

    def test_gm_alone_approves_everything(self):
        order = self._beyond_authority_order()
        self._decide(order, self.gm)
        self.assertEqual(order.jingpin_approval_state, "approved")

    def test_rejection_needs_a_reason_and_blocks_settlement(self):
        order = self._small_discount_order()
        with self.assertRaisesRegex(UserError, "why you reject"):
            self._decide(order, self.manager, approve=False, comment="")
        self._decide(order, self.manager, approve=False, comment="Too much for a walk-in")
        self.assertEqual(order.jingpin_approval_state, "rejected")
        with self.assertRaisesRegex(UserError, "were rejected"):
            self._settle(order)
        # The consultant lowers the discount: the order waits for a new decision.
        order.order_line.with_user(self.consultant).discount = 5.0
        self.assertEqual(order.jingpin_approval_state, "to_approve")

    def test_approval_lapses_when_concessions_grow(self):
        order = self._small_discount_order()
        self._decide(order, self.manager)
        order.order_line.with_user(self.consultant).discount = 15.0
        self.assertEqual(order.jingpin_approval_state, "to_approve")
        order.order_line.with_user(self.consultant).discount = 5.0
        self.assertEqual(order.jingpin_approval_state, "approved", "an approval covers a smaller concession")

    def test_decisions_cannot_be_rewritten(self):
        order = self._small_discount_order()
        self._decide(order, self.manager)
        decision = order.jingpin_approval_ids
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            decision.with_user(self.gm).write({"comment": "changed"})
        with self.assertRaises(AccessError):
            decision.with_user(self.gm).unlink()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            decision.sudo().unlink()
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            decision.sudo().write({"comment": "changed"})

    def test_nothing_to_approve_is_refused(self):
        order = self._order([{"product_id": self.film.product_variant_id.id}])
        with self.assertRaisesRegex(UserError, "nothing waiting for approval"):
            self._decide(order, self.manager)

    def test_excess_given_without_gm_approval_is_charged_to_the_manager(self):
        order = self._beyond_authority_order()
        self._decide(order, self.manager)
        self._deliver(order)
        charge = order.sudo().jingpin_charge_ids
        self.assertRecordValues(charge, [{"manager_id": self.manager.id, "amount": 300.0, "state": "open"}])
        charges = self.env["jingpin.manager.charge"].with_user(self.gm)
        self.assertEqual(charges.search([("state", "=", "open")]), charge, "the GM sees it in the report")
        self.assertEqual(dict(charges._read_group([], ["manager_id"], ["amount:sum"]))[self.manager], 300.0)
        with self.assertRaises(AccessError):
            self.env["jingpin.manager.charge"].with_user(self.specialist).search([])
        self._decide(order, self.gm, comment="Approved after the fact")
        self.assertEqual(charge.state, "waived")
        self.assertEqual(charge.waived_by_id, self.gm)

    def test_approved_excess_is_not_charged(self):
        order = self._beyond_authority_order()
        self._decide(order, self.gm)
        self._deliver(order)
        self.assertFalse(order.sudo().jingpin_charge_ids)

    def test_promotion_price_in_period_is_no_concession(self):
        pricelist = self.env["product.pricelist"].create({
            "name": "Promotions", "item_ids": [Command.create({
                "applied_on": "1_product", "product_tmpl_id": self.film.id, "compute_price": "fixed",
                "fixed_price": 2400.0,
                "date_start": fields.Datetime.now() - timedelta(days=1),
                "date_end": fields.Datetime.now() + timedelta(days=10),
            })],
        })
        in_period = self._order([{"product_id": self.film.product_variant_id.id}], pricelist_id=pricelist.id)
        self.assertEqual(in_period.order_line.price_unit, 2400.0)
        self.assertEqual(in_period.jingpin_approval_state, "not_needed")
        # The same price after the promotion ended is a discount the manager must approve.
        late = self.env["sale.order"].with_user(self.consultant).create({
            "partner_id": self.customer.id, "jingpin_channel": "walk_in", "pricelist_id": pricelist.id,
            "date_order": fields.Datetime.now() + timedelta(days=20),
            "order_line": [Command.create({"product_id": self.film.product_variant_id.id, "price_unit": 2400.0})],
        })
        self.assertEqual(late.order_line.jingpin_reference_price, 3000.0)
        self.assertEqual(late.jingpin_concession_amount, 600.0)
        self.assertEqual(late.jingpin_approval_level, "manager")

    def test_install_item_needs_its_work_order_before_settlement(self):
        order = self._order([{"product_id": self.mat.product_variant_id.id}])
        order.with_user(self.specialist).order_line = [Command.create({"product_id": self.dashcam.product_variant_id.id})]
        with self.assertRaisesRegex(UserError, "“Dashcam”.*no work order yet"):
            self._settle(order)

    def test_approvals_are_per_company(self):
        order = self._small_discount_order()
        self._decide(order, self.manager)
        Approval = self.env["jingpin.approval"]
        self.assertEqual(Approval.with_user(self.consultant).search([("order_id", "=", order.id)]),
                         order.jingpin_approval_ids, "the consultant reads the decisions on his orders")
        self.assertFalse(Approval.with_user(self.specialist_b).search([]))
        self.assertEqual(Approval.with_user(self.viewer).search_count([]), 1)
        # Dealership B has its own authority limit.
        self.company_b.jingpin_manager_limit_amount = 100.0
        self.assertEqual(self.company_a.jingpin_manager_limit_amount, 1000.0)

    def test_car_sale_discounts_are_not_the_departments(self):
        car = self.env["product.product"].create({"name": "Camry 2.0G", "type": "consu", "list_price": 179800.0})
        car_sale = self.env["sale.order"].with_user(self.consultant).create({
            "partner_id": self.customer.id,
            "order_line": [Command.create({"product_id": car.id, "discount": 3.0})],
        })
        car_sale.action_confirm()
        self.assertEqual(car_sale.jingpin_concession_amount, 0.0)
        self.assertEqual(car_sale.jingpin_approval_state, "not_needed")

    def test_margin_report_aggregates_in_one_query(self):
        self._small_discount_order()
        self._beyond_authority_order()
        self.env.flush_all()
        Report = self.env["jingpin.sale.margin.report"]
        with self.assertQueryCount(1):
            rows = Report._read_group([], ["channel", "gift_given_by_id"], ["revenue:sum", "gift_cost:sum", "rebate:sum"])
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][4], 500.0)
