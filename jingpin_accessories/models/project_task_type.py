from odoo import fields, models

WORK_STATES = [
    ("dispatched", "Dispatched"),
    ("in_progress", "In Progress"),
    ("inspection", "Final Inspection"),
    ("ready", "Ready for Handover"),
    ("handed_over", "Handed Over"),
]


class ProjectTaskType(models.Model):
    _inherit = "project.task.type"

    work_state = fields.Selection(
        WORK_STATES,
        string="Work Order Step",
        index="btree_not_null",
        help="The step of an accessory work order this stage stands for. Work orders move "
        "between these stages only through their buttons, so that every rule and signature holds.",
    )
