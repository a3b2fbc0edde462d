from datetime import date

from odoo import Command
from odoo.tests import HttpCase, tagged

from .test_inventory_control import JingpinInventoryCommon


@tagged("post_install", "-at_install")
class TestInventoryTour(HttpCase, JingpinInventoryCommon):
    """In the web client: the specialist clears the day's reconciliation issue and lends and gets
    back accessories; the manager applies the quarter's count and confirms the month's purchase order
    to the group. Odoo's valuation agrees with the stock after each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashcam_variant = cls.dashcam.product_variant_id
        # a dashcam in the loan location, lent to nobody: the reconciliation's mismatch
        loaned = cls.company_a._jingpin_loan_location()
        cls.env["stock.quant"].with_context(inventory_mode=True).create(
            {"product_id": cls.dashcam_variant.id, "location_id": loaned.id, "inventory_quantity": 1}
        ).action_apply_inventory()
        # the quarter's count: 18 dashcams found on the shelf where 20 are in the books
        cls.counted = cls.env["stock.quant"].search(
            [("product_id", "=", cls.dashcam_variant.id), ("location_id", "=", cls.warehouse_a.lot_stock_id.id)]
        )
        cls.counted.with_user(cls.specialist).write({"inventory_quantity": 18})
        cls.company_a.jingpin_group_supplier_id = cls.env["res.partner"].create({"name": "Dealer Group Purchasing"})
        cls.order = cls.env["purchase.order"]._jingpin_suggest(cls.company_a, date.today().replace(day=1))
        cls.order.with_user(cls.manager).write(
            {"order_line": [Command.create({"product_id": cls.dashcam_variant.id, "product_qty": 2})]}
        )

    def assertValuationAgrees(self, dashcams):
        """The dashcams of dealership A, in every internal location: Odoo's value of the product, the
        value of its quants and the count at cost agree."""
        product = self.dashcam_variant.with_company(self.company_a)
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("product_id", "=", product.id),
                    ("company_id", "=", self.company_a.id),
                    ("location_id.usage", "=", "internal"),
                ]
            )
        )
        self.assertEqual(sum(quants.mapped("quantity")), dashcams)
        self.assertEqual(product.qty_available, dashcams)
        self.assertAlmostEqual(product.total_value, dashcams * 600.0)
        self.assertAlmostEqual(sum(quants.mapped("value")), product.total_value)

    def test_inventory_in_the_web_client(self):
        self.assertValuationAgrees(21)
        self.start_tour("/odoo/accessory-reconciliation", "jingpin_reconciliation_tour", login="jp_spec")
        issue = self.env["jingpin.reconciliation.issue"].search([("kind", "=", "loan_stock")])
        self.assertEqual((issue.state, issue.resolved_by_id), ("resolved", self.specialist))

        loan = self._loan(lines=[(self.dashcam, 2)])
        self.start_tour(f"/odoo/accessory-loans/{loan.id}", "jingpin_loan_tour", login="jp_spec")
        self.assertEqual(loan.state, "returned")
        self.assertValuationAgrees(21)

        self.start_tour("/odoo/accessory-stocktake", "jingpin_stocktake_tour", login="jp_mgr")
        self.assertEqual(self.counted.quantity, 18)
        self.assertValuationAgrees(19)

        self.start_tour(
            f"/odoo/accessory-group-purchase/{self.order.id}", "jingpin_group_purchase_tour", login="jp_mgr"
        )
        self.assertEqual(self.order.state, "purchase")
        self.assertEqual(self.order.picking_ids.move_ids.product_uom_qty, 2)
        self.assertValuationAgrees(19)
