from odoo import fields, models
from odoo.exceptions import UserError


class JingpinApprovalRefuseWizard(models.TransientModel):
    """Asks the approver why he refuses a submitted document (any ``jingpin.approval.mixin``)."""

    _name = "jingpin.approval.refuse.wizard"
    _description = "Refuse a Submitted Document"

    res_model = fields.Char(string="Document Model", required=True, readonly=True)
    res_ids = fields.Json(string="Documents", required=True, readonly=True)
    reason = fields.Text(required=True, help="Posted on the document for those who submitted it.")

    def action_refuse(self):
        self.ensure_one()
        Document = self.env.get(self.res_model)
        if (
            Document is None
            or not isinstance(Document, self.env.registry["jingpin.approval.mixin"])
            or not isinstance(self.res_ids, list)
            or not all(isinstance(res_id, int) for res_id in self.res_ids)
        ):
            raise UserError(self.env._("Only a document waiting for approval can be refused."))
        Document.browse(self.res_ids).action_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
