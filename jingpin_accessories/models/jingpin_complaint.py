from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import clean_context

from .project_task_type import OPEN_WORK_STATES

COMPLAINT_TYPES = [
    ("installation", "Installation Quality"),
    ("product", "Product Quality"),
    ("service", "Service"),
]
OPEN_COMPLAINT_STATES = ("new", "in_progress")
# What the complaint is about: set when it is received, then the server's.
SUBJECT_FIELDS = frozenset({"complaint_type", "partner_id", "vehicle_id", "product_id", "quantity", "disposition"})
# What it names: fixed once created (they decide who may read it).
LINK_FIELDS = frozenset({"task_id", "order_id", "company_id"})


class JingpinComplaint(models.Model):
    """A customer's complaint (投诉, R25) about a car's accessories, their fitting or the service.

    ``state``, the owner, the deadline, the escalation, the rework and replacement documents and the
    customer's confirmation are the server's (``jingpin.guard``); they change only through:

    =========== =========== ================================================ =====================
    From        To          Guard, and what it does                          Who
    =========== =========== ================================================ =====================
    (received)  new         owner: the work order's or order's specialist;   specialist
                            deadline: today + the dealership's days
    new         in_progress installation: a rework work order of the         specialist
                            original, same items, no new charge, same
                            sign-off chain; product: the faulty item comes
                            back (to stock, or scrapped: manager only) and
                            a new one is issued (stock moves), fitted by a
                            rework work order when it needs installing
    new,        resolved    a resolution; rework handed over, transfers done specialist
    in_progress
    resolved    closed      the customer's name and signature (confirmed_on  specialist, with the
                            is the server's time)                            customer
    new,        cancel      a reason                                         accessories manager
    in_progress
    new,        (same)      the owner is handed to another specialist of the accessories manager
    in_progress             dealership, who gets the activity
    (late)      escalated   deadline passed while open: the manager gets     the daily job
                            an activity, once
    =========== =========== ================================================ =====================
    """

    _name = "jingpin.complaint"
    _description = "Customer Complaint"
    _inherit = ["mail.thread", "mail.activity.mixin", "jingpin.guard"]
    _order = "id desc"
    _check_company_auto = True

    # === FIELDS === #
    name = fields.Char(readonly=True, required=True, copy=False, default=lambda self: self.env._("New"))
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    complaint_type = fields.Selection(COMPLAINT_TYPES, string="Type", required=True, tracking=True)
    task_id = fields.Many2one(
        "project.task",
        string="Work Order",
        index="btree_not_null",
        check_company=True,
        domain=[("is_work_order", "=", True)],
    )
    order_id = fields.Many2one(
        "sale.order",
        string="Accessory Order",
        index="btree_not_null",
        check_company=True,
        compute="_compute_order_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    vehicle_id = fields.Many2one(
        "jingpin.vehicle",
        check_company=True,
        compute="_compute_vehicle_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    technician_id = fields.Many2one(related="task_id.technician_id", store=True, index="btree_not_null")
    description = fields.Text(required=True)
    product_id = fields.Many2one(
        "product.product",
        string="Faulty Accessory",
        check_company=True,
        domain=[("is_accessory", "=", True), ("type", "!=", "combo")],
    )
    categ_id = fields.Many2one(related="product_id.categ_id", store=True, string="Accessory Category")
    quantity = fields.Float(default=1.0, digits="Product Unit")
    disposition = fields.Selection(
        [("stock", "Back to Stock"), ("scrap", "Scrap")],
        string="Faulty Item Goes",
        default="stock",
        help="Where the faulty accessory goes when it comes back: to stock (e.g. to return it to the "
        "supplier) or scrapped (only the accessories manager decides this).",
    )
    user_id = fields.Many2one("res.users", string="Owner", readonly=True, index=True, tracking=True)
    date_deadline = fields.Date(string="Deadline", readonly=True, tracking=True)
    state = fields.Selection(
        [
            ("new", "New"),
            ("in_progress", "In Progress"),
            ("resolved", "Resolved"),
            ("closed", "Closed"),
            ("cancel", "Cancelled"),
        ],
        default="new",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    escalated_on = fields.Datetime(readonly=True, copy=False)
    rework_task_id = fields.Many2one("project.task", string="Rework Work Order", readonly=True, copy=False)
    return_picking_id = fields.Many2one("stock.picking", string="Faulty Item Returned", readonly=True, copy=False)
    replacement_picking_id = fields.Many2one("stock.picking", string="Replacement Issued", readonly=True, copy=False)
    resolution = fields.Text(tracking=True, copy=False)
    date_resolved = fields.Date(readonly=True, copy=False)
    cancel_reason = fields.Text(string="Reason for Cancelling", copy=False)
    customer_signer = fields.Char(string="Confirmed By", copy=False)
    customer_signature = fields.Binary(string="Customer's Confirmation", copy=False)
    confirmed_on = fields.Datetime(string="Customer Confirmed On", readonly=True, copy=False)
    feedback_ids = fields.One2many("jingpin.feedback", "complaint_id", string="Feedback")

    _quantity_positive = models.Constraint("CHECK(quantity > 0)", "The quantity complained about must be positive.")

    # === COMPUTES === #
    @api.depends("task_id")
    def _compute_order_id(self):
        for complaint in self:
            complaint.order_id = complaint.task_id.accessory_order_id or complaint.order_id

    @api.depends("task_id", "order_id", "vehicle_id")
    def _compute_partner_id(self):
        for complaint in self:
            complaint.partner_id = (
                complaint.task_id.partner_id
                or complaint.order_id.partner_id
                or complaint.vehicle_id.partner_id
                or complaint.partner_id
            )

    @api.depends("task_id", "order_id")
    def _compute_vehicle_id(self):
        for complaint in self:
            complaint.vehicle_id = complaint.task_id.vehicle_id or complaint.order_id.vehicle_id or complaint.vehicle_id

    # === CRUD === #
    def _jingpin_refused_fields(self, vals):
        refused = super()._jingpin_refused_fields(vals)
        if not self:
            return refused
        refused |= vals.keys() & LINK_FIELDS
        if self.filtered(lambda c: c.state != "new"):
            refused |= vals.keys() & SUBJECT_FIELDS
        if self.filtered(lambda c: c.state not in OPEN_COMPLAINT_STATES):
            refused |= vals.keys() & {"resolution", "cancel_reason"}
        if self.filtered(lambda c: c.state != "resolved"):
            refused |= vals.keys() & {"customer_signer", "customer_signature"}
        return refused

    @api.model_create_multi
    def create(self, vals_list):
        complaints = super().create(vals_list)
        for complaint in complaints:
            complaint._check_subject()
            complaint._jingpin_server().write(
                {
                    "name": self.env["ir.sequence"].next_by_code("jingpin.complaint") or complaint.name,
                    "user_id": (
                        complaint.task_id.specialist_id or complaint.order_id.specialist_id or self.env.user
                    ).id,
                    "date_deadline": fields.Date.context_today(complaint)
                    + timedelta(days=complaint.company_id.jingpin_complaint_days),
                }
            )
            self.env["jingpin.feedback"].sudo()._jingpin_server().create(
                {
                    "description": complaint.description,
                    "kind": "complaint",
                    "complaint_id": complaint.id,
                    "partner_id": complaint.partner_id.id,
                    "company_id": complaint.company_id.id,
                }
            )
            if complaint.user_id != self.env.user:
                complaint._schedule_owner_activity()
        return complaints

    def copy_data(self, default=None):
        raise UserError(self.env._("A complaint is the customer's: it is not copied. Record a new one."))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_complaint(self):
        raise UserError(self.env._("A complaint is never deleted: the accessories manager cancels it, saying why."))

    # === ACTIONS === #
    def action_start(self):
        """Start handling: a rework work order, or the replacement of the faulty accessory."""
        self._check_handler()
        for complaint in self:
            complaint._check_state(("new",))
            if complaint.complaint_type == "installation":
                complaint._start_rework()
            elif complaint.complaint_type == "product":
                complaint._start_replacement()
            complaint._jingpin_server().state = "in_progress"
        return True

    def action_resolve(self):
        self._check_handler()
        for complaint in self:
            complaint._check_state(OPEN_COMPLAINT_STATES)
            if not (complaint.resolution or "").strip():
                raise UserError(self.env._("Write how complaint %s was resolved (Resolution).", complaint.name))
            if complaint.complaint_type != "service" and complaint.state == "new":
                raise UserError(
                    self.env._("Start complaint %s first: its rework or replacement is not done.", complaint.name)
                )
            if complaint.rework_task_id.work_state in OPEN_WORK_STATES:
                raise UserError(
                    self.env._(
                        "Rework work order %(task)s of complaint %(complaint)s is not handed over yet.",
                        task=complaint.rework_task_id.name,
                        complaint=complaint.name,
                    )
                )
            pickings = complaint.return_picking_id | complaint.replacement_picking_id
            if pickings.filtered(lambda picking: picking.state != "done"):
                raise UserError(
                    self.env._(
                        "The faulty accessory of complaint %s must come back and its replacement be "
                        "issued (validate both transfers) before it is resolved.",
                        complaint.name,
                    )
                )
        self._jingpin_server().write({"state": "resolved", "date_resolved": fields.Date.context_today(self)})
        for complaint in self.filtered(
            lambda complaint: complaint.escalated_on and complaint.company_id.jingpin_manager_id
        ):
            # the manager's "late complaint" to-do: its cause, a complaint not resolved, is gone
            complaint._jingpin_server().activity_unlink(
                ["mail.mail_activity_data_todo"], user_id=complaint.company_id.jingpin_manager_id.id
            )
        for complaint in self:
            complaint.message_post(
                body=complaint._in_company_lang()._("Resolved, waiting for the customer's confirmation.")
            )
        return True

    def action_customer_confirm(self):
        """The customer confirms, with his signature, that the complaint is resolved: it closes."""
        self._check_handler()
        for complaint in self:
            complaint._check_state(("resolved",))
            if not complaint.customer_signature or not (complaint.customer_signer or "").strip():
                raise UserError(
                    self.env._(
                        "The customer confirms the resolution of %s with his name and signature.", complaint.name
                    )
                )
        self._jingpin_server().write({"state": "closed", "confirmed_on": fields.Datetime.now()})
        self._jingpin_server().activity_unlink(["mail.mail_activity_data_todo"])
        for complaint in self:
            complaint.message_post(
                body=complaint._in_company_lang()._(
                    "%s confirmed the resolution: complaint closed.", complaint.customer_signer
                )
            )
        return True

    def action_open_assign(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hand the Complaint Over"),
            "res_model": "jingpin.complaint.assign.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    def action_assign(self, user_id):
        """The accessories manager hands open complaints to another owner of their dealership, who
        gets the complaint's activity (``user_id``: an accessories specialist)."""
        self.check_access("write")
        if not self.env.user.has_group("jingpin_accessories.group_jingpin_manager"):
            raise AccessError(self.env._("Only the accessories manager hands a complaint to another owner."))
        user = self.env["res.users"].browse(user_id).exists()
        for complaint in self:
            complaint._check_state(OPEN_COMPLAINT_STATES)
            if not user or user not in complaint._assignable_users():
                raise UserError(
                    self.env._("Choose an accessories specialist of %s as the owner.", complaint.company_id.name)
                )
        self._jingpin_server().user_id = user
        for complaint in self:
            complaint._schedule_owner_activity()
        return True

    def action_cancel(self):
        self.check_access("write")
        if not self.env.user.has_group("jingpin_accessories.group_jingpin_manager"):
            raise AccessError(self.env._("Only the accessories manager cancels a complaint."))
        for complaint in self:
            complaint._check_state(OPEN_COMPLAINT_STATES)
            if not (complaint.cancel_reason or "").strip():
                raise UserError(self.env._("Say why complaint %s is cancelled.", complaint.name))
        self._jingpin_server().write({"state": "cancel"})
        self._jingpin_server().activity_unlink(["mail.mail_activity_data_todo"])
        return True

    # === BUSINESS METHODS === #
    def _assignable_users(self):
        """Who may own the complaint: the accessories specialists and managers of its dealership
        (its department's staff; not the system's administrators)."""
        self.ensure_one()
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("share", "=", False),
                    ("company_ids", "in", self.company_id.ids),
                    ("all_group_ids", "in", self.env.ref("jingpin_accessories.group_jingpin_specialist").ids),
                ]
            )
        )
        return users.filtered(lambda user: not user._is_system())

    def _check_handler(self):
        self.check_access("write")
        if not self.env.user.has_group("jingpin_accessories.group_jingpin_specialist"):
            raise AccessError(self.env._("The accessories specialist or manager handles complaints."))

    def _schedule_owner_activity(self):
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=self.date_deadline,
            user_id=self.user_id.id,
            summary=self._in_company_lang()._("Handle complaint %s", self.name),
            note=self.description,
        )

    def _local_today(self):
        return fields.Date.context_today(self.with_context(tz=self.company_id.partner_id.tz or "UTC"))

    def _check_state(self, states):
        if self.state not in states:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Complaint %(complaint)s is “%(state)s”: this cannot be done now.",
                    complaint=self.name,
                    state=labels[self.state],
                )
            )

    def _check_subject(self):
        if self.complaint_type == "installation" and not self.task_id.filtered(
            lambda task: task.work_state == "handed_over"
        ):
            raise UserError(self.env._("An installation complaint names the handed-over work order it is about."))
        if self.complaint_type == "product" and not self.product_id:
            raise UserError(self.env._("A product complaint names the faulty accessory."))

    def _start_rework(self):
        """Installation quality: the work is done again on a new work order of the same items,
        through the same sign-off chain, at no new charge."""
        rework = self.task_id._create_rework(
            [(item.product_id, item.quantity) for item in self.task_id.work_item_ids], self
        )
        self._jingpin_server().rework_task_id = rework

    def _start_replacement(self):
        """Product quality: the faulty accessory comes back from the customer (to stock, or to the
        scrap location) and a new one is issued from the dealership's warehouse. One that needs
        installing is fitted by a rework work order, which the new one is issued against."""
        if self.disposition == "scrap" and not self.env.user.has_group("jingpin_accessories.group_jingpin_manager"):
            raise AccessError(self.env._("Only the accessories manager decides to scrap a faulty accessory."))
        fitted = self._fitted_quantity()
        if self.product_id.uom_id.compare(self.quantity, fitted) > 0:
            raise UserError(
                self.env._(
                    "Only an accessory fitted on the car is replaced: %(fitted)s × %(product)s of %(document)s "
                    "can still be replaced, not %(quantity)s.",
                    fitted=fitted,
                    product=self.product_id.display_name,
                    document=self.task_id.name or self.order_id.name or self.vehicle_id.display_name or "-",
                    quantity=self.quantity,
                )
            )
        if self.product_id.needs_install:
            if not self.task_id:
                raise UserError(
                    self.env._(
                        "%s is installed: name the work order that fitted it, its replacement is fitted again.",
                        self.product_id.display_name,
                    )
                )
            self._jingpin_server().rework_task_id = self.task_id._create_rework(
                [(self.product_id, self.quantity)], self
            )
        warehouse = self.env["stock.warehouse"].sudo().search([("company_id", "=", self.company_id.id)], limit=1)
        if not warehouse:
            raise UserError(self.env._("%s has no warehouse to replace the accessory from.", self.company_id.name))
        customers = self.env.ref("stock.stock_location_customers")
        if self.disposition == "scrap":
            destination = self.env["stock.location"].search(
                [("usage", "=", "inventory"), ("company_id", "=", self.company_id.id)], order="id", limit=1
            )
        else:
            destination = warehouse.lot_stock_id
        env = self._in_company_lang()
        # the transfers take only the values chosen here: no default_* key of the caller
        Picking = self.env["stock.picking"].with_context(clean_context(self.env.context))  # pylint: disable=context-overridden
        returned = Picking.create(
            self._prepare_picking_values(warehouse.in_type_id, customers, destination, env._("Faulty, returned"))
        )
        returned.move_ids.origin_returned_move_id = self._delivered_move()
        replacement = Picking.create(
            {
                **self._prepare_picking_values(
                    warehouse.out_type_id, warehouse.lot_stock_id, customers, env._("Replacement")
                ),
                "work_order_id": self.rework_task_id.id,
            }
        )
        (returned | replacement).action_confirm()
        replacement.action_assign()
        self._jingpin_server().write({"return_picking_id": returned.id, "replacement_picking_id": replacement.id})

    def _fitted_quantity(self):
        """How many of the faulty accessory the complaint's work order fitted (or its order, the
        car's confirmed orders or, without a car, the customer's, delivered), less those other
        complaints already replace."""
        product = self.product_id
        if self.task_id:
            task = self.task_id.sudo()
            items = task.work_item_ids if task.work_state == "handed_over" else task.work_item_ids.browse()
            fitted = sum(items.filtered(lambda item: item.product_id == product).mapped("quantity"))
            scope = [("task_id", "=", task.id)]
        else:
            if self.order_id:
                orders = self.order_id.sudo()
                scope = [("order_id", "=", orders.id)]
            else:
                scope = (
                    [("vehicle_id", "=", self.vehicle_id.id)]
                    if self.vehicle_id
                    else [("vehicle_id", "=", False), ("partner_id", "=", self.partner_id.id)]
                )
                orders = self.env["sale.order"].sudo().search([*scope, ("state", "=", "sale")])
            lines = orders.filtered(lambda order: order.state == "sale").order_line
            fitted = sum(
                line.product_uom_id._compute_quantity(line.qty_delivered, product.uom_id)
                for line in lines.filtered(lambda line: line.product_id == product)
            )
        replaced = (
            self.sudo()
            .search(
                [
                    *scope,
                    ("product_id", "=", product.id),
                    ("replacement_picking_id.state", "!=", "cancel"),
                    ("id", "!=", self.id),
                ]
            )
            .mapped("quantity")
        )
        return fitted - sum(replaced)

    def _prepare_picking_values(self, picking_type, source, destination, label):
        return {
            "picking_type_id": picking_type.id,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "origin": f"{self.name} · {label}",
            "move_ids": [
                fields.Command.create(
                    {
                        "product_id": self.product_id.id,
                        "product_uom_qty": self.quantity,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                        "company_id": self.company_id.id,
                    }
                )
            ],
        }

    def _delivered_move(self):
        """The delivery that gave the customer the faulty accessory, if the order is known: the
        return is valued as it left the stock."""
        if not self.order_id:
            return self.env["stock.move"]
        return (
            self.env["stock.move"]
            .sudo()
            .search(
                [
                    ("sale_line_id.order_id", "=", self.order_id.id),
                    ("product_id", "=", self.product_id.id),
                    ("state", "=", "done"),
                    ("location_dest_id.usage", "=", "customer"),
                ],
                order="id desc",
                limit=1,
            )
        )

    @api.model
    def _cron_escalate_late(self):
        """Complaints still open after their deadline, a day in the dealership's time zone, go to the
        accessories manager, once."""
        # no time zone is more than a day ahead of UTC: nothing later than today (UTC) can be late yet
        late = self.search(
            [
                ("state", "in", OPEN_COMPLAINT_STATES),
                ("date_deadline", "<=", fields.Date.today()),
                ("escalated_on", "=", False),
                ("company_id.jingpin_enabled", "=", True),
            ]
        ).filtered(lambda complaint: complaint.date_deadline < complaint._local_today())
        for complaint in late:
            today = complaint._local_today()
            env = complaint._in_company_lang()
            manager = complaint.company_id.jingpin_manager_id
            if manager:
                complaint.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=today,
                    user_id=manager.id,
                    summary=env._("Late complaint %s", complaint.name),
                    note=env._(
                        "Complaint of %(customer)s owned by %(owner)s was due on %(deadline)s and is not resolved.",
                        customer=complaint.partner_id.name,
                        owner=complaint.user_id.name,
                        deadline=fields.Date.to_string(complaint.date_deadline),
                    ),
                )
            complaint.message_post(
                body=env._("Escalated to the accessories manager: the deadline has passed."),
                partner_ids=manager.partner_id.ids,
            )
        late._jingpin_server().escalated_on = fields.Datetime.now()
        self.env["jingpin.robot.message"]._post_complaints_escalated(late)
        return late
