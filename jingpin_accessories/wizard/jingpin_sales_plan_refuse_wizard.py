from odoo import fields, models


class JingpinSalesPlanRefuseWizard(models.TransientModel):
    _name = "jingpin.sales.plan.refuse.wizard"
    _description = "Refuse a Sales Plan"

    plan_ids = fields.Many2many("jingpin.sales.plan", string="Sales Plans", required=True, readonly=True)
    reason = fields.Text(required=True, help="Posted on the plan for the manager who submitted it.")

    def action_refuse(self):
        self.ensure_one()
        self.plan_ids.action_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
