from odoo import fields, models
from odoo.tools import SQL

from ..figures import (
    ACCESSORY_LINES,
    ACCESSORY_LINES_WHERE,
    COST,
    GIFT_COST,
    GROSS,
    REBATE,
    REVENUE,
    in_company_currency,
)
from ..models.sale_order import JINGPIN_CHANNELS

# What the queries read: flushed before the reports are read.
SALE_DEPENDS = {
    "sale.order": [
        "state",
        "date_order",
        "company_id",
        "currency_rate",
        "jingpin_channel",
        "specialist_id",
        "user_id",
        "partner_id",
        "vehicle_id",
        "car_sale_order_id",
        "rebate_amount",
    ],
    "sale.order.line": [
        "order_id",
        "product_id",
        "product_uom_qty",
        "price_subtotal",
        "purchase_price",
        "is_gift",
        "display_type",
        "linked_line_id",
        "combo_item_id",
        "jingpin_rebate_share",
    ],
    "product.product": ["product_tmpl_id"],
    "product.template": ["categ_id", "type", "is_accessory"],
    "jingpin.vehicle": ["model_id"],
}


class JingpinAccessoryReport(models.Model):
    """Accessory sales analysis (R5, R37): one row per accessory sold or given on a confirmed
    accessory order, by dealership, month, category, accessory, package, channel and people.

    Packages count through their components (Odoo spreads the package price over them), each row
    naming its package. Gifts bring no revenue; their cost is in *Gift Cost*. Each row bears its
    line's share of the order's rebate (``jingpin_rebate_share``), so the report's rebates add up
    to the orders'. Amounts are in the company's currency.

    The query is built from overridable parts, like Odoo's ``sale.report``.
    """

    _name = "jingpin.accessory.report"
    _description = "Accessory Sales Analysis"
    _auto = False
    _depends = SALE_DEPENDS
    _order = "date desc"
    _rec_name = "product_id"

    date = fields.Datetime(string="Order Date", readonly=True)
    order_id = fields.Many2one("sale.order", string="Order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    product_id = fields.Many2one("product.product", string="Accessory", readonly=True)
    package_id = fields.Many2one("product.product", string="Package", readonly=True)
    channel = fields.Selection(JINGPIN_CHANNELS, string="Sales Channel", readonly=True)
    specialist_id = fields.Many2one("res.users", string="Accessories Specialist", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    vehicle_model_id = fields.Many2one("fleet.vehicle.model", string="Vehicle Model", readonly=True)
    is_gift = fields.Boolean(string="Gift", readonly=True)
    quantity = fields.Float(readonly=True)
    revenue = fields.Monetary(readonly=True, help="Sales without taxes; gifts bring none.")
    cost = fields.Monetary(readonly=True, help="Cost of the accessories sold and given.")
    gift_cost = fields.Monetary(readonly=True)
    rebate = fields.Monetary(readonly=True, help="The order's rebate, spread over its accessories.")
    margin = fields.Monetary(readonly=True, help="Revenue minus cost and rebates.")

    @property
    def _table_query(self):
        group_by = self._group_by()
        group_by = SQL(" GROUP BY %s", group_by) if group_by else SQL()
        return SQL("SELECT %s FROM %s WHERE %s%s", self._select(), self._from(), self._where(), group_by)

    def _select(self):
        return SQL(
            """l.id AS id, o.date_order AS date, o.id AS order_id, o.company_id, c.currency_id,
               t.categ_id, l.product_id, package.product_id AS package_id,
               o.jingpin_channel AS channel, o.specialist_id, o.user_id, o.partner_id,
               v.model_id AS vehicle_model_id, COALESCE(l.is_gift, FALSE) AS is_gift,
               l.product_uom_qty AS quantity,
               %(revenue)s AS revenue,
               %(cost)s AS cost,
               %(gift_cost)s AS gift_cost,
               %(rebate)s AS rebate,
               %(margin)s AS margin""",
            revenue=in_company_currency(REVENUE),
            cost=in_company_currency(COST),
            gift_cost=in_company_currency(GIFT_COST),
            rebate=in_company_currency(REBATE),
            margin=in_company_currency(GROSS),
        )

    def _from(self):
        return SQL(
            """%s
               -- left joins read only for their columns: left out of the queries that do not read them
               LEFT JOIN res_company c ON c.id = o.company_id
               LEFT JOIN sale_order_line package ON package.id = l.linked_line_id AND l.combo_item_id IS NOT NULL
               LEFT JOIN jingpin_vehicle v ON v.id = o.vehicle_id""",
            ACCESSORY_LINES,
        )

    def _where(self):
        return ACCESSORY_LINES_WHERE

    def _group_by(self):
        """One row per sale line: no grouping. An extension that aggregates returns its keys."""
        return SQL()


class JingpinCarDeliveryReport(models.Model):
    """Accessory revenue per delivered new car (单产, B14): one row per new car delivered.

    A *new car delivered* is a confirmed car sale (a sale order without an accessory channel whose
    *Vehicle* names the customer's car) whose car has left the stock: the first done outgoing move of a product that is
    not an accessory, dated by when it was done. Each car sale counts once, on its delivery date,
    for its sales consultant, dealership and the car's model. Its accessory revenue is that of the
    confirmed new-car accessory orders that name it as their car sale (gifts excluded, their cost
    apart). *Revenue per Car* is averaged over the cars: the accessory revenue divided by the cars
    delivered, whatever the grouping.
    """

    _name = "jingpin.car.delivery.report"
    _description = "Accessory Revenue per Delivered Car"
    _auto = False
    _depends = SALE_DEPENDS | {
        "stock.move": ["state", "date", "sale_line_id", "product_id", "location_dest_id"],
        "stock.location": ["usage"],
    }
    _order = "date desc"
    _rec_name = "car_sale_order_id"

    date = fields.Datetime(string="Delivered On", readonly=True)
    car_sale_order_id = fields.Many2one("sale.order", string="Car Sale", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Sales Consultant", readonly=True)
    vehicle_model_id = fields.Many2one("fleet.vehicle.model", string="Vehicle Model", readonly=True)
    car_count = fields.Integer(string="Cars Delivered", readonly=True)
    revenue = fields.Monetary(string="Accessory Revenue", readonly=True)
    gift_cost = fields.Monetary(readonly=True)
    revenue_per_car = fields.Monetary(
        string="Revenue per Car",
        readonly=True,
        aggregator="avg",
        help="单产: new-car accessory revenue divided by the new cars delivered.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            WITH delivered AS (%(delivered)s), accessories AS (
                SELECT o.car_sale_order_id, SUM(%(revenue)s) AS revenue, SUM(%(gift_cost)s) AS gift_cost
                  FROM %(lines)s
                 WHERE %(lines_where)s AND o.jingpin_channel = 'new_car' AND o.car_sale_order_id IS NOT NULL
                 GROUP BY o.car_sale_order_id
            )
            SELECT car.id AS id, delivered.date, car.id AS car_sale_order_id, car.company_id, c.currency_id,
                   car.user_id, v.model_id AS vehicle_model_id, 1 AS car_count,
                   COALESCE(a.revenue, 0) AS revenue, COALESCE(a.gift_cost, 0) AS gift_cost,
                   COALESCE(a.revenue, 0) AS revenue_per_car
              FROM sale_order car
              JOIN delivered ON delivered.order_id = car.id
              -- left joins to rows that always exist: left out when their columns are not read
              LEFT JOIN res_company c ON c.id = car.company_id
              LEFT JOIN jingpin_vehicle v ON v.id = car.vehicle_id
              LEFT JOIN accessories a ON a.car_sale_order_id = car.id
             WHERE car.state = 'sale' AND car.jingpin_channel IS NULL AND car.vehicle_id IS NOT NULL
            """,
            delivered=self.env["jingpin.figure.daily"]._delivered_cars(),
            revenue=in_company_currency(REVENUE),
            gift_cost=in_company_currency(GIFT_COST),
            lines=ACCESSORY_LINES,
            lines_where=ACCESSORY_LINES_WHERE,
        )
