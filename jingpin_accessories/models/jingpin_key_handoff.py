from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .jingpin_key_log import KEY_OUT_ACTIONS

HANDOFF_STATES = [
    ("pending", "Waiting for the Receiver"),
    ("confirmed", "Confirmed"),
    ("declined", "Declined"),
    ("cancelled", "Cancelled"),
]


class JingpinKeyHandoff(models.Model):
    """A car key handed from the person holding it to another staff member of the dealership,
    without going back to the key box.

    The handoff is offered by the holder and answered by the receiver, and by him only. Until he
    confirms, the giver still holds the key (the key box register does not change); his
    confirmation writes the register's *Handed Over* line that makes him the holder. Any other
    movement of the key (checked in, returned, handed over) cancels a pending handoff. A key has
    at most one pending handoff (a unique index), and each answer first takes the car's row, so of
    two answers at once only one wins.
    """

    _name = "jingpin.key.handoff"
    _inherit = ["jingpin.guard"]
    _description = "Key Handoff"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "vehicle_id"

    # === FIELDS === #
    date = fields.Datetime(string="Offered On", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    vehicle_id = fields.Many2one(
        "jingpin.vehicle", string="Vehicle", required=True, readonly=True, ondelete="restrict", check_company=True
    )
    task_id = fields.Many2one("project.task", string="Work Order", readonly=True, ondelete="restrict")
    giver_id = fields.Many2one("res.users", string="Handed By", required=True, readonly=True, ondelete="restrict")
    receiver_id = fields.Many2one(
        "res.users", string="Handed To", required=True, readonly=True, index=True, ondelete="restrict"
    )
    state = fields.Selection(HANDOFF_STATES, required=True, readonly=True, default="pending", copy=False)
    log_id = fields.Many2one(
        "jingpin.key.log",
        string="Held Since",
        required=True,
        readonly=True,
        ondelete="restrict",
        help="The register line that made the giver the key's holder.",
    )
    done_log_id = fields.Many2one(
        "jingpin.key.log", string="Register Line", readonly=True, ondelete="restrict", copy=False
    )
    date_done = fields.Datetime(string="Answered On", readonly=True, copy=False)
    activity_id = fields.Many2one("mail.activity", readonly=True, copy=False, ondelete="set null")

    _pending_uniq = models.UniqueIndex("(company_id, vehicle_id) WHERE state = 'pending'")

    # === CRUD === #
    def copy(self, default=None):  # pylint: disable=method-required-super
        raise UserError(self.env._("A key handoff cannot be copied: hand the key over again."))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_register(self):
        raise UserError(self.env._("Key handoffs are part of the key box register: they cannot be deleted."))

    # === ACTIONS === #
    def action_confirm(self):
        """The receiver has the key in his hand: he is now its holder."""
        self._check_receiver()
        self._close("confirmed")
        log = (
            self.env["jingpin.key.log"]
            .sudo()
            ._jingpin_server()
            .create(
                {
                    "action": "handoff",
                    "vehicle_id": self.vehicle_id.id,
                    "task_id": self.task_id.id,
                    "company_id": self.company_id.id,
                    "holder_id": self.receiver_id.id,
                    "handoff_from_id": self.giver_id.id,
                }
            )
        )
        self.sudo()._jingpin_server().done_log_id = log
        return True

    def action_decline(self):
        """The receiver did not get the key: the giver still holds it."""
        self._check_receiver()
        self._close("declined")
        return True

    def action_cancel(self):
        """The giver takes back his offer before the receiver answered."""
        self.ensure_one()
        self._lock_pending()
        if self.giver_id != self.env.user:
            raise AccessError(self.env._("Only %s, who offered the key, can cancel this handoff.", self.giver_id.name))
        self._close("cancelled")
        return True

    # === BUSINESS METHODS === #
    @api.model
    def _offer(self, task, receiver):
        """The current user, who holds the key of ``task``'s car, hands it to ``receiver``."""
        vehicle, company = task.vehicle_id, task.company_id
        if not vehicle:
            raise UserError(self.env._("Work order %s has no vehicle: there is no key to hand over.", task.name))
        if not receiver or receiver.share or company not in receiver.company_ids:
            raise UserError(
                self.env._(
                    "Hand the key of %(vehicle)s to a staff member of %(company)s.",
                    vehicle=vehicle.display_name,
                    company=company.name,
                )
            )
        if receiver == self.env.user:
            raise UserError(self.env._("You already hold the key of %s: choose who receives it.", vehicle.display_name))
        self._lock_vehicle(vehicle)
        current = self.env["jingpin.key.log"].sudo()._get_current_logs(vehicles=vehicle, company_id=company.id)
        if current.action not in KEY_OUT_ACTIONS or current.holder_id != self.env.user:
            raise UserError(
                self.env._(
                    "Only the person holding the key of %(vehicle)s can hand it over%(holder)s.",
                    vehicle=vehicle.display_name,
                    holder=self.env._(" (%s has it)", current.holder_id.name) if current.holder_id else "",
                )
            )
        if self.sudo().search_count(
            [("vehicle_id", "=", vehicle.id), ("company_id", "=", company.id), ("state", "=", "pending")]
        ):
            raise UserError(
                self.env._(
                    "The key of %s is already offered to someone: cancel that handoff first.", vehicle.display_name
                )
            )
        handoff = (
            self.sudo()
            ._jingpin_server()
            .create(
                {
                    "date": fields.Datetime.now(),
                    "company_id": company.id,
                    "vehicle_id": vehicle.id,
                    "task_id": current.task_id.id,
                    "giver_id": self.env.uid,
                    "receiver_id": receiver.id,
                    "log_id": current.id,
                }
            )
        )
        task_sudo = (current.task_id or task).sudo()
        env = task_sudo.with_context(lang=receiver.lang).env
        activity = task_sudo.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=fields.Date.context_today(task_sudo.with_context(tz=receiver.tz)),
            summary=env._("Confirm the key of %s", vehicle.display_name),
            note=env._(
                "%(giver)s hands you the key of %(vehicle)s. Confirm in Key Box › Keys Out once you have it, "
                "or decline.",
                giver=self.env.user.name,
                vehicle=vehicle.display_name,
            ),
            user_id=receiver.id,
        )
        handoff._jingpin_server().activity_id = activity
        return handoff.with_env(self.env)

    @api.model
    def _cancel_pending(self, logs):
        """The keys of ``logs`` moved: their pending handoffs are over."""
        pending = self.sudo().search(
            [
                ("vehicle_id", "in", logs.vehicle_id.ids),
                ("company_id", "in", logs.company_id.ids),
                ("state", "=", "pending"),
            ]
        )
        pending._close("cancelled")

    def _check_receiver(self):
        self.ensure_one()
        self._lock_pending()
        if self.receiver_id != self.env.user:
            raise AccessError(
                self.env._("Only %s, who receives the key, can answer this handoff.", self.receiver_id.name)
            )

    def _lock_pending(self):
        """Take the car's row, then check the handoff is still open: of two answers at once, the
        second fails to serialize and, retried, finds it answered."""
        self._lock_vehicle(self.vehicle_id)
        self.invalidate_recordset(["state"])
        if self.state != "pending":
            raise UserError(
                self.env._(
                    "This handoff of the key of %(vehicle)s is already %(state)s.",
                    vehicle=self.vehicle_id.display_name,
                    state=dict(self._fields["state"]._description_selection(self.env))[self.state],
                )
            )

    @api.model
    def _lock_vehicle(self, vehicle):
        self.env.cr.execute("UPDATE jingpin_vehicle SET write_date = write_date WHERE id = %s", [vehicle.id])

    def _close(self, state):
        self.sudo()._jingpin_server().write({"state": state, "date_done": fields.Datetime.now()})
        # the receiver's to-do goes with the question (the server closes it, not its assignee)
        self.sudo().activity_id.unlink()
        self.env["jingpin.key.board"].invalidate_model()
