from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..figures import (
    ACCESSORY_LINES,
    ACCESSORY_LINES_WHERE,
    COST,
    GIFT_COST,
    REBATE,
    REVENUE,
    in_company_currency,
    local_date,
)
from .product_template import ACCESSORY_SOURCES
from .sale_order import JINGPIN_CHANNELS

# The measures of a row, in their column order.
MEASURES = [
    "quantity",
    "revenue",
    "cost",
    "gift_cost",
    "rebate",
    "car_count",
    "equipped_count",
    "car_revenue",
    "car_cost",
    "car_rebate",
]
DIMENSIONS = [
    "company_id",
    "day",
    "user_id",
    "specialist_id",
    "vehicle_model_id",
    "categ_id",
    "source",
    "channel",
]


class JingpinFigureDaily(models.Model):
    """The figures a dealer group ranks on, pre-aggregated per dealership and day (issue 23).

    One row per dealership, day (in the dealership's time zone), sales consultant, accessories
    specialist, vehicle model, category, accessory source and channel. Amounts are in the
    dealership's currency (the analysis converts them into the group's when it reads them). Two
    kinds of figures share the rows:

    * *sales* (``quantity`` … ``rebate``): the accessory lines of confirmed orders, on the order's
      day, as the sales analysis counts them;
    * *cars* (``car_count`` … ``car_rebate``): the new cars delivered that day (a car sale counts
      on the day its car first left the stock, for its consultant and the car's model), those
      delivered with accessories (at least one accessory sold, not given, on a confirmed new-car
      accessory order naming the car sale), and the revenue, cost (gifts included) and rebates of
      those orders. Cars are counted on rows without source or category; their accessories'
      amounts on the rows of their source and category.

    The rows are written by the server only (``_refresh``), from the marks changes leave in
    ``jingpin.figure.stale``: the dashboards read this table, never the sale lines.
    """

    _name = "jingpin.figure.daily"
    _description = "Daily Accessory Figures"
    _log_access = False
    _order = "day desc, company_id"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id")
    day = fields.Date(required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Sales Consultant", readonly=True, ondelete="set null")
    specialist_id = fields.Many2one("res.users", string="Accessories Specialist", readonly=True, ondelete="set null")
    vehicle_model_id = fields.Many2one(
        "fleet.vehicle.model", string="Vehicle Model", readonly=True, ondelete="set null"
    )
    categ_id = fields.Many2one("product.category", string="Category", readonly=True, ondelete="set null")
    source = fields.Selection(ACCESSORY_SOURCES, string="Accessory Source", readonly=True)
    channel = fields.Selection(JINGPIN_CHANNELS, string="Sales Channel", readonly=True)
    quantity = fields.Float(readonly=True)
    revenue = fields.Monetary(readonly=True)
    cost = fields.Monetary(readonly=True)
    gift_cost = fields.Monetary(readonly=True)
    rebate = fields.Monetary(readonly=True)
    car_count = fields.Integer(string="New Cars Delivered", readonly=True)
    equipped_count = fields.Integer(string="Cars with Accessories", readonly=True)
    car_revenue = fields.Monetary(string="Accessory Revenue of the Cars", readonly=True)
    car_cost = fields.Monetary(string="Accessory Cost of the Cars", readonly=True)
    car_rebate = fields.Monetary(string="Rebates of the Cars", readonly=True)

    _company_day_idx = models.Index("(company_id, day)")

    # === THE FIGURES, FROM THE DOCUMENTS === #
    @api.model
    def _delivered_cars(self, car=None):
        """The new cars delivered: per car sale (a confirmed sale order without accessory channel
        naming the customer's car), when its car first left the stock (its first done move of a
        product that is not an accessory to a customer). With ``car`` (an SQL column), only that
        car sale's row, for a lateral join."""
        condition = SQL("AND sl.order_id = %s", car) if car is not None else SQL()
        return SQL(
            """SELECT sl.order_id, MIN(m.date) AS date
                 FROM stock_move m
                 JOIN sale_order_line sl ON sl.id = m.sale_line_id
                 JOIN product_product dp ON dp.id = m.product_id
                 JOIN product_template dt ON dt.id = dp.product_tmpl_id
                 JOIN stock_location dest ON dest.id = m.location_dest_id
                WHERE m.state = 'done' AND dest.usage = 'customer' AND NOT COALESCE(dt.is_accessory, FALSE)
                  %s
                GROUP BY sl.order_id""",
            condition,
        )

    @api.model
    def _facts(self, since=None, until=None):
        """The rows' facts before aggregation, from the documents. ``since``/``until`` (naive UTC
        datetimes) bound the order dates and deliveries read, so a refresh of a few days reads
        only those days' documents (through the indexes on the dates)."""

        def bounded(column):
            if since is None:
                return SQL()
            return SQL("AND %s >= %s AND %s < %s", column, since, column, until)

        delivered = self._delivered_cars()
        if since is not None:
            delivered = SQL(
                "SELECT * FROM (%s) d0 WHERE d0.order_id IN (SELECT sl.order_id FROM stock_move m"
                " JOIN sale_order_line sl ON sl.id = m.sale_line_id WHERE m.state = 'done' %s)",
                delivered,
                bounded(SQL("m.date")),
            )
        zero = SQL("0")
        sold = {
            "quantity": SQL("l.product_uom_qty"),
            "revenue": in_company_currency(REVENUE),
            "cost": in_company_currency(COST),
            "gift_cost": in_company_currency(GIFT_COST),
            "rebate": in_company_currency(REBATE),
        }
        car_accessories = {
            "car_revenue": in_company_currency(REVENUE),
            "car_cost": in_company_currency(COST),
            "car_rebate": in_company_currency(REBATE),
        }

        def measures(values):
            return SQL(", ").join(SQL("%s AS %s", values.get(name, zero), SQL.identifier(name)) for name in MEASURES)

        car_sale = SQL("car.state = 'sale' AND car.jingpin_channel IS NULL AND car.vehicle_id IS NOT NULL")
        return SQL(
            """
            WITH delivered AS (%(delivered)s)
            SELECT o.company_id, %(order_day)s AS day, o.user_id, o.specialist_id, v.model_id AS vehicle_model_id,
                   t.categ_id, t.jingpin_source AS source, o.jingpin_channel AS channel, %(sold)s
              FROM %(lines)s
              JOIN res_company c ON c.id = o.company_id
              JOIN res_partner p ON p.id = c.partner_id
              LEFT JOIN jingpin_vehicle v ON v.id = o.vehicle_id
             WHERE %(lines_where)s %(order_bounds)s
            UNION ALL
            SELECT car.company_id, %(car_day)s, car.user_id, NULL, v.model_id, NULL, NULL, NULL, %(cars)s
              FROM sale_order car
              JOIN delivered d ON d.order_id = car.id
              JOIN res_company c ON c.id = car.company_id
              JOIN res_partner p ON p.id = c.partner_id
              JOIN jingpin_vehicle v ON v.id = car.vehicle_id
             WHERE %(car_sale)s
            UNION ALL
            SELECT car.company_id, %(car_day)s, car.user_id, o.specialist_id, v.model_id,
                   t.categ_id, t.jingpin_source, o.jingpin_channel, %(car_accessories)s
              FROM %(lines)s
              JOIN sale_order car ON car.id = o.car_sale_order_id
              JOIN delivered d ON d.order_id = car.id
              JOIN res_company c ON c.id = car.company_id
              JOIN res_partner p ON p.id = c.partner_id
              JOIN jingpin_vehicle v ON v.id = car.vehicle_id
             WHERE %(lines_where)s AND o.jingpin_channel = 'new_car' AND %(car_sale)s
            """,
            delivered=delivered,
            order_day=local_date(SQL("o.date_order")),
            car_day=local_date(SQL("d.date")),
            sold=measures(sold),
            cars=measures(
                {
                    "car_count": SQL("1"),
                    "equipped_count": SQL(
                        """CASE WHEN EXISTS (
                               SELECT 1 FROM %s
                                WHERE o.car_sale_order_id = car.id AND o.jingpin_channel = 'new_car'
                                  AND %s AND NOT COALESCE(l.is_gift, FALSE)
                           ) THEN 1 ELSE 0 END""",
                        ACCESSORY_LINES,
                        ACCESSORY_LINES_WHERE,
                    ),
                }
            ),
            car_accessories=measures(car_accessories),
            lines=ACCESSORY_LINES,
            lines_where=ACCESSORY_LINES_WHERE,
            order_bounds=bounded(SQL("o.date_order")),
            car_sale=car_sale,
        )

    # === THE REFRESH === #
    @api.model
    def _cron_refresh(self):
        self._refresh()

    @api.model
    def _refresh(self):
        """Bring the table up to date: recompute the (dealership, day) pairs marked stale, or the
        whole table the first time (an existing database gets its history). The figures are
        those of the documents committed when the refresh started; the dealerships' freshness
        (``jingpin_figures_refreshed_at``) says when that was."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("SELECT EXISTS (SELECT 1 FROM res_company WHERE jingpin_figures_refreshed_at IS NOT NULL)")
        built = cr.fetchone()[0]
        cr.execute("SELECT id, company_id, day FROM jingpin_figure_stale")
        marks = cr.fetchall()
        if not built:
            self._rebuild(None)
        elif marks:
            self._rebuild({(company_id, day) for _id, company_id, day in marks})
        if marks:
            cr.execute(SQL("DELETE FROM jingpin_figure_stale WHERE id IN %s", tuple(mark[0] for mark in marks)))
        cr.execute(SQL("UPDATE res_company SET jingpin_figures_refreshed_at = %s", cr.now()))
        self.env["res.company"].invalidate_model(["jingpin_figures_refreshed_at"])
        self.invalidate_model()

    @api.model
    def _rebuild(self, keys):
        """Recompute the rows of ``keys`` ({(company id, day)}), or of every day with ``None``."""
        cr = self.env.cr
        if keys is None:
            cr.execute("DELETE FROM jingpin_figure_daily")
            facts, key_join = self._facts(), SQL()
        else:
            days = [day for _company, day in keys]
            # every time zone's day lies within a day on either side of the UTC day
            since = fields.Datetime.to_datetime(min(days)) - timedelta(days=1)
            until = fields.Datetime.to_datetime(max(days)) + timedelta(days=2)
            values = SQL(", ").join(SQL("(%s, %s::date)", company, day) for company, day in keys)
            cr.execute(
                SQL(
                    "DELETE FROM jingpin_figure_daily f USING (VALUES %s) AS k (company_id, day)"
                    " WHERE f.company_id = k.company_id AND f.day = k.day",
                    values,
                )
            )
            facts = self._facts(since, until)
            key_join = SQL(
                "JOIN (VALUES %s) AS k (company_id, day) ON k.company_id = f.company_id AND k.day = f.day", values
            )
        columns = SQL(", ").join(SQL.identifier(name) for name in DIMENSIONS + MEASURES)
        dimensions = SQL(", ").join(SQL("f.%s", SQL.identifier(name)) for name in DIMENSIONS)
        sums = SQL(", ").join(SQL("SUM(f.%s)", SQL.identifier(name)) for name in MEASURES)
        cr.execute(
            SQL(
                """
            INSERT INTO jingpin_figure_daily (%(columns)s)
            SELECT %(dimensions)s, %(sums)s
              FROM (%(facts)s) f %(key_join)s
             GROUP BY %(dimensions)s
            """,
                columns=columns,
                dimensions=dimensions,
                sums=sums,
                facts=facts,
                key_join=key_join,
            )
        )
