from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError

PLAN_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
]
MONTHS = [
    (str(number), name)
    for number, name in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
]


class JingpinSalesPlan(models.Model):
    """The annual accessory revenue target of a dealership (年度经营目标/产值, R3), broken down into
    monthly sales plans: drafted and submitted by the accessories manager, approved by the general
    manager. One approved plan per dealership and year (a unique index decides).

    State machine. The approval (submit, withdraw, refuse, approve) is ``jingpin.approval.mixin``'s;
    the year, dealership and monthly lines change only in draft (the lines refuse any change otherwise):

    =========== =========== ================================================= ====================
    From        To          Guard                                             Who
    =========== =========== ================================================= ====================
    draft       submitted   it has a monthly plan for each of the 12 months  accessories manager
    submitted   draft       (withdraw)                                        accessories manager
    submitted   draft       (refuse) a reason is given                        general manager
    submitted   approved    not created or submitted by the approver; no      general manager
                            other approved plan for the dealership and year
    =========== =========== ================================================= ====================

    An approved plan is never deleted; a new target for the year needs no second approved plan.
    """

    _name = "jingpin.sales.plan"
    _description = "Accessory Sales Plan"
    _inherit = ["jingpin.approval.mixin"]
    _order = "year desc, company_id"
    _check_company_auto = True
    _approval_activity = "jingpin_accessories.mail_activity_type_sales_plan_approval"

    # === FIELDS === #
    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)
    state = fields.Selection(PLAN_STATES, default="draft", required=True, readonly=True, tracking=True, copy=False)
    line_ids = fields.One2many("jingpin.sales.plan.line", "plan_id", string="Monthly Plans", copy=True)
    amount_total = fields.Monetary(
        string="Annual Target",
        compute="_compute_amount_total",
        store=True,
        help="The accessory revenue (产值) planned for the year: the sum of the monthly plans.",
    )
    achieved_confirmed = fields.Monetary(
        string="Confirmed Revenue",
        compute="_compute_achievement",
        help="Accessory revenue of the orders confirmed this year, gifts excluded.",
    )
    achieved_invoiced = fields.Monetary(
        string="Invoiced Revenue",
        compute="_compute_achievement",
        help="Accessory revenue invoiced this year (credit notes deducted), gifts excluded.",
    )
    gift_cost = fields.Monetary(
        string="Gifts at Cost",
        compute="_compute_achievement",
        help="The cost of the accessories given free this year: never counted as revenue.",
    )
    achievement_rate = fields.Float(
        string="Achievement (%)",
        compute="_compute_achievement",
        help="Confirmed revenue against the annual target.",
    )
    note = fields.Text()

    # === CONSTRAINTS === #
    _one_approved_per_year = models.UniqueIndex(
        "(company_id, year) WHERE state = 'approved'",
        "A dealership has one approved sales plan per year.",
    )
    _year_plausible = models.Constraint(
        "CHECK(year BETWEEN 2000 AND 2100)",
        "The year of a sales plan must be between 2000 and 2100.",
    )

    # === COMPUTES === #
    @api.depends("year", "company_id.name")
    def _compute_name(self):
        for plan in self:
            plan.name = f"{plan.year} {plan.company_id.name or ''}".strip()

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for plan in self:
            plan.amount_total = sum(plan.line_ids.mapped("amount"))

    def _compute_achievement(self):
        figures = self._revenue_by_month()
        for plan in self:
            months = [figures.get((plan.company_id.id, date(plan.year, month, 1)), {}) for month in range(1, 13)]
            plan.achieved_confirmed = sum(month.get("confirmed", 0.0) for month in months)
            plan.achieved_invoiced = sum(month.get("invoiced", 0.0) for month in months)
            plan.gift_cost = sum(month.get("gift_cost", 0.0) for month in months)
            plan.achievement_rate = plan.amount_total and 100.0 * plan.achieved_confirmed / plan.amount_total

    def _revenue_by_month(self):
        """The revenue figures of the plans' dealerships and years, by month (one query each)."""
        plans = self.filtered("year")
        if not plans:
            return {}
        years = plans.mapped("year")
        # Sales figures of the plan's own dealership, which the reader of the plan may see.
        return (
            self.env["sale.order.line"]
            .sudo()
            ._jingpin_revenue_by_month(plans.company_id, date(min(years), 1, 1), date(max(years), 12, 31))
        )

    # === CRUD === #
    def write(self, vals):
        if (
            vals.keys() & {"year", "company_id"}
            and not self._jingpin_is_server()
            and self.filtered(lambda p: p.state != "draft")
        ):
            raise UserError(self.env._("Only a draft sales plan can change its year or dealership."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if self.filtered(lambda p: p.state == "approved"):
            raise UserError(self.env._("An approved sales plan cannot be deleted."))

    def copy_data(self, default=None):
        """A copy is next year's draft."""
        vals_list = super().copy_data(default=default)
        if "year" not in (default or {}):
            for plan, vals in zip(self, vals_list, strict=True):
                vals["year"] = plan.year + 1
        return vals_list

    # === BUSINESS METHODS === #
    def _approval_check_submittable(self):
        for plan in self:
            if not plan.line_ids:
                raise UserError(self.env._("Sales plan “%s” has no monthly plans to submit.", plan.name))
            planned = set(plan.line_ids.mapped("month"))
            if len(planned) < len(MONTHS):
                labels = dict(plan.line_ids._fields["month"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "Sales plan “%(plan)s” is the annual plan: give every month its plan. Missing: %(months)s.",
                        plan=plan.name,
                        months=", ".join(labels[month] for month, _label in MONTHS if month not in planned),
                    )
                )

    @api.model
    def _get_plan_amounts(self, month):
        """{company: amount} of the approved plans for the month starting on ``month``."""
        lines = self.env["jingpin.sales.plan.line"].search(
            [
                ("plan_id.state", "=", "approved"),
                ("plan_id.year", "=", month.year),
                ("month", "=", str(month.month)),
            ]
        )
        amounts = {}
        for line in lines:
            amounts[line.company_id] = amounts.get(line.company_id, 0.0) + line.amount
        return amounts


class JingpinSalesPlanLine(models.Model):
    """One month of a sales plan, for the whole department or for one accessory category: the
    month's plan is the sum of its lines. Changed only while the plan is a draft."""

    _name = "jingpin.sales.plan.line"
    _description = "Monthly Accessory Sales Plan"
    _inherit = ["jingpin.guard"]
    _order = "plan_id, month_number, categ_id"
    _check_company_auto = True

    plan_id = fields.Many2one("jingpin.sales.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    month = fields.Selection(MONTHS, required=True)
    month_number = fields.Integer(compute="_compute_month_number", store=True)
    categ_id = fields.Many2one(
        "product.category",
        string="Category",
        domain=[("is_accessory_category", "=", True)],
        help="Leave empty for the whole department.",
    )
    amount = fields.Monetary(string="Planned Revenue", required=True)

    _amount_not_negative = models.Constraint("CHECK(amount >= 0)", "A monthly plan cannot be negative.")

    @api.depends("month")
    def _compute_month_number(self):
        for line in self:
            line.month_number = int(line.month or 0)

    def _check_plan_draft(self, plans):
        if not self._jingpin_is_server() and plans.filtered(lambda p: p.state != "draft"):
            raise UserError(
                self.env._("The monthly plans change only while the sales plan is a draft: withdraw it first.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        self._check_plan_draft(lines.plan_id)
        return lines

    def write(self, vals):
        self._check_plan_draft(self.plan_id)
        result = super().write(vals)
        if "plan_id" in vals:
            self._check_plan_draft(self.plan_id)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_plan_decided(self):
        self._check_plan_draft(self.plan_id)
