from odoo import api, fields, models
from odoo.exceptions import UserError

INSPECTION_CATEGORIES = [
    ("function", "Accessory Function"),
    ("condition", "Vehicle Condition"),
    ("cleanliness", "Cleanliness"),
]


class JingpinInspectionLine(models.Model):
    _name = "jingpin.inspection.line"
    _description = "Final Inspection Checkpoint"
    _order = "task_id, round, sequence, id"
    _check_company_auto = True

    task_id = fields.Many2one("project.task", string="Work Order", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="task_id.company_id", store=True, index=True)
    round = fields.Integer(readonly=True)
    sequence = fields.Integer(default=10)
    category = fields.Selection(INSPECTION_CATEGORIES, required=True)
    name = fields.Char(string="Checkpoint", required=True)
    work_item_id = fields.Many2one("jingpin.work.item", string="Item", check_company=True)
    result = fields.Selection([("pass", "Pass"), ("fail", "Fail")])
    note = fields.Char()
    photo = fields.Image(max_width=1920, max_height=1920, attachment=True,
                         help="Photo evidence of this checkpoint.")
    is_signed = fields.Boolean(compute="_compute_is_signed")

    @api.depends("task_id.signature_ids")
    def _compute_is_signed(self):
        for line in self:
            line.is_signed = any(
                s.role == "inspection" and s.round == line.round for s in line.task_id.signature_ids
            )

    def write(self, vals):
        if any(self.mapped("is_signed")):
            raise UserError(self.env._(
                "This final inspection is signed: its checkpoints can no longer be changed.",
            ))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed(self):
        if any(self.mapped("is_signed")):
            raise UserError(self.env._("A signed final inspection cannot be deleted."))
