from datetime import timedelta

from odoo import Command, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

AGE_BUCKETS = [
    ("0_90", "0–90 Days"),
    ("91_180", "91–180 Days"),
    ("181_365", "181–365 Days"),
    ("365_plus", "Over 365 Days"),
]
# An accessory none of which reached a customer in this many days is a slow mover.
SLOW_MOVER_DAYS = 90
# A promotion proposed for slow movers: its length, and the discount it starts from (the manager
# reviews both before he submits it to the general manager).
PROMOTION_DAYS = 30
PROMOTION_DISCOUNT = 0.2
MANAGER_GROUP = "jingpin_accessories.group_jingpin_manager"


class JingpinStockAgeingReport(models.Model):
    """Accessory stock by age (库存积压, R28, B10): one row per accessory quant of a dealership's
    internal locations, valued at the accessory's cost in its dealership.

    Its age is that of the oldest unit still in stock, first in, first out: the dealership's done
    receipts of the accessory into its stock (from a supplier, a customer or a count; moves between
    its own locations bring nothing in), newest first, until they add up to what it holds. The
    quant's own incoming date only stands in when no receipt is known. An accessory whose stock is
    older than 90 days and of which nothing reached a customer in the last 90 days is a slow mover:
    a candidate for a promotion."""

    _name = "jingpin.stock.ageing.report"
    _description = "Accessory Stock Ageing"
    _auto = False
    _order = "age_days desc"
    _depends = {
        "stock.quant": ["product_id", "location_id", "company_id", "quantity", "in_date"],
        "stock.location": ["usage"],
        "stock.move": ["state", "date", "location_dest_id", "product_id"],
        "stock.move.line": ["state", "date", "location_id", "location_dest_id", "product_id", "quantity_product_uom"],
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
        group_by = self._group_by()
        group_by = SQL(" GROUP BY %s", group_by) if group_by else SQL()
        return SQL("SELECT %s FROM %s WHERE %s%s", self._select(), self._from(), self._where(), group_by)

    def _select(self):
        return SQL(
            """q.id AS id,
               q.product_id AS product_id,
               pt.categ_id AS categ_id,
               q.location_id AS location_id,
               q.company_id AS company_id,
               c.currency_id AS currency_id,
               q.received AS in_date,
               q.age AS age_days,
               CASE WHEN q.age <= 90 THEN '0_90'
                    WHEN q.age <= 180 THEN '91_180'
                    WHEN q.age <= 365 THEN '181_365'
                    ELSE '365_plus' END AS age_bucket,
               q.quantity AS quantity,
               q.quantity * COALESCE((pp.standard_price ->> q.company_id::text)::numeric, 0) AS value,
               q.age > %(slow_days)s AND NOT EXISTS (
                   SELECT 1 FROM stock_move m
                     JOIN stock_location dest ON dest.id = m.location_dest_id AND dest.usage = 'customer'
                    WHERE m.product_id = q.product_id AND m.company_id = q.company_id AND m.state = 'done'
                      AND m.date >= CURRENT_DATE - %(slow_days)s
               ) AS is_slow_mover""",
            slow_days=SLOW_MOVER_DAYS,
        )

    def _from(self):
        return SQL(
            """(%s) q
               JOIN stock_location l ON l.id = q.location_id
               JOIN product_product pp ON pp.id = q.product_id
               JOIN product_template pt ON pt.id = pp.product_tmpl_id
               JOIN res_company c ON c.id = q.company_id""",
            self._aged_quants(),
        )

    def _where(self):
        """Accessories held in the dealership's own stock."""
        return SQL("l.usage = 'internal' AND pt.is_accessory")

    def _group_by(self):
        """One row per quant: no grouping."""
        return SQL()

    def _aged_quants(self):
        """Each quant held, with the day its product's oldest unit still held came in, and its age."""
        return SQL("""
            WITH on_hand AS (
                SELECT q.company_id, q.product_id, SUM(q.quantity) AS quantity
                  FROM stock_quant q
                  JOIN stock_location l ON l.id = q.location_id AND l.usage = 'internal'
                 WHERE q.quantity > 0
                 GROUP BY q.company_id, q.product_id
            ), receipts AS (
                SELECT ml.company_id, ml.product_id, ml.date,
                       SUM(ml.quantity_product_uom) OVER (
                           PARTITION BY ml.company_id, ml.product_id ORDER BY ml.date DESC, ml.id DESC
                       ) - ml.quantity_product_uom AS newer_quantity
                  FROM stock_move_line ml
                  JOIN stock_location src ON src.id = ml.location_id AND src.usage != 'internal'
                  JOIN stock_location dest ON dest.id = ml.location_dest_id AND dest.usage = 'internal'
                 WHERE ml.state = 'done'
                   AND (ml.company_id, ml.product_id) IN (SELECT company_id, product_id FROM on_hand)
            ), oldest_in_stock AS (
                -- the oldest receipt not used up by the newer ones: what is held is the newest
                SELECT DISTINCT ON (r.company_id, r.product_id) r.company_id, r.product_id, r.date
                  FROM receipts r
                  JOIN on_hand h ON h.company_id = r.company_id AND h.product_id = r.product_id
                 WHERE r.newer_quantity < h.quantity
                 ORDER BY r.company_id, r.product_id, r.date
            )
            SELECT q.*, COALESCE(o.date, q.in_date)::date AS received,
                   CURRENT_DATE - COALESCE(o.date, q.in_date)::date AS age
              FROM stock_quant q
              LEFT JOIN oldest_in_stock o ON o.company_id = q.company_id AND o.product_id = q.product_id
             WHERE q.quantity > 0
        """)

    def action_propose_promotion(self):
        """The manager proposes the selected slow movers for a promotion (B10): a draft promotion of
        their dealership, each at 20% off its list price for 30 days from today, with their stock
        and age in its target text; he reviews it and submits it to the general manager."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("The accessories manager proposes promotions."))
        rows = self.filtered("is_slow_mover")
        if not rows:
            raise UserError(
                self.env._(
                    "None of the selected accessories is a slow mover (in stock for over %s days with nothing "
                    "sold in that time): there is nothing to propose for a promotion. Filter “Slow Movers” "
                    "to find them.",
                    SLOW_MOVER_DAYS,
                )
            )
        if len(rows.company_id) > 1:
            raise UserError(self.env._("Select the slow movers of one dealership at a time."))
        company = rows.company_id
        env = self.with_context(lang=company.partner_id.lang or "en_US").env
        stock = {}
        for row in rows:
            quantity, age = stock.get(row.product_id.product_tmpl_id, (0.0, 0))
            stock[row.product_id.product_tmpl_id] = (quantity + row.quantity, max(age, row.age_days))
        today = fields.Date.context_today(self)
        segment = env._(
            "Slow movers (nothing sold in %(days)s days): %(items)s",
            days=SLOW_MOVER_DAYS,
            items="; ".join(
                env._(
                    "%(product)s: %(quantity)s in stock for up to %(age)s days",
                    product=t.display_name,
                    quantity=q,
                    age=a,
                )
                for t, (q, a) in stock.items()
            ),
        )
        promotion = (
            self.env["jingpin.promotion"]
            .with_company(company)
            .create(
                {
                    "name": env._("Slow movers %s", fields.Date.to_string(today)),
                    "company_id": company.id,
                    "date_from": today,
                    "date_to": today + timedelta(days=PROMOTION_DAYS),
                    "customer_segment": segment,
                    "line_ids": [
                        Command.create(
                            {
                                "product_tmpl_id": template.id,
                                "promotion_price": company.currency_id.round(
                                    template.list_price * (1 - PROMOTION_DISCOUNT)
                                ),
                            }
                        )
                        for template in stock
                    ],
                }
            )
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "jingpin.promotion",
            "res_id": promotion.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
