from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime

# The workshop's working day, in the technician's time zone.
WORKDAY_START = time(8, 30)
WORKDAY_END = time(17, 30)
# How far ahead a slot is looked for.
PROPOSAL_HORIZON_DAYS = 60
# Work steps in which a work order counts in its technician's day (all but handed over).
LOAD_STATES = ("dispatched", "in_progress", "inspection", "ready")
# Work steps in which the work itself may still run late.
RUNNING_STATES = ("dispatched", "in_progress")


class ProjectTask(models.Model):
    _inherit = "project.task"

    # === FIELDS === #
    overbooking_warning = fields.Char(
        compute="_compute_overbooking_warning",
        help="Shown before saving when the technician's day would be overbooked.",
    )
    expected_end = fields.Datetime(
        string="Expected Completion", compute="_compute_expected_end",
        help="When the work should end: its plan, or for started work its start (or now) plus the "
        "standard labour still to do.",
    )
    late_notified_promise = fields.Datetime(
        string="Lateness Told For", readonly=True, copy=False,
        help="The promised completion the specialist was last warned about.",
    )

    # === COMPUTES === #
    @api.depends("technician_id", "planned_start", "planned_minutes")
    def _compute_overbooking_warning(self):
        for task in self:
            task.overbooking_warning = task._get_overbooking_message()

    @api.depends("planned_start", "planned_end", "planned_minutes", "date_started", "work_state", "effective_hours")
    def _compute_expected_end(self):
        now = fields.Datetime.now()
        for task in self:
            remaining = timedelta(minutes=max(task.planned_minutes - round(task.effective_hours * 60), 0))
            if task.work_state == "in_progress" and task.date_started:
                task.expected_end = max(task.date_started + timedelta(minutes=task.planned_minutes), now + remaining)
            elif task.work_state == "dispatched" and task.planned_start:
                task.expected_end = max(task.planned_end, now + remaining)
            else:
                task.expected_end = False

    # === CONSTRAINTS === #
    @api.constrains("technician_id", "planned_start")
    def _check_overbooking(self):
        for task in self:
            message = task._get_overbooking_message()
            if message:
                raise ValidationError(message)

    # === CRUD === #
    def write(self, vals):
        result = super().write(vals)
        if vals.keys() & {"planned_start", "promised_datetime", "technician_id", "stage_id", "work_item_ids", "date_started"}:
            self.filtered("is_work_order")._check_lateness()
        return result

    # === ACTIONS === #
    def action_propose_slot(self):
        """Plan the work order on the earliest slot that keeps its promised completion (R20).

        Each technician's day is filled from the start of the working day with the work orders
        already planned on it, up to his daily capacity.
        """
        self.ensure_one()
        self._check_is_work_order()
        if not self.planned_minutes:
            raise UserError(self.env._("Work order %s has no standard labour to plan.", self.name))
        if not self.promised_datetime:
            raise UserError(self.env._("Set the promised completion of %s before planning it.", self.name))
        technicians = self._get_slot_candidates()
        if not technicians:
            raise UserError(self.env._("%s has no technician to plan work on.", self.company_id.name))
        now = fields.Datetime.now()
        best = None
        for technician in technicians:
            slot = self._find_technician_slot(technician, now)
            if slot and (best is None or slot[0] < best[0]):
                best = (slot[0], slot[1], technician)
        if not best:
            raise UserError(self.env._(
                "No technician can finish the %(minutes)s minutes of %(task)s by the promised %(promise)s. "
                "Agree a later completion with the customer or free a technician's day.",
                minutes=self.planned_minutes, task=self.name,
                promise=format_datetime(self.env, self.promised_datetime),
            ))
        self.write({"technician_id": best[2].id, "planned_start": best[0]})
        return True

    # === BUSINESS METHODS === #
    def _get_slot_candidates(self):
        """The company's technicians who install (specialists and above only dispatch)."""
        technician_group = self.env.ref("jingpin_accessories.group_jingpin_technician")
        return self.env["res.users"].sudo().search([
            ("all_group_ids", "in", technician_group.ids),
            ("company_ids", "in", self.company_id.ids),
            ("share", "=", False),
        ], order="id").filtered(lambda user: not user._has_group("jingpin_accessories.group_jingpin_specialist"))

    def _find_technician_slot(self, technician, now):
        """The earliest (start, end) in naive UTC on which ``technician`` finishes this work in time."""
        tz = pytz.timezone(technician.tz or "UTC")
        minutes = timedelta(minutes=self.planned_minutes)
        day = pytz.utc.localize(now).astimezone(tz).date()
        promised = self.promised_datetime
        for _offset in range(PROPOSAL_HORIZON_DAYS):
            day_start, day_end = self._workday_bounds(tz, day)
            if day_start + minutes > promised:
                return None
            load = self._get_technician_day_load(technician, day)
            start = max(day_start + timedelta(minutes=load), now.replace(second=0, microsecond=0))
            end = start + minutes
            if end <= day_end and load + self.planned_minutes <= technician.jingpin_daily_capacity:
                return (start, end) if end <= promised else None
            day += timedelta(days=1)
        return None

    @api.model
    def _workday_bounds(self, tz, day):
        def to_utc(moment):
            return tz.localize(datetime.combine(day, moment)).astimezone(pytz.utc).replace(tzinfo=None)
        return to_utc(WORKDAY_START), to_utc(WORKDAY_END)

    @api.model
    def _local_day(self, technician, moment):
        tz = pytz.timezone(technician.tz or "UTC")
        return pytz.utc.localize(moment).astimezone(tz).date()

    def _get_technician_day_load(self, technician, day):
        """Planned minutes of ``technician`` on ``day`` (his time zone), except this work order."""
        tz = pytz.timezone(technician.tz or "UTC")
        start = tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
        [(minutes,)] = self.env["project.task"].sudo()._read_group(
            [
                ("is_work_order", "=", True),
                ("technician_id", "=", technician.id),
                ("planned_start", ">=", start),
                ("planned_start", "<", start + timedelta(days=1)),
                ("work_state", "in", LOAD_STATES),
                ("id", "not in", self.ids),
            ],
            aggregates=["planned_minutes:sum"],
        )
        return minutes or 0

    def _get_overbooking_message(self):
        self.ensure_one()
        if not (self.is_work_order and self.technician_id and self.planned_start) or self.work_state not in LOAD_STATES:
            return False
        technician = self.technician_id
        day = self._local_day(technician, self.planned_start)
        load = self._get_technician_day_load(technician, day) + self.planned_minutes
        if load <= technician.jingpin_daily_capacity:
            return False
        return self.env._(
            "%(technician)s is overbooked on %(day)s: %(load)s planned minutes for a capacity of "
            "%(capacity)s. Choose another technician or day, or use Propose Slot.",
            technician=technician.name, day=fields.Date.to_string(day), load=load,
            capacity=technician.jingpin_daily_capacity,
        )

    def _check_lateness(self):
        """Tell the specialist at once when the work order will miss its promise (R18).

        Told once per promise: a new promised completion may be told again.
        """
        self.invalidate_recordset(["expected_end"])  # it moves with the clock
        for task in self:
            if not task.promised_datetime or task.late_notified_promise == task.promised_datetime:
                continue
            if not task.expected_end or task.expected_end <= task.promised_datetime:
                continue
            tz = task.specialist_id.tz or self.env.user.tz
            expected = format_datetime(self.env, task.expected_end, tz=tz)
            promised = format_datetime(self.env, task.promised_datetime, tz=tz)
            # The system warns the specialist whoever made the change (a technician starting work
            # may not write on the chatter or activities of the work order himself).
            task_sudo = task.sudo().with_context(jingpin_workflow=True)
            if task.specialist_id:
                task_sudo.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Work order late: tell the customer"),
                    note=self.env._(
                        "%(task)s is expected to end at %(expected)s, after the %(promised)s promised "
                        "to the customer.", task=task.name, expected=expected, promised=promised,
                    ),
                    user_id=task.specialist_id.id,
                )
            task_sudo.message_post(
                body=self.env._(
                    "Late: expected to end at %(expected)s, after the promised %(promised)s.",
                    expected=expected, promised=promised,
                ),
                partner_ids=task.specialist_id.partner_id.ids,
            )
            task_sudo.late_notified_promise = task.promised_datetime

    @api.model
    def _cron_check_lateness(self):
        self.search([
            ("is_work_order", "=", True),
            ("work_state", "in", RUNNING_STATES),
            ("promised_datetime", "!=", False),
        ])._check_lateness()
