from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

KEY_ACTIONS = [
    ("check_in", "Into the Key Box"),
    ("check_out", "Out of the Key Box"),
    ("return", "Returned to the Customer"),
    ("handoff", "Handed Over"),
]
# the movements after which the key is out of the box, with the line's holder
KEY_OUT_ACTIONS = ("check_out", "handoff")


class JingpinKeyLog(models.Model):
    """The key box register: one line per movement of a car key, never changed afterwards.

    The state of a key is the last line of its car: a key is in the box (in a slot) after a
    check-in and with its holder after a check-out or a handoff (the receiver confirmed it:
    ``jingpin.key.handoff``). The holder of each key is the stored ``holder_id`` of its last line,
    which only the server writes.
    """

    _name = "jingpin.key.log"
    _inherit = ["jingpin.guard"]
    _description = "Key Box Register"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "vehicle_id"

    # === FIELDS === #
    date = fields.Datetime(string="Time", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    vehicle_id = fields.Many2one(
        "jingpin.vehicle",
        string="Vehicle",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    task_id = fields.Many2one(
        "project.task",
        string="Work Order",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
    )
    action = fields.Selection(KEY_ACTIONS, required=True, readonly=True)
    slot_id = fields.Many2one(
        "jingpin.key.slot",
        string="Slot",
        readonly=True,
        ondelete="restrict",
        check_company=True,
        help="The slot the key was put into, or taken from.",
    )
    holder_id = fields.Many2one(
        "res.users",
        string="Holder",
        readonly=True,
        ondelete="restrict",
        help="Who takes the key out of the box and holds it.",
    )
    handoff_from_id = fields.Many2one(
        "res.users",
        string="Handed Over By",
        readonly=True,
        ondelete="restrict",
        help="Who held the key and handed it to the holder, without going back to the key box.",
    )
    done_by_id = fields.Many2one("res.users", string="Registered By", required=True, readonly=True, ondelete="restrict")

    _vehicle_last_idx = models.Index("(company_id, vehicle_id, id DESC)")

    # === CRUD === #
    @api.model_create_multi
    def create(self, vals_list):
        """Register key movements, checking each against the current state of the key.

        The time and the user registering are always the server's, whatever the input says.
        """
        now = fields.Datetime.now()
        logs = self.browse()
        for vals in vals_list:
            vals = {**vals, "date": now, "done_by_id": self.env.uid}
            self._check_movement(vals)
            # one by one, so that the next movement of the same key sees this one
            logs |= super().create([vals])
        # a key that moves is no longer offered by the one who held it
        self.env["jingpin.key.handoff"]._cancel_pending(logs)
        # the state of keys and slots is read from the register
        self.env["jingpin.key.slot"].invalidate_model(
            [
                "vehicle_id",
                "task_id",
                "checked_in_on",
                "is_occupied",
                "slot_state",
                "out_vehicle_id",
                "holder_id",
                "out_since",
            ]
        )
        self.env["project.task"].invalidate_model(["key_state", "key_holder_id", "key_slot_id", "key_log_ids"])
        self.env["jingpin.key.board"].invalidate_model()
        return logs

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(
            self.env._(
                "The key box register cannot be changed. To correct a movement, register the key's "
                "next movement (check it in or out again).",
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_register(self):
        raise UserError(
            self.env._("Lines of the key box register cannot be deleted: it is the audit trail of the keys.")
        )

    # === BUSINESS METHODS === #
    @api.model
    def _register_movement(self, task, vals):
        """Register a movement of the key of ``task``'s car, on behalf of the current user who has
        been checked to work on it. Only the movement's own values are taken."""
        values = {key: vals[key] for key in ("action", "slot_id", "holder_id") if key in vals}
        log = (
            self.sudo()
            ._jingpin_server()
            .create(
                {
                    **values,
                    "vehicle_id": task.vehicle_id.id,
                    "task_id": task.id,
                    "company_id": task.company_id.id,
                }
            )
        )
        return log.with_env(self.env)

    @api.model
    def _check_movement(self, vals):
        vehicle = self.env["jingpin.vehicle"].browse(vals.get("vehicle_id"))
        if not vehicle:
            raise ValidationError(self.env._("Say which car's key is moved."))
        slot = self.env["jingpin.key.slot"].browse(vals.get("slot_id"))
        task = self.env["project.task"].browse(vals.get("task_id"))
        vals.setdefault("company_id", (task.company_id or slot.company_id or vehicle.company_id or self.env.company).id)
        # Two movements of one key cannot both pass: updating the car's row makes a concurrent
        # movement fail with a serialization error; Odoo retries it, and it then sees this one.
        self.env.cr.execute("UPDATE jingpin_vehicle SET write_date = write_date WHERE id = %s", [vehicle.id])
        current = self._get_current_logs(vehicles=vehicle, company_id=vals["company_id"])
        if vals.get("action") == "check_in":
            if current.action == "check_in":
                raise UserError(
                    self.env._(
                        "The key of %(vehicle)s is already in the key box (slot %(slot)s). Check it "
                        "out before checking it in again.",
                        vehicle=vehicle.display_name,
                        slot=current.slot_id.name,
                    )
                )
            if not slot:
                raise UserError(self.env._("Choose the key box slot the key of %s goes into.", vehicle.display_name))
            if not slot.active:
                raise UserError(self.env._("Slot %s is archived: choose another slot.", slot.name))
            self.env.cr.execute("UPDATE jingpin_key_slot SET write_date = write_date WHERE id = %s", [slot.id])
            occupant = self._get_current_logs(slots=slot).filtered(lambda log: log.action == "check_in")
            if occupant:
                raise UserError(
                    self.env._(
                        "Slot %(slot)s already holds the key of %(vehicle)s: choose a free slot.",
                        slot=slot.name,
                        vehicle=occupant.vehicle_id.display_name,
                    )
                )
            vals["holder_id"] = False
        elif vals.get("action") == "check_out":
            if current.action != "check_in":
                raise UserError(
                    self.env._(
                        "The key of %(vehicle)s is not in the key box%(holder)s: it must be checked in "
                        "before anyone can take it.",
                        vehicle=vehicle.display_name,
                        holder=self.env._(" (%s has it)", current.holder_id.name) if current else "",
                    )
                )
            if not vals.get("holder_id"):
                raise UserError(self.env._("Say who takes the key of %s.", vehicle.display_name))
            vals["slot_id"] = current.slot_id.id
        elif vals.get("action") == "handoff":
            if current.action not in KEY_OUT_ACTIONS or current.holder_id.id != vals.get("handoff_from_id"):
                raise UserError(
                    self.env._(
                        "The key of %(vehicle)s is no longer with %(giver)s: it cannot be handed over by him.",
                        vehicle=vehicle.display_name,
                        giver=self.env["res.users"].browse(vals.get("handoff_from_id")).name or "?",
                    )
                )
            if not vals.get("holder_id"):
                raise UserError(self.env._("Say who receives the key of %s.", vehicle.display_name))
            vals["slot_id"] = current.slot_id.id
        elif vals.get("action") == "return":
            if current.action not in ("check_in", *KEY_OUT_ACTIONS):
                raise UserError(self.env._("The key of %s is not in the workshop.", vehicle.display_name))
            vals.update(slot_id=False, holder_id=False)
        else:
            raise ValidationError(self.env._("A key is either checked into or out of the key box."))

    @api.model
    def _get_current_logs(self, vehicles=None, slots=None, company_id=None, companies=None):
        """The last register line of each key (of ``vehicles``, or whose last line is in ``slots``;
        of the dealership ``company_id``, or of the dealerships ``companies``)."""
        self.env["jingpin.key.log"].flush_model()
        where, params = ["TRUE"], []
        if vehicles is not None:
            where.append("vehicle_id = ANY(%s)")
            params.append(vehicles.ids)
        if company_id:
            where.append("company_id = %s")
            params.append(company_id)
        if companies is not None:
            where.append("company_id = ANY(%s)")
            params.append(companies.ids)
        if slots is not None:
            where.append("vehicle_id IN (SELECT vehicle_id FROM jingpin_key_log WHERE slot_id = ANY(%s))")
            params.append(slots.ids)
        self.env.cr.execute(
            f"""
            SELECT id, slot_id FROM (
                SELECT DISTINCT ON (company_id, vehicle_id) id, slot_id
                  FROM jingpin_key_log
                 WHERE {" AND ".join(where)}
              ORDER BY company_id, vehicle_id, id DESC
            ) last
        """,
            params,
        )  # noqa: S608 -- only fixed clauses are formatted in
        rows = self.env.cr.fetchall()
        if slots is not None:
            rows = [row for row in rows if row[1] in slots.ids]
        return self.browse([row[0] for row in rows])
