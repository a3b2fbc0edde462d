from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _jingpin_unit_price_in(self, uom):
        """This line's unit price after discount, for a unit of ``uom``."""
        self.ensure_one()
        price = self.price_unit * (1 - self.discount / 100)
        if self.product_uom_id and uom and self.product_uom_id != uom:
            price = self.product_uom_id._compute_price(price, uom)
        return price
