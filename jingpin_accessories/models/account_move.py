from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        # Settlement (结算) of accessory orders is the posting of their customer invoice.
        for move in self.filtered(lambda m: m.move_type == "out_invoice"):
            sale_lines = move.invoice_line_ids.sale_line_ids
            sale_lines.order_id._jingpin_check_settlement(sale_lines)
        return super()._post(soft=soft)
