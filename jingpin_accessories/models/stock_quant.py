from odoo import api, models
from odoo.exceptions import AccessError

MANAGER_GROUP = "jingpin_accessories.group_jingpin_manager"


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model
    def action_jingpin_stocktake(self):
        """The stocktake (盘点, R31): Odoo's physical inventory of the accessories, counted in place,
        printed as Odoo's count sheet and applied by the accessories manager."""
        action = self.action_view_inventory()
        action["name"] = self.env._("Stocktake")
        action["domain"] = [*action["domain"], ("product_id.is_accessory", "=", True)]
        action["context"] = {**action["context"], "search_default_my_count": False}
        return action

    def _apply_inventory(self, date=None):
        """Every door that applies a count (the list's button, its wizard, a product's “update
        quantity”) ends here: the accessories manager confirms counted accessories."""
        counted = self.filtered(lambda quant: quant.product_id.is_accessory and quant.location_id.usage == "internal")
        if counted and not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only the accessories manager applies a count of accessories (%s): he confirms the stocktake.",
                    ", ".join(counted.product_id.mapped("display_name")),
                )
            )
        return super()._apply_inventory(date)
