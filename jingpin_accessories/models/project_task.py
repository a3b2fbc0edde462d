import hashlib
import json
from collections import defaultdict, namedtuple
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_datetime
from odoo.tools.misc import clean_context

from .project_task_type import OPEN_WORK_STATES, WORK_STATES

# === THE LIFE OF A WORK ORDER === #
# The step is the work order's own stored `work_state`. Every change of step goes through
# `_jingpin_transition(<name>)`, which checks that the work order is in one of the `from_states`, runs
# the guard (who may fire it, what must be done before), then writes the step as the server, and the
# stage that shows it in the kanban with it. No other code path writes `work_state` or `stage_id` of a
# work order (dragging a card to another column is refused: the buttons move the work).
#
#   name                from                                         to             guard: who, and what first
Transition = namedtuple("Transition", "from_states to_state guard")
WORK_ORDER_FLOW = {
    "start": Transition(("dispatched",), "in_progress", "_guard_start"),
    # technician assigned, or a specialist; protective set confirmed; key in the key box; items
    "sign_completion": Transition(("in_progress",), "inspection", "_guard_sign_completion"),
    # only the assigned technician, signing for himself
    "pass_inspection": Transition(("inspection",), "ready", "_guard_sign_inspection"),
    # a specialist, every checkpoint passed, signs the final inspection
    "fail_inspection": Transition(("inspection",), "in_progress", "_guard_sign_inspection"),
    # a specialist, a checkpoint failed: the work goes back for rework with a new checklist
    "hand_over": Transition(("ready",), "handed_over", "_guard_hand_over"),
    # a specialist, with the customer's signature drawn on the screen; the key goes back to him
    "hand_over_on_phone": Transition(("ready",), "handed_over", "_check_parts_issued"),
    # the customer, signing on his phone through the handover link a specialist sent him
    "cancel": Transition(OPEN_WORK_STATES, "cancelled", None),
    # only the cancellation of its order (server code): the key goes back, due bills no longer wait
}
# Signatures follow the process, one per role and round, in this order.
ROLE_SEQUENCE = ("completion", "inspection", "handover")

# All a client may write on a work order (``jingpin.guard`` refuses every other field): a technician
# his photos, notes and hours, and what Odoo writes for him as he does (the notes' edit history; the
# cover image, main attachment and portal token it sets when he posts);
# the specialist also its name, people, plan and items, and the checkpoints. Its step, project, order,
# customer, car and every other field of Odoo's (allocated hours, sequence, tags, ...) or of another
# module are the server's. Followers and activities change through their own doors, which check them.
TECHNICIAN_CLIENT_FIELDS = frozenset(
    {
        "protective_set_photo",
        "condition_before_photo",
        "condition_after_photo",
        "description",
        "timesheet_ids",
        "html_field_history",
        "message_main_attachment_id",
        "displayed_image_id",
        "access_token",
        "personal_stage_type_id",
    }
)
WORK_ORDER_CLIENT_FIELDS = TECHNICIAN_CLIENT_FIELDS | {
    "name",
    "specialist_id",
    "technician_id",
    "planned_start",
    "promised_datetime",
    "work_item_ids",
    "current_inspection_line_ids",
}
# Photos that stop changing once the technician has signed his work, in the order they are taken.
EVIDENCE_PHOTO_FIELDS = ("protective_set_photo", "condition_before_photo", "condition_after_photo")
# What a signature seals, by version: 1 the customer, the car, the items and the checkpoints; 2 also
# the work order's own photos. A seal keeps verifying against the snapshot of the version it was made in.
SEAL_VERSION = 2

KEY_STATES = [
    ("none", "Not Registered"),
    ("in_box", "In the Key Box"),
    ("out", "Out"),
    ("returned", "Returned to the Customer"),
]

# The workshop's working day, in the technician's time zone.
WORKDAY_START = time(8, 30)
WORKDAY_END = time(17, 30)
# How far ahead a slot is looked for.
PROPOSAL_HORIZON_DAYS = 60
# Work steps in which the work itself may still run late.
RUNNING_STATES = ("dispatched", "in_progress")


class ProjectTask(models.Model):
    """The accessory work order (派工单): a task of its dealership's installation project.

    Its life is the table ``WORK_ORDER_FLOW`` above. Its aspects keep their own rules in their own
    models: signatures (``jingpin.signature``), checkpoints (``jingpin.inspection.line``), the key
    box register (``jingpin.key.log``), items (``jingpin.work.item``).
    """

    _name = "project.task"
    _inherit = ["project.task", "jingpin.guard", "jingpin.scan.code"]
    # the installation sheet's QR code
    _jingpin_scan_prefix = "JPW"

    # === FIELDS: dispatch === #
    is_work_order = fields.Boolean(
        related="project_id.is_install_project",
        store=True,
        index=True,
        string="Is a Work Order",
    )
    work_state = fields.Selection(
        WORK_STATES,
        string="Work Step",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Where the work order is in its life (WORK_ORDER_FLOW): written only by its buttons, "
        "which check the rules; its stage follows it in the kanban.",
    )
    accessory_order_id = fields.Many2one(
        "sale.order",
        string="Accessory Order",
        index="btree_not_null",
        check_company=True,
        tracking=True,
    )
    vehicle_id = fields.Many2one("jingpin.vehicle", string="Vehicle", check_company=True, tracking=True)
    consultant_id = fields.Many2one(
        "res.users",
        string="Sales Consultant",
        check_company=True,
        help="The salesperson of the order: told about exceptions and lateness.",
    )
    specialist_id = fields.Many2one(
        "res.users",
        string="Specialist",
        check_company=True,
        tracking=True,
        default=lambda self: self.env.user
        if self.env.user.has_group("jingpin_accessories.group_jingpin_specialist")
        else False,
        help="The accessories specialist who dispatched the work order and follows it up.",
    )
    technician_id = fields.Many2one(
        "res.users",
        string="Technician",
        check_company=True,
        tracking=True,
        domain=lambda self: [("all_group_ids", "in", self.env.ref("jingpin_accessories.group_jingpin_technician").ids)],
    )
    work_item_ids = fields.One2many("jingpin.work.item", "task_id", string="Items to Install")
    planned_minutes = fields.Integer(
        string="Standard Labour (min)",
        compute="_compute_planned_minutes",
        store=True,
        help="Sum of the standard labour of the items.",
    )
    promised_datetime = fields.Datetime(
        string="Promised Completion",
        tracking=True,
        copy=False,
        help="The completion time agreed with the customer.",
    )

    # === FIELDS: work === #
    date_started = fields.Datetime(string="Started On", readonly=True, copy=False)
    protective_set_done = fields.Boolean(
        string="Protective Set Fitted",
        compute="_compute_protective_set_done",
        store=True,
        help="The seat, steering wheel and floor covers (三件套) are fitted.",
    )
    protective_set_by = fields.Many2one("res.users", string="Protective Set Fitted By", readonly=True, copy=False)
    protective_set_on = fields.Datetime(string="Protective Set Fitted On", readonly=True, copy=False)
    protective_set_photo = fields.Image(max_width=1920, max_height=1920, copy=False)
    condition_before_photo = fields.Image(string="Condition Before", max_width=1920, max_height=1920, copy=False)
    condition_after_photo = fields.Image(string="Condition After", max_width=1920, max_height=1920, copy=False)
    rework_count = fields.Integer(readonly=True, copy=False)
    rework_of_id = fields.Many2one(
        "project.task",
        string="Rework Of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The handed-over work order a customer's complaint sent back to be done again.",
    )

    # === FIELDS: sign-off chain (R16, R22, B1, B8) === #
    signature_ids = fields.One2many("jingpin.signature", "task_id", string="Signatures")
    inspection_line_ids = fields.One2many("jingpin.inspection.line", "task_id", string="Final Inspection")
    current_inspection_line_ids = fields.One2many(
        "jingpin.inspection.line",
        compute="_compute_current_inspection_line_ids",
        inverse="_inverse_current_inspection_line_ids",
        string="Checkpoints",
    )
    seal_state = fields.Selection(
        [("unsigned", "Not Signed"), ("intact", "Intact"), ("broken", "Broken")],
        compute="_compute_seal_state",
        help="Whether what was signed is still exactly as it was when signed.",
    )
    # === FIELDS: the customer's phone (B17) === #
    jingpin_customer_link_ids = fields.One2many(
        "jingpin.customer.link", "task_id", string="Customer Links", readonly=True
    )
    jingpin_customer_url = fields.Char(
        string="Customer's Handover Link",
        compute="_compute_jingpin_customer_url",
        groups="jingpin_accessories.group_jingpin_specialist",
    )
    jingpin_customer_qr = fields.Html(
        string="Handover QR Code",
        compute="_compute_jingpin_customer_url",
        sanitize=False,
        groups="jingpin_accessories.group_jingpin_specialist",
    )
    is_locked = fields.Boolean(
        compute="_compute_is_locked",
        help="Items are locked once the technician has signed the work.",
    )
    installation_sheet_id = fields.Many2one(
        "ir.attachment",
        string="Archived Installation Sheet",
        readonly=True,
        copy=False,
    )

    # === FIELDS: key box (R21, B2) === #
    key_state = fields.Selection(
        KEY_STATES,
        string="Car Key",
        compute="_compute_key_state",
        help="Where the car's key is according to the key box register.",
    )
    key_holder_id = fields.Many2one("res.users", string="Key Holder", compute="_compute_key_state")
    key_slot_id = fields.Many2one("jingpin.key.slot", string="Key Slot", compute="_compute_key_state")
    key_log_ids = fields.One2many("jingpin.key.log", "task_id", string="Key Movements")
    key_tag_code = fields.Char(
        related="vehicle_id.scan_code",
        string="Key Tag",
        help="What the QR code of the car's key tag says: scan it when the key moves.",
    )
    key_flag_date = fields.Date(
        string="Key Reminder Sent On",
        readonly=True,
        copy=False,
        help="The day the specialist was last reminded to take this car's key back.",
    )

    # === FIELDS: planning (R18, R20, B3) === #
    planned_start = fields.Datetime(tracking=True, copy=False)
    planned_end = fields.Datetime(compute="_compute_planned_end", store=True)
    overbooking_warning = fields.Char(
        compute="_compute_overbooking_warning",
        help="Shown before saving when the technician's day would be overbooked.",
    )
    expected_end = fields.Datetime(
        string="Expected Completion",
        compute="_compute_expected_end",
        help="When the work should end: its plan, or for started work its start (or now) plus the "
        "standard labour still to do.",
    )
    late_notified_promise = fields.Datetime(
        string="Lateness Told For",
        readonly=True,
        copy=False,
        help="The promised completion the specialist was last warned about.",
    )

    # === FIELDS: parts issue, exceptions, due bills (R13, R19, B11) === #
    picking_ids = fields.Many2many("stock.picking", string="Parts Issue", compute="_compute_picking_ids")
    picking_count = fields.Integer(compute="_compute_picking_ids")
    exception_ids = fields.One2many("jingpin.work.exception", "task_id", string="Exceptions")
    due_bill_ids = fields.Many2many("jingpin.due.bill", string="Due Bills", compute="_compute_due_bill_ids")

    # === COMPUTES === #
    @api.depends("work_item_ids.labour_minutes")
    def _compute_planned_minutes(self):
        for task in self:
            task.planned_minutes = sum(task.work_item_ids.mapped("labour_minutes"))

    @api.depends("planned_start", "planned_minutes")
    def _compute_planned_end(self):
        for task in self:
            task.planned_end = task.planned_start and fields.Datetime.add(
                task.planned_start,
                minutes=task.planned_minutes,
            )

    @api.depends("protective_set_on")
    def _compute_protective_set_done(self):
        for task in self:
            task.protective_set_done = bool(task.protective_set_on)

    @api.depends("inspection_line_ids.round", "rework_count")
    def _compute_current_inspection_line_ids(self):
        for task in self:
            task.current_inspection_line_ids = task.inspection_line_ids.filtered(
                lambda line, task=task: line.round == task.rework_count
            )

    def _inverse_current_inspection_line_ids(self):
        """Edits in the form go to the lines themselves; nothing to store on the task."""

    @api.depends("signature_ids.digest")
    def _compute_seal_state(self):
        for task in self:
            if not task.signature_ids:
                task.seal_state = "unsigned"
            else:
                task.seal_state = "intact" if task.signature_ids._verify_chain() else "broken"

    @api.depends("jingpin_customer_link_ids")
    def _compute_jingpin_customer_url(self):
        for task in self:
            link = task.sudo().jingpin_customer_link_ids.filtered(lambda lk: lk._current_state() == "open")[:1]
            task.jingpin_customer_url = link.url
            task.jingpin_customer_qr = link._qr_code()

    @api.depends("signature_ids")
    def _compute_is_locked(self):
        for task in self:
            task.is_locked = bool(task.signature_ids)

    @api.depends("vehicle_id", "key_log_ids")
    def _compute_key_state(self):
        current = {
            (log.company_id, log.vehicle_id): log
            for log in self.env["jingpin.key.log"].sudo()._get_current_logs(vehicles=self.vehicle_id)
        }
        for task in self:
            log = current.get((task.company_id, task.vehicle_id))
            task.key_state = {"check_in": "in_box", "check_out": "out", "handoff": "out", "return": "returned"}.get(
                log and log.action,
                "none",
            )
            task.key_holder_id = log and log.holder_id
            task.key_slot_id = log and log.slot_id

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

    @api.depends("work_item_ids.sale_line_id.move_ids.picking_id")
    def _compute_picking_ids(self):
        linked = dict(
            self.env["stock.picking"]._read_group(
                [("work_order_id", "in", self.ids)],
                ["work_order_id"],
                ["id:recordset"],
            )
        )
        for task in self:
            pickings = task.work_item_ids.sale_line_id.move_ids.picking_id | linked.get(task, self.env["stock.picking"])
            task.picking_ids = pickings
            task.picking_count = len(pickings)

    def _compute_due_bill_ids(self):
        bills = self.env["jingpin.due.bill"].search([("work_order_ids", "in", self.ids)])
        for task in self:
            task.due_bill_ids = bills.filtered(lambda bill, task=task: task in bill.work_order_ids)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        """Work-order kanban columns: every step of the work, the empty ones too. Odoo shows the
        empty stages of one project (``default_project_id``); work orders live in one project per
        dealership, so their actions ask for the work steps with a display-only context key."""
        stages = super()._read_group_stage_ids(stages, domain)
        if not self.env.context.get("jingpin_work_step_columns"):
            return stages
        steps = [state for state, _label in WORK_STATES if state != "cancelled"]
        return stages.search(["|", ("id", "in", stages.ids), ("work_state", "in", steps)], order=stages._order)

    # === CONSTRAINTS === #
    @api.constrains("technician_id", "is_work_order")
    def _check_technician(self):
        for task in self.filtered(lambda t: t.is_work_order and t.technician_id):
            if not task.technician_id.has_group("jingpin_accessories.group_jingpin_technician"):
                raise UserError(
                    self.env._(
                        "%(user)s is not an accessories technician: choose a technician for work order %(task)s.",
                        user=task.technician_id.name,
                        task=task.name,
                    )
                )
            if task.company_id not in task.technician_id.company_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s does not work at %(company)s: choose one of its technicians for work order %(task)s.",
                        user=task.technician_id.name,
                        company=task.company_id.name,
                        task=task.name,
                    )
                )

    @api.constrains("technician_id", "planned_start")
    def _check_overbooking(self):
        self.filtered(lambda task: task.is_work_order and task.technician_id)._lock_technician_days()
        for task in self:
            message = task._get_overbooking_message()
            if message:
                raise ValidationError(message)

    # === CRUD === #
    def _jingpin_client_fields(self):
        if not self.filtered("is_work_order"):
            return super()._jingpin_client_fields()
        if self.env.user._is_jingpin_technician_only():
            return TECHNICIAN_CLIENT_FIELDS
        return WORK_ORDER_CLIENT_FIELDS

    def _jingpin_refused_fields(self, vals):
        refused = super()._jingpin_refused_fields(vals)
        if vals.get("project_id") and self.env["project.project"].sudo().browse(vals["project_id"]).is_install_project:
            refused |= {"project_id"}
        return refused

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and self.env.user._is_jingpin_technician_only():
            raise AccessError(
                self.env._(
                    "A technician works on the work orders dispatched to him and creates no task: ask "
                    "the specialist to dispatch the work, or add a note to your work order.",
                )
            )
        tasks = super().create(vals_list)
        work_orders = tasks.filtered("is_work_order")
        if work_orders and not self._jingpin_is_server():
            raise AccessError(
                self.env._(
                    "Work orders are dispatched from confirmed accessory orders (见单施工): they cannot be "
                    "created by hand. Confirm the customer's order to dispatch its work order.",
                )
            )
        work_orders._sync_assignees()
        return tasks

    def write(self, vals):
        work_orders = self.filtered("is_work_order")
        if work_orders and not self._jingpin_is_server():
            work_orders._check_work_order_write(vals)
        result = super().write(vals)
        if "technician_id" in vals:
            work_orders._sync_assignees()
            work_orders._unfollow_former_technicians()
        if vals.keys() & {"planned_start", "promised_datetime", "technician_id", "work_state", "date_started"}:
            work_orders._check_lateness()
        return result

    def _jingpin_department_documents(self):
        return self.filtered("is_work_order")

    def copy_data(self, default=None):
        if self.filtered("is_work_order"):
            raise UserError(
                self.env._(
                    "A work order is not copied: it is dispatched from its confirmed accessory order.",
                )
            )
        return super().copy_data(default)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_work_order(self):
        if self.filtered("is_work_order"):
            raise UserError(
                self.env._(
                    "A work order is never deleted: it is the record of the work (见单施工). Cancel its "
                    "accessory order to cancel it.",
                )
            )

    def _check_work_order_write(self, vals):
        if vals.keys() & {"stage_id", "work_state"}:
            # a card dragged to another column of the kanban: the step is the buttons' to change
            raise AccessError(
                self.env._(
                    "Work order %s moves to its next step only through its buttons (Start Work, Sign Completion, "
                    "Sign Final Inspection, Handover), which check the rules: it cannot be moved to another "
                    "stage by hand.",
                    ", ".join(self.mapped("name")),
                )
            )
        signed = self.filtered("signature_ids")
        if signed and vals.keys() & EVIDENCE_PHOTO_FIELDS:
            raise UserError(
                self.env._(
                    "Work order %s is signed: its photos are part of the signed record and can no longer be changed.",
                    ", ".join(signed.mapped("name")),
                )
            )
        if signed and "name" in vals:
            raise UserError(
                self.env._(
                    "Work order %s is signed: its name can no longer be changed.",
                    ", ".join(signed.mapped("name")),
                )
            )

    def _sync_assignees(self):
        """The technician is the assignee: Odoo then shows him the work order, and only him."""
        for task in self:
            task._jingpin_server().user_ids = task.technician_id

    def _unfollow_former_technicians(self):
        """Access follows the current assignment: a technician taken off a work order also stops
        following it (followers read the tasks of a followers-only project)."""
        technician_group = self.env.ref("jingpin_accessories.group_jingpin_technician")
        specialist_group = self.env.ref("jingpin_accessories.group_jingpin_specialist")
        for task in self.sudo():
            former = (
                task.message_partner_ids.user_ids.filtered(
                    lambda user: technician_group in user.all_group_ids and specialist_group not in user.all_group_ids
                )
                - task.technician_id
            )
            if former:
                task.message_unsubscribe(partner_ids=former.partner_id.ids)

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        if (
            not self.env.su
            and self.env.user._is_jingpin_technician_only()
            and self.filtered(lambda task: task.is_work_order and task.technician_id != self.env.user)
        ):
            raise AccessError(
                self.env._(
                    "A technician follows the work orders he is assigned to; the specialist assigns them.",
                )
            )
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)

    @api.readonly
    def get_formview_id(self, access_uid=None):
        """A work order opens in its own form (steps, key, signatures), from a link, a notification
        (``/mail/view``) or a many2one, not in the project's task form."""
        if len(self) == 1 and self.is_work_order:
            return self.env.ref("jingpin_accessories.project_task_view_form_work_order").id
        return super().get_formview_id(access_uid=access_uid)

    def _get_access_action(self, access_uid=None, force_website=False):
        """A notification's link (``/mail/view``) opens a work order in its own action: the
        technician's queue for his own, the work orders for other staff; never the project's
        task form."""
        self.ensure_one()
        user = self.env["res.users"].sudo().browse(access_uid) if access_uid else self.env.user
        if self.is_work_order and not user.share and not force_website:
            path = "my-work-orders" if self.technician_id == user else "accessory-work-orders"
            return {"type": "ir.actions.act_url", "url": f"/odoo/{path}/{self.id}", "target": "self"}
        return super()._get_access_action(access_uid=access_uid, force_website=force_website)

    # === THE TRANSITIONS === #
    def _jingpin_transition(self, name, **values):
        """Fire transition ``name`` of ``WORK_ORDER_FLOW`` on these work orders: check the step and
        the guard of each, then move them as the server."""
        transition = WORK_ORDER_FLOW[name]
        for task in self:
            task._check_is_work_order()
            if task.work_state not in transition.from_states:
                states = dict(self._fields["work_state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "Work order %(task)s is at “%(state)s”: this cannot be done now.",
                        task=task.name,
                        state=states.get(task.work_state, task.work_state or "-"),
                    )
                )
            if transition.guard:
                getattr(task, transition.guard)()
        stages = self.env["project.task.type"].search([("work_state", "=", transition.to_state)])
        for task in self:
            stage = stages.filtered(lambda s, task=task: task.project_id in s.project_ids)[:1] or stages[:1]
            task._jingpin_server().write({"work_state": transition.to_state, "stage_id": stage.id, **values})

    def _guard_start(self):
        self._check_actor(self.technician_id | self.specialist_id)
        if not self.technician_id:
            raise UserError(self.env._("Assign a technician to work order %s before starting it.", self.name))
        if not self.work_item_ids:
            raise UserError(self.env._("Work order %s has nothing to install.", self.name))
        if not self.protective_set_done:
            raise UserError(
                self.env._(
                    "Fit the protective set (seat, steering wheel and floor covers) and confirm it "
                    "before starting work order %s.",
                    self.name,
                )
            )
        if self.key_state != "in_box":
            raise UserError(
                self.env._(
                    "Check the key of %(vehicle)s into the key box before starting work order %(task)s.",
                    vehicle=self.vehicle_id.display_name or self.env._("the car"),
                    task=self.name,
                )
            )

    def _guard_sign_completion(self):
        if self.env.user != self.technician_id:
            raise AccessError(
                self.env._(
                    "Only %(technician)s, the technician of work order %(task)s, can sign its completion. "
                    "Nobody signs for someone else.",
                    technician=self.technician_id.name or self.env._("the assigned technician"),
                    task=self.name,
                )
            )

    def _guard_sign_inspection(self):
        if not self.env.user.has_group("jingpin_accessories.group_jingpin_specialist"):
            raise AccessError(self.env._("Only an accessories specialist signs the final inspection."))
        if self.env.user == self.technician_id:
            raise AccessError(
                self.env._(
                    "%s installed this work and cannot also sign its final inspection: another specialist inspects it.",
                    self.env.user.name,
                )
            )

    def _guard_hand_over(self):
        if not self.env.user.has_group("jingpin_accessories.group_jingpin_specialist"):
            raise AccessError(self.env._("The handover is done by an accessories specialist with the customer."))
        self._check_parts_issued()

    def _check_parts_issued(self):
        """The car leaves with its accessories: what was fitted has been issued from stock (出库)."""
        pending = self.sudo().picking_ids.filtered(lambda picking: picking.state not in ("done", "cancel"))
        if pending:
            raise UserError(
                self.env._(
                    "The accessories of work order %(task)s have not been issued from stock (出库): "
                    "validate %(pickings)s (Parts Issue button of the work order) before the handover.",
                    task=self.name,
                    pickings=", ".join(pending.mapped("name")),
                )
            )

    # === ACTIONS === #
    def action_confirm_protective_set(self):
        for task in self:
            task._check_is_work_order()
            task._check_actor(task.technician_id | task.specialist_id)
            if task.work_state != "dispatched":
                raise UserError(self.env._("The protective set is confirmed before work starts."))
        self._jingpin_server().write(
            {
                "protective_set_by": self.env.uid,
                "protective_set_on": fields.Datetime.now(),
            }
        )
        for task in self:
            task.message_post(body=task._in_company_lang()._("Protective set (三件套) fitted and confirmed."))

    def action_start(self):
        self._jingpin_transition("start", date_started=fields.Datetime.now())

    def action_sign_completion(self):
        """The assigned technician signs that his work is complete; it goes to final inspection."""
        self.ensure_one()
        self._check_is_work_order()
        self._guard_sign_completion()
        if self.work_state != "in_progress":
            raise UserError(self.env._("Work order %s is not in progress: there is no work to sign.", self.name))
        self._check_photos_taken()
        self._sign("completion", self.env.user.name)
        self._create_inspection_lines()
        self._jingpin_transition("sign_completion")

    def action_sign_inspection(self):
        """A specialist signs the final inspection; a failed checkpoint sends the work back."""
        self.ensure_one()
        self._check_is_work_order()
        self._guard_sign_inspection()
        if self.work_state != "inspection":
            raise UserError(self.env._("Work order %s is not waiting for its final inspection.", self.name))
        lines = self.current_inspection_line_ids
        if not lines or not all(lines.mapped("result")):
            raise UserError(
                self.env._(
                    "Mark every checkpoint of work order %s as passed or failed before signing.",
                    self.name,
                )
            )
        lines._check_photos_taken()
        failed = lines.filtered(lambda line: line.result == "fail")
        self._sign("inspection", self.env.user.name, result="fail" if failed else "pass")
        if not failed:
            self._jingpin_transition("pass_inspection")
            return
        self._jingpin_transition("fail_inspection", rework_count=self.rework_count + 1)
        self._create_inspection_lines()
        env = self._in_company_lang()
        body = env._(
            "Final inspection failed, the work goes back to the technician: %s",
            "; ".join(f"{line.name} ({line.note or '-'})" for line in failed),
        )
        self.message_post(body=body, partner_ids=self.technician_id.partner_id.ids)
        if self.technician_id:
            tech_env = self.with_context(lang=self.technician_id.lang).env
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.technician_id.id,
                summary=tech_env._("Rework after final inspection"),
                note=body,
            )

    def action_inspection_all_pass(self):
        """Mark the open checkpoints passed; the specialist then marks the failed ones."""
        self.ensure_one()
        self._guard_sign_inspection()
        if self.work_state != "inspection":
            raise UserError(self.env._("Work order %s is not waiting for its final inspection.", self.name))
        self.current_inspection_line_ids.filtered(lambda line: not line.result).result = "pass"

    def action_open_handover(self):
        self.ensure_one()
        self._check_is_work_order()
        if self.work_state != "ready":
            raise UserError(self.env._("Work order %s is not ready for handover.", self.name))
        self._check_parts_issued()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Handover to the Customer"),
            "res_model": "jingpin.handover.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_task_id": self.id},
        }

    def action_open_log_hours(self):
        """Log hours in a small dialog: the way to do it on a phone."""
        self.ensure_one()
        self._check_is_work_order()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Hours"),
            "res_model": "jingpin.log.hours.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_task_id": self.id},
        }

    def action_record_complaint(self):
        """Record the customer's complaint about this handed-over work (R25)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Complaint"),
            "res_model": "jingpin.complaint",
            "views": [(False, "form")],
            "context": {"default_task_id": self.id, "default_complaint_type": "installation"},
        }

    def action_print_installation_sheet(self):
        return self.env.ref("jingpin_accessories.action_report_installation_sheet").report_action(self)

    def action_print_key_tag(self):
        self._check_is_work_order()
        return self.env.ref("jingpin_accessories.action_report_key_tag").report_action(self)

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
            raise UserError(
                self.env._(
                    "Only a staff member of %(company)s can hold the key of %(task)s.",
                    company=self.company_id.name,
                    task=self.name,
                )
            )
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
        first_day = min(self._local_day(technician, now) for technician in technicians)
        last_day = min(
            max(self._local_day(technician, self.promised_datetime) for technician in technicians),
            first_day + timedelta(days=PROPOSAL_HORIZON_DAYS),
        )
        loads = self._get_technician_day_loads(technicians, first_day, last_day)
        best = None
        for technician in technicians:
            slot = self._find_technician_slot(technician, now, loads)
            if slot and (best is None or slot[0] < best[0]):
                best = (slot[0], slot[1], technician)
        if not best:
            raise UserError(
                self.env._(
                    "No technician can finish the %(minutes)s minutes of %(task)s by the promised %(promise)s. "
                    "Agree a later completion with the customer or free a technician's day.",
                    minutes=self.planned_minutes,
                    task=self.name,
                    promise=format_datetime(self.env, self.promised_datetime),
                )
            )
        self.write({"technician_id": best[2].id, "planned_start": best[0]})
        return True

    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("id", "in", self.picking_ids.ids)]
        action["context"] = {"default_work_order_id": self.id}
        return action

    def action_flag_exception(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Flag an Exception"),
            "res_model": "jingpin.work.exception",
            "view_mode": "form",
            "target": "new",
            "context": {"default_task_id": self.id},
        }

    # === BUSINESS METHODS: workflow === #
    def _check_is_work_order(self):
        if not self.is_work_order:
            raise UserError(self.env._("%s is not an accessory work order.", self.display_name))

    def _check_actor(self, allowed_users):
        """Only the given users, or a specialist, may act on this work order."""
        if self.env.su or self.env.user in allowed_users:
            return
        if self.env.user.has_group("jingpin_accessories.group_jingpin_specialist"):
            return
        raise AccessError(
            self.env._(
                "Only %(users)s or a specialist may do this on work order %(task)s.",
                users=", ".join(allowed_users.mapped("name")) or self.env._("the assigned technician"),
                task=self.name,
            )
        )

    @api.model
    def _prepare_work_order_values(self, order, lines):
        project = self.env["project.project"]._get_install_project(order.company_id)
        dispatched = self.env["project.task.type"].search([("work_state", "=", "dispatched")], limit=1)
        return {
            "name": self.env._(
                "%(order)s · %(vehicle)s", order=order.name, vehicle=order.vehicle_id.name or order.partner_id.name
            ),
            "project_id": project.id,
            "work_state": "dispatched",
            "stage_id": dispatched.id,
            "company_id": order.company_id.id,
            "partner_id": order.partner_id.id,
            "accessory_order_id": order.id,
            "vehicle_id": order.vehicle_id.id,
            "consultant_id": order.user_id.id,
            "specialist_id": order.specialist_id.id
            or (self.env.user.id if self.env.user.has_group("jingpin_accessories.group_jingpin_specialist") else False),
            "promised_datetime": order.commitment_date,
            "work_item_ids": [
                fields.Command.create(
                    {
                        "sale_line_id": line.id,
                        "product_id": line.product_id.id,
                        "quantity": line.product_uom_qty,
                        "sequence": line.sequence,
                    }
                )
                for line in lines
            ],
        }

    def _jingpin_cancel_work_orders(self):
        """The order was cancelled: its open work orders are cancelled, their keys go back to the
        customer, and due bills no longer wait for them (the car may leave)."""
        open_orders = self.filtered(lambda task: task.is_work_order and task.work_state in OPEN_WORK_STATES)
        if not open_orders:
            return
        open_orders.sudo()._return_keys()
        open_orders.sudo()._jingpin_transition("cancel")
        for task in open_orders:
            task.message_post(body=task._in_company_lang()._("Cancelled with its accessory order."))
        self.env["jingpin.due.bill"].sudo().search(
            [
                ("work_order_ids", "in", open_orders.ids),
                ("state", "=", "signed"),
            ]
        )._close_fitted()

    # === BUSINESS METHODS: the customer follows his car (B17) === #
    def _jingpin_customer_progress(self):
        """What the customer's page shows of each work order: its step, the promised time in the
        dealership's time zone, what is fitted and the technician's first name — nothing else."""
        steps = list(OPEN_WORK_STATES)
        progress = []
        for task in self.filtered(lambda task: task.is_work_order and task.work_state != "cancelled"):
            env = task._in_company_lang()
            labels = dict(task._fields["work_state"]._description_selection(env))
            current = steps.index(task.work_state) if task.work_state in steps else len(steps)
            progress.append(
                {
                    "task": task,
                    "state": task.work_state,
                    "state_label": labels[task.work_state],
                    "steps": [(labels[state], index < current, index == current) for index, state in enumerate(steps)],
                    "promised": task.promised_datetime
                    and format_datetime(
                        env, task.promised_datetime, tz=task.company_id.partner_id.tz or "UTC", dt_format="short"
                    ),
                    "technician": task._jingpin_technician_first_name(env),
                    "items": [(item.product_id.name, f"{item.quantity:g}") for item in task.work_item_ids],
                }
            )
        return progress

    def _jingpin_technician_first_name(self, env):
        """The technician as the customer knows him: a first name, or for a Chinese name (no space)
        the family name as 师傅 — never his full name, login or contact."""
        name = (self.technician_id.name or "").strip()
        if not name:
            return ""
        if " " in name:
            return name.split()[0]
        return env._("Master %s", name[0])

    # === BUSINESS METHODS: the customer signs the handover on his phone (B17, B11) === #
    def action_jingpin_send_handover_link(self):
        """Send the customer a link to sign the handover (and any due bill, or that nothing is owed)
        on his phone by SMS; the form shows it as a QR code for the customer standing there."""
        link = self._jingpin_issue_handover_link()
        env = self._in_company_lang()
        link._send_sms(
            env._(
                "%(company)s: your car is ready. Check the work, then sign the handover of %(task)s on your phone: "
                "%(url)s (valid 3 days)",
                company=self.company_id.name,
                task=self.name,
                url=link.sudo().url,
            )
        )
        return True

    def action_jingpin_email_handover_link(self):
        """Send the customer the handover link by email."""
        self._jingpin_issue_handover_link()._send_email()
        return True

    def _jingpin_issue_handover_link(self):
        """A new handover link, by a specialist, for a work order ready for handover."""
        self.ensure_one()
        self._check_is_work_order()
        self.check_access("write")
        if self.work_state != "ready":
            raise UserError(self.env._("Work order %s is not ready for handover.", self.name))
        self._guard_hand_over()
        if not self.accessory_order_id:
            raise UserError(self.env._("Work order %s has no accessory order: hand it over on this screen.", self.name))
        self._jingpin_check_owed_written()
        return self.env["jingpin.customer.link"]._issue(self.accessory_order_id, "handover", task=self)[0]

    def _jingpin_owed_bills(self):
        """The draft due bills of this car and customer, signed with the handover."""
        self.ensure_one()
        return (
            self.env["jingpin.due.bill"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("vehicle_id", "=", self.vehicle_id.id),
                    ("partner_id", "=", self.partner_id.id),
                    ("state", "=", "draft"),
                ],
                order="id",
            )
        )

    def _jingpin_check_owed_written(self):
        """The car leaves with a due bill for every other open work order on it: else the customer
        would sign that nothing is owed while work is."""
        self.ensure_one()
        if not self.vehicle_id:
            return
        others = self.sudo().search(
            [
                ("is_work_order", "=", True),
                ("vehicle_id", "=", self.vehicle_id.id),
                ("work_state", "in", OPEN_WORK_STATES),
                ("id", "!=", self.id),
            ]
        )
        written = (
            self.env["jingpin.due.bill"]
            .sudo()
            .search([("work_order_ids", "in", others.ids), ("state", "in", ("draft", "signed"))])
        )
        unwritten = others - written.work_order_ids
        if unwritten:
            raise UserError(
                self.env._(
                    "Work orders %(tasks)s of this car are not finished: write the due bill for them before "
                    "the customer signs the handover.",
                    tasks=", ".join(unwritten.mapped("name")),
                )
            )

    def _jingpin_owed_content(self, bills):
        """What the customer signs of what is still owed to him: ``bills`` (due bills) as signed, or
        nothing owed (无欠款) when there are none. The bills' signed fields do not change afterwards."""
        self.ensure_one()
        return {
            "work_order": self.id,
            "customer": self.partner_id.id,
            "vehicle": {"id": self.vehicle_id.id, "vin": self.vehicle_id.vin or ""},
            "due_bills": [
                {
                    "id": bill.id,
                    "name": bill.name,
                    "work_orders": sorted(bill.work_order_ids.ids),
                    "owed": bill.owed_description or "",
                }
                for bill in bills.sorted("id")
            ],
        }

    def _jingpin_handover_digest(self):
        """The version of the handover the customer's link shows: the work order's handover snapshot,
        its step, and what is still owed."""
        self.ensure_one()
        content = {
            "handover": self._signature_content("handover", self.rework_count),
            "state": self.work_state,
            "owed": self._jingpin_owed_content(self._jingpin_owed_bills()),
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    def _jingpin_customer_hand_over(self, link, name, signature):
        """The customer signs, through ``link`` (as superuser, from his page), the handover and what
        is still owed (his due bills, or nothing): two signatures of the work order's chain over the
        version he saw; the signed receipt is archived on the work order for him to download."""
        self.ensure_one()
        if link.task_id != self:
            raise UserError(self.env._("This link is not for this work order."))
        if link._current_state() != "open":
            raise UserError(self.env._("This link is not valid any more: ask the dealership for a new one."))
        if link._needs_sms_code():
            raise UserError(self.env._("Enter the code sent to your phone before signing."))
        self._jingpin_check_owed_written()
        self._check_parts_issued()
        bills = self._jingpin_owed_bills()
        if not link._mark_used():
            raise UserError(self.env._("This link was already used to sign."))
        self._hand_over_signed(name, signature, transition="hand_over_on_phone")
        bills._jingpin_server().write({"signer_name": name, "signature": signature})
        bills.action_sign()
        bills._close_fitted()
        self.env["jingpin.signature"]._create_signature(
            self,
            {
                "role": "owed",
                "round": self.rework_count,
                "signer_name": name,
                "partner_id": self.partner_id.id,
                "signature": signature,
                "content": json.dumps(self._jingpin_owed_content(bills), sort_keys=True),
            },
        )
        self.env.flush_all()
        report = self.env.ref("jingpin_accessories.action_report_handover_receipt")
        env = self._in_company_lang()
        pdf, _fmt = report.with_env(env(su=True))._render_qweb_pdf(report.report_name, self.ids)
        message = self.message_post(
            body=env._("Handover signed by %s on his phone.", name),
            attachments=[(env._("Handover Receipt %s.pdf", self.name), pdf)],
            author_id=self.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        link._jingpin_server().write({"document_ids": [fields.Command.set(message.attachment_ids.ids)]})

    # === BUSINESS METHODS: sign-off chain === #
    def _check_photos_taken(self):
        """The work is signed with its evidence: the protective set, the car before and the car
        after, each photographed (taken with the phone's camera on the work order's form)."""
        self.ensure_one()
        missing = [fname for fname in EVIDENCE_PHOTO_FIELDS if not self[fname]]
        if missing:
            raise UserError(
                self.env._(
                    "Take the photos of work order %(task)s before signing: %(photos)s.",
                    task=self.name,
                    photos=", ".join(self._fields[fname]._description_string(self.env) for fname in missing),
                )
            )

    def _signature_content(self, role, round_, version=SEAL_VERSION):
        """What a signature of ``role`` in ``round_`` seals: a stable snapshot of ids and raw values,
        the same in every language and whatever a product is later renamed to. A signature is
        verified against the snapshot of its own ``version`` (see ``SEAL_VERSION``)."""
        self.ensure_one()
        content = {
            "work_order": self.id,
            "customer": self.partner_id.id,
            "vehicle": {
                "id": self.vehicle_id.id,
                "vin": self.vehicle_id.vin or "",
                "plate": self.vehicle_id.license_plate or "",
            },
            "items": [
                {
                    "id": item.id,
                    "product": item.product_id.id,
                    "quantity": item.quantity,
                    "labour_minutes": item.labour_minutes,
                }
                for item in self.work_item_ids.sorted("id")
            ],
        }
        if role in ("inspection", "handover"):
            content["inspection"] = [
                {
                    "id": line.id,
                    "checkpoint": line.name,
                    "category": line.category,
                    "result": line.result or "",
                    "note": line.note or "",
                    "photo": line._photo_checksum(),
                }
                for line in self.inspection_line_ids.filtered(lambda line: line.round == round_).sorted("id")
            ]
        if version >= 2:
            content["version"] = version
            photos = self.with_context(bin_size=False)
            content["photos"] = {
                fname: hashlib.sha256(photos[fname]).hexdigest() if photos[fname] else ""
                for fname in sorted(EVIDENCE_PHOTO_FIELDS)
            }
        return content

    def _sign(self, role, signer_name, result=False, signature=False, partner=False):
        """Add a signature of ``role`` for the current user, in the order the process requires."""
        self.ensure_one()
        current = self.signature_ids.filtered(lambda s: s.round == self.rework_count)
        expected = ROLE_SEQUENCE[len(current)] if len(current) < len(ROLE_SEQUENCE) else None
        if role != expected:
            labels = dict(self.env["jingpin.signature"]._fields["role"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Work order %(task)s cannot be signed for “%(role)s” now: signatures follow the "
                    "process (completion, final inspection, handover) and none is given afterwards. "
                    "Next expected: %(expected)s.",
                    task=self.name,
                    role=labels[role],
                    expected=labels.get(expected) or self.env._("none, the work order is handed over"),
                )
            )
        return self.env["jingpin.signature"]._create_signature(
            self,
            {
                "role": role,
                "round": self.rework_count,
                "result": result,
                "signer_name": signer_name,
                "partner_id": partner and partner.id,
                "signature": signature,
                "content": json.dumps(self._signature_content(role, self.rework_count), sort_keys=True),
            },
        )

    def _handover(self, signer_name, signature):
        """The customer signs the handover on the specialist's screen."""
        self.ensure_one()
        self._check_is_work_order()
        self._guard_hand_over()
        self._hand_over_signed(signer_name, signature)

    def _hand_over_signed(self, signer_name, signature, transition="hand_over"):
        """The customer's handover signature: the key goes back to him and the installation sheet
        is archived on the work order."""
        if self.work_state != "ready":
            raise UserError(self.env._("Work order %s is not ready for handover.", self.name))
        if not signature:
            raise UserError(self.env._("The customer must sign on the screen to take the car back."))
        self._sign("handover", signer_name, signature=signature, partner=self.partner_id)
        self._jingpin_transition(transition, date_end=fields.Datetime.now())
        self.sudo()._return_keys()
        self._archive_installation_sheet()
        self.env["jingpin.due.bill"].sudo().search(
            [
                ("work_order_ids", "in", self.ids),
                ("state", "=", "signed"),
            ]
        )._close_fitted()
        self.env["jingpin.followup"]._schedule_after_handover(self)

    def _create_rework(self, items, complaint):
        """Dispatch a rework of this handed-over work order for ``complaint``: ``items`` (product,
        quantity) on the same car, through the same sign-off chain. Its items name no order line:
        the customer is not charged again, and what is issued for it counts against it alone."""
        self.ensure_one()
        env = self._in_company_lang()
        values = self._prepare_work_order_values(self.accessory_order_id, self.env["sale.order.line"])
        values.update(
            name=env._("Rework %(task)s · %(complaint)s", task=self.name, complaint=complaint.name),
            rework_of_id=self.id,
            partner_id=complaint.partner_id.id,
            vehicle_id=self.vehicle_id.id,
            specialist_id=complaint.user_id.id,
            promised_datetime=False,
            work_item_ids=[
                fields.Command.create({"product_id": product.id, "quantity": quantity, "sequence": index})
                for index, (product, quantity) in enumerate(items)
            ],
        )
        rework = self.sudo().with_context(mail_create_nolog=True)._jingpin_server().create(values)
        rework.message_post(
            body=env._(
                "Rework of %(task)s for complaint %(complaint)s, at no charge to the customer.",
                task=self.name,
                complaint=complaint.name,
            )
        )
        return rework

    def _create_inspection_lines(self):
        for task in self:
            env = task._in_company_lang()
            task.env["jingpin.inspection.line"].sudo()._jingpin_server().create(
                [
                    *(
                        {
                            "task_id": task.id,
                            "round": task.rework_count,
                            "sequence": index,
                            "category": "function",
                            "work_item_id": item.id,
                            "name": env._("Works as intended: %s", item.product_id.display_name),
                        }
                        for index, item in enumerate(task.work_item_ids)
                    ),
                    {
                        "task_id": task.id,
                        "round": task.rework_count,
                        "sequence": 100,
                        "category": "condition",
                        "name": env._("Body, paint and interior as before the work, no damage"),
                    },
                    {
                        "task_id": task.id,
                        "round": task.rework_count,
                        "sequence": 110,
                        "category": "cleanliness",
                        "name": env._("Inside and outside clean, protective set removed"),
                    },
                ]
            )

    def _archive_installation_sheet(self):
        report = self.env.ref("jingpin_accessories.action_report_installation_sheet")
        # the archived sheet takes only the values chosen here: no default_* key of the caller
        attachments = self.env["ir.attachment"].sudo()
        attachments = attachments.with_context(clean_context(self.env.context))  # pylint: disable=context-overridden
        for task in self:
            env = task._in_company_lang()
            content, fmt = report.with_env(env(su=True))._render_qweb_pdf(report.report_name, task.ids)
            attachment = attachments.create(
                {
                    "name": env._("Installation Sheet %(task)s.%(ext)s", task=task.name, ext=fmt),
                    "raw": content,
                    "res_model": "project.task",
                    "res_id": task.id,
                    "mimetype": "application/pdf" if fmt == "pdf" else "text/html",
                }
            )
            task._jingpin_server().installation_sheet_id = attachment
            task.message_post(body=env._("Installation sheet archived."), attachment_ids=attachment.ids)

    # === BUSINESS METHODS: key box === #
    def _check_key_tag(self, vehicle):
        """The key tag scanned (``vehicle``'s) is the key of this work order's car: the key of
        another dealership or of another car is refused, saying whose it is."""
        self.ensure_one()
        vehicle = vehicle.sudo()
        if vehicle.company_id != self.company_id:
            raise UserError(
                self.env._(
                    "Key tag %(code)s is a key of another dealership (%(company)s), not of work order "
                    "%(task)s: give it back to that dealership.",
                    code=vehicle.scan_code,
                    company=vehicle.company_id.name,
                    task=self.name,
                )
            )
        if vehicle != self.vehicle_id:
            raise UserError(
                self.env._(
                    "Key tag %(code)s is the key of %(vehicle)s, not of the car of work order %(task)s "
                    "(%(own)s): scan this car's key.",
                    code=vehicle.scan_code,
                    vehicle=vehicle.display_name,
                    task=self.name,
                    own=self.vehicle_id.display_name or "-",
                )
            )

    @api.model
    def _check_scan_purpose(self, scanned):
        """The installation sheet's code opens a work order."""
        if not scanned.is_work_order:
            raise UserError(self.env._("The QR code %s is not a work order's.", scanned.scan_code))

    def _register_key_movement(self, vals):
        self._check_is_work_order()
        if self.work_state not in OPEN_WORK_STATES:
            raise UserError(
                self.env._(
                    "Work order %s is closed: its key was given back to the customer.",
                    self.name,
                )
            )
        if not self.vehicle_id:
            raise UserError(
                self.env._("Work order %s has no vehicle: set the car before registering its key.", self.name)
            )
        self._check_actor(self.technician_id | self.specialist_id)
        # The register is append-only and has no create right for technicians: they move keys
        # through this method, which has just checked they work on this work order.
        return self.env["jingpin.key.log"]._register_movement(self, vals)

    def _return_keys(self):
        """The car leaves: its key, in the box or out, goes back to the customer (key log)."""
        for task in self.filtered(lambda t: t.vehicle_id and t.key_state in ("in_box", "out")):
            self.env["jingpin.key.log"]._register_movement(task, {"action": "return"})

    @api.model
    def _cron_flag_keys_not_with_specialist(self):
        """Day end: the keys of unfinished cars go back to their specialist (R21).

        Every open work order whose key is registered but is not out to its specialist gets one
        to-do for the specialist per day.
        """
        tasks = self.search(
            [
                ("is_work_order", "=", True),
                ("work_state", "in", OPEN_WORK_STATES),
                ("vehicle_id", "!=", False),
                ("specialist_id", "!=", False),
                ("company_id.jingpin_enabled", "=", True),
            ]
        )
        for task in tasks:
            today = fields.Date.context_today(task.with_context(tz=task.specialist_id.tz))
            if task.key_flag_date == today or task.key_state not in ("in_box", "out"):
                continue
            if task.key_state == "out" and task.key_holder_id == task.specialist_id:
                continue
            env = task.with_context(lang=task.specialist_id.lang).env
            where = (
                env._("in slot %s of the key box", task.key_slot_id.name)
                if task.key_state == "in_box"
                else env._("with %s", task.key_holder_id.name)
            )
            pending = (
                self.env["jingpin.key.board"]
                .sudo()
                .search([("vehicle_id", "=", task.vehicle_id.id), ("company_id", "=", task.company_id.id)])
                .pending_to_id
            )
            if pending:
                where += env._(" (handed to %s, not confirmed yet)", pending.name)
            task.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=today,
                summary=env._("Take back the key of %s", task.vehicle_id.display_name),
                note=env._(
                    "The car is not finished and its key is still %s: check it out to yourself before you leave.",
                    where,
                ),
                user_id=task.specialist_id.id,
            )
            task._jingpin_server().key_flag_date = today
        self.env["jingpin.robot.message"]._post_keys_out()

    # === BUSINESS METHODS: planning === #
    def _get_slot_candidates(self):
        """The company's technicians who install (specialists and above only dispatch)."""
        technician_group = self.env.ref("jingpin_accessories.group_jingpin_technician")
        specialist_group = self.env.ref("jingpin_accessories.group_jingpin_specialist")
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("all_group_ids", "in", technician_group.ids),
                    ("group_ids", "not in", specialist_group.all_implied_by_ids.ids),
                    ("company_ids", "in", self.company_id.ids),
                    ("share", "=", False),
                ],
                order="id",
            )
        )

    def _find_technician_slot(self, technician, now, loads):
        """The earliest (start, end) in naive UTC on which ``technician`` finishes this work in time,
        his days' planned minutes being ``loads`` (see ``_get_technician_day_loads``)."""
        tz = pytz.timezone(technician.tz or "UTC")
        minutes = timedelta(minutes=self.planned_minutes)
        day = pytz.utc.localize(now).astimezone(tz).date()
        promised = self.promised_datetime
        for _offset in range(PROPOSAL_HORIZON_DAYS):
            day_start, day_end = self._workday_bounds(tz, day)
            if day_start + minutes > promised:
                return None
            load = loads.get((technician.id, day), 0)
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

    def _lock_technician_days(self):
        """Two bookings of one technician must not both pass the capacity check: updating his user
        row makes a concurrent booking fail with a serialization error, and Odoo retries it, now
        seeing this one."""
        self.env.cr.execute(
            "UPDATE res_users SET write_date = write_date WHERE id = ANY(%s)",
            [self.technician_id.ids],
        )

    def _get_technician_day_load(self, technician, day):
        """Planned minutes of ``technician`` on ``day`` (his time zone), except this work order."""
        return self._get_technician_day_loads(technician, day, day).get((technician.id, day), 0)

    def _get_technician_day_loads(self, technicians, first_day, last_day):
        """Planned minutes of each of ``technicians`` on each day from ``first_day`` to ``last_day``
        (days in his time zone), except these work orders, as {(technician id, day): minutes}.

        One query whatever the number of technicians and days.
        """
        zones = {technician.id: pytz.timezone(technician.tz or "UTC") for technician in technicians}

        def utc_midnight(tz, day):
            return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

        after = timedelta(days=1)
        planned = (
            self.env["project.task"]
            .sudo()
            .search_fetch(
                [
                    ("is_work_order", "=", True),
                    ("technician_id", "in", technicians.ids),
                    ("planned_start", ">=", min(utc_midnight(tz, first_day) for tz in zones.values())),
                    ("planned_start", "<", max(utc_midnight(tz, last_day + after) for tz in zones.values())),
                    ("work_state", "in", OPEN_WORK_STATES),
                    ("id", "not in", self.ids),
                ],
                ["technician_id", "planned_start", "planned_minutes"],
            )
        )
        loads = defaultdict(int)
        for task in planned:
            technician_id = task.technician_id.id
            day = pytz.utc.localize(task.planned_start).astimezone(zones[technician_id]).date()
            if first_day <= day <= last_day:
                loads[technician_id, day] += task.planned_minutes
        return loads

    def _get_overbooking_message(self):
        self.ensure_one()
        if (
            not (self.is_work_order and self.technician_id and self.planned_start)
            or self.work_state not in OPEN_WORK_STATES
        ):
            return False
        technician = self.technician_id
        day = self._local_day(technician, self.planned_start)
        load = self._get_technician_day_load(technician, day) + self.planned_minutes
        if load <= technician.jingpin_daily_capacity:
            return False
        return self.env._(
            "%(technician)s is overbooked on %(day)s: %(load)s planned minutes for a capacity of "
            "%(capacity)s. Choose another technician or day, or use Propose Slot.",
            technician=technician.name,
            day=fields.Date.to_string(day),
            load=load,
            capacity=technician.jingpin_daily_capacity,
        )

    def _check_lateness(self):
        """Tell the specialist at once when the work order will miss its promise (R18).

        Told once per promise: a new promised completion may be told again. Written in the
        specialist's language, whoever made the change.
        """
        self.invalidate_recordset(["expected_end"])  # it moves with the clock
        for task in self:
            if not task.promised_datetime or task.late_notified_promise == task.promised_datetime:
                continue
            if not task.expected_end or task.expected_end <= task.promised_datetime:
                continue
            specialist = task.specialist_id
            env = task.with_context(lang=specialist.lang).env if specialist else task._in_company_lang()
            tz = specialist.tz or self.env.user.tz
            expected = format_datetime(env, task.expected_end, tz=tz)
            promised = format_datetime(env, task.promised_datetime, tz=tz)
            # The system warns the specialist whoever made the change (a technician starting work
            # may not write on the chatter or activities of the work order himself).
            task_sudo = task.sudo()
            if specialist:
                task_sudo.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=env._("Work order late: tell the customer"),
                    note=env._(
                        "%(task)s is expected to end at %(expected)s, after the %(promised)s promised to the customer.",
                        task=task.name,
                        expected=expected,
                        promised=promised,
                    ),
                    user_id=specialist.id,
                )
            self.env["jingpin.robot.message"]._post_late(task, expected, promised)
            task_sudo.message_post(
                body=env._(
                    "Late: expected to end at %(expected)s, after the promised %(promised)s.",
                    expected=expected,
                    promised=promised,
                ),
                partner_ids=specialist.partner_id.ids,
            )
            task_sudo._jingpin_server().late_notified_promise = task.promised_datetime

    @api.model
    def _cron_check_lateness(self):
        self.search(
            [
                ("is_work_order", "=", True),
                ("work_state", "in", RUNNING_STATES),
                ("promised_datetime", "!=", False),
                ("company_id.jingpin_enabled", "=", True),
            ]
        )._check_lateness()
