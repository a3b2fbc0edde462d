from odoo import Command
from odoo.tests import tagged

from .common import JingpinCommon


@tagged("post_install", "-at_install")
class TestPackageSale(JingpinCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._receive_stock(cls.mat | cls.film | cls.dashcam, 10)

    def _sell_package(self, quantity=1, user=None):
        order = (
            self.env["sale.order"]
            .with_user(user or self.specialist)
            .create(
                {
                    "partner_id": self.customer.id,
                    "jingpin_channel": "after_sales",
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.package.product_variant_id.id,
                                "product_uom_qty": quantity,
                            }
                        )
                    ],
                }
            )
        )
        return order

    def test_package_price_is_spread_over_its_accessories(self):
        order = self._sell_package()
        package_line = order.order_line.filtered(lambda line: line.product_template_id == self.package)
        component_lines = order.order_line - package_line
        self.assertEqual(component_lines.product_template_id, self.mat | self.film | self.dashcam)
        self.assertEqual(component_lines.linked_line_id, package_line)
        self.assertEqual(package_line.price_subtotal, 0.0, "Odoo keeps the combo line itself at zero")
        self.assertAlmostEqual(sum(component_lines.mapped("price_subtotal")), 4000.0)
        self.assertAlmostEqual(order.amount_untaxed, 4000.0)
        # Prorated on list prices 800 : 3000 : 1200 of 5000
        by_product = {line.product_template_id: line.price_unit for line in component_lines}
        self.assertAlmostEqual(by_product[self.mat], 640.0)
        self.assertAlmostEqual(by_product[self.film], 2400.0)
        self.assertAlmostEqual(by_product[self.dashcam], 960.0)

    def test_components_follow_package_quantity(self):
        order = self._sell_package(quantity=2)
        components = order.order_line.filtered("combo_item_id")
        self.assertEqual(set(components.mapped("product_uom_qty")), {2.0})
        self.assertAlmostEqual(order.amount_untaxed, 8000.0)

    def test_web_client_configurator_lines_are_not_doubled(self):
        """The web client's combo configurator sends the chosen options with the package line,
        linked through virtual ids and priced by the form: they are kept and nothing is added."""
        items = self.package.combo_ids.combo_item_ids
        prices = {self.mat: 640.0, self.film: 2400.0, self.dashcam: 960.0}
        order = (
            self.env["sale.order"]
            .with_user(self.specialist)
            .create(
                {
                    "partner_id": self.customer.id,
                    "jingpin_channel": "after_sales",
                    "order_line": [
                        Command.create({"product_id": self.package.product_variant_id.id, "virtual_id": "pkg"}),
                        *(
                            Command.create(
                                {
                                    "product_id": item.product_id.id,
                                    "combo_item_id": item.id,
                                    "linked_virtual_id": "pkg",
                                    "price_unit": prices[item.product_id.product_tmpl_id],
                                }
                            )
                            for item in items
                        ),
                    ],
                }
            )
        )
        self.assertEqual(order.order_line.filtered("combo_item_id").combo_item_id, items)
        self.assertEqual(len(order.order_line), 4)
        self.assertAlmostEqual(order.amount_untaxed, 4000.0)

    def test_package_is_delivered_from_stock_with_valuation(self):
        order = self._sell_package()
        order.action_confirm()
        picking = order.picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.move_ids.product_id, (self.mat | self.film | self.dashcam).product_variant_id)
        picking.move_ids.quantity = 1
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        moves = picking.move_ids
        self.assertTrue(all(move.is_out for move in moves))
        values = {move.product_id.product_tmpl_id: move.value for move in moves}
        self.assertAlmostEqual(values[self.mat], 400.0)
        self.assertAlmostEqual(values[self.film], 1200.0)
        self.assertAlmostEqual(values[self.dashcam], 600.0)
        self.assertEqual(self.film.qty_available, 9)
        self.assertAlmostEqual(self.film.product_variant_id.total_value, 9 * 1200.0)
        # Revenue per accessory and per category is visible in Odoo's own sales analysis
        self.env.flush_all()
        revenue = dict(
            self.env["sale.report"]._read_group(
                [("order_reference", "=", f"sale.order,{order.id}")],
                ["categ_id"],
                ["price_subtotal:sum"],
            )
        )
        self.assertAlmostEqual(revenue[self.categ_film], 2400.0)
        self.assertAlmostEqual(revenue[self.categ_mats], 640.0)
