from odoo import fields, models


class ProductPricelistItem(models.Model):
    _inherit = "product.pricelist.item"

    jingpin_promotion_id = fields.Many2one(
        "jingpin.promotion",
        string="Promotion",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
        help="The approved promotion plan this price comes from.",
    )
