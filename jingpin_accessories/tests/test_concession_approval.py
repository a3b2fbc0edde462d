from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

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
        cls.company_a.write(
            {
                "jingpin_manager_limit_amount": 1000.0,
                "jingpin_manager_limit_percent": 40.0,
                "jingpin_manager_id": cls.manager.id,
                "jingpin_gm_id": cls.gm.id,
            }
        )
        cls.referrer = cls.env["res.partner"].create({"name": "Old Customer Zhang"})

    def _order(self, lines, **values):
        order = (
            self.env["sale.order"]
            .with_user(self.consultant)
            .create(
                {
                    "partner_id": self.customer.id,
                    "jingpin_channel": "referral",
                    "order_line": [Command.create(line) for line in lines],
                    **values,
                }
            )
        )
        order.action_confirm()
        return order

    def _small_discount_order(self):
        # 3000 film at 10% off: 300 given, within the manager's 1000 / 40%.
        return self._order([{"product_id": self.film.product_variant_id.id, "discount": 10.0}])

    def _beyond_authority_order(self):
        # Film sold at list price, floor mats given free (800), referral rebate 500: 1300 > 1000.
        return self._order(
            [
                {"product_id": self.film.product_variant_id.id},
                {"product_id": self.mat.product_variant_id.id, "is_gift": True},
            ],
            rebate_partner_id=self.referrer.id,
            rebate_amount=500.0,
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
                self.env["jingpin.approval"].with_user(user).create(
                    {"order_id": order.id, "level": "manager", "decision": "approved"}
                )
        before = fields.Datetime.now()
        self._decide(order, self.manager, comment="Loyal customer")
        self.assertEqual(order.jingpin_approval_state, "approved")
        self.assertFalse(order.activity_ids, "the approval request is done")
        decision = order.jingpin_approval_ids
        self.assertRecordValues(
            decision,
            [
                {
                    "level": "manager",
                    "decision": "approved",
                    "user_id": self.manager.id,
                    "comment": "Loyal customer",
                    "concession_amount": 300.0,
                }
            ],
        )
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
            self.env["jingpin.approval"].with_user(self.manager).create(
                {"order_id": order.id, "level": "gm", "decision": "approved"}
            )
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

    def _film_promotion(self, start, days):
        """A price list selling the window film at 2,400 for ``days`` days from ``start``."""
        return self.env["product.pricelist"].create(
            {
                "name": "Window Film Promotion",
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": self.film.id,
                            "compute_price": "fixed",
                            "fixed_price": 2400.0,
                            "date_start": start,
                            "date_end": start + timedelta(days=days),
                        }
                    )
                ],
            }
        )

    def test_promotion_price_in_period_is_no_concession(self):
        pricelist = self._film_promotion(fields.Datetime.now() - timedelta(days=1), days=11)
        in_period = self._order([{"product_id": self.film.product_variant_id.id}], pricelist_id=pricelist.id)
        self.assertEqual(in_period.order_line.price_unit, 2400.0)
        self.assertEqual(in_period.jingpin_approval_state, "not_needed")
        # The same price after the promotion ended is a discount the manager must approve.
        late = (
            self.env["sale.order"]
            .with_user(self.consultant)
            .create(
                {
                    "partner_id": self.customer.id,
                    "jingpin_channel": "walk_in",
                    "pricelist_id": pricelist.id,
                    "date_order": fields.Datetime.now() + timedelta(days=20),
                    "order_line": [
                        Command.create({"product_id": self.film.product_variant_id.id, "price_unit": 2400.0})
                    ],
                }
            )
        )
        self.assertEqual(late.order_line.jingpin_reference_price, 3000.0)
        self.assertEqual(late.jingpin_concession_amount, 600.0)
        self.assertEqual(late.jingpin_approval_level, "manager")

    def test_install_item_needs_its_work_order_before_settlement(self):
        order = self._order([{"product_id": self.mat.product_variant_id.id}])
        order.with_user(self.specialist).order_line = [
            Command.create({"product_id": self.dashcam.product_variant_id.id})
        ]
        with self.assertRaisesRegex(UserError, "“Dashcam”.*no work order yet"):
            self._settle(order)

    def test_approvals_are_per_company(self):
        order = self._small_discount_order()
        self._decide(order, self.manager)
        Approval = self.env["jingpin.approval"]
        self.assertEqual(
            Approval.with_user(self.consultant).search([("order_id", "=", order.id)]),
            order.jingpin_approval_ids,
            "the consultant reads the decisions on his orders",
        )
        self.assertFalse(Approval.with_user(self.specialist_b).search([]))
        self.assertEqual(Approval.with_user(self.viewer).search_count([]), 1)
        # Dealership B has its own authority limit.
        self.company_b.jingpin_manager_limit_amount = 100.0
        self.assertEqual(self.company_a.jingpin_manager_limit_amount, 1000.0)

    def test_car_sale_discounts_are_not_the_departments(self):
        car = self.env["product.product"].create({"name": "Camry 2.0G", "type": "consu", "list_price": 179800.0})
        car_sale = (
            self.env["sale.order"]
            .with_user(self.consultant)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": car.id, "discount": 3.0})],
                }
            )
        )
        car_sale.action_confirm()
        self.assertEqual(car_sale.jingpin_concession_amount, 0.0)
        self.assertEqual(car_sale.jingpin_approval_state, "not_needed")

    def test_margin_report_aggregates_in_one_query(self):
        self._small_discount_order()
        self._beyond_authority_order()
        self.env.flush_all()
        Report = self.env["jingpin.sale.margin.report"]
        with self.assertQueryCount(1):
            rows = Report._read_group(
                [], ["channel", "gift_given_by_id"], ["revenue:sum", "gift_cost:sum", "rebate:sum"]
            )
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][4], 500.0)

    # === Rules that hold through every door (issue 8) === #
    def test_control_fields_are_refused_to_clients(self):
        order = self._beyond_authority_order()
        before = order.read(
            [
                "jingpin_approval_state",
                "jingpin_approval_level",
                "jingpin_concession_amount",
                "jingpin_excess_amount",
                "jingpin_reference_amount",
                "jingpin_gift_amount",
            ]
        )[0]
        for user in (self.consultant, self.manager, self.gm):
            for vals in (
                {"jingpin_approval_state": "approved"},
                {"jingpin_approval_level": "none"},
                {"jingpin_excess_amount": 999999.0},
                {"jingpin_concession_amount": 0.0},
                {"jingpin_concession_percent": 0.0},
                {"jingpin_gift_amount": 0.0},
            ):
                with self.subTest(user=user.login, vals=vals), self.assertRaisesRegex(AccessError, "change only"):
                    order.with_user(user).write(vals)
            with self.assertRaises(AccessError):
                order.order_line[:1].with_user(user).write({"jingpin_concession": 0.0})
            with self.assertRaises(AccessError):
                order.order_line[:1].with_user(user).write({"jingpin_reference_price": 0.0})
        with self.assertRaises(AccessError):
            order.with_user(self.consultant).write(
                {"jingpin_approval_ids": [Command.create({"level": "gm", "decision": "approved"})]}
            )
        order.invalidate_recordset()
        self.assertEqual(order.read(list(before))[0], before, "nothing was written")
        self.assertFalse(order.jingpin_approval_ids)

    def test_create_is_checked_like_write(self):
        SaleOrder = self.env["sale.order"].with_user(self.consultant)
        vals = {
            "partner_id": self.customer.id,
            "jingpin_channel": "walk_in",
            "order_line": [Command.create({"product_id": self.film.product_variant_id.id, "discount": 50.0})],
        }
        with self.assertRaises(AccessError):
            SaleOrder.create({**vals, "jingpin_approval_state": "approved"})
        with self.assertRaises(AccessError):
            SaleOrder.with_context(default_jingpin_approval_state="approved").create(vals)
        with self.assertRaises(AccessError):
            SaleOrder.create(
                {
                    **vals,
                    "order_line": [
                        Command.create(
                            {"product_id": self.film.product_variant_id.id, "discount": 50.0, "jingpin_concession": 0.0}
                        )
                    ],
                }
            )
        order = SaleOrder.create(vals)
        self.assertEqual(order.jingpin_approval_state, "to_approve")

    def test_order_is_fixed_once_confirmed(self):
        order = self._beyond_authority_order()
        for vals in (
            {"jingpin_channel": False},
            {"jingpin_channel": "walk_in"},
            {"rebate_amount": 0.0},
            {"rebate_partner_id": self.customer.id},
            {"gift_given_by_id": self.specialist.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                order.with_user(self.consultant).write(vals)
        order.invalidate_recordset()
        self.assertRecordValues(
            order,
            [
                {
                    "jingpin_channel": "referral",
                    "rebate_amount": 500.0,
                    "rebate_partner_id": self.referrer.id,
                    "gift_given_by_id": self.consultant.id,
                }
            ],
        )
        # Saving the same value again changes nothing and is no refusal.
        order.with_user(self.consultant).write({"jingpin_channel": "referral", "note": "Call before delivery"})
        # A draft order is still being written.
        draft = order.copy()
        draft.with_user(self.consultant).jingpin_channel = "external"
        self.assertEqual(draft.jingpin_channel, "external")

    def test_copy_starts_without_the_decisions(self):
        order = self._small_discount_order()
        self._decide(order, self.manager)
        copy = order.with_user(self.consultant).copy()
        self.assertFalse(copy.jingpin_approval_ids)
        self.assertEqual(copy.jingpin_approval_state, "to_approve", "the copy's concessions are not approved")
        self.assertEqual(order.jingpin_approval_state, "approved")

    def test_nobody_approves_his_own_order(self):
        order = self._order([{"product_id": self.film.product_variant_id.id, "discount": 10.0}])
        order_by_manager = (
            self.env["sale.order"]
            .with_user(self.manager)
            .create(
                {
                    "partner_id": self.customer.id,
                    "jingpin_channel": "walk_in",
                    "order_line": [Command.create({"product_id": self.film.product_variant_id.id, "discount": 10.0})],
                }
            )
        )
        order_by_manager.action_confirm()
        self.assertEqual(
            order_by_manager.activity_ids.user_id, self.gm, "the manager's own order goes to the general manager"
        )
        with self.assertRaisesRegex(AccessError, r"general manager \(.*\) must decide instead"):
            self._decide(order_by_manager, self.manager)
        # The order's specialist is no approver either, nor is its salesperson.
        order.specialist_id = self.manager
        with self.assertRaisesRegex(AccessError, "cannot decide on its own concessions"):
            self._decide(order, self.manager)
        self.assertFalse((order | order_by_manager).jingpin_approval_ids)
        self.assertEqual((order | order_by_manager).mapped("jingpin_approval_state"), ["to_approve"] * 2)
        self._decide(order_by_manager, self.gm)
        self.assertEqual(order_by_manager.jingpin_approval_state, "approved")
        # The general manager's own order beyond authority: nobody else here can approve it.
        gm_order = (
            self.env["sale.order"]
            .with_user(self.gm)
            .create(
                {
                    "partner_id": self.customer.id,
                    "jingpin_channel": "walk_in",
                    "order_line": [
                        Command.create({"product_id": self.dashcam.product_variant_id.id, "discount": 50.0})
                    ],
                }
            )
        )
        gm_order.action_confirm()
        self._decide(gm_order, self.manager)
        self.assertEqual(gm_order.jingpin_approval_state, "to_approve_gm")
        with self.assertRaisesRegex(AccessError, "Another general manager must decide"):
            self._decide(gm_order, self.gm)
        self.assertEqual(gm_order.jingpin_approval_state, "to_approve_gm")

    def test_each_approver_is_offered_only_what_he_may_decide(self):
        """The approval button and the list to approve offer the manager no order waiting for the
        general manager and none he sells; the general manager sees both levels."""
        Order = self.env["sale.order"]
        beyond = self._beyond_authority_order()
        self._decide(beyond, self.manager)
        self.assertEqual(beyond.jingpin_approval_state, "to_approve_gm")
        small = self._small_discount_order()
        own = (
            self.env["sale.order"]
            .with_user(self.manager)
            .create(
                {
                    "partner_id": self.customer.id,
                    "jingpin_channel": "walk_in",
                    "order_line": [Command.create({"product_id": self.film.product_variant_id.id, "discount": 5.0})],
                }
            )
        )
        orders = beyond | small | own
        self.assertEqual(orders.with_user(self.manager).filtered("jingpin_can_decide"), small)
        self.assertEqual(Order.with_user(self.manager).search([("jingpin_can_decide", "=", True)]), small)
        self.assertEqual(orders.with_user(self.gm).filtered("jingpin_can_decide"), orders)
        self.assertFalse(orders.with_user(self.specialist).filtered("jingpin_can_decide"))
        action = self.env["ir.actions.act_window"]._for_xml_id("jingpin_accessories.sale_order_action_to_approve")
        self.assertEqual(Order.with_user(self.manager).search(safe_eval(action["domain"])), small)
        with self.assertRaises(AccessError):
            self._decide(beyond, self.manager)

    def test_missing_approver_fails_loudly(self):
        self.company_a.jingpin_manager_id = False
        self.company_a.jingpin_gm_id = False
        order = (
            self.env["sale.order"]
            .with_user(self.consultant)
            .create(
                {
                    "partner_id": self.customer.id,
                    "jingpin_channel": "walk_in",
                    "order_line": [Command.create({"product_id": self.film.product_variant_id.id, "discount": 10.0})],
                }
            )
        )
        # (assertRaises, not assertRaisesRegex: Odoo's rolls the failed confirmation back)
        with self.assertRaises(UserError) as refusal:
            order.action_confirm()
        self.assertIn("Settings › Accessories", str(refusal.exception))
        self.assertEqual(order.state, "draft")
        self.company_a.jingpin_manager_id = self.manager
        gm_level = order.copy(
            {"order_line": [Command.create({"product_id": self.dashcam.product_variant_id.id, "discount": 50.0})]}
        )
        with self.assertRaises(UserError) as refusal:
            gm_level.action_confirm()
        self.assertRegex(str(refusal.exception), "no general manager.*Settings › Accessories")
        self.assertEqual(gm_level.state, "draft")
        order.action_confirm()
        self.assertEqual(order.activity_ids.user_id, self.manager)
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.jingpin_approvers_required, "a dealership selling accessories must set them")

    def test_approval_decisions_and_charges_only_through_actions(self):
        order = self._beyond_authority_order()
        self._decide(order, self.manager)
        self._deliver(order)
        charge = order.sudo().jingpin_charge_ids
        for user in (self.manager, self.gm):
            with self.assertRaises(AccessError):
                charge.with_user(user).write({"amount": 0.0})
            with self.assertRaises(AccessError):
                charge.with_user(user).write({"state": "waived"})
            with self.assertRaises(AccessError):
                self.env["jingpin.manager.charge"].with_user(user).create(
                    {"order_id": order.id, "manager_id": self.specialist.id, "amount": 1.0}
                )
            with self.assertRaises(AccessError):
                self.env["jingpin.approval"].with_user(user).with_context(default_user_id=self.gm.id).create(
                    {"order_id": order.id, "level": "manager", "decision": "approved"}
                )
        # Even with every right, only the actions write them.
        with self.assertRaises(AccessError):
            charge.sudo().write({"state": "waived"})
        with self.assertRaises(AccessError):
            self.env["jingpin.approval"].sudo().create({"order_id": order.id, "level": "gm", "decision": "approved"})
        charge.invalidate_recordset()
        self.assertRecordValues(charge, [{"amount": 300.0, "state": "open", "waived_by_id": False}])
        # A default_* key the client sends reaches no record the server creates on his behalf.
        self.env["jingpin.approval.wizard"].with_user(self.gm).with_context(
            default_user_id=self.manager.id,
            default_decided_on="2000-01-01 00:00:00",
        ).create({"order_id": order.id, "comment": "OK"}).action_approve()
        self.assertRecordValues(
            order.jingpin_approval_ids[:1], [{"level": "gm", "user_id": self.gm.id, "concession_amount": 1300.0}]
        )
        self.assertRecordValues(charge, [{"state": "waived", "waived_by_id": self.gm.id}])

    # === Arithmetic (class 8) === #
    def test_negative_lines_are_refused(self):
        film, mat = self.film.product_variant_id, self.mat.product_variant_id
        for line in (
            {"product_id": mat.id, "product_uom_qty": -1.0},
            {"product_id": mat.id, "price_unit": -800.0},
            {"product_id": mat.id, "discount": 120.0},
            {"product_id": mat.id, "discount": -20.0},
        ):
            with self.subTest(line=line), self.assertRaisesRegex(ValidationError, "negative|between 0 and 100"):
                self.env["sale.order"].with_user(self.consultant).create(
                    {
                        "partner_id": self.customer.id,
                        "jingpin_channel": "walk_in",
                        "order_line": [
                            Command.create({"product_id": film.id, "discount": 100.0}),
                            Command.create(line),
                        ],
                    }
                )
        order = (
            self.env["sale.order"]
            .with_user(self.consultant)
            .create(
                {
                    "partner_id": self.customer.id,
                    "jingpin_channel": "walk_in",
                    "order_line": [Command.create({"product_id": film.id, "discount": 100.0})],
                }
            )
        )
        with self.assertRaises(ValidationError) as refusal:
            order.order_line.with_user(self.consultant).product_uom_qty = -1.0
        self.assertIn("credit note", str(refusal.exception))
        self.assertEqual(order.order_line.product_uom_qty, 1.0)
        self.assertEqual(order.jingpin_concession_amount, 3000.0)

    def test_concessions_are_not_netted(self):
        # Film sold 500 above its approved price does not pay for the dashcam's 600 discount.
        order = self._order(
            [
                {"product_id": self.film.product_variant_id.id, "price_unit": 3500.0},
                {"product_id": self.dashcam.product_variant_id.id, "discount": 50.0},
            ]
        )
        self.assertEqual(order.order_line.mapped("jingpin_concession"), [0.0, 600.0])
        self.assertEqual(order.jingpin_concession_amount, 600.0)
        self.assertEqual(order.jingpin_approval_state, "to_approve")

    def test_only_accessories_wait_for_their_work_order(self):
        car = self.env["product.product"].create(
            {
                "name": "Camry 2.0G",
                "type": "consu",
                "list_price": 179800.0,
                "invoice_policy": "order",
                "needs_install": True,
                "labour_minutes": 60,
            }
        )
        order = self._order([{"product_id": self.film.product_variant_id.id}, {"product_id": car.id}])
        self.assertEqual(order.work_order_ids.work_item_ids.product_id, self.film.product_variant_id)
        self.assertEqual(self._settle(order).state, "posted")

    # === Money decided where it is checked (issue 19) === #
    def _approved_invoice(self):
        """The 10 % film order approved by the manager, and its draft invoice."""
        order = self._small_discount_order()
        self._decide(order, self.manager)
        return order, self._invoice(order)

    def _refused_posting(self, invoice, pattern, user=None):
        with self.assertRaisesRegex(UserError, pattern):
            (invoice.with_user(user) if user else invoice.sudo()).action_post()
        self.assertEqual(invoice.state, "draft")

    def test_invoice_posts_only_what_was_approved(self):
        order, invoice = self._approved_invoice()
        zero_tax = self.env["account.tax"].create({"name": "Exempt", "amount": 0.0, "type_tax_use": "sale"})
        line = invoice.invoice_line_ids
        self.assertEqual((line.price_unit, line.discount), (3000.0, 10.0))
        for vals, pattern in (
            ({"discount": 30.0}, "unit price after discount is .*2,700.00, not .*2,100.00"),
            ({"price_unit": 2000.0}, "unit price after discount"),
            ({"tax_ids": [Command.set(zero_tax.ids)]}, "the taxes are"),
        ):
            with self.subTest(vals=vals):
                line.with_user(self.specialist).write(vals)
                self._refused_posting(invoice, pattern, self.specialist)
                self._refused_posting(invoice, pattern)  # as superuser too
                line.write(
                    {"price_unit": 3000.0, "discount": 10.0, "tax_ids": [Command.set(order.order_line.tax_ids.ids)]}
                )
        # an added line: a goodwill deduction, or an accessory given outside the order
        for added in (
            {"name": "Goodwill", "price_unit": -500.0},
            {"product_id": self.mat.product_variant_id.id, "price_unit": 0.0},
        ):
            with self.subTest(added=added):
                invoice.with_user(self.specialist).write({"invoice_line_ids": [Command.create(added)]})
                self._refused_posting(invoice, "is on no accessory order", self.specialist)
                (invoice.invoice_line_ids - line).unlink()
        # a higher price is no concession; what the order says posts
        line.with_user(self.specialist).price_unit = 3100.0
        self.assertEqual(self._settle(invoice).state, "posted")

    def _credit_note(self, invoice, **line_values):
        """A draft credit note of ``invoice`` made by Odoo's reversal, its line changed by the specialist."""
        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.specialist)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Returned"})
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        if line_values:
            refund.invoice_line_ids.with_user(self.specialist).write(line_values)
        return refund

    def test_a_credit_note_refunds_only_what_was_invoiced(self):
        order, invoice = self._approved_invoice()
        self._settle(invoice)
        for values, pattern in (
            ({"price_unit": 3500.0}, "more than order"),
            ({"quantity": 2.0}, "only 1.0 of it is invoiced and not yet refunded"),
        ):
            with self.subTest(values=values):
                refund = self._credit_note(invoice, **values)
                self._refused_posting(refund, pattern, self.specialist)
                self._refused_posting(refund, pattern)  # as superuser too
                refund.unlink()
        # an accessory refunded outside its order
        refund = self._credit_note(invoice)
        refund.with_user(self.specialist).write(
            {"invoice_line_ids": [Command.create({"product_id": self.mat.product_variant_id.id, "price_unit": 800.0})]}
        )
        self._refused_posting(refund, "is on no accessory order", self.specialist)
        refund.unlink()
        # the whole invoice refunded once, as charged; not twice
        refund = self._credit_note(invoice)
        self._settle(refund)
        self.assertEqual((refund.state, refund.amount_untaxed), ("posted", invoice.amount_untaxed))
        self.assertEqual(order.order_line.qty_invoiced, 0.0)
        self._refused_posting(self._credit_note(invoice), "only 0.0 of it is invoiced")

    def test_plain_invoice_posts_as_in_odoo(self):
        service = self.env["product.product"].create({"name": "Car Wash", "type": "service", "list_price": 50.0})
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [Command.create({"product_id": service.id, "discount": 90.0})],
            }
        )
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        invoice.button_draft()
        invoice.write({"state": "posted"})  # Odoo lets its own entries be written so; not the department's
        self.assertEqual(invoice.state, "posted")

    def test_an_approval_covers_one_version_of_the_order(self):
        order = self._small_discount_order()
        self._decide(order, self.manager)
        self.assertEqual(order.jingpin_approval_ids.order_version, 0)
        order.with_user(self.consultant).action_cancel()
        self.assertEqual(order.jingpin_version, 1)
        self.assertEqual(order.jingpin_approval_state, "to_approve", "cancelling ends what was approved")
        order.with_user(self.consultant).action_draft()
        order.with_user(self.consultant).action_confirm()
        self.assertEqual(order.jingpin_approval_state, "to_approve")
        self.assertEqual(order.activity_ids.user_id, self.manager, "the manager is asked again")
        with self.assertRaisesRegex(UserError, "accessories manager must approve"):
            self._settle(order)
        self._decide(order, self.manager)
        self.assertEqual(order.jingpin_approval_state, "approved")
        with self.assertRaises(AccessError):
            order.with_user(self.consultant).write({"jingpin_version": 0})
        with self.assertRaises(AccessError):
            order.sudo().write({"jingpin_version": 0})

    def test_an_approval_covers_each_line_as_approved(self):
        film, dashcam = self.film.product_variant_id, self.dashcam.product_variant_id
        order = self._order([{"product_id": film.id, "discount": 10.0}, {"product_id": dashcam.id}])
        self._decide(order, self.manager)
        film_line, dashcam_line = order.order_line
        # the same 300 moved to another accessory is a new concession
        film_line.with_user(self.consultant).discount = 0.0
        dashcam_line.with_user(self.consultant).discount = 25.0
        self.assertEqual(order.jingpin_concession_amount, 300.0)
        self.assertEqual(order.jingpin_approval_state, "to_approve")
        dashcam_line.with_user(self.consultant).discount = 0.0
        film_line.with_user(self.consultant).discount = 5.0
        self.assertEqual(order.jingpin_approval_state, "approved", "less than approved on the same line")
        # an accessory added with a concession is not what was approved, however small
        order.with_user(self.consultant).order_line = [
            Command.create({"product_id": self.mat.product_variant_id.id, "discount": 5.0})
        ]
        self.assertLess(order.jingpin_concession_amount, 300.0)
        self.assertEqual(order.jingpin_approval_state, "to_approve")

    def test_date_change_rechecks_promotions_and_is_fixed_once_confirmed(self):
        now = fields.Datetime.now()
        pricelist = self._film_promotion(now - timedelta(days=10), days=7)
        order = (
            self.env["sale.order"]
            .with_user(self.consultant)
            .create(
                {
                    "partner_id": self.customer.id,
                    "jingpin_channel": "walk_in",
                    "pricelist_id": pricelist.id,
                    "date_order": now - timedelta(days=5),
                    "order_line": [Command.create({"product_id": self.film.product_variant_id.id})],
                }
            )
        )
        self.assertEqual((order.order_line.price_unit, order.jingpin_approval_state), (2400.0, "not_needed"))
        # the promotion has ended: today, 2400 is a concession of 600
        order.with_user(self.consultant).date_order = now
        self.assertEqual(order.jingpin_concession_amount, 600.0)
        self.assertEqual(order.jingpin_approval_state, "to_approve")
        order.with_user(self.consultant).date_order = now - timedelta(days=5)
        order.with_user(self.consultant).action_confirm()
        self.assertGreaterEqual(order.date_order, now, "confirmation dates the order today")
        self.assertEqual(order.jingpin_approval_state, "to_approve")
        for user in (self.consultant, self.manager, self.gm):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                order.with_user(user).date_order = now - timedelta(days=5)
        with self.assertRaises(AccessError):
            order.sudo().date_order = now - timedelta(days=5)
        self.assertEqual(order.jingpin_concession_amount, 600.0)

    def test_plain_order_keeps_odoos_rules(self):
        """A confirmed order without accessories is Odoo's: its date can be moved, as Odoo's own
        demo data does (sale_timesheet), and nothing of the department is asked."""
        service = self.env["product.product"].create({"name": "Plain Service", "type": "service", "list_price": 100})
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.consultant.id,
                "order_line": [Command.create({"product_id": service.id})],
            }
        )
        order.action_confirm()
        past = fields.Datetime.now() - timedelta(days=21)
        order.with_user(self.consultant).date_order = past
        self.assertEqual(order.date_order, past)

    def test_odoo_state_changes_only_through_actions(self):
        order = self._small_discount_order()
        draft = order.copy()
        invoice = self._invoice(order)
        for user in (self.consultant, self.specialist, self.manager, self.gm):
            for record, state in ((draft, "sale"), (order, "cancel"), (order, "draft"), (invoice, "posted")):
                with self.subTest(user=user.login, record=record._name, state=state):
                    with self.assertRaisesRegex(AccessError, "changes only through its buttons"):
                        record.with_user(user).write({"state": state})
                    with self.assertRaisesRegex(AccessError, "changes only through its buttons"):
                        record.sudo().with_context(jingpin_action=True).write({"state": state})
        vals = {
            "partner_id": self.customer.id,
            "jingpin_channel": "walk_in",
            "order_line": [Command.create({"product_id": self.film.product_variant_id.id, "discount": 50.0})],
        }
        SaleOrder = self.env["sale.order"].with_user(self.consultant)
        with self.assertRaises(AccessError):
            SaleOrder.create({**vals, "state": "sale"})
        with self.assertRaises(AccessError):
            SaleOrder.with_context(default_state="sale").create(vals)
        with self.assertRaises(AccessError):
            invoice.sudo().copy({"state": "cancel"})
        self.assertEqual((draft.state, order.state, invoice.state), ("draft", "sale", "draft"))
        # the actions write it
        draft.with_user(self.consultant).action_quotation_sent()
        self.assertEqual(draft.state, "sent")
        draft.with_user(self.consultant).action_confirm()
        self.assertEqual(draft.state, "sale")
        self._decide(order, self.manager)
        self._settle(invoice)
        invoice.with_user(self.specialist).button_draft()
        invoice.with_user(self.specialist).button_cancel()
        self.assertEqual(invoice.state, "cancel")
        order.sudo().action_cancel()
        order.with_user(self.consultant).action_draft()
        self.assertEqual(order.state, "draft")
        order.with_context(mark_so_as_sent=True).with_user(self.consultant).message_post(body="Quotation")
        self.assertEqual(order.state, "sent")
        # a car sale is not the department's: Odoo's rules only
        car = self.env["product.product"].create({"name": "Camry 2.0G", "type": "consu", "list_price": 179800.0})
        car_sale = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "order_line": [Command.create({"product_id": car.id})]}
        )
        car_sale.write({"state": "sent"})
        self.assertEqual(car_sale.state, "sent")
