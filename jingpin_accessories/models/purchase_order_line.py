from odoo import fields, models

# What a client may not change on a line of the month's group purchase order unless he is the
# accessories manager.
REVIEWED_FIELDS = frozenset({"product_id", "product_qty", "product_uom_qty", "price_unit", "order_id"})


class PurchaseOrderLine(models.Model):
    _name = "purchase.order.line"
    _inherit = ["purchase.order.line", "jingpin.guard"]

    jingpin_velocity_note = fields.Char(
        string="Why This Quantity",
        readonly=True,
        copy=False,
        help="How the suggested quantity was computed: sales of the last months, plan, stock, loans and "
        "incoming orders.",
    )

    def write(self, vals):
        if REVIEWED_FIELDS & vals.keys() and not self._jingpin_is_server():
            self.order_id.filtered("jingpin_suggestion_month")._jingpin_check_manager()
        return super().write(vals)
