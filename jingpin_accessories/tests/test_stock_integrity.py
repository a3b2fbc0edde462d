from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import JingpinWorkOrderCommon


@tagged("post_install", "-at_install")
class TestStockIntegrity(JingpinWorkOrderCommon):
    """Stock leaves only for the work it is meant for (R15, R33)."""

    def _issue(self, work_order, quantities):
        """A transfer issuing, against ``work_order``, each {accessory: quantity} of ``quantities``,
        picked and ready to validate."""
        picking = (
            self.env["stock.picking"]
            .with_user(self.specialist)
            .create(
                {
                    "picking_type_id": self.warehouse_a.out_type_id.id,
                    "partner_id": self.customer.id,
                    "work_order_id": work_order.id,
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": product.product_variant_id.id,
                                "product_uom_qty": quantity,
                                "location_id": self.warehouse_a.lot_stock_id.id,
                                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                            }
                        )
                        for product, quantity in quantities.items()
                    ],
                }
            )
        )
        picking.action_confirm()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        return picking

    def test_only_the_work_orders_items_leave_for_it(self):
        _order, dashcam_work = self._confirmed_order(self.dashcam)
        on_hand = self.mat.product_variant_id.qty_available
        picking = self._issue(dashcam_work, {self.mat: 5})
        with self.assertRaisesRegex(UserError, "not an item of work order"):
            picking.with_user(self.specialist).button_validate()
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(self.mat.product_variant_id.qty_available, on_hand)

    def test_no_more_than_the_work_orders_quantity(self):
        _order, work_order = self._confirmed_order(self.dashcam)
        picking = self._issue(work_order, {self.dashcam: 3})
        with self.assertRaisesRegex(UserError, "cannot leave the stock"):
            picking.with_user(self.specialist).button_validate()
        self.assertNotEqual(picking.state, "done")

    def test_issue_checks_cost_the_same_queries_for_2_or_20_moves(self):
        """The checks of a work order's transfer read what it issued before in one go, not per move:
        a second transfer of its 2 or 20 accessories costs the same queries to refuse."""
        accessories = self.env["product.template"].create(
            [self._accessory_vals(f"Accessory {index}", self.categ_mats, 100.0, 40.0, 10) for index in range(20)]
        )
        self._receive_stock(accessories, 5)
        for count in (2, 20):
            _order, work_order = self._confirmed_order(accessories[:count])
            # the last accessory was issued: the check must look through every move to find it
            first = self._issue(work_order, {accessories[count - 1]: 1})
            first.with_user(self.specialist).button_validate()
            self.assertEqual(first.state, "done")
            second = self._issue(work_order, dict.fromkeys(accessories[:count], 1))
            moves = self.env["stock.move"].with_user(self.specialist).browse(second.move_ids.ids)
            self._check_overissue(moves)  # warms the caches that creating records cleared
            self.env.invalidate_all()
            with self.assertQueryCount(__system__=19):
                self._check_overissue(moves)
            self.assertEqual(len(moves), count)

    def _check_overissue(self, moves):
        with self.assertRaisesRegex(UserError, "1.0 were already issued"):
            moves._check_issue_against_work_order()
            moves._check_issue_matches_work_order()

    def _scrap(self, user, reasons=()):
        return (
            self.env["stock.scrap"]
            .with_user(user)
            .create(
                {
                    "product_id": self.film.product_variant_id.id,
                    "scrap_qty": 1,
                    "location_id": self.warehouse_a.lot_stock_id.id,
                    "scrap_reason_tag_ids": [Command.set([reason.id for reason in reasons])],
                }
            )
        )

    def test_scrapping_an_accessory_takes_the_manager_and_a_reason(self):
        on_hand = self.film.product_variant_id.qty_available
        with self.assertRaises(AccessError):
            self._scrap(self.specialist).do_scrap()
        with self.assertRaisesRegex(UserError, "reason"):
            self._scrap(self.manager).do_scrap()
        self.assertEqual(self.film.product_variant_id.qty_available, on_hand)
        reason = self.env["stock.scrap.reason.tag"].create({"name": "Damaged in transport"})
        self._scrap(self.manager, reason).do_scrap()
        self.assertEqual(self.film.product_variant_id.qty_available, on_hand - 1)
