from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

MANAGER_GROUP = "jingpin_accessories.group_jingpin_manager"
# What the manager alone writes: his assessment of the plan.
REVIEW_FIELDS = frozenset({"review_note", "rating"})


class JingpinGrowthPlan(models.Model):
    """A staff member's growth plan (R38): goals with due dates, then the manager's review.

    A staff member reads and writes his own plans only; the accessories manager reads all of his
    dealership's and alone reviews them. The review is ``jingpin.approval.mixin``'s approval (the
    staff member, the plan's creator and its submitter are its authors, who do not review it); a plan
    is always created as a draft:

    =========== =========== =========================================== ===========================
    From        To          Guard                                       Who
    =========== =========== =========================================== ===========================
    draft       in_progress it has goals                                the staff member, manager
    in_progress draft       (withdraw, to change the goals)             the staff member, manager
    in_progress draft       (refuse) a reason is given; not an author   accessories manager
    in_progress reviewed    the manager's review is written; not an     accessories manager
                            author
    reviewed    in_progress (reopen)                                    accessories manager
    =========== =========== =========================================== ===========================

    Once reviewed, the plan, its goals and the review stay as they were reviewed.
    """

    _name = "jingpin.growth.plan"
    _description = "Growth Plan"
    _inherit = ["jingpin.approval.mixin"]
    _order = "date_to desc, id desc"
    _check_company_auto = True
    _approval_submitted_state = "in_progress"
    _approval_approved_state = "reviewed"
    _approval_approver_group = MANAGER_GROUP
    _approval_approver_field = "jingpin_manager_id"
    _approval_activity = "jingpin_accessories.mail_activity_type_growth_plan_review"
    _approval_owner_field = "user_id"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    user_id = fields.Many2one(
        "res.users",
        string="Staff Member",
        required=True,
        index=True,
        check_company=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    date_from = fields.Date(string="From", required=True, default=fields.Date.context_today)
    date_to = fields.Date(string="To", required=True)
    goal_ids = fields.One2many("jingpin.growth.goal", "plan_id", string="Goals", copy=True)
    goal_done_percent = fields.Float(string="Goals Reached (%)", compute="_compute_goal_done_percent")
    review_note = fields.Text(string="Manager's Review", tracking=True, copy=False)
    rating = fields.Selection(
        [("1", "Below Expectations"), ("2", "Meets Expectations"), ("3", "Exceeds Expectations")],
        tracking=True,
        copy=False,
    )
    approved_by_id = fields.Many2one(string="Reviewed By")
    approved_on = fields.Datetime(string="Reviewed On")
    state = fields.Selection(
        [("draft", "Draft"), ("in_progress", "Submitted"), ("reviewed", "Reviewed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
        index=True,
    )

    _dates_ordered = models.Constraint("CHECK(date_to >= date_from)", "A growth plan cannot end before it starts.")

    @api.depends("goal_ids.done")
    def _compute_goal_done_percent(self):
        for plan in self:
            goals = plan.goal_ids
            plan.goal_done_percent = 100.0 * len(goals.filtered("done")) / len(goals) if goals else 0.0

    def _jingpin_refused_fields(self, vals):
        refused = super()._jingpin_refused_fields(vals)
        if REVIEW_FIELDS & vals.keys() and not self.env.user.has_group(MANAGER_GROUP):
            refused = refused | (REVIEW_FIELDS & vals.keys())
        return refused

    def write(self, vals):
        if not self._jingpin_is_server():
            self._check_not_reviewed()
            if "user_id" in vals and self.filtered(lambda plan: plan.state != "draft"):
                raise UserError(self.env._("A submitted growth plan stays with its staff member."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_draft(self):
        if self.filtered(lambda plan: plan.state != "draft"):
            raise UserError(self.env._("Only a draft growth plan can be deleted."))

    def _approval_check_submittable(self):
        for plan in self:
            if not plan.goal_ids:
                raise UserError(self.env._("Set the goals of growth plan “%s” first.", plan.name))

    def _approval_check_approvable(self):
        """The manager's review closes the plan: it and its goals stay as reviewed."""
        for plan in self:
            if not (plan.review_note or "").strip() or not plan.rating:
                raise UserError(self.env._("Write your review and rating of growth plan “%s” first.", plan.name))

    def action_reopen(self):
        self._check_manager()
        if self.filtered(lambda plan: plan.state != "reviewed"):
            raise UserError(self.env._("Only a reviewed growth plan can be reopened."))
        self._jingpin_server().write({"state": "in_progress", "approved_by_id": False, "approved_on": False})
        return True

    def _approval_check_submitter(self):
        self.check_access("write")
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        if self.filtered(lambda plan: plan.user_id != self.env.user):
            raise AccessError(self.env._("Only the staff member or his manager moves a growth plan."))

    def _check_manager(self):
        self.check_access("write")
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only the accessories manager reviews growth plans."))

    def _check_not_reviewed(self):
        if self.filtered(lambda plan: plan.state == "reviewed"):
            raise UserError(self.env._("A reviewed growth plan stays as it was reviewed; the manager can reopen it."))


class JingpinGrowthGoal(models.Model):
    _name = "jingpin.growth.goal"
    _description = "Growth Plan Goal"
    _inherit = ["jingpin.guard"]
    _order = "plan_id, date_deadline, id"
    _check_company_auto = True

    plan_id = fields.Many2one("jingpin.growth.plan", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    user_id = fields.Many2one(related="plan_id.user_id", store=True, index=True)
    name = fields.Char(string="Goal", required=True)
    date_deadline = fields.Date(string="Due Date", required=True)
    done = fields.Boolean(string="Reached")
    note = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        goals = super().create(vals_list)
        goals.plan_id._check_not_reviewed()
        return goals

    def write(self, vals):
        self.plan_id._check_not_reviewed()
        result = super().write(vals)
        self.plan_id._check_not_reviewed()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_reviewed(self):
        self.plan_id._check_not_reviewed()
