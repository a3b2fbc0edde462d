from odoo import api, fields, models
from odoo.exceptions import AccessError

EXCEPTION_TYPES = [
    ("parts_missing", "Parts Missing"),
    ("customer_change", "Customer Change"),
    ("vehicle_problem", "Vehicle Problem"),
    ("other", "Other"),
]


class JingpinWorkException(models.Model):
    """An exception on a work order (R19), flagged by the specialist; the sales consultant or
    the front desk who sold the order is told at once."""

    _name = "jingpin.work.exception"
    _description = "Work Order Exception"
    _inherit = ["mail.thread", "jingpin.guard"]
    _order = "id desc"
    _check_company_auto = True

    task_id = fields.Many2one(
        "project.task",
        string="Work Order",
        required=True,
        index=True,
        check_company=True,
        domain=[("is_work_order", "=", True)],
    )
    company_id = fields.Many2one(related="task_id.company_id", store=True, index=True)
    exception_type = fields.Selection(EXCEPTION_TYPES, string="Type", required=True, tracking=True)
    description = fields.Text(required=True)
    reported_by = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    notify_user_id = fields.Many2one(
        "res.users",
        string="Tell",
        compute="_compute_notify_user_id",
        store=True,
        readonly=False,
        precompute=True,
        help="The sales consultant or front desk of the order, by default.",
    )
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved")],
        default="open",
        readonly=True,
        tracking=True,
        copy=False,
    )

    @api.depends("task_id")
    def _compute_notify_user_id(self):
        for exception in self:
            exception.notify_user_id = exception.task_id.consultant_id

    @api.model_create_multi
    def create(self, vals_list):
        exceptions = super().create(vals_list)
        for exception in exceptions:
            # written into the work order for all its staff: in the dealership's language
            env = exception.task_id._in_company_lang()
            labels = dict(self._fields["exception_type"]._description_selection(env))
            summary = env._(
                "%(type)s on work order %(task)s", type=labels[exception.exception_type], task=exception.task_id.name
            )
            exception.task_id.message_post(
                body=env._("%(summary)s: %(description)s", summary=summary, description=exception.description),
                partner_ids=exception.notify_user_id.partner_id.ids,
            )
            if exception.notify_user_id:
                exception.task_id.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=exception.notify_user_id.id,
                    summary=summary,
                    note=exception.description,
                )
        return exceptions

    def action_resolve(self):
        if not self.env.user.has_group("jingpin_accessories.group_jingpin_specialist"):
            raise AccessError(self.env._("The specialist who follows the work order resolves its exceptions."))
        self._jingpin_server().state = "resolved"
