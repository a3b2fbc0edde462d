from odoo import fields, models
from odoo.tools import SQL

AGE_BUCKETS = [
    ("0_90", "0–90 Days"),
    ("91_180", "91–180 Days"),
    ("181_365", "181–365 Days"),
    ("365_plus", "Over 365 Days"),
]
# An accessory none of which reached a customer in this many days is a slow mover.
SLOW_MOVER_DAYS = 90


class JingpinStockAgeingReport(models.Model):
    """Accessory stock by age (库存积压, R28, B10): one row per accessory quant of a dealership's
    internal locations, aged from the day it came in (the quant's incoming date), valued at the
    accessory's cost in its dealership. An accessory of which nothing reached a customer in the last
    90 days is flagged as a slow mover: a candidate for a promotion."""

    _name = "jingpin.stock.ageing.report"
    _description = "Accessory Stock Ageing"
    _auto = False
    _order = "age_days desc"
    _depends = {
        "stock.quant": ["product_id", "location_id", "company_id", "quantity", "in_date"],
        "stock.location": ["usage"],
        "stock.move": ["state", "date", "location_dest_id", "product_id"],
        "product.product": ["product_tmpl_id", "standard_price"],
        "product.template": ["categ_id", "is_accessory"],
    }

    product_id = fields.Many2one("product.product", string="Accessory", readonly=True)
    categ_id = fields.Many2one("product.category", string="Accessory Category", readonly=True)
    location_id = fields.Many2one("stock.location", string="Location", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    in_date = fields.Date(string="In Since", readonly=True)
    age_days = fields.Integer(string="Age (Days)", readonly=True, aggregator="max")
    age_bucket = fields.Selection(AGE_BUCKETS, string="Age", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit")
    value = fields.Monetary(readonly=True, currency_field="currency_id")
    is_slow_mover = fields.Boolean(string="Slow Mover", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT q.id AS id,
                   q.product_id AS product_id,
                   pt.categ_id AS categ_id,
                   q.location_id AS location_id,
                   q.company_id AS company_id,
                   c.currency_id AS currency_id,
                   q.in_date::date AS in_date,
                   (CURRENT_DATE - q.in_date::date) AS age_days,
                   CASE WHEN CURRENT_DATE - q.in_date::date <= 90 THEN '0_90'
                        WHEN CURRENT_DATE - q.in_date::date <= 180 THEN '91_180'
                        WHEN CURRENT_DATE - q.in_date::date <= 365 THEN '181_365'
                        ELSE '365_plus' END AS age_bucket,
                   q.quantity AS quantity,
                   q.quantity * COALESCE((pp.standard_price ->> q.company_id::text)::numeric, 0) AS value,
                   NOT EXISTS (
                       SELECT 1 FROM stock_move m
                         JOIN stock_location dest ON dest.id = m.location_dest_id AND dest.usage = 'customer'
                        WHERE m.product_id = q.product_id AND m.company_id = q.company_id AND m.state = 'done'
                          AND m.date >= CURRENT_DATE - %(slow_days)s
                   ) AS is_slow_mover
              FROM stock_quant q
              JOIN stock_location l ON l.id = q.location_id AND l.usage = 'internal'
              JOIN product_product pp ON pp.id = q.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id AND pt.is_accessory
              JOIN res_company c ON c.id = q.company_id
             WHERE q.quantity > 0
            """,
            slow_days=SLOW_MOVER_DAYS,
        )
