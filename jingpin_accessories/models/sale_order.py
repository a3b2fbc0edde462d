from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    vehicle_id = fields.Many2one(
        "jingpin.vehicle", string="Vehicle", index="btree_not_null", check_company=True, tracking=True,
        domain="[('partner_id', 'in', [False, partner_id])]",
        help="The customer's car the accessories are for.",
    )
    vehicle_model_id = fields.Many2one(related="vehicle_id.model_id", string="Vehicle Model")
