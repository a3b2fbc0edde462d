from odoo import fields, models

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
