from odoo import fields, models
from odoo.tools import SQL

from ..models.project_task_type import OPEN_WORK_STATES


class JingpinWorkshopLoad(models.Model):
    """Planned standard labour per technician and day against his capacity (R20)."""

    _name = "jingpin.workshop.load"
    _description = "Workshop Load"
    _auto = False
    _order = "day desc, technician_id"

    day = fields.Date(readonly=True)
    technician_id = fields.Many2one("res.users", string="Technician", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    work_order_count = fields.Integer(string="Work Orders", readonly=True)
    planned_minutes = fields.Integer(string="Planned (min)", readonly=True)
    capacity = fields.Integer(string="Capacity (min)", readonly=True)
    load_percent = fields.Float(string="Load (%)", readonly=True, aggregator="avg", digits=(16, 1))

    @property
    def _table_query(self):
        return SQL("%s %s %s %s", self._select(), self._from(), self._where(), self._group_by())

    def _day(self):
        # The day in the technician's time zone, as the overbooking check counts it.
        return SQL("(t.planned_start AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(p.tz, 'UTC'))::date")

    def _select(self):
        return SQL(
            """
            SELECT MIN(t.id) AS id,
                   %(day)s AS day,
                   t.technician_id AS technician_id,
                   t.company_id AS company_id,
                   COUNT(*) AS work_order_count,
                   SUM(COALESCE(t.planned_minutes, 0)) AS planned_minutes,
                   u.jingpin_daily_capacity AS capacity,
                   100.0 * SUM(COALESCE(t.planned_minutes, 0)) / NULLIF(u.jingpin_daily_capacity, 0) AS load_percent
            """,
            day=self._day(),
        )

    def _from(self):
        return SQL("""
            FROM project_task t
            JOIN res_users u ON u.id = t.technician_id
            JOIN res_partner p ON p.id = u.partner_id
        """)

    def _where(self):
        return SQL(
            """
            WHERE t.is_work_order
              AND t.active
              AND t.planned_start IS NOT NULL
              AND t.work_state IN %(states)s
            """,
            states=OPEN_WORK_STATES,
        )

    def _group_by(self):
        return SQL("GROUP BY %s, t.technician_id, t.company_id, u.jingpin_daily_capacity", self._day())
