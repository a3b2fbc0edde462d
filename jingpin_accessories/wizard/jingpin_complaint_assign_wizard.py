from odoo import fields, models


class JingpinComplaintAssignWizard(models.TransientModel):
    _name = "jingpin.complaint.assign.wizard"
    _description = "Hand a Complaint to Another Owner"

    complaint_id = fields.Many2one("jingpin.complaint", string="Complaint", required=True, readonly=True)
    company_id = fields.Many2one(related="complaint_id.company_id")
    user_id = fields.Many2one(
        "res.users",
        string="New Owner",
        required=True,
        domain=lambda self: [
            ("all_group_ids", "in", self.env.ref("jingpin_accessories.group_jingpin_specialist").ids),
            ("share", "=", False),
        ],
    )

    def action_confirm(self):
        self.ensure_one()
        self.complaint_id.action_assign(self.user_id.id)
        return {"type": "ir.actions.act_window_close"}
