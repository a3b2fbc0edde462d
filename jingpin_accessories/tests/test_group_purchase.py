from datetime import date, datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_inventory_control import JingpinInventoryCommon

MAY = date(2026, 5, 1)


@tagged("post_install", "-at_install")
class TestGroupPurchase(JingpinInventoryCommon):
    """R32, B9: the month's purchase order to the group, drafted from sales velocity, plan, stock,
    loans and open orders; confirmed by the accessories manager by the 5th.

    The hand-computed case, for May 2026 in dealership A (February to April are the three months):

    ======== ================== ============== ============ ========== ======== ==========
    Item     Net sold Feb–Apr   Need (×2 plan)  Available    Lent out   Incoming Quantity
    ======== ================== ============== ============ ========== ======== ==========
    mats     13 − 1 returned=12 12/3×2 = 8      20−13+1−2=6  2          0        ⌈8−6−0⌉ = 2
    film     6                  6/3×2 = 4       1            0          1        ⌈4−1−1⌉ = 2
    dashcam  3                  3/3×2 = 2       17           0          0        none
    ======== ================== ============== ============ ========== ======== ==========

    Plan factor: May's approved plan 3,333.33 against 5,000 of revenue in March (the one order: a mat,
    a film and a dashcam) over three months, 1,666.67 a month: 2.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier = cls.env["res.partner"].create({"name": "Dealer Group Purchasing", "is_company": True})
        cls.company_a.jingpin_group_supplier_id = cls.supplier
        # 5,000 of accessory revenue in March
        order, _work_order = cls._confirmed_order(cls.mat | cls.film | cls.dashcam)
        cls.env.flush_all()
        cls.env.cr.execute("UPDATE sale_order SET date_order = '2026-03-10 04:00' WHERE id = %s", [order.id])
        order.invalidate_recordset(["date_order"])
        cls.revenue = sum(order.order_line.mapped("price_subtotal"))
        # the sales history: sold over the counter, without installation
        (cls.mat | cls.film | cls.dashcam).needs_install = False
        stock = cls.warehouse_a.lot_stock_id
        customers = cls.env.ref("stock.stock_location_customers")
        for template, quantity, day in [
            (cls.mat, 4, date(2026, 2, 10)),
            (cls.mat, 5, date(2026, 3, 10)),
            (cls.mat, 4, date(2026, 4, 10)),
            (cls.film, 6, date(2026, 3, 12)),
            (cls.dashcam, 3, date(2026, 4, 20)),
            (cls.dashcam, 5, date(2026, 1, 20)),  # before the three months: not counted
        ]:
            cls._move(template, quantity, stock, customers, day)
        cls._move(cls.mat, 1, customers, stock, date(2026, 4, 15))  # a customer's return
        cls._receive_stock(cls.film, 1)
        plan = cls.env["jingpin.sales.plan"].create(
            {
                "company_id": cls.company_a.id,
                "year": 2026,
                "line_ids": [Command.create({"month": "5", "amount": 2 * cls.revenue / 3})],
            }
        )
        plan._jingpin_server().write({"state": "approved"})
        # one film ordered and not received yet
        incoming = cls.env["purchase.order"].create(
            {
                "partner_id": cls.supplier.id,
                "order_line": [Command.create({"product_id": cls.film.product_variant_id.id, "product_qty": 1})],
            }
        )
        incoming.button_confirm()

    @classmethod
    def _move(cls, template, quantity, source, destination, day):
        if source.usage == "internal":
            # sold over the counter: the delivery of its order line (the order dated today, so it
            # adds nothing to the revenue of the three months)
            order = cls.env["sale.order"].create(
                {
                    "partner_id": cls.customer.id,
                    "jingpin_channel": "walk_in",
                    "order_line": [
                        Command.create({"product_id": template.product_variant_id.id, "product_uom_qty": quantity})
                    ],
                }
            )
            order.action_confirm()
            move = order.picking_ids.move_ids
        else:
            picking = cls.env["stock.picking"].create(
                {
                    "picking_type_id": cls.warehouse_a.in_type_id.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                }
            )
            move = cls.env["stock.move"].create(
                {
                    "picking_id": picking.id,
                    "product_id": template.product_variant_id.id,
                    "product_uom_qty": quantity,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                }
            )
            move._action_confirm()
            move._action_assign()
        move.quantity = quantity
        move.picked = True
        move._action_done()
        move.date = datetime.combine(day, datetime.min.time())

    def _suggest(self, day="2026-05-01 02:00"):
        loan = self._loan(lines=[(self.mat, 2)])
        loan.action_lend()
        with freeze_time(day):
            self.env["purchase.order"]._cron_jingpin_group_purchase()
        return self.env["purchase.order"].search([("jingpin_suggestion_month", "=", MAY)])

    def test_quantities_against_the_hand_computed_case(self):
        self.assertAlmostEqual(self.revenue, 5000.0, msg="a mat, a film and a dashcam at their list prices")
        order = self._suggest()
        self.assertEqual(order.company_id, self.company_a, "B has no group supplier: no order")
        self.assertEqual((order.partner_id, order.state, order.user_id), (self.supplier, "draft", self.manager))
        quantities = {line.product_id: line.product_qty for line in order.order_line}
        self.assertEqual(
            quantities,
            {self.mat.product_variant_id: 2, self.film.product_variant_id: 2},
            "mats and film to buy, dashcams enough",
        )
        mat_line = order.order_line.filtered(lambda line: line.product_id == self.mat.product_variant_id)
        self.assertIn("Sold 12.0 in 3 months (4.0 a month) × plan factor 2.00", mat_line.jingpin_velocity_note)
        self.assertIn("available 6.0 (2.0 lent out, not counted), incoming 0", mat_line.jingpin_velocity_note)

    def test_one_per_dealership_and_month(self):
        order = self._suggest()
        with freeze_time("2026-05-02 02:00"):
            self.env["purchase.order"]._cron_jingpin_group_purchase()
            action = self.env["purchase.order"].with_user(self.manager).action_jingpin_suggest_group_purchase()
        self.assertEqual(action["domain"], [("id", "in", order.ids)], "on demand opens the month's order")
        self.assertEqual(self.env["purchase.order"].search_count([("jingpin_suggestion_month", "!=", False)]), 1)
        with self.assertRaises(AccessError, msg="a client cannot make a suggestion"):
            self.env["purchase.order"].with_user(self.manager).create(
                {"partner_id": self.supplier.id, "jingpin_suggestion_month": MAY}
            )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env["purchase.order"]._jingpin_server().create(
                {"partner_id": self.supplier.id, "company_id": self.company_a.id, "jingpin_suggestion_month": MAY}
            )
        with self.assertRaises(UserError, msg="the month's order is not deleted"):
            order.unlink()

    def test_reminder_once_from_the_5th(self):
        order = self._suggest()
        with freeze_time("2026-05-04 02:00"):
            self.env["purchase.order"]._cron_jingpin_group_purchase()
        self.assertFalse(order.activity_ids, "not before the 5th")
        with freeze_time("2026-05-05 02:00"):
            self.env["purchase.order"]._cron_jingpin_group_purchase()
        self.assertEqual(order.activity_ids.user_id, self.manager)
        self.assertTrue(order.jingpin_reminder_sent)
        with freeze_time("2026-05-06 02:00"):
            self.env["purchase.order"]._cron_jingpin_group_purchase()
        self.assertEqual(len(order.activity_ids), 1, "once")

    def test_manager_confirms_specialist_sees_technician_nothing(self):
        order = self._suggest()
        as_specialist = order.with_user(self.specialist)
        self.assertEqual(as_specialist.order_line.product_id, order.order_line.product_id, "the specialist sees it")
        with self.assertRaises(AccessError):
            as_specialist.button_confirm()
        with self.assertRaises(AccessError):
            as_specialist.order_line[0].product_qty = 50
        with self.assertRaises(AccessError):
            as_specialist.write({"order_line": [Command.clear()]})
        with self.assertRaises(AccessError):
            self.env["purchase.order"].with_user(self.specialist).action_jingpin_suggest_group_purchase()
        order.invalidate_recordset()
        self.assertEqual((order.state, sorted(order.order_line.mapped("product_qty"))), ("draft", [2, 2]))
        with self.assertRaises(AccessError):
            self.env["purchase.order"].with_user(self.technician).search([])
        self.assertFalse(
            self.env["purchase.order"].with_user(self.specialist_b).search([("id", "=", order.id)]),
            "another dealership's order is not read",
        )

        order.with_user(self.manager).order_line[0].product_qty = 3
        order.with_user(self.manager).button_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertEqual(order.picking_ids.picking_type_id.warehouse_id, self.warehouse_a)
        with freeze_time("2026-05-05 02:00"):
            self.env["purchase.order"]._cron_jingpin_group_purchase()
        self.assertFalse(order.activity_ids, "a confirmed order needs no reminder")

    def test_manager_changes_only_quantities_and_notes_of_the_draft(self):
        order = self._suggest()
        as_manager = order.with_user(self.manager)
        line = as_manager.order_line[0]
        before = line.read(["price_unit", "discount", "product_uom_id", "tax_ids"])[0]
        tax = self.env["account.tax"].create({"name": "Purchase 0%", "amount": 0.0, "type_tax_use": "purchase"})
        usd = (
            self.env.ref("base.USD")
            if self.company_a.currency_id != self.env.ref("base.USD")
            else self.env.ref("base.EUR")
        )
        for vals in (
            {"price_unit": 1.0},
            {"discount": 50.0},
            {"product_uom_id": self.env.ref("uom.product_uom_dozen").id},
            {"tax_ids": [Command.set(tax.ids)]},
            {"jingpin_velocity_note": "made up"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                line.write(vals)
            with self.subTest(vals=vals, door="order"), self.assertRaises(AccessError):
                as_manager.write({"order_line": [Command.update(line.id, vals)]})
        for vals in (
            {"currency_id": usd.id},
            {"picking_type_id": self.warehouse_b.in_type_id.id},
            {"company_id": self.company_b.id},
            {"partner_id": self.customer.id},
            {"state": "purchase"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                as_manager.write(vals)
        with self.assertRaises(AccessError):
            order.sudo().write({"state": "purchase"})
        # a new line takes Odoo's price: one sent with another price is refused
        with self.assertRaises(AccessError):
            as_manager.write(
                {
                    "order_line": [
                        Command.create(
                            {"product_id": self.dashcam.product_variant_id.id, "product_qty": 1, "price_unit": 1.0}
                        )
                    ]
                }
            )
        order.invalidate_recordset()
        self.assertRecordValues(
            order, [{"state": "draft", "company_id": self.company_a.id, "partner_id": self.supplier.id}]
        )
        self.assertEqual(line.read(list(before))[0], before)
        self.assertEqual(len(order.order_line), 2)
        # what the manager reviews
        line.product_qty = 5
        as_manager.write({"note": "<p>Deliver before the 15th</p>"})
        as_manager.write(
            {"order_line": [Command.create({"product_id": self.dashcam.product_variant_id.id, "product_qty": 1})]}
        )
        added = order.order_line[-1:]
        price = added.price_unit
        as_manager.write(
            {
                "order_line": [
                    Command.create(
                        {"product_id": self.dashcam.product_variant_id.id, "product_qty": 1, "price_unit": price}
                    )
                ]
            }
        )
        self.assertEqual(len(order.order_line), 4)
        with self.assertRaises(AccessError):
            order.order_line[-1:].with_user(self.specialist).unlink()
        as_manager.order_line[-1:].unlink()
        self.assertEqual(len(order.order_line), 3)
        # confirmed: nothing of it changes, not even by the manager
        as_manager.button_confirm()
        self.assertEqual(order.state, "purchase")
        for call in (
            lambda: setattr(line, "product_qty", 6),
            lambda: as_manager.write({"note": "<p>changed</p>"}),
            lambda: as_manager.write({"order_line": [Command.create({"product_id": self.film.product_variant_id.id})]}),
        ):
            with self.assertRaises(UserError):
                call()
        self.assertEqual(line.product_qty, 5)
        # Odoo's own flows go on: the receipt, the lock
        picking = order.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.with_user(self.manager).button_validate()
        as_manager.button_lock()
        self.assertTrue(order.locked)
        self.assertGreater(line.qty_received, 0)

    def test_on_demand_needs_the_group_supplier(self):
        self.company_a.jingpin_group_supplier_id = False
        action = self.env["purchase.order"].with_user(self.manager).action_jingpin_suggest_group_purchase()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("Group Supplier", action["params"]["message"])
        self.assertFalse(self.env["purchase.order"].search([("jingpin_suggestion_month", "!=", False)]))


@tagged("post_install", "-at_install")
class TestSlowMoverPromotion(JingpinInventoryCommon):
    """R28, B10: slow movers of the ageing report proposed for a promotion."""

    def test_propose_slow_movers(self):
        self._handed_over(products=self.mat, deliver=True)
        Report = self.env["jingpin.stock.ageing.report"]
        rows = Report.search([("company_id", "=", self.company_a.id)])
        self.assertFalse(rows.filtered("is_slow_mover"), "all of it came in today: nothing is slow yet")
        with self.assertRaisesRegex(UserError, "nothing to propose"):
            rows.with_user(self.manager).action_propose_promotion()
        self.assertFalse(self.env["jingpin.promotion"].search([("name", "like", "Slow movers")]))
        self._backdate_receipts(120)
        rows = Report.search([("company_id", "=", self.company_a.id)])
        slow = rows.filtered("is_slow_mover")
        self.assertEqual(slow.product_id, (self.film | self.dashcam).product_variant_id)
        with self.assertRaises(AccessError):
            rows.with_user(self.specialist).action_propose_promotion()
        with self.assertRaisesRegex(UserError, "nothing to propose"):
            (rows - slow).with_user(self.manager).action_propose_promotion()
        action = rows.with_user(self.manager).action_propose_promotion()
        promotion = self.env["jingpin.promotion"].browse(action["res_id"])
        self.assertEqual((promotion.state, promotion.company_id), ("draft", self.company_a))
        self.assertEqual(promotion.date_from, fields.Date.today())
        self.assertEqual(
            {line.product_tmpl_id: line.promotion_price for line in promotion.line_ids},
            {self.film: 2400.0, self.dashcam: 960.0},
            "slow movers only, 20% off",
        )
        self.assertIn("Window Film: 20.0 in stock", promotion.customer_segment)
        both = Report.sudo().search([("is_slow_mover", "=", True)])
        self.assertEqual(both.company_id, self.company_a | self.company_b)
        with self.assertRaisesRegex(UserError, "one dealership"):
            both.action_propose_promotion()
