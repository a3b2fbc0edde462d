from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..models.jingpin_key_log import KEY_OUT_ACTIONS


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
    handoff_id = fields.Many2one("jingpin.key.handoff", string="Pending Handoff", readonly=True)
    pending_to_id = fields.Many2one(
        "res.users",
        string="Pending Handoff To",
        readonly=True,
        help="The holder handed the key to this person, who has not confirmed yet: until then the holder has it.",
    )
    can_hand_over = fields.Boolean(compute="_compute_can_answer")
    can_answer = fields.Boolean(compute="_compute_can_answer")
    can_cancel = fields.Boolean(compute="_compute_can_answer")
    duration_hours = fields.Float(
        string="Out For (h)",
        compute="_compute_duration_hours",
        digits=(16, 2),
        help="Hours since the key was taken out of the key box.",
    )

    @property
    def _table_query(self):
        group_by = self._group_by()
        group_by = SQL(" GROUP BY %s", group_by) if group_by else SQL()
        return SQL("SELECT %s FROM %s WHERE %s%s", self._select(), self._from(), self._where(), group_by)

    def _select(self):
        return SQL(
            """last.id, last.vehicle_id, last.task_id, last.holder_id, last.slot_id, last.company_id,
               last.date AS date_out, handoff.id AS handoff_id, handoff.receiver_id AS pending_to_id"""
        )

    def _from(self):
        # the last move of each car's key
        return SQL(
            """(
                SELECT DISTINCT ON (company_id, vehicle_id) *
                  FROM jingpin_key_log
              ORDER BY company_id, vehicle_id, id DESC
               ) last
               LEFT JOIN jingpin_key_handoff handoff
                      ON handoff.vehicle_id = last.vehicle_id
                     AND handoff.company_id = last.company_id
                     AND handoff.state = 'pending'"""
        )

    def _where(self):
        return SQL("last.action IN %s", KEY_OUT_ACTIONS)

    def _group_by(self):
        """One row per key that is out: no grouping."""
        return SQL()

    @api.depends("holder_id", "pending_to_id")
    @api.depends_context("uid")
    def _compute_can_answer(self):
        for line in self:
            line.can_hand_over = line.holder_id == self.env.user and not line.pending_to_id
            line.can_answer = line.pending_to_id == self.env.user
            line.can_cancel = line.holder_id == self.env.user and bool(line.pending_to_id)

    # === ACTIONS === #
    def action_open_handoff(self):
        """Hand the key one holds to another staff member (he confirms on his phone)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hand Over the Key"),
            "res_model": "jingpin.key.move.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_task_id": self.task_id.id, "default_action": "handoff"},
        }

    def action_confirm_handoff(self):
        return self._pending_handoff().action_confirm()

    def action_decline_handoff(self):
        return self._pending_handoff().action_decline()

    def action_cancel_handoff(self):
        return self._pending_handoff().action_cancel()

    def _pending_handoff(self):
        self.ensure_one()
        if not self.handoff_id:
            raise UserError(self.env._("The key of %s is not being handed over.", self.vehicle_id.display_name))
        return self.handoff_id

    @api.depends("date_out")
    def _compute_duration_hours(self):
        now = fields.Datetime.now()
        for line in self:
            line.duration_hours = (now - line.date_out).total_seconds() / 3600 if line.date_out else 0.0
