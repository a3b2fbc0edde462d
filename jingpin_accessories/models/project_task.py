from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Fields a technician may change on his own work order; the rest is the specialist's.
TECHNICIAN_WRITABLE_FIELDS = frozenset({
    "protective_set_photo", "condition_before_photo", "condition_after_photo", "description",
    "timesheet_ids", "message_follower_ids", "activity_ids", "message_main_attachment_id",
})
# Fields the workflow writes itself: never through a plain write.
WORKFLOW_FIELDS = frozenset({
    "stage_id", "date_started", "date_end", "protective_set_by", "protective_set_on", "rework_count",
    "installation_sheet_id",
})


class ProjectTask(models.Model):
    _inherit = "project.task"

    # === FIELDS === #
    is_work_order = fields.Boolean(
        related="project_id.is_install_project", store=True, index=True, string="Is a Work Order",
    )
    work_state = fields.Selection(
        related="stage_id.work_state", store=True, index="btree_not_null", string="Work Step",
    )
    accessory_order_id = fields.Many2one(
        "sale.order", string="Accessory Order", index="btree_not_null", check_company=True, tracking=True,
    )
    vehicle_id = fields.Many2one("jingpin.vehicle", string="Vehicle", check_company=True, tracking=True)
    consultant_id = fields.Many2one(
        "res.users", string="Sales Consultant", check_company=True,
        help="The salesperson of the order: told about exceptions and lateness.",
    )
    specialist_id = fields.Many2one(
        "res.users", string="Specialist", check_company=True, tracking=True,
        default=lambda self: self.env.user if self.env.user.has_group("jingpin_accessories.group_jingpin_specialist") else False,
        help="The accessories specialist who dispatched the work order and follows it up.",
    )
    technician_id = fields.Many2one(
        "res.users", string="Technician", check_company=True, tracking=True,
        domain=lambda self: [("all_group_ids", "in", self.env.ref("jingpin_accessories.group_jingpin_technician").ids)],
    )
    work_item_ids = fields.One2many("jingpin.work.item", "task_id", string="Items to Install")
    planned_minutes = fields.Integer(
        string="Standard Labour (min)", compute="_compute_planned_minutes", store=True,
        help="Sum of the standard labour of the items.",
    )
    promised_datetime = fields.Datetime(
        string="Promised Completion", tracking=True, copy=False,
        help="The completion time agreed with the customer.",
    )
    planned_start = fields.Datetime(string="Planned Start", tracking=True, copy=False)
    planned_end = fields.Datetime(compute="_compute_planned_end", store=True)
    date_started = fields.Datetime(string="Started On", readonly=True, copy=False)
    protective_set_done = fields.Boolean(
        string="Protective Set Fitted", compute="_compute_protective_set_done", store=True,
        help="The seat, steering wheel and floor covers (三件套) are fitted.",
    )
    protective_set_by = fields.Many2one("res.users", string="Protective Set Fitted By", readonly=True, copy=False)
    protective_set_on = fields.Datetime(string="Protective Set Fitted On", readonly=True, copy=False)
    protective_set_photo = fields.Image(string="Protective Set Photo", max_width=1920, max_height=1920, copy=False)
    condition_before_photo = fields.Image(string="Condition Before", max_width=1920, max_height=1920, copy=False)
    condition_after_photo = fields.Image(string="Condition After", max_width=1920, max_height=1920, copy=False)
    rework_count = fields.Integer(readonly=True, copy=False)

    # === COMPUTES === #
    @api.depends("work_item_ids.labour_minutes")
    def _compute_planned_minutes(self):
        for task in self:
            task.planned_minutes = sum(task.work_item_ids.mapped("labour_minutes"))

    @api.depends("planned_start", "planned_minutes")
    def _compute_planned_end(self):
        for task in self:
            task.planned_end = task.planned_start and fields.Datetime.add(
                task.planned_start, minutes=task.planned_minutes,
            )

    @api.depends("protective_set_on")
    def _compute_protective_set_done(self):
        for task in self:
            task.protective_set_done = bool(task.protective_set_on)

    # === CONSTRAINTS === #
    @api.constrains("technician_id", "is_work_order")
    def _check_technician(self):
        for task in self.filtered(lambda t: t.is_work_order and t.technician_id):
            if not task.technician_id.has_group("jingpin_accessories.group_jingpin_technician"):
                raise UserError(self.env._(
                    "%s is not an accessories technician: choose a technician for work order %s.",
                    task.technician_id.name, task.name,
                ))

    # === CRUD === #
    @api.model_create_multi
    def create(self, vals_list):
        tasks = super().create(vals_list)
        tasks.filtered("is_work_order")._sync_assignees()
        return tasks

    def write(self, vals):
        work_orders = self.filtered("is_work_order")
        if work_orders and not self.env.su:
            work_orders._check_work_order_write(vals)
        result = super().write(vals)
        if "technician_id" in vals:
            work_orders._sync_assignees()
        return result

    def _check_work_order_write(self, vals):
        if WORKFLOW_FIELDS & vals.keys() and not self.env.context.get("jingpin_workflow"):
            raise UserError(self.env._(
                "A work order moves through its steps with its buttons (Start, Sign Completion, "
                "Final Inspection, Handover), not by changing its stage or workflow data directly.",
            ))
        if self.env.user._is_jingpin_technician_only():
            forbidden = vals.keys() - TECHNICIAN_WRITABLE_FIELDS - {"jingpin_workflow"}
            if forbidden and not self.env.context.get("jingpin_workflow"):
                raise AccessError(self.env._(
                    "A technician may only add photos and notes to his work order; ask the "
                    "specialist to change: %s", ", ".join(sorted(forbidden)),
                ))

    def _sync_assignees(self):
        """The technician is the assignee: Odoo then shows him the work order, and only him."""
        for task in self:
            task.with_context(jingpin_workflow=True).user_ids = task.technician_id

    # === ACTIONS === #
    def action_confirm_protective_set(self):
        for task in self:
            task._check_is_work_order()
            task._check_actor(task.technician_id | task.specialist_id)
            if task.work_state != "dispatched":
                raise UserError(self.env._("The protective set is confirmed before work starts."))
        self.with_context(jingpin_workflow=True).write({
            "protective_set_by": self.env.uid,
            "protective_set_on": fields.Datetime.now(),
        })
        for task in self:
            task.message_post(body=self.env._("Protective set (三件套) fitted and confirmed."))

    def action_start(self):
        for task in self:
            task._check_is_work_order()
            if task.work_state != "dispatched":
                raise UserError(self.env._("Work order %s has already started.", task.name))
            task._check_actor(task.technician_id | task.specialist_id)
            task._check_can_start()
        self._move_to("in_progress", date_started=fields.Datetime.now())

    def _check_can_start(self):
        """Raise a UserError saying what is missing before work may start."""
        self.ensure_one()
        if not self.technician_id:
            raise UserError(self.env._("Assign a technician to work order %s before starting it.", self.name))
        if not self.work_item_ids:
            raise UserError(self.env._("Work order %s has nothing to install.", self.name))
        if not self.protective_set_done:
            raise UserError(self.env._(
                "Fit the protective set (seat, steering wheel and floor covers) and confirm it "
                "before starting work order %s.", self.name,
            ))

    # === BUSINESS METHODS === #
    def _check_is_work_order(self):
        if not self.is_work_order:
            raise UserError(self.env._("%s is not an accessory work order.", self.display_name))

    def _check_actor(self, allowed_users):
        """Only the given users, or a specialist, may act on this work order."""
        if self.env.su or self.env.user in allowed_users:
            return
        if self.env.user.has_group("jingpin_accessories.group_jingpin_specialist"):
            return
        raise AccessError(self.env._(
            "Only %(users)s or a specialist may do this on work order %(task)s.",
            users=", ".join(allowed_users.mapped("name")) or self.env._("the assigned technician"),
            task=self.name,
        ))

    def _move_to(self, work_state, **values):
        stages = self.env["project.task.type"].search([("work_state", "=", work_state)])
        for task in self:
            stage = stages.filtered(lambda s: task.project_id in s.project_ids)[:1] or stages[:1]
            task.with_context(jingpin_workflow=True).write({"stage_id": stage.id, **values})

    @api.model
    def _prepare_work_order_values(self, order, lines):
        project = self.env["project.project"]._get_install_project(order.company_id)
        dispatched = self.env["project.task.type"].search([("work_state", "=", "dispatched")], limit=1)
        return {
            "name": self.env._("%(order)s · %(vehicle)s", order=order.name,
                               vehicle=order.vehicle_id.name or order.partner_id.name),
            "project_id": project.id,
            "stage_id": dispatched.id,
            "company_id": order.company_id.id,
            "partner_id": order.partner_id.id,
            "accessory_order_id": order.id,
            "vehicle_id": order.vehicle_id.id,
            "consultant_id": order.user_id.id,
            "specialist_id": order.specialist_id.id or (self.env.user.id if self.env.user.has_group(
                "jingpin_accessories.group_jingpin_specialist") else False),
            "promised_datetime": order.commitment_date,
            "work_item_ids": [
                fields.Command.create({
                    "sale_line_id": line.id,
                    "product_id": line.product_id.id,
                    "quantity": line.product_uom_qty,
                    "sequence": line.sequence,
                })
                for line in lines
            ],
        }
