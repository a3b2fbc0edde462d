from odoo import fields, models
from odoo.tools import SQL

from ..figures import ACCESSORY_LINES, ACCESSORY_LINES_WHERE, COST, GIFT_COST, ORDER_RATE, REVENUE, in_company_currency
from ..models.sale_order import JINGPIN_CHANNELS


class JingpinSaleMarginReport(models.Model):
    """Accessory revenue, cost and margin, with gifts and rebates apart (R13, B4).

    One row per confirmed accessory order line, plus one row per order rebate. Gifts bring no
    revenue; their cost is charged to the car sale and the consultant who gave them. Amounts are
    in the company's currency.
    """

    _name = "jingpin.sale.margin.report"
    _description = "Accessory Sales Margin"
    _auto = False
    _order = "date desc"

    date = fields.Datetime(string="Order Date", readonly=True)
    order_id = fields.Many2one("sale.order", string="Order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    channel = fields.Selection(JINGPIN_CHANNELS, string="Sales Channel", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    specialist_id = fields.Many2one("res.users", string="Accessories Specialist", readonly=True)
    car_sale_order_id = fields.Many2one("sale.order", string="Car Sale", readonly=True)
    gift_given_by_id = fields.Many2one("res.users", string="Gifts Given By", readonly=True)
    vehicle_model_id = fields.Many2one("fleet.vehicle.model", string="Vehicle Model", readonly=True)
    product_id = fields.Many2one("product.product", string="Accessory", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    is_gift = fields.Boolean(string="Gift", readonly=True)
    quantity = fields.Float(readonly=True)
    revenue = fields.Monetary(readonly=True, help="Sales without taxes; gifts bring none.")
    cost = fields.Monetary(readonly=True, help="Cost of the accessories sold and given.")
    gift_cost = fields.Monetary(readonly=True)
    rebate = fields.Monetary(readonly=True)
    concession = fields.Monetary(
        string="Concessions",
        readonly=True,
        help="Discounts below the approved price and gift value.",
    )
    margin = fields.Monetary(readonly=True, help="Revenue minus cost and rebates.")

    @property
    def _table_query(self):
        group_by = self._group_by()
        group_by = SQL(" GROUP BY %s", group_by) if group_by else SQL()
        return SQL("SELECT %s FROM %s WHERE %s%s", self._select(), self._from(), self._where(), group_by)

    def _select(self):
        return SQL(
            """margin.id, margin.date, margin.order_id, margin.company_id, margin.currency_id,
               margin.channel, margin.partner_id, margin.user_id, margin.specialist_id,
               margin.car_sale_order_id, margin.gift_given_by_id, margin.vehicle_model_id,
               margin.product_id, margin.categ_id, margin.is_gift, margin.quantity,
               margin.revenue, margin.cost, margin.gift_cost, margin.rebate, margin.concession, margin.margin"""
        )

    def _from(self):
        return SQL("(%s UNION ALL %s) margin", self._line_rows(), self._rebate_rows())

    def _where(self):
        return SQL("TRUE")

    def _group_by(self):
        """One row per order line and per order rebate: no grouping."""
        return SQL()

    def _line_rows(self):
        """One row per confirmed accessory order line."""
        return SQL(
            """
            SELECT l.id * 2 AS id,
                   o.date_order AS date, o.id AS order_id, o.company_id, c.currency_id,
                   o.jingpin_channel AS channel, o.partner_id, o.user_id, o.specialist_id,
                   o.car_sale_order_id, o.gift_given_by_id, v.model_id AS vehicle_model_id,
                   l.product_id, t.categ_id, COALESCE(l.is_gift, FALSE) AS is_gift,
                   l.product_uom_qty AS quantity,
                   %(revenue)s AS revenue,
                   %(cost)s AS cost,
                   %(gift_cost)s AS gift_cost,
                   0.0 AS rebate,
                   COALESCE(l.jingpin_concession, 0) / %(rate)s AS concession,
                   %(margin)s AS margin
              FROM %(lines)s
              JOIN res_company c ON c.id = o.company_id
              LEFT JOIN jingpin_vehicle v ON v.id = o.vehicle_id
             WHERE %(lines_where)s
            """,
            rate=ORDER_RATE,
            revenue=in_company_currency(REVENUE),
            cost=in_company_currency(COST),
            gift_cost=in_company_currency(GIFT_COST),
            # the rebate is on its own row
            margin=in_company_currency(SQL("(%s - %s)", REVENUE, COST)),
            lines=ACCESSORY_LINES,
            lines_where=ACCESSORY_LINES_WHERE,
        )

    def _rebate_rows(self):
        """One row per confirmed accessory order with a rebate."""
        return SQL(
            """
            SELECT o.id * 2 + 1 AS id,
                   o.date_order, o.id, o.company_id, c.currency_id,
                   o.jingpin_channel, o.partner_id, o.user_id, o.specialist_id,
                   o.car_sale_order_id, o.gift_given_by_id, v.model_id,
                   NULL, NULL, FALSE, 0.0,
                   0.0, 0.0, 0.0,
                   o.rebate_amount / %(rate)s,
                   o.rebate_amount / %(rate)s,
                   -o.rebate_amount / %(rate)s
              FROM sale_order o
              JOIN res_company c ON c.id = o.company_id
              LEFT JOIN jingpin_vehicle v ON v.id = o.vehicle_id
             WHERE o.state = 'sale' AND o.jingpin_channel IS NOT NULL AND o.rebate_amount > 0
            """,
            rate=ORDER_RATE,
        )
