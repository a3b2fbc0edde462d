from odoo import api, fields, models
from odoo.tools import SQL

from ..figures import ACCESSORY_LINES, ACCESSORY_LINES_WHERE, REVENUE, in_company_currency, local_month


class JingpinAppraisalReport(models.Model):
    """Monthly appraisal figures per person (考核, R2): one row per dealership, staff member and
    month, from what the system holds.

    * Revenue: what he is credited with on confirmed accessory orders (as their specialist, or as
      the sales consultant of a new-car order), gifts excluded, against his personal target.
    * Work orders: those he handed over in the month (as their technician), how many by the
      completion promised to the customer (by their planned end when nothing was promised; one
      never planned is not late), how many went back for rework, their standard
      minutes; his actual minutes are the time he logged on work orders in the month.
    * After-sales: complaints on his work orders opened in the month; the follow-up calls he made
      that reached the customer in the month (credited to who made the call, or, for a call
      recorded before who called was kept, to the specialist it was given to; never to the work
      order's technician) and their satisfaction score (1-5).
    * Trainings he attended (present) that were held in the month.

    Months are the dealership's (its time zone). The rates are worked out per row.
    """

    _name = "jingpin.appraisal.report"
    _description = "Staff Appraisal"
    _auto = False
    _order = "month desc, company_id, user_id"
    _rec_name = "user_id"
    _depends = {
        "jingpin.personal.target": ["company_id", "user_id", "month", "amount"],
        "sale.order": [
            "state",
            "date_order",
            "company_id",
            "currency_rate",
            "jingpin_channel",
            "specialist_id",
            "user_id",
        ],
        "sale.order.line": ["order_id", "price_subtotal", "is_gift", "display_type", "product_id"],
        "product.template": ["type"],
        "project.task": [
            "is_work_order",
            "active",
            "company_id",
            "technician_id",
            "work_state",
            "date_end",
            "planned_end",
            "promised_datetime",
            "rework_count",
        ],
        "jingpin.work.item": ["task_id", "labour_minutes"],
        "account.analytic.line": ["task_id", "user_id", "date", "unit_amount", "project_id"],
        "jingpin.complaint": ["task_id", "technician_id", "company_id"],
        "jingpin.followup": ["called_by_id", "user_id", "state", "date_done", "score", "company_id"],
        "jingpin.training.attendance": ["user_id", "present", "training_id"],
        "jingpin.training": ["state", "date", "company_id"],
    }

    month = fields.Date(readonly=True)
    period = fields.Char(readonly=True, help="The month, as year-month.")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Staff Member", readonly=True)
    target = fields.Monetary(readonly=True)
    revenue = fields.Monetary(readonly=True, help="Accessory revenue he is credited with, gifts excluded.")
    work_done_count = fields.Integer(string="Work Orders Handed Over", readonly=True)
    work_on_time_count = fields.Integer(
        string="On Time", readonly=True, help="Handed over by the planned end (or never planned)."
    )
    rework_count = fields.Integer(string="Reworked", readonly=True, help="Work orders that went back for rework.")
    standard_minutes = fields.Float(string="Standard (min)", readonly=True, digits=(16, 0))
    actual_minutes = fields.Float(string="Actual (min)", readonly=True, digits=(16, 0))
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    followup_count = fields.Integer(
        string="Follow-ups Done", readonly=True, help="The follow-up calls he made that reached the customer."
    )
    followup_score = fields.Float(
        string="Satisfaction", readonly=True, aggregator="avg", digits=(16, 1), help="Average follow-up score (1-5)."
    )
    training_count = fields.Integer(string="Trainings", readonly=True)
    achievement_rate = fields.Float(string="Achievement (%)", compute="_compute_rates", digits=(16, 1))
    on_time_rate = fields.Float(string="On Time (%)", compute="_compute_rates", digits=(16, 1))
    rework_rate = fields.Float(string="Rework (%)", compute="_compute_rates", digits=(16, 1))
    efficiency = fields.Float(
        string="Labour Efficiency (%)",
        compute="_compute_rates",
        digits=(16, 1),
        help="Standard minutes of the work handed over against the minutes logged.",
    )

    @property
    def _table_query(self):
        group_by = self._group_by()
        group_by = SQL(" GROUP BY %s", group_by) if group_by else SQL()
        return SQL("SELECT %s FROM %s WHERE %s%s", self._select(), self._from(), self._where(), group_by)

    def _select(self):
        return SQL(
            """ROW_NUMBER() OVER (ORDER BY facts.month, facts.company_id, facts.user_id) AS id,
               facts.month, to_char(facts.month, 'YYYY-MM') AS period,
               facts.company_id, c.currency_id, facts.user_id,
               SUM(target) AS target, SUM(revenue) AS revenue,
               SUM(done) AS work_done_count, SUM(on_time) AS work_on_time_count,
               SUM(reworked) AS rework_count, SUM(standard) AS standard_minutes,
               SUM(actual) AS actual_minutes, SUM(complaints) AS complaint_count,
               SUM(followups) AS followup_count,
               CASE WHEN SUM(followups) > 0 THEN SUM(score)::float / SUM(followups) ELSE 0 END
                   AS followup_score,
               SUM(trainings) AS training_count"""
        )

    def _from(self):
        return SQL("(%s) facts JOIN res_company c ON c.id = facts.company_id", self._facts())

    def _where(self):
        return SQL("TRUE")

    def _group_by(self):
        return SQL("facts.month, facts.company_id, c.currency_id, facts.user_id")

    def _facts(self):
        """One row per fact that counts for a person's month: his target, a line he is credited
        with, a work order he handed over, a time line, a complaint, a follow-up, a training."""
        return SQL(
            """
                SELECT pt.company_id, pt.user_id, pt.month, pt.amount AS target, 0.0 AS revenue,
                       0 AS done, 0 AS on_time, 0 AS reworked, 0.0 AS standard, 0.0 AS actual,
                       0 AS complaints, 0 AS followups, 0 AS score, 0 AS trainings
                  FROM jingpin_personal_target pt
                UNION ALL
                SELECT o.company_id, credited.user_id, %(order_month)s, 0.0,
                       %(revenue)s,
                       0, 0, 0, 0.0, 0.0, 0, 0, 0, 0
                  FROM %(lines)s
                  JOIN res_company c ON c.id = o.company_id
                  JOIN res_partner p ON p.id = c.partner_id
                  JOIN LATERAL (
                      SELECT o.specialist_id AS user_id WHERE o.specialist_id IS NOT NULL
                      UNION
                      SELECT o.user_id WHERE o.jingpin_channel = 'new_car' AND o.user_id IS NOT NULL
                  ) credited ON TRUE
                 WHERE %(lines_where)s
                UNION ALL
                SELECT task.company_id, task.technician_id, %(task_month)s, 0.0, 0.0,
                       1, CASE WHEN COALESCE(task.promised_datetime, task.planned_end) IS NULL
                                 OR task.date_end <= COALESCE(task.promised_datetime, task.planned_end)
                               THEN 1 ELSE 0 END,
                       CASE WHEN task.rework_count > 0 THEN 1 ELSE 0 END,
                       COALESCE((SELECT SUM(wi.labour_minutes)
                                   FROM jingpin_work_item wi WHERE wi.task_id = task.id), 0),
                       0.0, 0, 0, 0, 0
                  FROM project_task task
                  JOIN res_company c ON c.id = task.company_id
                  JOIN res_partner p ON p.id = c.partner_id
                 WHERE task.is_work_order AND task.active AND task.work_state = 'handed_over'
                   AND task.technician_id IS NOT NULL AND task.date_end IS NOT NULL
                UNION ALL
                SELECT task.company_id, aal.user_id, date_trunc('month', aal.date)::date, 0.0, 0.0,
                       0, 0, 0, 0.0, aal.unit_amount * 60, 0, 0, 0, 0
                  FROM account_analytic_line aal
                  JOIN project_task task ON task.id = aal.task_id
                 WHERE task.is_work_order AND task.active AND aal.project_id IS NOT NULL AND aal.user_id IS NOT NULL
                UNION ALL
                SELECT cp.company_id, cp.technician_id, %(complaint_month)s, 0.0, 0.0,
                       0, 0, 0, 0.0, 0.0, 1, 0, 0, 0
                  FROM jingpin_complaint cp
                  JOIN res_company c ON c.id = cp.company_id
                  JOIN res_partner p ON p.id = c.partner_id
                 WHERE cp.technician_id IS NOT NULL
                UNION ALL
                SELECT f.company_id, COALESCE(f.called_by_id, f.user_id), date_trunc('month', f.date_done)::date,
                       0.0, 0.0, 0, 0, 0, 0.0, 0.0, 0, 1, COALESCE(f.score, 0), 0
                  FROM jingpin_followup f
                 WHERE f.state = 'done' AND COALESCE(f.called_by_id, f.user_id) IS NOT NULL
                   AND f.date_done IS NOT NULL
                UNION ALL
                SELECT tr.company_id, a.user_id, %(training_month)s, 0.0, 0.0,
                       0, 0, 0, 0.0, 0.0, 0, 0, 0, 1
                  FROM jingpin_training_attendance a
                  JOIN jingpin_training tr ON tr.id = a.training_id
                  JOIN res_company c ON c.id = tr.company_id
                  JOIN res_partner p ON p.id = c.partner_id
                 WHERE tr.state = 'held' AND a.present
            """,
            revenue=in_company_currency(REVENUE),
            lines=ACCESSORY_LINES,
            lines_where=ACCESSORY_LINES_WHERE,
            order_month=local_month(SQL("o.date_order")),
            task_month=local_month(SQL("task.date_end")),
            complaint_month=local_month(SQL("cp.create_date")),
            training_month=local_month(SQL("tr.date")),
        )

    @api.depends("target", "revenue", "work_done_count", "work_on_time_count", "rework_count")
    def _compute_rates(self):
        for row in self:
            row.achievement_rate = row.target and 100.0 * row.revenue / row.target
            row.on_time_rate = row.work_done_count and 100.0 * row.work_on_time_count / row.work_done_count
            row.rework_rate = row.work_done_count and 100.0 * row.rework_count / row.work_done_count
            row.efficiency = row.actual_minutes and 100.0 * row.standard_minutes / row.actual_minutes
