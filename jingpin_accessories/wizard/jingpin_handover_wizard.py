from odoo import api, fields, models


class JingpinHandoverWizard(models.TransientModel):
    _name = "jingpin.handover.wizard"
    _description = "Handover to the Customer"

    task_id = fields.Many2one("project.task", string="Work Order", required=True, readonly=True)
    vehicle_id = fields.Many2one(related="task_id.vehicle_id")
    work_item_ids = fields.One2many(related="task_id.work_item_ids")
    signer_name = fields.Char(
        string="Customer Name",
        compute="_compute_signer_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    signature = fields.Binary(string="Customer Signature", required=True)

    @api.depends("task_id")
    def _compute_signer_name(self):
        for wizard in self:
            wizard.signer_name = wizard.task_id.partner_id.name

    def action_confirm(self):
        self.ensure_one()
        self.task_id._handover(self.signer_name, self.signature)
        return {"type": "ir.actions.act_window_close"}
