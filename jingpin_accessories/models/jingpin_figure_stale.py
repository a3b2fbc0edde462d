from odoo import api, fields, models
from odoo.tools import SQL

from ..figures import local_date

# What moves an order's figures to another day (or its accessories to another car): the days it
# leaves are marked before the change is written.
ORDER_DAY_FIELDS = {"date_order", "company_id", "car_sale_order_id", "jingpin_channel"}
# What changes the figures an order counts in: its days are marked when the transaction commits.
ORDER_FIGURE_FIELDS = ORDER_DAY_FIELDS | {
    "state",
    "user_id",
    "specialist_id",
    "vehicle_id",
    "currency_rate",
    "rebate_amount",
}
LINE_FIGURE_FIELDS = {
    "product_id",
    "product_uom_qty",
    "price_subtotal",
    "purchase_price",
    "is_gift",
    "display_type",
    "jingpin_rebate_share",
}
# A car's delivery: the state and date of its moves.
MOVE_FIGURE_FIELDS = {"state", "date", "location_dest_id"}
# A change of time zone moves a document's local day by less than this many days either way
# (time zones lie between UTC-12 and UTC+14).
TZ_SHIFT_DAYS = 2
# The precommit data key under which a transaction collects the orders whose figures it changed.
PENDING_ORDERS = "jingpin.figure.stale.orders"


class JingpinFigureStale(models.Model):
    """A (dealership, day) whose daily figures a change made out of date (issue 23).

    The change marks the days it touches in its own transaction; the refresh job recomputes the
    marked days and deletes the marks it read, by id. A mark inserted by a transaction that commits
    while the job runs is not among those the job read: it stays for the next run, so no change
    is ever lost. Several marks of the same day are allowed (no unique index: two transactions
    marking the same day never wait on each other).
    """

    _name = "jingpin.figure.stale"
    _description = "Daily Figures to Refresh"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
    day = fields.Date(required=True, readonly=True)

    @api.model
    def _mark_orders(self, order_ids):
        """Mark the days whose figures ``order_ids`` count in, as the database holds them now:
        the accessory order's day and the delivery day of the car it was sold with (of the car
        sale itself when it is one). Call before a change that moves an order to another day, and
        (through ``_mark_orders_at_commit``) after any change of its figures."""
        if not order_ids:
            return
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO jingpin_figure_stale (company_id, day)
            SELECT DISTINCT k.company_id, k.day FROM (
                SELECT o.company_id, %(order_day)s AS day
                  FROM sale_order o
                  JOIN res_company c ON c.id = o.company_id
                  JOIN res_partner p ON p.id = c.partner_id
                 WHERE o.id IN %(ids)s AND o.jingpin_channel IS NOT NULL
                UNION ALL
                SELECT car.company_id, %(car_day)s
                  FROM sale_order o
                  JOIN sale_order car ON car.id = COALESCE(o.car_sale_order_id, o.id)
                  JOIN res_company c ON c.id = car.company_id
                  JOIN res_partner p ON p.id = c.partner_id
                  JOIN LATERAL (%(delivered)s) d ON TRUE
                 WHERE o.id IN %(ids)s
            ) k
             WHERE k.day IS NOT NULL
            """,
                ids=tuple(order_ids),
                order_day=local_date(SQL("o.date_order")),
                car_day=local_date(SQL("d.date")),
                delivered=self.env["jingpin.figure.daily"]._delivered_cars(SQL("car.id")),
            )
        )

    @api.model
    def _mark_orders_at_commit(self, order_ids):
        """Mark the days of ``order_ids`` once, when the transaction commits (or flushes the
        cursor): one query whatever the number of changes and lines."""
        if not order_ids:
            return
        precommit = self.env.cr.precommit
        pending = precommit.data.get(PENDING_ORDERS)
        if pending is None:
            pending = precommit.data[PENDING_ORDERS] = set()
            stale = self.sudo()

            @precommit.add
            def mark():
                orders = precommit.data.pop(PENDING_ORDERS, set())
                stale.env.flush_all()
                stale._mark_orders(orders)

        pending.update(order_ids)

    @api.model
    def _mark_companies_rezoned(self, company_ids):
        """Mark every day whose figures a change of the time zone of ``company_ids`` may move:
        the days they have figures or marks on (their rows under the old time zone go) and the
        days around them (where the same documents fall under the new one). One query, whatever
        the history; the job then rebuilds those days."""
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO jingpin_figure_stale (company_id, day)
            SELECT DISTINCT k.company_id, k.day + shift
              FROM (SELECT company_id, day FROM jingpin_figure_daily WHERE company_id IN %(ids)s
                    UNION
                    SELECT company_id, day FROM jingpin_figure_stale WHERE company_id IN %(ids)s) k
             CROSS JOIN generate_series(%(back)s, %(ahead)s) shift
            """,
                ids=tuple(company_ids),
                back=-TZ_SHIFT_DAYS,
                ahead=TZ_SHIFT_DAYS,
            )
        )

    @api.model
    def _mark_products(self, template_ids):
        """Mark every day on which the accessories ``template_ids`` were sold (their source changed)."""
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT l.order_id FROM sale_order_line l JOIN product_product pp ON pp.id = l.product_id"
                " WHERE pp.product_tmpl_id IN %s",
                tuple(template_ids),
            )
        )
        self._mark_orders_at_commit([order_id for (order_id,) in self.env.cr.fetchall()])
