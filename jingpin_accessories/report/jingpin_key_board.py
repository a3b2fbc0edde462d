from odoo import api, fields, models
from odoo.tools import SQL


class JingpinKeyBoard(models.Model):
    """The keys that are out of the key box now: which car, with whom, since when (B2)."""

    _name = "jingpin.key.board"
    _description = "Keys Out of the Key Box"
    _auto = False
    _order = "date_out"

    vehicle_id = fields.Many2one("jingpin.vehicle", string="Vehicle", readonly=True)
    task_id = fields.Many2one("project.task", string="Work Order", readonly=True)
    holder_id = fields.Many2one("res.users", string="Holder", readonly=True)
    slot_id = fields.Many2one("jingpin.key.slot", string="Slot", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date_out = fields.Datetime(string="Out Since", readonly=True)
    duration_hours = fields.Float(
        string="Out For (h)",
        compute="_compute_duration_hours",
        digits=(16, 2),
        help="Hours since the key was taken out of the key box.",
    )

    @property
    def _table_query(self):
        return SQL("""
            SELECT id, vehicle_id, task_id, holder_id, slot_id, company_id, date AS date_out
              FROM (
                SELECT DISTINCT ON (company_id, vehicle_id) *
                  FROM jingpin_key_log
              ORDER BY company_id, vehicle_id, id DESC
              ) last
             WHERE action = 'check_out'
        """)

    @api.depends("date_out")
    def _compute_duration_hours(self):
        now = fields.Datetime.now()
        for line in self:
            line.duration_hours = (now - line.date_out).total_seconds() / 3600 if line.date_out else 0.0
