from odoo import api, fields, models
from odoo.exceptions import UserError

KEY_STATES = [("none", "Not Registered"), ("in_box", "In the Key Box"), ("out", "Out")]


class ProjectTask(models.Model):
    _inherit = "project.task"

    # === FIELDS === #
    key_state = fields.Selection(
        KEY_STATES, string="Car Key", compute="_compute_key_state",
        help="Where the car's key is according to the key box register.",
    )
    key_holder_id = fields.Many2one("res.users", string="Key Holder", compute="_compute_key_state")
    key_slot_id = fields.Many2one("jingpin.key.slot", string="Key Slot", compute="_compute_key_state")
    key_log_ids = fields.One2many("jingpin.key.log", "task_id", string="Key Movements")
    key_flag_date = fields.Date(
        string="Key Reminder Sent On", readonly=True, copy=False,
        help="The day the specialist was last reminded to take this car's key back.",
    )

    # === COMPUTES === #
    @api.depends("vehicle_id", "key_log_ids")
    def _compute_key_state(self):
        current = {
            (log.company_id, log.vehicle_id): log
            for log in self.env["jingpin.key.log"].sudo()._get_current_logs(vehicles=self.vehicle_id)
        }
        for task in self:
            log = current.get((task.company_id, task.vehicle_id))
            task.key_state = {"check_in": "in_box", "check_out": "out"}.get(log and log.action, "none")
            task.key_holder_id = log and log.holder_id
            task.key_slot_id = log and log.slot_id

    # === ACTIONS === #
    def action_key_check_in(self, slot):
        """Put the car's key into ``slot`` of the key box (a record or an id)."""
        self.ensure_one()
        slot = self.env["jingpin.key.slot"].browse(getattr(slot, "id", slot))
        return self._register_key_movement({"action": "check_in", "slot_id": slot.id})

    def action_key_check_out(self, holder):
        """Take the car's key out of the key box; ``holder`` (a user or an id) now has it."""
        self.ensure_one()
        holder = self.env["res.users"].browse(getattr(holder, "id", holder))
        if holder.share or self.company_id not in holder.company_ids:
            raise UserError(self.env._(
                "Only a staff member of %(company)s can hold the key of %(task)s.",
                company=self.company_id.name, task=self.name,
            ))
        return self._register_key_movement({"action": "check_out", "holder_id": holder.id})

    def action_open_key_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Car Key"),
            "res_model": "jingpin.key.move.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_task_id": self.id,
                "default_action": "check_out" if self.key_state == "in_box" else "check_in",
            },
        }

    def _register_key_movement(self, vals):
        self._check_is_work_order()
        if not self.vehicle_id:
            raise UserError(self.env._("Work order %s has no vehicle: set the car before registering its key.", self.name))
        self._check_actor(self.technician_id | self.specialist_id)
        # The register is append-only and has no create right for technicians: they move keys
        # through this method, which has just checked they work on this work order.
        log = self.env["jingpin.key.log"].sudo().create({
            **vals,
            "vehicle_id": self.vehicle_id.id,
            "task_id": self.id,
            "company_id": self.company_id.id,
        })
        return log.sudo(False)

    def _check_can_start(self):
        super()._check_can_start()
        if self.key_state != "in_box":
            raise UserError(self.env._(
                "Check the key of %(vehicle)s into the key box before starting work order %(task)s.",
                vehicle=self.vehicle_id.display_name or self.env._("the car"), task=self.name,
            ))

    # === CRON === #
    @api.model
    def _cron_flag_keys_not_with_specialist(self):
        """Day end: the keys of unfinished cars go back to their specialist (R21).

        Every work order not handed over whose key is registered but is neither out to its
        specialist gets one to-do for the specialist per day.
        """
        tasks = self.search([
            ("is_work_order", "=", True),
            ("work_state", "!=", "handed_over"),
            ("vehicle_id", "!=", False),
            ("specialist_id", "!=", False),
        ])
        for task in tasks:
            today = fields.Date.context_today(task.with_context(tz=task.specialist_id.tz))
            if task.key_flag_date == today or task.key_state == "none":
                continue
            if task.key_state == "out" and task.key_holder_id == task.specialist_id:
                continue
            where = (
                self.env._("in slot %s of the key box", task.key_slot_id.name) if task.key_state == "in_box"
                else self.env._("with %s", task.key_holder_id.name)
            )
            task.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=today,
                summary=self.env._("Take back the key of %s", task.vehicle_id.display_name),
                note=self.env._(
                    "The car is not finished and its key is still %s: check it out to yourself "
                    "before you leave.", where,
                ),
                user_id=task.specialist_id.id,
            )
            task.with_context(jingpin_workflow=True).key_flag_date = today
