"""19.0.1.1.0: the work order's step is its own stored field (``project.task.work_state``), written
only by its transitions; it used to be read from its stage (a related field). Fill it from the stage
each work order is in, so the step it had before the upgrade is the step it has after."""

from odoo.tools import SQL


def fill_work_state_from_stage(cr):
    """Give every work order the step its stage stands for; returns how many were changed."""
    cr.execute(
        SQL(
            """
            UPDATE project_task task
               SET work_state = stage.work_state
              FROM project_task_type stage
             WHERE task.stage_id = stage.id
               AND task.is_work_order
               AND stage.work_state IS NOT NULL
               AND task.work_state IS DISTINCT FROM stage.work_state
            """
        )
    )
    return cr.rowcount


def migrate(cr, version):
    if version:
        fill_work_state_from_stage(cr)
