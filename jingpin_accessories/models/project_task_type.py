from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

WORK_STATES = [
    ("dispatched", "Dispatched"),
    ("in_progress", "In Progress"),
    ("inspection", "Final Inspection"),
    ("ready", "Ready for Handover"),
    ("handed_over", "Handed Over"),
    ("cancelled", "Cancelled"),
]
# Steps in which the work is still owed to the customer: they block the car's handover, count in
# the technician's day, and keep the car's key in the workshop.
OPEN_WORK_STATES = ("dispatched", "in_progress", "inspection", "ready")


class ProjectTaskType(models.Model):
    _inherit = "project.task.type"

    work_state = fields.Selection(
        WORK_STATES,
        string="Work Order Step",
        index="btree_not_null",
        help="The step of an accessory work order this stage stands for. Work orders move "
        "between these stages only through their buttons, so that every rule and signature holds.",
    )

    # === CRUD === #
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("work_state") for vals in vals_list):
            raise AccessError(self._work_stage_message())
        return super().create(vals_list)

    def write(self, vals):
        # the mapping is the addon's data: clearing or moving it would switch the work-order rules off
        if (
            not self.env.su
            and vals.keys() & {"work_state", "active"}
            and (vals.get("work_state") or self.filtered("work_state"))
        ):
            raise AccessError(self._work_stage_message())
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_work_stage(self):
        if self.filtered("work_state") and not self.env.su:
            raise UserError(self._work_stage_message())

    def _work_stage_message(self):
        return self.env._(
            "The steps of the accessory work orders (派工单) are the Accessories app's own stages: "
            "which step a stage stands for, and whether it is active, cannot be changed by hand. "
            "Rename or reorder them instead.",
        )
