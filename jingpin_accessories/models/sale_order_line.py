from odoo import api, models


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "jingpin.price.guard"]

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._expand_accessory_packages()
        return lines

    def _expand_accessory_packages(self):
        """Add the component lines of accessory packages entered without them.

        The web client's combo configurator sends the chosen components with the package line.
        An order entered through the API (or an import) names only the package: each of its
        combo choices then takes its first option, so the package always reaches the order with
        its components, whose prices Odoo spreads from the package price.
        """
        packages = self.filtered(
            lambda line: line.product_template_id.is_accessory_package
            and not line.linked_line_ids.filtered("combo_item_id")
        )
        if not packages:
            return
        self.create([
            {
                "order_id": line.order_id.id,
                "product_id": combo.combo_item_ids[:1].product_id.id,
                "combo_item_id": combo.combo_item_ids[:1].id,
                "product_uom_qty": line.product_uom_qty,
                "discount": line.discount,
                "linked_line_id": line.id,
                "sequence": line.sequence + index,
            }
            for line in packages
            for index, combo in enumerate(line.product_template_id.sudo().combo_ids, start=1)
        ])
