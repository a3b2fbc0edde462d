from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    jingpin_manager_limit_amount = fields.Monetary(
        related="company_id.jingpin_manager_limit_amount", readonly=False,
    )
    jingpin_manager_limit_percent = fields.Float(related="company_id.jingpin_manager_limit_percent", readonly=False)
    jingpin_manager_id = fields.Many2one(related="company_id.jingpin_manager_id", readonly=False)
    jingpin_gm_id = fields.Many2one(related="company_id.jingpin_gm_id", readonly=False)
