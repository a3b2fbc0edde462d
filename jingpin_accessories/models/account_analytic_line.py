from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    work_item_id = fields.Many2one(
        "jingpin.work.item",
        string="Accessory Item",
        index="btree_not_null",
        domain="[('task_id', '=', task_id)]",
        help="The accessory of the work order the time was spent on.",
    )

    @api.constrains("work_item_id", "task_id")
    def _check_work_item_task(self):
        for line in self.filtered("work_item_id"):
            if line.work_item_id.task_id != line.task_id:
                raise ValidationError(
                    self.env._(
                        "%(item)s is not an item of work order %(task)s: log the time on one of its own items.",
                        item=line.work_item_id.product_id.display_name,
                        task=line.task_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_timesheet_employee(vals_list)
        return super().create(vals_list)

    @api.model
    def _check_timesheet_employee(self, vals_list):
        """A technician logs time on a work order as an employee: say so clearly when he is not one."""
        task_ids = [vals["task_id"] for vals in vals_list if vals.get("task_id") and not vals.get("employee_id")]
        work_orders = self.env["project.task"].browse(task_ids).filtered("is_work_order")
        for task in work_orders:
            user = self.env["res.users"].browse(
                next(vals.get("user_id") for vals in vals_list if vals.get("task_id") == task.id) or self.env.uid,
            )
            employee = (
                self.env["hr.employee"]
                .sudo()
                .search_count(
                    [("user_id", "=", user.id), ("company_id", "=", task.company_id.id)],
                    limit=1,
                )
            )
            if not employee:
                raise UserError(
                    self.env._(
                        "%(user)s is not an employee of %(company)s, so he cannot log time on work order "
                        "%(task)s. Ask HR to create his employee record and link it to his user.",
                        user=user.name,
                        company=task.company_id.name,
                        task=task.name,
                    )
                )
