import hashlib

from odoo import api, fields, models
from odoo.exceptions import UserError

# What the final inspection's workflow sets; the specialist gives only the result, a note, a photo.
WORKFLOW_FIELDS = frozenset({"task_id", "round", "sequence", "category", "name", "work_item_id", "company_id"})

INSPECTION_CATEGORIES = [
    ("function", "Accessory Function"),
    ("condition", "Vehicle Condition"),
    ("cleanliness", "Cleanliness"),
]


class JingpinInspectionLine(models.Model):
    _name = "jingpin.inspection.line"
    _inherit = ["jingpin.guard"]
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
    photo = fields.Image(max_width=1920, max_height=1920, attachment=True, help="Photo evidence of this checkpoint.")
    is_signed = fields.Boolean(compute="_compute_is_signed")

    @api.depends("task_id.signature_ids")
    def _compute_is_signed(self):
        for line in self:
            line.is_signed = any(s.role == "inspection" and s.round == line.round for s in line.task_id.signature_ids)

    def _jingpin_refused_fields(self, vals):
        return super()._jingpin_refused_fields(vals) | (vals.keys() & WORKFLOW_FIELDS)

    @api.model_create_multi
    def create(self, vals_list):
        if not self._jingpin_is_server():
            raise UserError(
                self.env._(
                    "Checkpoints are made by the work order when the technician signs his work.",
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if any(self.mapped("is_signed")):
            raise UserError(
                self.env._(
                    "This final inspection is signed: its checkpoints can no longer be changed.",
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Checkpoints of the final inspection are not deleted: mark each one passed or failed.",
            )
        )

    def _check_photos_taken(self):
        """Each checkpoint is signed with its photo."""
        missing = self.filtered(lambda line: not line.photo)
        if missing:
            raise UserError(
                self.env._(
                    "Take the photo of each checkpoint before signing the final inspection: %s.",
                    "; ".join(missing.mapped("name")),
                )
            )

    def _photo_checksum(self):
        """The photo as signed: a digest of its bytes, never the size the web client reads."""
        self.ensure_one()
        photo = self.with_context(bin_size=False).photo
        return hashlib.sha256(photo).hexdigest() if photo else ""
