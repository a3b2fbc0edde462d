from odoo import api, fields, models


class JingpinComplaintAssignWizard(models.TransientModel):
    _name = "jingpin.complaint.assign.wizard"
    _description = "Hand a Complaint to Another Owner"

    complaint_id = fields.Many2one("jingpin.complaint", string="Complaint", required=True, readonly=True)
    company_id = fields.Many2one(related="complaint_id.company_id")
    allowed_user_ids = fields.Many2many("res.users", compute="_compute_allowed_user_ids")
    user_id = fields.Many2one(
        "res.users",
        string="New Owner",
        required=True,
        domain="[('id', 'in', allowed_user_ids)]",
    )

    @api.depends("complaint_id")
    def _compute_allowed_user_ids(self):
        for wizard in self:
            wizard.allowed_user_ids = wizard.complaint_id and wizard.complaint_id._assignable_users()

    def action_confirm(self):
        self.ensure_one()
        self.complaint_id.action_assign(self.user_id.id)
        return {"type": "ir.actions.act_window_close"}
