from odoo import fields, models


class JingpinApprovalWizard(models.TransientModel):
    _name = "jingpin.approval.wizard"
    _description = "Decide on an Order's Concessions"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    concession_amount = fields.Monetary(related="order_id.jingpin_concession_amount")
    concession_percent = fields.Float(related="order_id.jingpin_concession_percent")
    gift_amount = fields.Monetary(related="order_id.jingpin_gift_amount")
    rebate_amount = fields.Monetary(related="order_id.rebate_amount")
    excess_amount = fields.Monetary(related="order_id.jingpin_excess_amount")
    approval_state = fields.Selection(related="order_id.jingpin_approval_state")
    comment = fields.Text()

    def action_approve(self):
        self.ensure_one()
        self.order_id._jingpin_decide(True, self.comment)
        return {"type": "ir.actions.act_window_close"}

    def action_reject(self):
        self.ensure_one()
        self.order_id._jingpin_decide(False, self.comment)
        return {"type": "ir.actions.act_window_close"}
