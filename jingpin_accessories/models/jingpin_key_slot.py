from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from .jingpin_key_log import KEY_OUT_ACTIONS


class JingpinKeySlot(models.Model):
    _name = "jingpin.key.slot"
    _description = "Key Box Slot"
    _inherit = ["jingpin.guard"]
    _order = "company_id, sequence, name"
    _check_company_auto = True

    # === FIELDS === #
    name = fields.Char(string="Slot", required=True, help="The number written on the hook, e.g. A-01.")
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    active = fields.Boolean(default=True)
    vehicle_id = fields.Many2one(
        "jingpin.vehicle",
        string="Key of Vehicle",
        compute="_compute_current_key",
        help="The car whose key hangs in this slot now.",
    )
    task_id = fields.Many2one(
        "project.task",
        string="Work Order",
        compute="_compute_current_key",
        help="The work order the key was checked in for.",
    )
    checked_in_on = fields.Datetime(string="Key In Since", compute="_compute_current_key")
    is_occupied = fields.Boolean(string="Occupied", compute="_compute_current_key", search="_search_is_occupied")
    slot_state = fields.Selection(
        [("free", "Free"), ("occupied", "Key In"), ("out", "Key Out")],
        string="State",
        compute="_compute_current_key",
        help="Free, holding a car's key, or empty while the key last hung here is out with someone.",
    )
    out_vehicle_id = fields.Many2one(
        "jingpin.vehicle",
        string="Key Out of Vehicle",
        compute="_compute_current_key",
        help="The car whose key was last taken out of this slot and is not back yet, even if the slot "
        "now holds another key.",
    )
    holder_id = fields.Many2one(
        "res.users",
        string="Key Held By",
        compute="_compute_current_key",
        help="Who holds the key taken out of this slot.",
    )
    out_since = fields.Datetime(string="Key Out Since", compute="_compute_current_key")

    _name_company_uniq = models.Constraint(
        "UNIQUE(company_id, name)",
        "Each slot of a key box has its own number.",
    )

    # === COMPUTES === #
    def _compute_current_key(self):
        logs = self.env["jingpin.key.log"]._get_current_logs(slots=self)
        by_slot = {log.slot_id: log for log in logs if log.action == "check_in"}
        # the latest key taken out of each slot, and not back yet
        out_by_slot = {log.slot_id: log for log in logs.sorted("id") if log.action in KEY_OUT_ACTIONS}
        for slot in self:
            log = by_slot.get(slot)
            # a key out stays on the board of the slot it was taken from, even once the slot
            # holds another car's key
            out_log = out_by_slot.get(slot)
            slot.vehicle_id = log and log.vehicle_id
            slot.task_id = log and log.task_id
            slot.checked_in_on = log and log.date
            slot.is_occupied = bool(log)
            slot.slot_state = "occupied" if log else "out" if out_log else "free"
            slot.out_vehicle_id = out_log and out_log.vehicle_id
            slot.holder_id = out_log and out_log.holder_id
            slot.out_since = out_log and out_log.date

    def _search_is_occupied(self, operator, value):
        # ``('is_occupied', '=', False)`` reaches here as ``not in [True]``: both operators count
        if operator not in ("in", "not in"):
            return NotImplemented
        occupied = (
            self.env["jingpin.key.log"]
            .sudo()
            ._get_current_logs()
            .filtered(lambda log: log.action == "check_in")
            .slot_id
        )
        wanted = {bool(v) for v in value}
        if operator == "not in":
            wanted = {True, False} - wanted
        if wanted == {True, False}:
            return Domain.TRUE
        if not wanted:
            return Domain.FALSE
        return Domain("id", "in" if True in wanted else "not in", occupied.ids)

    # === CRUD === #
    def write(self, vals):
        if "active" in vals and not vals["active"] and self.filtered("is_occupied"):
            raise UserError(
                self.env._(
                    "Slot %s holds a car key: check the key out or move it before archiving the slot.",
                    ", ".join(self.filtered("is_occupied").mapped("name")),
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        if self.env["jingpin.key.log"].sudo().search_count([("slot_id", "in", self.ids)], limit=1):
            raise UserError(
                self.env._(
                    "A slot that held keys is part of the key box register: archive it instead of deleting it.",
                )
            )
