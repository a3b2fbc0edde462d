from odoo import fields, models
from odoo.tools import SQL

from ..models.sale_order import JINGPIN_CHANNELS


class JingpinSatisfactionReport(models.Model):
    """Customer satisfaction (R27): one row per accessory of each handed-over work order, with the
    score of its follow-up visit and the complaints about it: those naming the work order, a rework
    of it or (without a work order) its order, and this accessory or no accessory at all. A rework
    work order is not a row of its own: its complaints count against the work it redoes. Averaged,
    the complaint rate is the share of fitted accessories complained about."""

    _name = "jingpin.satisfaction.report"
    _description = "Customer Satisfaction Analysis"
    _auto = False
    _order = "date desc"
    _depends = {
        "jingpin.work.item": ["task_id", "product_id"],
        "project.task": [
            "date_end",
            "technician_id",
            "accessory_order_id",
            "company_id",
            "is_work_order",
            "active",
            "work_state",
            "rework_of_id",
        ],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id"],
        "sale.order": ["jingpin_channel"],
        "jingpin.followup": ["task_id", "state", "score"],
        "jingpin.complaint": ["state", "task_id", "order_id", "product_id"],
    }

    date = fields.Date(string="Handed Over On", readonly=True)
    task_id = fields.Many2one("project.task", string="Work Order", readonly=True)
    technician_id = fields.Many2one("res.users", string="Technician", readonly=True)
    product_id = fields.Many2one("product.product", string="Accessory", readonly=True)
    categ_id = fields.Many2one("product.category", string="Accessory Category", readonly=True)
    jingpin_channel = fields.Selection(JINGPIN_CHANNELS, string="Sales Channel", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    item_count = fields.Integer(string="Accessories Fitted", readonly=True)
    score = fields.Float(string="Satisfaction", readonly=True, aggregator="avg", digits=(16, 2))
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    complaint_rate = fields.Float(string="Complaint Rate (%)", readonly=True, aggregator="avg", digits=(16, 1))

    @property
    def _table_query(self):
        group_by = self._group_by()
        group_by = SQL(" GROUP BY %s", group_by) if group_by else SQL()
        return SQL("SELECT %s FROM %s WHERE %s%s", self._select(), self._from(), self._where(), group_by)

    def _select(self):
        return SQL(
            """wi.id AS id,
               t.date_end::date AS date,
               t.id AS task_id,
               t.technician_id AS technician_id,
               wi.product_id AS product_id,
               pt.categ_id AS categ_id,
               so.jingpin_channel AS jingpin_channel,
               t.company_id AS company_id,
               1 AS item_count,
               f.score::float AS score,
               COALESCE(c.complaint_count, 0) AS complaint_count,
               CASE WHEN c.complaint_count > 0 THEN 100.0 ELSE 0.0 END AS complaint_rate"""
        )

    def _from(self):
        return SQL(
            """jingpin_work_item wi
               JOIN project_task t ON t.id = wi.task_id
               JOIN product_product pp ON pp.id = wi.product_id
               JOIN product_template pt ON pt.id = pp.product_tmpl_id
               LEFT JOIN sale_order so ON so.id = t.accessory_order_id
               LEFT JOIN jingpin_followup f ON f.task_id = t.id AND f.state = 'done'
               LEFT JOIN LATERAL (
                     SELECT COUNT(*) AS complaint_count
                       FROM jingpin_complaint jc
                      WHERE jc.state != 'cancel'
                        AND (jc.task_id = t.id
                             OR jc.task_id IN (SELECT r.id FROM project_task r WHERE r.rework_of_id = t.id)
                             OR (jc.task_id IS NULL AND jc.order_id = t.accessory_order_id))
                        AND (jc.product_id IS NULL OR jc.product_id = wi.product_id)
               ) c ON TRUE"""
        )

    def _where(self):
        return SQL("t.is_work_order AND t.active AND t.work_state = 'handed_over' AND t.rework_of_id IS NULL")

    def _group_by(self):
        """One row per item of a handed-over work order: no grouping."""
        return SQL()
