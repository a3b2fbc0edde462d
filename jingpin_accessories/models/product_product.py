from odoo import models

from .product_template import COST_FIELDS


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _has_field_access(self, field, operation):
        if field.name in COST_FIELDS and not self.env.su and self.env.user._is_jingpin_technician_only():
            return False
        return super()._has_field_access(field, operation)
