from odoo import api, models

from .project_task_type import WORK_STATES


class ProjectTask(models.Model):
    """Work-order kanban columns: every step of the work, also the empty ones.

    Odoo shows the empty stages of one project (``default_project_id``); work orders live in one
    installation project per dealership, so their actions cannot name it and ask for the work
    steps instead, with a display-only context key.
    """

    _inherit = "project.task"

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        stages = super()._read_group_stage_ids(stages, domain)
        if not self.env.context.get("jingpin_work_step_columns"):
            return stages
        steps = [state for state, _label in WORK_STATES if state != "cancelled"]
        return stages.search(["|", ("id", "in", stages.ids), ("work_state", "in", steps)], order=stages._order)
