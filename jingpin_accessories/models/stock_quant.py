from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import AccessError

from .stock_move import COUNT_APPLIED

MANAGER_GROUP = "jingpin_accessories.group_jingpin_manager"
# Marks the quants that Odoo's own stock moves update (``_update_available_quantity``): an object
# compared by identity, which no client context can carry.
MOVED = object()
# Where a quant's quantity is: changing them moves it.
PLACE_FIELDS = frozenset({"product_id", "location_id", "lot_id", "package_id", "owner_id", "company_id"})


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

    @api.model_create_multi
    def create(self, vals_list):
        if not self._jingpin_moved():
            self._check_quantity_through_moves(
                self.env["product.product"].browse(vals["product_id"] for vals in vals_list if "quantity" in vals)
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self._jingpin_moved():
            if "quantity" in vals:
                self._check_quantity_through_moves(self.product_id)
            elif vals.keys() & PLACE_FIELDS:
                # a quant carried elsewhere moves its quantity without a move (empty ones may go)
                self._check_quantity_through_moves(
                    self.filtered(lambda quant: not quant.product_uom_id.is_zero(quant.quantity)).product_id
                )
        return super().write(vals)

    def _jingpin_moved(self):
        return self.env.context.get("jingpin_quant_moved") is MOVED

    def _check_quantity_through_moves(self, products):
        """The quantity of an accessory changes only through its stock moves, which check what
        authorizes them; a count is entered as the counted quantity and applied by the manager."""
        accessories = products.filtered("is_accessory")
        if accessories:
            raise AccessError(
                self.env._(
                    "The quantity on hand of %s changes only through stock moves: deliver, return or "
                    "transfer it, or count it in a stocktake that the accessories manager applies.",
                    ", ".join(accessories.mapped("display_name")),
                )
            )

    @api.model
    def _update_available_quantity(self, product_id, location_id, quantity=False, reserved_quantity=False, **kwargs):
        """Where a stock move changes the quants: the only writer of an accessory's quantity."""
        return super(StockQuant, self.with_context(jingpin_quant_moved=MOVED))._update_available_quantity(
            product_id, location_id, quantity=quantity, reserved_quantity=reserved_quantity, **kwargs
        )

    def _apply_inventory(self, date=None):
        """Every door that applies a count (the list's button, its wizard, a product's “update
        quantity”, a quant created with its quantity to apply, Odoo's own sudo() paths) ends here:
        the accessories manager confirms counted accessories. Its moves are the only ones that take
        an accessory to or from inventory loss without a scrap."""
        counted = self.filtered(lambda quant: quant.product_id.is_accessory and quant.location_id.usage == "internal")
        if counted and self.env.uid != SUPERUSER_ID and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only the accessories manager applies a count of accessories (%s): he confirms the stocktake.",
                    ", ".join(counted.product_id.mapped("display_name")),
                )
            )
        return super(StockQuant, self.with_context(jingpin_count=COUNT_APPLIED))._apply_inventory(date)
