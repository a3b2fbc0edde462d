from odoo import fields, models


class JingpinLogHoursWizard(models.TransientModel):
    """Log time on a work order in one small dialog, usable on a phone in the workshop."""

    _name = "jingpin.log.hours.wizard"
    _description = "Log Hours on a Work Order"

    task_id = fields.Many2one("project.task", string="Work Order", required=True, readonly=True)
    work_item_id = fields.Many2one(
        "jingpin.work.item",
        string="Accessory Item",
        domain="[('task_id', '=', task_id)]",
        help="The accessory the time was spent on.",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    unit_amount = fields.Float(string="Hours", required=True)
    name = fields.Char(string="Description", help="What was done.")

    def action_confirm(self):
        """The time is logged as the user himself: the timesheet rules decide, as for a line typed
        in the list (a technician logs on his own work orders only)."""
        self.ensure_one()
        task = self.task_id
        task._check_is_work_order()
        self.env["account.analytic.line"].create(
            {
                "task_id": task.id,
                "project_id": task.project_id.id,
                "work_item_id": self.work_item_id.id,
                "date": self.date,
                "unit_amount": self.unit_amount,
                "name": self.name or self.work_item_id.product_id.display_name or task.name,
            }
        )
        return {"type": "ir.actions.act_window_close"}
