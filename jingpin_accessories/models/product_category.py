from odoo import api, fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    is_accessory_category = fields.Boolean(
        string="Accessory Category",
        compute="_compute_is_accessory_category",
        store=True,
        readonly=False,
        recursive=True,
        precompute=True,
        index=True,
        help="Categories of the accessory catalogue. A sub-category of an accessory "
        "category is an accessory category too.",
    )

    @api.depends("parent_id.is_accessory_category")
    def _compute_is_accessory_category(self):
        for category in self:
            if category.parent_id.is_accessory_category:
                category.is_accessory_category = True
