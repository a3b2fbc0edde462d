from odoo import fields, models
from odoo.tools import SQL


class JingpinLabourReport(models.Model):
    """Actual against standard labour, per technician and per accessory (R18, B13).

    Standard minutes come from the work order items and count for the work order's technician (a
    work order not yet given to a technician is nobody's labour yet and is left out); actual
    minutes come from the timesheets and count for whoever logged them, on the accessory item they
    were logged against (none when logged on the work order as a whole).
    """

    _name = "jingpin.labour.report"
    _description = "Labour Analysis"
    _auto = False
    _order = "date desc"

    date = fields.Date(readonly=True)
    task_id = fields.Many2one("project.task", string="Work Order", readonly=True)
    technician_id = fields.Many2one("res.users", string="Technician", readonly=True)
    product_id = fields.Many2one("product.product", string="Accessory", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    standard_minutes = fields.Float(string="Standard (min)", readonly=True, digits=(16, 0))
    actual_minutes = fields.Float(string="Actual (min)", readonly=True, digits=(16, 0))
    variance_minutes = fields.Float(
        string="Over Standard (min)",
        readonly=True,
        digits=(16, 0),
        help="Actual minus standard: positive when the work took longer than the standard.",
    )

    @property
    def _table_query(self):
        group_by = self._group_by()
        group_by = SQL(" GROUP BY %s", group_by) if group_by else SQL()
        return SQL("SELECT %s FROM %s WHERE %s%s", self._select(), self._from(), self._where(), group_by)

    def _select(self):
        return SQL(
            """work.id, work.date, work.task_id, work.technician_id, work.product_id, work.company_id,
               work.standard_minutes, work.actual_minutes, work.variance_minutes"""
        )

    def _from(self):
        return SQL("(%s UNION ALL %s) work", self._standard_work(), self._logged_work())

    def _where(self):
        return SQL("TRUE")

    def _group_by(self):
        """One row per work item and per time line: no grouping."""
        return SQL()

    def _standard_work(self):
        """The standard minutes of each work item of a technician's work order."""
        return SQL("""
            SELECT wi.id * 2 AS id,
                   COALESCE(t.date_started, t.planned_start, t.create_date)::date AS date,
                   t.id AS task_id,
                   t.technician_id AS technician_id,
                   wi.product_id AS product_id,
                   t.company_id AS company_id,
                   wi.labour_minutes::float AS standard_minutes,
                   0.0 AS actual_minutes,
                   -wi.labour_minutes::float AS variance_minutes
              FROM jingpin_work_item wi
              JOIN project_task t ON t.id = wi.task_id
             WHERE t.is_work_order AND t.active AND t.technician_id IS NOT NULL
        """)

    def _logged_work(self):
        """The minutes logged on work orders, on the work item they were logged on."""
        return SQL("""
            SELECT aal.id * 2 + 1 AS id,
                   aal.date AS date,
                   t.id AS task_id,
                   aal.user_id AS technician_id,
                   wi.product_id AS product_id,
                   t.company_id AS company_id,
                   0.0 AS standard_minutes,
                   aal.unit_amount * 60 AS actual_minutes,
                   aal.unit_amount * 60 AS variance_minutes
              FROM account_analytic_line aal
              JOIN project_task t ON t.id = aal.task_id
              LEFT JOIN jingpin_work_item wi ON wi.id = aal.work_item_id
             WHERE t.is_work_order AND t.active AND aal.project_id IS NOT NULL
        """)
