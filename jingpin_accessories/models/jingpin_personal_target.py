from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class JingpinPersonalTarget(models.Model):
    """A person's accessory revenue target for a month (R4), set by the accessories manager: for a
    specialist, the orders he is credited with; for a sales consultant, his new-car accessory
    orders. Its achievement is computed, never entered.

    No workflow: the manager writes targets (access rights), each person reads his own (record
    rule). The achievement fields are computed and read-only (``jingpin.guard``).
    """

    _name = "jingpin.personal.target"
    _description = "Personal Accessory Sales Target"
    _inherit = ["jingpin.guard"]
    _order = "month desc, user_id"
    _rec_name = "user_id"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Staff Member",
        required=True,
        index=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    month = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
        help="The first day of the month the target is for.",
    )
    amount = fields.Monetary(string="Target", required=True)
    achieved_confirmed = fields.Monetary(
        string="Confirmed Revenue",
        compute="_compute_achievement",
        help="Accessory revenue of his orders confirmed in the month, gifts excluded.",
    )
    achieved_invoiced = fields.Monetary(
        string="Invoiced Revenue",
        compute="_compute_achievement",
        help="Accessory revenue of his orders invoiced in the month, gifts excluded.",
    )
    gift_cost = fields.Monetary(string="Gifts at Cost", compute="_compute_achievement")
    achievement_rate = fields.Float(string="Achievement (%)", compute="_compute_achievement")

    _one_per_month = models.Constraint(
        "UNIQUE(company_id, user_id, month)",
        "A staff member has one target per month and dealership.",
    )
    _first_of_month = models.Constraint(
        "CHECK(EXTRACT(DAY FROM month) = 1)",
        "A target's month starts on its first day.",
    )
    _amount_not_negative = models.Constraint("CHECK(amount >= 0)", "A target cannot be negative.")

    @api.onchange("month")
    def _onchange_month(self):
        if self.month:
            self.month = self.month.replace(day=1)

    def _compute_achievement(self):
        # The figures of the target's own person and dealership, which its reader may see.
        lines = self.env["sale.order.line"].sudo()
        for target in self:
            figures = {}
            if target.user_id and target.month and target.company_id:
                month = target.month.replace(day=1)
                figures = lines._jingpin_revenue_by_month(
                    target.company_id, month, month + relativedelta(day=31), user=target.user_id
                ).get((target.company_id.id, month), {})
            target.achieved_confirmed = figures.get("confirmed", 0.0)
            target.achieved_invoiced = figures.get("invoiced", 0.0)
            target.gift_cost = figures.get("gift_cost", 0.0)
            target.achievement_rate = target.amount and 100.0 * target.achieved_confirmed / target.amount
