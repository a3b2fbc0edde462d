from odoo import fields, models
from odoo.tools import SQL

from ..figures import GROUP_RATE, group_currency_table
from ..models.product_template import ACCESSORY_SOURCES
from ..models.sale_order import JINGPIN_CHANNELS

# The amounts of the daily figures, converted into the group's currency.
AMOUNTS = ["revenue", "cost", "gift_cost", "rebate", "car_revenue", "car_cost", "car_rebate"]
# The ratios per new car delivered, however read grouped: {field: (numerator, factor)}.
RATIOS = {
    "penetration": ("equipped_count", 100.0),
    "gross_per_car": ("car_gross", 1.0),
    "revenue_per_car": ("car_revenue", 1.0),
}


class JingpinFigureAnalysis(models.Model):
    """The group's accessory figures (精品渗透率, 精品毛利/台, 单产), read from the daily figures
    (``jingpin.figure.daily``), never from the sale lines: its cost does not grow with history.

    Amounts are in the current company's currency: each dealership's are converted with the
    current rate through ``res.currency._get_simple_currency_table``, as ``sale.report`` does.
    The ratios are those of the sums, whatever the grouping: *Penetration* = cars with
    accessories / new cars delivered, *Gross per Car* = (revenue - cost - rebates of the cars'
    accessories, gifts at cost) / new cars delivered, *Revenue per Car* = the cars' accessory
    revenue / new cars delivered. The query is built from overridable parts, like ``sale.report``.
    """

    _name = "jingpin.figure.analysis"
    _description = "Accessory Figures Analysis"
    _auto = False
    _depends = {
        "jingpin.figure.daily": [
            "company_id",
            "day",
            "user_id",
            "specialist_id",
            "vehicle_model_id",
            "categ_id",
            "source",
            "channel",
            "quantity",
            *AMOUNTS,
            "car_count",
            "equipped_count",
        ],
    }
    _order = "day desc, company_id"

    day = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", string="Dealership", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Sales Consultant", readonly=True)
    specialist_id = fields.Many2one("res.users", string="Accessories Specialist", readonly=True)
    vehicle_model_id = fields.Many2one("fleet.vehicle.model", string="Vehicle Model", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    source = fields.Selection(ACCESSORY_SOURCES, string="Accessory Source", readonly=True)
    channel = fields.Selection(JINGPIN_CHANNELS, string="Sales Channel", readonly=True)
    quantity = fields.Float(readonly=True)
    revenue = fields.Monetary(readonly=True, help="Sales without taxes; gifts bring none.")
    cost = fields.Monetary(readonly=True, help="Cost of the accessories sold and given.")
    gift_cost = fields.Monetary(readonly=True)
    rebate = fields.Monetary(readonly=True)
    gross = fields.Monetary(readonly=True, help="Revenue minus cost (gifts included) and rebates.")
    car_count = fields.Integer(string="New Cars Delivered", readonly=True)
    equipped_count = fields.Integer(
        string="Cars with Accessories",
        readonly=True,
        help="New cars delivered with at least one accessory sold (not only given) on their new-car order.",
    )
    car_revenue = fields.Monetary(string="Accessory Revenue of the Cars", readonly=True)
    car_gross = fields.Monetary(
        string="Accessory Gross of the Cars",
        readonly=True,
        help="Revenue minus cost (gifts included) and rebates of the delivered cars' accessories.",
    )
    penetration = fields.Float(
        string="Penetration (%)",
        readonly=True,
        digits=(16, 1),
        aggregator="avg",
        help="精品渗透率: cars delivered with accessories per 100 new cars delivered.",
    )
    gross_per_car = fields.Monetary(
        string="Gross per Car",
        readonly=True,
        aggregator="avg",
        help="精品毛利/台: the cars' accessory gross per new car.",
    )
    revenue_per_car = fields.Monetary(
        string="Revenue per Car",
        readonly=True,
        aggregator="avg",
        help="单产: the cars' accessory revenue per new car.",
    )

    @property
    def _table_query(self):
        group_by = self._group_by()
        group_by = SQL(" GROUP BY %s", group_by) if group_by else SQL()
        return SQL("SELECT %s FROM %s WHERE %s%s", self._select(), self._from(), self._where(), group_by)

    def _select(self):
        def converted(column):
            return SQL("f.%s * %s", SQL.identifier(column), GROUP_RATE)

        def per_car(amount):
            return SQL("CASE WHEN f.car_count > 0 THEN %s / f.car_count ELSE 0 END", amount)

        return SQL(
            """f.id AS id, f.day, f.company_id, %(currency)s AS currency_id, f.user_id, f.specialist_id,
               f.vehicle_model_id, f.categ_id, f.source, f.channel, f.quantity,
               %(amounts)s,
               (f.revenue - f.cost - f.rebate) * %(rate)s AS gross,
               (f.car_revenue - f.car_cost - f.car_rebate) * %(rate)s AS car_gross,
               f.car_count, f.equipped_count,
               %(penetration)s AS penetration,
               %(gross_per_car)s AS gross_per_car,
               %(revenue_per_car)s AS revenue_per_car""",
            currency=self.env.company.currency_id.id,
            amounts=SQL(", ").join(SQL("%s AS %s", converted(name), SQL.identifier(name)) for name in AMOUNTS),
            rate=GROUP_RATE,
            penetration=per_car(SQL("100.0 * f.equipped_count")),
            gross_per_car=per_car(SQL("(f.car_revenue - f.car_cost - f.car_rebate) * %s", GROUP_RATE)),
            revenue_per_car=per_car(converted("car_revenue")),
        )

    def _from(self):
        return SQL(
            "jingpin_figure_daily f JOIN %s ON account_currency_table.company_id = f.company_id",
            group_currency_table(self.env),
        )

    def _where(self):
        return SQL("TRUE")

    def _group_by(self):
        """One row per daily row: no grouping. An extension that aggregates returns its keys."""
        return SQL()

    def _read_group_select(self, aggregate_spec, query):
        """A ratio of a group is that of its sums (not the mean of its rows' ratios): so the
        dashboards' pivots, charts and rankings read them as any measure, in the same query."""
        ratio = RATIOS.get(aggregate_spec.split(":")[0])
        if ratio is None:
            return super()._read_group_select(aggregate_spec, query)
        numerator, factor = ratio
        return SQL(
            "COALESCE(%s * SUM(%s) / NULLIF(SUM(%s), 0), 0)",
            factor,
            self._field_to_sql(self._table, numerator, query),
            self._field_to_sql(self._table, "car_count", query),
        )
