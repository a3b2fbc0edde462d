from odoo import fields, models

from ..models.jingpin_followup import SATISFACTION


class JingpinFollowupResultWizard(models.TransientModel):
    _name = "jingpin.followup.result.wizard"
    _description = "Follow-up Result"

    followup_id = fields.Many2one("jingpin.followup", string="Follow-up", required=True, readonly=True)
    partner_id = fields.Many2one(related="followup_id.partner_id")
    reached = fields.Boolean(string="Customer Reached", default=True)
    satisfaction = fields.Selection(SATISFACTION)
    comments = fields.Text(help="The customer's opinions and needs: they go to the manager as feedback.")
    problems = fields.Text(string="Problems Raised", help="Problems the customer raised: they go to the manager.")
    tag_ids = fields.Many2many("jingpin.feedback.tag", string="Feedback Tags")

    def action_confirm(self):
        self.ensure_one()
        self.followup_id.action_record_result(
            self.reached,
            satisfaction=self.satisfaction,
            comments=self.comments,
            problems=self.problems,
            tag_ids=self.tag_ids.ids,
        )
        return {"type": "ir.actions.act_window_close"}
