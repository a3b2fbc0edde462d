from odoo import api, models
from odoo.exceptions import UserError

# What a done move line's write changes in the stock (Odoo moves the quants again).
STOCK_FIELDS = ("quantity", "location_id", "location_dest_id", "lot_id", "package_id", "result_package_id", "owner_id")


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.filtered(lambda line: line.state == "done")._check_done_accessory_unchanged()
        return lines

    def write(self, vals):
        changed = self.filtered(
            lambda line: line.state == "done"
            and any(
                name in vals
                and (line._fields[name].convert_to_write(line[name], line) or False) != (vals[name] or False)
                for name in STOCK_FIELDS
            )
        )
        changed._check_done_accessory_unchanged()
        return super().write(vals)

    def _check_done_accessory_unchanged(self):
        """A done move of an accessory is history: it is covered by its document as it was done
        (stock.move._action_done). Editing it afterwards would move the stock again without one."""
        accessories = self.filtered(lambda line: line.product_id.is_accessory and line.product_id.is_storable)
        if accessories:
            raise UserError(
                self.env._(
                    "%s moved already: a done move of an accessory is not edited. Return what came "
                    "or went wrongly with a new transfer, or correct the stock with a stocktake.",
                    ", ".join(accessories.product_id.mapped("display_name")),
                )
            )
