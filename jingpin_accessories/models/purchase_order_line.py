from odoo import api, fields, models

# All a client may change on a line of the month's group purchase order (as its accessories manager,
# while it is a draft, see purchase.order._jingpin_check_draft_change): its quantity, description and
# arrival date; a line he adds names its accessory too. Prices, discounts, units, taxes and the
# rest are Odoo's, from the group supplier's prices.
DRAFT_FIELDS = frozenset({"product_qty", "product_uom_qty", "name", "date_planned", "sequence"})
NEW_LINE_FIELDS = DRAFT_FIELDS | {"product_id", "order_id", "display_type"}


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

    @api.model_create_multi
    def create(self, vals_list):
        """A line a client adds to the suggestion takes Odoo's values of everything but
        :data:`NEW_LINE_FIELDS`: the web client sends them all, so they are accepted as long as they
        are the values Odoo gives the line."""
        Order = self.env["purchase.order"]
        defaults = {key.removeprefix("default_") for key in self.env.context if key.startswith("default_")}
        checked = {}
        for index, vals in enumerate(vals_list):
            order = Order.browse(vals.get("order_id") or self.env.context.get("default_order_id"))
            suggestion = order.filtered("jingpin_suggestion_month")
            suggestion._jingpin_check_draft_change(defaults & self._fields.keys(), NEW_LINE_FIELDS, self)
            if suggestion and not (self._jingpin_is_server() or self._jingpin_in_action() or self.env.su):
                checked[index] = {name: value for name, value in vals.items() if name not in NEW_LINE_FIELDS}
                vals_list[index] = {name: value for name, value in vals.items() if name in NEW_LINE_FIELDS}
        lines = super().create(vals_list)
        for index, sent in checked.items():
            line = lines[index]
            differing = {
                name
                for name, value in sent.items()
                if name not in line._fields
                or line._fields[name].convert_to_record(line._fields[name].convert_to_cache(value, line), line)
                != line[name]
            }
            line.order_id._jingpin_check_draft_change(differing, NEW_LINE_FIELDS, line)
        return lines

    def write(self, vals):
        suggestions = self.order_id.filtered("jingpin_suggestion_month")
        suggestions._jingpin_check_draft_change(vals.keys(), DRAFT_FIELDS, self)
        if "order_id" in vals:
            self.env["purchase.order"].browse(vals["order_id"]).filtered(
                "jingpin_suggestion_month"
            )._jingpin_check_draft_change({"order_line"}, {"order_line"})
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_as_suggestion_manager(self):
        self.order_id.filtered("jingpin_suggestion_month")._jingpin_check_draft_change({"order_line"}, {"order_line"})
