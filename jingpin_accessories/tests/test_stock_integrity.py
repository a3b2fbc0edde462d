from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import JingpinWorkOrderCommon


@tagged("post_install", "-at_install")
class TestStockIntegrity(JingpinWorkOrderCommon):
    """Stock leaves only for the work it is meant for (R15, R33)."""

    def _issue(self, work_order, product, quantity):
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
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.move_ids.quantity = quantity
        picking.move_ids.picked = True
        return picking

    def test_only_the_work_orders_items_leave_for_it(self):
        _order, dashcam_work = self._confirmed_order(self.dashcam)
        on_hand = self.mat.product_variant_id.qty_available
        picking = self._issue(dashcam_work, self.mat, 5)
        with self.assertRaisesRegex(UserError, "not an item of work order"):
            picking.with_user(self.specialist).button_validate()
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(self.mat.product_variant_id.qty_available, on_hand)

    def test_no_more_than_the_work_orders_quantity(self):
        _order, work_order = self._confirmed_order(self.dashcam)
        picking = self._issue(work_order, self.dashcam, 3)
        with self.assertRaisesRegex(UserError, "cannot leave the stock"):
            picking.with_user(self.specialist).button_validate()
        self.assertNotEqual(picking.state, "done")

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
