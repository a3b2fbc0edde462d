from odoo import fields, models


class JingpinPromotionRefuseWizard(models.TransientModel):
    _name = "jingpin.promotion.refuse.wizard"
    _description = "Refuse a Promotion Plan"

    promotion_ids = fields.Many2many("jingpin.promotion", string="Promotions", required=True, readonly=True)
    reason = fields.Text(required=True, help="Posted on the promotion for the manager who drafted it.")

    def action_refuse(self):
        self.ensure_one()
        self.promotion_ids.action_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
