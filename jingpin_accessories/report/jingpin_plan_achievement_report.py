from odoo import fields, models
from odoo.tools import SQL

from ..figures import GROUP_RATE, group_currency_table


class JingpinPlanAchievementReport(models.Model):
    """Accessory revenue against the sales plan (产值达成, R3, B6): per dealership, month and
    category, the revenue of the sales analysis beside the approved plan of that month.

    Revenue is dated by the order date in the dealership's time zone, like the sales plan's own
    achievement, and read from the daily figures (``jingpin.figure.daily``), so the monthly
    analysis costs the same whatever the history; the plan counts only approved plans. Amounts are
    in the current company's currency (converted as ``sale.report`` does). A plan line without a category plans for the
    whole department: it stands on a row without a category. The dashboards divide the sums of
    *Revenue* by those of *Plan* to show the achievement of any grouping.
    """

    _name = "jingpin.plan.achievement.report"
    _description = "Accessory Revenue against Plan"
    _auto = False
    _depends = {
        "jingpin.figure.daily": ["company_id", "day", "categ_id", "revenue"],
        "jingpin.sales.plan": ["state", "year", "company_id"],
        "jingpin.sales.plan.line": ["plan_id", "month_number", "categ_id", "amount"],
    }
    _order = "date desc, company_id"

    date = fields.Date(string="Month", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    revenue = fields.Monetary(readonly=True, help="Sales without taxes of the confirmed accessory orders.")
    plan_amount = fields.Monetary(string="Plan", readonly=True, help="Planned revenue of the approved sales plan.")

    @property
    def _table_query(self):
        group_by = self._group_by()
        group_by = SQL(" GROUP BY %s", group_by) if group_by else SQL()
        return SQL("SELECT %s FROM %s WHERE %s%s", self._select(), self._from(), self._where(), group_by)

    def _select(self):
        return SQL(
            """ROW_NUMBER() OVER (ORDER BY figures.company_id, figures.date, figures.categ_id) AS id,
               figures.company_id, %(currency)s AS currency_id, figures.date, figures.categ_id,
               SUM(figures.revenue) * %(rate)s AS revenue, SUM(figures.plan_amount) * %(rate)s AS plan_amount""",
            currency=self.env.company.currency_id.id,
            rate=GROUP_RATE,
        )

    def _from(self):
        return SQL(
            """(%s) figures
               JOIN %s ON account_currency_table.company_id = figures.company_id""",
            self._figures(),
            group_currency_table(self.env),
        )

    def _where(self):
        return SQL("TRUE")

    def _group_by(self):
        return SQL("figures.company_id, figures.date, figures.categ_id, account_currency_table.rate")

    def _figures(self):
        """The revenue per dealership, month and category, and what the approved sales plans planned."""
        return SQL("""
            SELECT f.company_id, date_trunc('month', f.day)::date AS date, f.categ_id,
                   f.revenue, 0 AS plan_amount
              FROM jingpin_figure_daily f
             WHERE f.revenue != 0
             UNION ALL
            SELECT plan.company_id, make_date(plan.year, line.month_number, 1), line.categ_id,
                   0, line.amount
              FROM jingpin_sales_plan_line line
              JOIN jingpin_sales_plan plan ON plan.id = line.plan_id
             WHERE plan.state = 'approved'
        """)
