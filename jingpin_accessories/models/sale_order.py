import hashlib
import json

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_amount

from .jingpin_figure_stale import ORDER_DAY_FIELDS, ORDER_FIGURE_FIELDS

JINGPIN_CHANNELS = [
    ("new_car", "New-Car Sale"),
    ("after_sales", "After-Sales"),
    ("walk_in", "Walk-In"),
    ("referral", "Referral"),
    ("external", "External Business"),
]
REBATE_CHANNELS = ("referral", "external")
# Odoo's fields a client may still write on a confirmed accessory order (``jingpin.guard`` refuses
# every other one, and any field another module adds): the customer's reference, the terms and the
# tags, the delivery date, the lines (each checked by its own rules: stock at delivery, money at
# invoicing), Odoo's Lock/Unlock button and the portal link's token Odoo makes when the order is
# shared. The customer, prices list, salesperson, team, taxes and terms of payment stay as confirmed.
CONFIRMED_ORDER_CLIENT_FIELDS = frozenset(
    {"client_order_ref", "note", "tag_ids", "commitment_date", "order_line", "locked", "access_token"}
)
# What the order is, for whom and who is credited or charged: fixed once the order is confirmed.
LOCKED_ONCE_CONFIRMED = frozenset(
    {
        "jingpin_channel",
        "vehicle_id",
        "car_sale_order_id",
        "gift_given_by_id",
        "rebate_partner_id",
        "rebate_amount",
        # the date the prices, promotions and concessions were decided for (confirmation sets it)
        "date_order",
    }
)

APPROVAL_ACTIVITY = "jingpin_accessories.mail_activity_type_concession_approval"
MANAGER_GROUP = "jingpin_accessories.group_jingpin_manager"
GM_GROUP = "jingpin_accessories.group_jingpin_gm"
APPROVAL_STATES = [
    ("not_needed", "Not Needed"),
    ("to_approve", "Waiting for the Manager"),
    ("to_approve_gm", "Waiting for the General Manager"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
WAITING_STATES = ("to_approve", "to_approve_gm")


class SaleOrder(models.Model):
    """The accessory order (精品单): channel, vehicle, concessions and their approval (R11).

    Concession approval state machine. ``jingpin_approval_state`` is computed from the order's
    concessions and its decisions (``jingpin.approval``); no client writes it, nor any amount it
    is computed from (see ``jingpin.guard``). A decision is recorded only by :meth:`_jingpin_decide`
    (the Approve / Reject buttons of the decision wizard):

    ============== =================== ========================================== ====================
    From           To                  Guard                                      Who
    ============== =================== ========================================== ====================
    (any)          not_needed          no concession on the order                 computed
    (any)          to_approve          concessions beyond what was last approved, computed; the
                                       or changed since the last rejection        manager is asked
    to_approve     approved            level "manager": within his authority      accessories manager
    to_approve     to_approve_gm       level "gm": beyond his authority           accessories manager
    to_approve     approved            level "gm"                                 general manager
    to_approve_gm  approved                                                       general manager
    to_approve(*)  rejected            a reason is given                          manager / GM
    ============== =================== ========================================== ====================

    Every decision: the approver is not the order's salesperson, specialist or creator; the
    company has the approver configured (Settings › Accessories); two simultaneous decisions on
    one order cannot both be recorded (the order's row is updated first: the second transaction
    fails to serialize, Odoo retries it and the retry finds nothing waiting). Nothing is settled
    (invoice posted) while the state is waiting or rejected; goods delivered beyond the manager's
    authority without the GM's approval are charged to the manager, waived when the GM approves.
    """

    _name = "sale.order"
    _inherit = ["sale.order", "jingpin.activity.request", "jingpin.guard"]

    # === Accessory order: channel, vehicle, people === #
    jingpin_channel = fields.Selection(
        JINGPIN_CHANNELS,
        string="Sales Channel",
        index="btree_not_null",
        tracking=True,
        help="Where the accessory sale comes from. Accessory orders need one before confirmation.",
    )
    vehicle_id = fields.Many2one(
        "jingpin.vehicle",
        string="Vehicle",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        domain="[('partner_id', 'in', [False, partner_id])]",
        help="The customer's car the accessories are for.",
    )
    vehicle_model_id = fields.Many2one(related="vehicle_id.model_id", string="Vehicle Model")
    car_sale_order_id = fields.Many2one(
        "sale.order",
        string="Car Sale",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        domain="[('partner_id', '=', partner_id), ('jingpin_channel', '=', False), ('id', '!=', id)]",
        help="For a new car: the car sale these accessories belong to. Gift costs are charged to it.",
    )
    gift_given_by_id = fields.Many2one(
        "res.users",
        string="Gifts Given By",
        compute="_compute_gift_given_by_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        help="The sales consultant the gifts' cost is charged to: the car sale's consultant by default.",
    )
    specialist_id = fields.Many2one(
        "res.users",
        string="Accessories Specialist",
        index="btree_not_null",
        tracking=True,
        default=lambda self: self.env.user
        if self.env.user.has_group("jingpin_accessories.group_jingpin_specialist")
        else False,
        domain=lambda self: [("all_group_ids", "in", self.env.ref("jingpin_accessories.group_jingpin_specialist").id)],
        help="The specialist credited with this sale (personal targets).",
    )
    rebate_partner_id = fields.Many2one(
        "res.partner",
        string="Referrer / Partner",
        index="btree_not_null",
        tracking=True,
        help="The existing customer who referred this sale, or the external business partner.",
    )
    rebate_amount = fields.Monetary(
        string="Rebate",
        tracking=True,
        help="Referral or external-business rebate paid on this order; the manager approves it.",
    )

    # === Concessions === #
    jingpin_reference_amount = fields.Monetary(
        string="At Approved Prices",
        compute="_compute_jingpin_concessions",
        store=True,
        help="The order at the prices the price list gives, without manual discounts or gifts.",
    )
    jingpin_gift_amount = fields.Monetary(
        string="Gift Value",
        compute="_compute_jingpin_concessions",
        store=True,
        help="Approved price of the gifted accessories.",
    )
    jingpin_concession_amount = fields.Monetary(
        string="Concessions",
        compute="_compute_jingpin_concessions",
        store=True,
        help="Discounts below the approved price, gifts and rebates granted on this order.",
    )
    jingpin_concession_percent = fields.Float(
        string="Concessions (%)",
        compute="_compute_jingpin_concessions",
        store=True,
        aggregator="avg",
        help="Concessions as a share of the order at approved prices.",
    )

    # === Approval === #
    jingpin_excess_amount = fields.Monetary(
        string="Beyond Manager's Authority",
        compute="_compute_jingpin_approval_level",
        store=True,
        help="The part of the concessions beyond what the accessories manager may grant.",
    )
    jingpin_approval_level = fields.Selection(
        [("none", "None"), ("manager", "Accessories Manager"), ("gm", "General Manager")],
        string="Approval Needed",
        compute="_compute_jingpin_approval_level",
        store=True,
    )
    jingpin_approval_state = fields.Selection(
        APPROVAL_STATES,
        string="Concession Approval",
        compute="_compute_jingpin_approval_state",
        store=True,
        index=True,
        tracking=True,
    )
    jingpin_version = fields.Integer(
        string="Version",
        readonly=True,
        copy=False,
        default=0,
        help="How many times the order was cancelled: an approval covers the version of the order it was given on.",
    )
    jingpin_can_decide = fields.Boolean(
        string="Waiting for My Decision",
        compute="_compute_jingpin_can_decide",
        search="_search_jingpin_can_decide",
        help="The order waits for a decision on its concessions that you may give: at the level of your "
        "authority, and not on an order you sell or entered.",
    )
    jingpin_approval_ids = fields.One2many(
        "jingpin.approval",
        "order_id",
        string="Approval Decisions",
        readonly=True,
    )
    jingpin_charge_ids = fields.One2many(
        "jingpin.manager.charge",
        "order_id",
        string="Manager Charges",
        readonly=True,
        groups="jingpin_accessories.group_jingpin_manager,jingpin_accessories.group_jingpin_group_viewer",
    )

    # === Work orders === #
    work_order_ids = fields.One2many("project.task", "accessory_order_id", string="Work Orders", readonly=True)
    work_order_count = fields.Integer(compute="_compute_work_order_count")

    # the reports' and the daily report's scans of a dealership's accessory orders by date
    _jingpin_company_date_idx = models.Index("(company_id, date_order) WHERE jingpin_channel IS NOT NULL")
    _rebate_amount_positive = models.Constraint(
        "CHECK(rebate_amount IS NULL OR rebate_amount >= 0)",
        "A rebate cannot be negative.",
    )

    # === COMPUTES === #
    @api.depends("car_sale_order_id.user_id", "user_id")
    def _compute_gift_given_by_id(self):
        for order in self:
            order.gift_given_by_id = order.car_sale_order_id.user_id or order.user_id

    @api.depends(
        "order_line.jingpin_concession",
        "order_line.jingpin_reference_price",
        "order_line.product_uom_qty",
        "order_line.is_gift",
        "rebate_amount",
        "jingpin_channel",
    )
    def _compute_jingpin_concessions(self):
        for order in self:
            lines = order.order_line.filtered(lambda line: not line.display_type)
            gifts = lines.filtered("is_gift")
            reference = sum(line.jingpin_reference_price * line.product_uom_qty for line in lines)
            # Each line's concession counts on its own: nothing on one line offsets another.
            concession = sum(max(amount, 0.0) for amount in lines.mapped("jingpin_concession"))
            concession += order.rebate_amount
            order.jingpin_reference_amount = reference
            order.jingpin_gift_amount = sum(max(amount, 0.0) for amount in gifts.mapped("jingpin_concession"))
            order.jingpin_concession_amount = concession
            order.jingpin_concession_percent = 100 * concession / reference if reference else 0.0

    @api.depends(
        "jingpin_concession_amount",
        "jingpin_reference_amount",
        "company_id.jingpin_manager_limit_amount",
        "company_id.jingpin_manager_limit_percent",
    )
    def _compute_jingpin_approval_level(self):
        for order in self:
            company, currency = order.company_id, order.currency_id
            concession = order.jingpin_concession_amount
            excess = max(
                concession - company.jingpin_manager_limit_amount,
                concession - order.jingpin_reference_amount * company.jingpin_manager_limit_percent / 100,
                0.0,
            )
            order.jingpin_excess_amount = currency.round(excess)
            if currency.is_zero(concession):
                order.jingpin_approval_level = "none"
            else:
                order.jingpin_approval_level = "manager" if currency.is_zero(order.jingpin_excess_amount) else "gm"

    @api.depends(
        "jingpin_approval_level",
        "jingpin_concession_amount",
        "jingpin_approval_ids",
        "jingpin_version",
        "order_line.jingpin_concession",
        "order_line.product_id",
        "rebate_amount",
    )
    def _compute_jingpin_approval_state(self):
        for order in self:
            manager, gm = order._jingpin_decision("manager"), order._jingpin_decision("gm")
            if order.jingpin_approval_level in (False, "none"):
                order.jingpin_approval_state = "not_needed"
            elif gm == "rejected" or (manager == "rejected" and gm != "approved"):
                order.jingpin_approval_state = "rejected"
            elif gm == "approved" or (manager == "approved" and order.jingpin_approval_level == "manager"):
                order.jingpin_approval_state = "approved"
            elif manager == "approved":
                order.jingpin_approval_state = "to_approve_gm"
            else:
                order.jingpin_approval_state = "to_approve"

    @api.depends_context("uid")
    @api.depends("jingpin_approval_state", "user_id", "specialist_id")
    def _compute_jingpin_can_decide(self):
        decidable = self.filtered_domain(self._jingpin_can_decide_domain())
        for order in self:
            order.jingpin_can_decide = order in decidable

    def _search_jingpin_can_decide(self, operator, value):
        if operator != "in":
            return NotImplemented
        domain = self._jingpin_can_decide_domain()
        return domain if True in value else ["!", *domain]

    def _jingpin_can_decide_domain(self):
        """The orders the current user may decide on now (see :meth:`_jingpin_decide`): the
        manager's level for an accessories manager, both for a general manager; none he sells or
        entered."""
        user = self.env.user
        if user.has_group(GM_GROUP):
            states = list(WAITING_STATES)
        elif user.has_group(MANAGER_GROUP):
            states = ["to_approve"]
        else:
            return [("id", "in", [])]
        return [
            ("jingpin_approval_state", "in", states),
            ("user_id", "!=", user.id),
            ("specialist_id", "!=", user.id),
            ("create_uid", "!=", user.id),
        ]

    @api.depends("work_order_ids")
    def _compute_work_order_count(self):
        counts = dict(
            self.env["project.task"]._read_group(
                [("accessory_order_id", "in", self.ids)],
                ["accessory_order_id"],
                ["__count"],
            )
        )
        for order in self:
            order.work_order_count = counts.get(order, 0)

    # === CONSTRAINS === #
    @api.constrains("jingpin_channel", "rebate_amount", "rebate_partner_id")
    def _check_rebate(self):
        for order in self.filtered("rebate_amount"):
            if order.jingpin_channel not in REBATE_CHANNELS:
                raise ValidationError(
                    self.env._(
                        "Order %s pays a rebate, but only referral and external-business orders have "
                        "rebates: change the sales channel or remove the rebate.",
                        order.name,
                    )
                )
            if not order.rebate_partner_id:
                raise ValidationError(
                    self.env._(
                        "Order %s pays a rebate: say who receives it (the referrer or the external partner).",
                        order.name,
                    )
                )

    @api.constrains("jingpin_channel")
    def _check_channel_lines(self):
        self.order_line._check_jingpin_amounts()

    @api.constrains("vehicle_id")
    def _check_vehicle_fits_accessories(self):
        self._check_accessories_fit_vehicle()

    def _check_accessories_fit_vehicle(self):
        """B15: an accessory made for other models is refused on an order for this vehicle."""
        for order in self.filtered("vehicle_id"):
            model = order.vehicle_id.model_id
            misfits = order.order_line.product_id.product_tmpl_id.filtered(
                lambda tmpl, model=model: tmpl.vehicle_model_ids and model not in tmpl.vehicle_model_ids
            )
            if misfits:
                raise ValidationError(
                    self.env._(
                        "These accessories do not fit the customer's %(model)s (%(vehicle)s): %(accessories)s. "
                        "Choose accessories made for this model, or correct the vehicle on the order.",
                        accessories=", ".join(f"“{name}”" for name in misfits.mapped("name")),
                        model=model.display_name,
                        vehicle=order.vehicle_id.display_name,
                    )
                )

    # === CRUD === #
    def _jingpin_department_documents(self):
        return self.filtered("jingpin_channel")

    def _jingpin_client_fields(self):
        """A quotation is edited as in Odoo (the addon's computed fields aside); once confirmed (or
        cancelled), an accessory order takes from a client only the addon's editable fields and
        :data:`CONFIRMED_ORDER_CLIENT_FIELDS`."""
        if not self._jingpin_department_documents().filtered(lambda order: order.state not in ("draft", "sent")):
            return super()._jingpin_client_fields()
        return self._jingpin_editable_field_names() | CONFIRMED_ORDER_CLIENT_FIELDS

    def _jingpin_refused_fields(self, vals):
        """Besides the computed fields: what an accessory order is and for whom, once it is
        confirmed. Other orders keep Odoo's own rules."""
        refused = super()._jingpin_refused_fields(vals)
        confirmed = self._jingpin_state_documents().filtered(lambda order: order.state == "sale")
        return refused | {
            name
            for name in LOCKED_ONCE_CONFIRMED & vals.keys()
            for order in confirmed
            if order._fields[name].convert_to_record(order._fields[name].convert_to_cache(vals[name], order), order)
            != order[name]
        }

    def _jingpin_state_documents(self):
        """Accessory orders: with a sales channel or an accessory on them."""
        return self.filtered(
            lambda order: order.jingpin_channel or any(order.order_line.product_id.mapped("is_accessory"))
        )

    def _write_multi(self, vals_list):
        # the daily figures (issue 23): the days an order leaves, then the days it counts in
        changed = {name for vals in vals_list for name in vals}
        Stale = self.env["jingpin.figure.stale"]
        if changed & ORDER_DAY_FIELDS:
            Stale._mark_orders(self.ids)
        if changed & ORDER_FIGURE_FIELDS:
            Stale._mark_orders_at_commit(self.ids)
        return super()._write_multi(vals_list)

    def _compute_project_ids(self):
        """Odoo's sale_project looks an order's projects up by a project field only salesmen read
        (``reinvoiced_sale_order_id``); the dealer group's viewer reads the orders without selling,
        and the milestones feature shows him the projects: they are looked up by the server, and
        he is given those he may read."""
        if self.env.su or self.env.user.has_group("sales_team.group_sale_salesman"):
            return super()._compute_project_ids()
        super(SaleOrder, self.sudo())._compute_project_ids()
        for order in self:
            projects = order.sudo().project_ids.with_env(self.env)._filtered_access("read")
            order.project_ids = projects
            order.project_count = len(projects.filtered("active"))
        return None

    # === ACTIONS === #
    def action_confirm(self):
        self._check_accessory_order_complete()
        return super(SaleOrder, self._jingpin_action()).action_confirm()

    def action_draft(self):
        return super(SaleOrder, self._jingpin_action()).action_draft()

    def action_quotation_sent(self):
        return super(SaleOrder, self._jingpin_action()).action_quotation_sent()

    def message_post(self, **kwargs):
        # Odoo marks a quotation sent when it is mailed with this key
        orders = self._jingpin_action() if self.env.context.get("mark_so_as_sent") else self
        return super(SaleOrder, orders).message_post(**kwargs)

    def _action_confirm(self):
        result = super()._action_confirm()
        self._create_work_orders()
        self._request_concession_approval()
        return result

    def _action_cancel(self):
        result = super(SaleOrder, self._jingpin_action())._action_cancel()
        # what is confirmed again is a new version of the order: its concessions are decided again
        for order in self:
            order._jingpin_server().jingpin_version = order.jingpin_version + 1
        # whoever may cancel the order cancels its work, which sales users do not read themselves
        self.sudo().work_order_ids._jingpin_cancel_work_orders()
        return result

    def action_view_work_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("jingpin_accessories.project_task_action_work_order")
        if self.work_order_count == 1:
            # the work order's own form, with its steps and buttons, not the project's task form
            action.update(res_id=self.work_order_ids.id, views=[(self.work_order_ids.sudo().get_formview_id(), "form")])
        else:
            action["domain"] = [("accessory_order_id", "=", self.id)]
        return action

    def action_jingpin_request_approval(self):
        for order in self:
            if order.jingpin_approval_state not in WAITING_STATES:
                raise UserError(self.env._("Order %s has nothing waiting for approval.", order.name))
        self._request_concession_approval()
        return True

    def action_jingpin_open_decision(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approve Concessions"),
            "res_model": "jingpin.approval.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    # === BUSINESS METHODS: confirmation and dispatch === #
    def _check_accessory_order_complete(self):
        for order in self:
            accessory_lines = order.order_line.filtered(lambda line: line.product_id.is_accessory)
            if not accessory_lines:
                continue
            if not order.jingpin_channel:
                raise UserError(
                    self.env._(
                        "Choose the sales channel of order %s (new-car sale, after-sales, walk-in, referral "
                        "or external business) before confirming it.",
                        order.name,
                    )
                )
            if accessory_lines.filtered("is_gift") and not order.gift_given_by_id:
                raise UserError(
                    self.env._(
                        "Order %s gives accessories away: choose who gives them (the car sale or the sales "
                        "consultant) so their cost is charged to the right sale.",
                        order.name,
                    )
                )

    def _jingpin_install_lines(self):
        """The accessory lines installed in the workshop against a work order."""
        return self.order_line.filtered(
            lambda line: line.product_id.is_accessory
            and line.product_id.needs_install
            and line.product_id.type != "combo"
            and not line.display_type
        )

    def _create_work_orders(self):
        """Dispatch one work order per confirmed order holding accessories to install, unless it
        has one still open (an order cancelled then confirmed again is dispatched again)."""
        vals_list = []
        Task = self.env["project.task"]
        for order in self.filtered(lambda o: not o.work_order_ids.filtered(lambda t: t.work_state != "cancelled")):
            lines = order._jingpin_install_lines()
            if lines:
                vals_list.append(Task._prepare_work_order_values(order, lines))
        if not vals_list:
            return Task
        # Work orders live in the installation project: created on the department's behalf, with
        # the values chosen here only.
        return Task.sudo().with_context(mail_create_nolog=True)._jingpin_server().create(vals_list)

    # === BUSINESS METHODS: approval === #
    def _jingpin_decision(self, level):
        """The last decision at this level, if it still stands for the order as it is now.

        A decision is given on one version of the order (cancelling it starts a new one) and on
        its concessions line by line (:meth:`_jingpin_concession_snapshot`). An approval covers,
        on the same version, each line's concession up to what was approved on that line for that
        product (a line added since is covered only without concession), the rebate up to the one
        approved, and the total up to the amount approved; a rejection stands until anything of it
        changes.
        """
        self.ensure_one()
        last = self.jingpin_approval_ids.filtered(lambda a: a.level == level).sorted("id")[-1:]
        if not last or last.order_version != self.jingpin_version:
            return None
        if not last.concession_snapshot:  # decided before decisions kept their lines: on the amount
            compare = self.currency_id.compare_amounts(last.concession_amount, self.jingpin_concession_amount)
            if last.decision == "approved" and compare >= 0 or last.decision == "rejected" and compare == 0:
                return last.decision
            return None
        snapshot = self._jingpin_concession_snapshot()
        if last.decision == "rejected":
            return "rejected" if last.concession_snapshot == snapshot else None
        approved = last.concession_snapshot or {}
        currency = self.currency_id

        def covered(amount, approved_amount):
            return currency.compare_amounts(amount, approved_amount) <= 0

        lines_covered = all(
            covered(concession, approved["lines"][key][1])
            if key in approved.get("lines", {}) and approved["lines"][key][0] == product_id
            else currency.is_zero(concession)
            for key, (product_id, concession) in snapshot["lines"].items()
        )
        if (
            lines_covered
            and covered(snapshot["rebate"], approved.get("rebate", 0.0))
            and covered(self.jingpin_concession_amount, last.concession_amount)
        ):
            return "approved"
        return None

    def _jingpin_concession_snapshot(self):
        """What a decision is given on: each line's concession with its product, and the rebate,
        by raw ids and amounts rounded to the currency (stable across languages and renames)."""
        self.ensure_one()
        round_amount = self.currency_id.round
        return {
            "lines": {
                str(line._origin.id or line.id): [line.product_id.id, round_amount(line.jingpin_concession)]
                for line in self.order_line
                if not line.display_type
            },
            "rebate": round_amount(self.rebate_amount),
        }

    def _jingpin_interested_users(self):
        """Who sells or entered the order: none of them decides on its concessions."""
        self.ensure_one()
        return self.user_id | self.specialist_id | self.create_uid

    def _jingpin_approver(self):
        """Who is asked to decide on the order now: the company's accessories manager, or its
        general manager when the order waits for him or the manager sells it himself."""
        self.ensure_one()
        company = self.company_id
        if self.jingpin_approval_state not in WAITING_STATES:
            return self.env["res.users"]
        approver = company.jingpin_manager_id
        if self.jingpin_approval_state == "to_approve_gm" or approver in self._jingpin_interested_users():
            approver = company.jingpin_gm_id
        if not approver:
            raise UserError(
                self.env._(
                    "Order %(order)s needs an approval, but dealership %(company)s has no accessories manager or "
                    "general manager to ask: set them in Settings › Accessories.",
                    order=self.name,
                    company=company.name,
                )
            )
        return approver

    def _request_concession_approval(self):
        """Ask the company's manager (or general manager) for the approval the order waits for."""
        for order in self:
            if (
                order.jingpin_approval_state in WAITING_STATES
                and order.jingpin_approval_level == "gm"
                and not order.company_id.jingpin_gm_id
            ):
                raise UserError(
                    self.env._(
                        "Order %(order)s grants concessions beyond the accessories manager's authority, but "
                        "dealership %(company)s has no general manager to approve them: set the general "
                        "manager in Settings › Accessories.",
                        order=order.name,
                        company=order.company_id.name,
                    )
                )
            approver = order._jingpin_approver()
            order._jingpin_request_activity(
                APPROVAL_ACTIVITY,
                approver,
                lambda env, order=order: env._(
                    "%(amount)s in discounts, gifts and rebates (%(percent).1f%%) to approve.",
                    amount=format_amount(env, order.jingpin_concession_amount, order.currency_id),
                    percent=order.jingpin_concession_percent,
                ),
            )

    def _jingpin_decide(self, approve, comment=""):
        """Record the current user's decision at the level the order waits for."""
        self.ensure_one()
        self._jingpin_lock()
        if self.jingpin_approval_state not in WAITING_STATES:
            raise UserError(self.env._("Order %s has nothing waiting for approval.", self.name))
        user = self.env.user
        level = (
            "gm"
            if (
                self.jingpin_approval_state == "to_approve_gm"
                or self.jingpin_approval_level == "gm"
                and user.has_group(GM_GROUP)
            )
            else "manager"
        )
        if not user.has_group(MANAGER_GROUP if level == "manager" else GM_GROUP):
            raise AccessError(self._jingpin_who_must_approve_message(level))
        if user in self._jingpin_interested_users():
            gm = self.company_id.jingpin_gm_id
            if level == "manager" and gm and gm != user:
                raise AccessError(
                    self.env._(
                        "You sell or entered order %(order)s: you cannot decide on its own concessions. The "
                        "general manager (%(gm)s) must decide instead.",
                        order=self.name,
                        gm=gm.name,
                    )
                )
            raise AccessError(
                self.env._(
                    "You sell or entered order %s: you cannot decide on its own concessions. Another general "
                    "manager must decide instead.",
                    self.name,
                )
            )
        # Recorded on the approver's behalf with the values chosen here: the decision model takes
        # no decision from a client.
        self.env["jingpin.approval"].sudo()._jingpin_server().create(
            {
                "order_id": self.id,
                "level": level,
                "decision": "approved" if approve else "rejected",
                "comment": comment,
            }
        )
        self._jingpin_server().activity_feedback([APPROVAL_ACTIVITY], feedback=comment or None, only_automated=False)
        if self.jingpin_approval_state == "approved":
            self._jingpin_waive_charges()
        self._request_concession_approval()
        return True

    def _jingpin_who_must_approve_message(self, level=None):
        self.ensure_one()
        amount = format_amount(self.env, self.jingpin_concession_amount, self.currency_id)
        if (level or self.jingpin_approval_state) in ("gm", "to_approve_gm"):
            return self.env._(
                "Order %(order)s grants %(amount)s in discounts, gifts and rebates, %(excess)s beyond the "
                "accessories manager's authority (%(limit)s or %(percent)s%% of the order): the general "
                "manager must approve it.",
                order=self.name,
                amount=amount,
                excess=format_amount(self.env, self.jingpin_excess_amount, self.currency_id),
                limit=format_amount(self.env, self.company_id.jingpin_manager_limit_amount, self.currency_id),
                percent=self.company_id.jingpin_manager_limit_percent,
            )
        return self.env._(
            "Order %(order)s grants %(amount)s in discounts, gifts and rebates: the accessories manager "
            "must approve it.",
            order=self.name,
            amount=amount,
        )

    # === BUSINESS METHODS: settlement and charges === #
    def _jingpin_check_settlement(self, lines=None):
        """Refuse to settle (post the invoice of) an order whose concessions are not approved, or
        whose accessories to install have no work order yet."""
        for order in self:
            if order.jingpin_approval_state in WAITING_STATES:
                raise UserError(
                    self.env._(
                        "%(reason)s It cannot be settled before.",
                        reason=order._jingpin_who_must_approve_message(),
                    )
                )
            if order.jingpin_approval_state == "rejected":
                raise UserError(
                    self.env._(
                        "The concessions on order %s were rejected: change them and ask for approval again "
                        "before settling it.",
                        order.name,
                    )
                )
        install_lines = self._jingpin_install_lines()
        if lines is not None:
            install_lines &= lines
        if install_lines:
            dispatched = self.env["jingpin.work.item"].sudo().search([("sale_line_id", "in", install_lines.ids)])
            missing = install_lines - dispatched.sale_line_id
            if missing:
                raise UserError(
                    self.env._(
                        "%(accessories)s on order %(order)s must be installed but have no work order yet: "
                        "dispatch a work order before settling.",
                        accessories=", ".join(f"“{name}”" for name in missing.product_id.mapped("display_name")),
                        order=missing[0].order_id.name,
                    )
                )

    def _jingpin_charge_unapproved_excess(self):
        """Goods left the stock with concessions beyond authority and no GM approval: the manager
        who let them go is charged with the excess (R11)."""
        charges = []
        for order in self.filtered(
            lambda o: o.jingpin_approval_state in ("to_approve", "to_approve_gm", "rejected")
            and o.jingpin_approval_level == "gm"
        ):
            if order.sudo().jingpin_charge_ids.filtered(lambda c: c.state == "open"):
                continue
            approval = order.jingpin_approval_ids.filtered(
                lambda a: a.level == "manager" and a.decision == "approved"
            ).sorted("id")[-1:]
            charges.append(
                {
                    "order_id": order.id,
                    "manager_id": (approval.user_id or order.company_id.jingpin_manager_id).id,
                    "amount": order.jingpin_excess_amount,
                }
            )
        if charges:
            # Charges are the department's record, never the user's: only the values chosen here.
            self.env["jingpin.manager.charge"].sudo()._jingpin_server().create(charges)

    def _jingpin_waive_charges(self):
        open_charges = self.sudo().jingpin_charge_ids.filtered(lambda c: c.state == "open")
        open_charges._jingpin_server().write(
            {
                "state": "waived",
                "waived_by_id": self.env.uid,
                "waived_on": fields.Datetime.now(),
            }
        )

    # === The customer's phone (B17): the menu he decides on and signs === #
    jingpin_customer_link_ids = fields.One2many(
        "jingpin.customer.link", "order_id", string="Customer Links", readonly=True
    )
    jingpin_customer_decision_ids = fields.One2many(
        "jingpin.customer.decision", "order_id", string="Customer Decisions", readonly=True
    )
    jingpin_customer_signature_ids = fields.One2many(
        "jingpin.signature", "order_id", string="Customer Signatures", readonly=True
    )
    jingpin_customer_sign_state = fields.Selection(
        [("none", "Not Signed"), ("current", "Signed"), ("outdated", "Out of Date")],
        string="Customer's Confirmation",
        compute="_compute_jingpin_customer_sign_state",
        help="Whether the customer signed the accessory confirmation on his phone, and whether the order "
        "is still the version he signed: any change afterwards needs his signature again.",
    )
    jingpin_customer_url = fields.Char(
        string="Customer's Link",
        compute="_compute_jingpin_customer_url",
        groups="sales_team.group_sale_salesman",
    )
    jingpin_customer_qr = fields.Html(
        string="QR Code",
        compute="_compute_jingpin_customer_url",
        sanitize=False,
        groups="sales_team.group_sale_salesman",
    )

    @api.depends(
        "jingpin_customer_signature_ids",
        "order_line.product_id",
        "order_line.product_uom_qty",
        "order_line.price_unit",
        "order_line.discount",
        "order_line.is_gift",
        "order_line.price_total",
        "partner_id",
        "vehicle_id.vin",
        "amount_total",
    )
    def _compute_jingpin_customer_sign_state(self):
        for order in self:
            last = order.jingpin_customer_signature_ids.sorted(lambda s: (s.signed_on, s.id))[-1:]
            if not last:
                order.jingpin_customer_sign_state = "none"
            elif json.loads(last.content) == order._jingpin_customer_content():
                order.jingpin_customer_sign_state = "current"
            else:
                order.jingpin_customer_sign_state = "outdated"

    @api.depends("jingpin_customer_link_ids")
    def _compute_jingpin_customer_url(self):
        for order in self:
            link = order.jingpin_customer_link_ids.filtered(
                lambda lk: lk.purpose == "confirm" and lk._current_state() == "open"
            )[:1]
            order.jingpin_customer_url = link.url
            order.jingpin_customer_qr = link._qr_code()

    def action_jingpin_send_customer_link(self):
        """Send the customer a link to his menu by SMS (and show it as a QR code on the screen)."""
        link = self._jingpin_issue_customer_link()
        env = self._in_company_lang()
        body = env._(
            "%(company)s: your accessory menu for order %(order)s, to accept, decline and sign on your phone: "
            "%(url)s (valid 3 days)",
            company=self.company_id.name,
            order=self.name,
            url=link.sudo().url,
        )
        link._send_sms(body)
        return True

    def action_jingpin_email_customer_link(self):
        """Send the customer a link to his menu by email (and show it as a QR code on the screen)."""
        self._jingpin_issue_customer_link()._send_email()
        return True

    def _jingpin_issue_customer_link(self):
        """A new link to the customer's menu, by the sales staff, for an accessory quotation."""
        self.ensure_one()
        self.check_access("write")
        if not self.env.user.has_group("sales_team.group_sale_salesman"):
            raise AccessError(self.env._("Only the sales staff send the customer his accessory menu."))
        if not self.jingpin_channel or self.state not in ("draft", "sent"):
            raise UserError(
                self.env._("Only an accessory quotation is sent to the customer's phone, before it is confirmed.")
            )
        if not self._jingpin_customer_items():
            raise UserError(self.env._("Add the accessories to offer before sending the menu to the customer."))
        return self.env["jingpin.customer.link"]._issue(self, "confirm")[0]

    def _jingpin_customer_items(self):
        """The items offered to the customer: each accessory or package line (a package's components
        come and go with it)."""
        return self.order_line.filtered(
            lambda line: not line.display_type and not line.is_downpayment and not line.combo_item_id
        )

    def _jingpin_customer_content(self):
        """The version of the order the customer sees and signs: a stable snapshot of ids and raw values."""
        self.ensure_one()
        lines = self.order_line.filtered(lambda line: not line.display_type and not line.is_downpayment)
        return {
            "order": self.id,
            "customer": self.partner_id.id,
            "vehicle": {"id": self.vehicle_id.id, "vin": self.vehicle_id.vin or ""},
            "currency": self.currency_id.name,
            "lines": [
                {
                    "id": line.id,
                    "product": line.product_id.id,
                    "quantity": line.product_uom_qty,
                    "price_unit": line.price_unit,
                    "discount": line.discount,
                    "gift": line.is_gift,
                    "package": line.linked_line_id.id if line.combo_item_id else 0,
                    "total": line.price_total,
                }
                for line in lines.sorted("id")
            ],
            "amount_total": self.amount_total,
        }

    def _jingpin_customer_digest(self):
        content = json.dumps(self._jingpin_customer_content(), sort_keys=True)
        return hashlib.sha256(content.encode()).hexdigest()

    def _jingpin_customer_decide(self, link, line, decision, ip_address):
        """The customer's answer to one item of his menu (as superuser, from his page): a decline
        takes the item (and a package's components) off the quotation."""
        self.ensure_one()
        if line not in self._jingpin_customer_items():
            raise UserError(self.env._("This item is not on your menu any more."))
        if link._decision_of(line):
            raise UserError(self.env._("You already answered for this item."))
        self.env["jingpin.customer.decision"]._jingpin_server().create(
            {
                "order_id": self.id,
                "consultant_id": self.user_id.id,
                "link_id": link.id,
                "line_id": line.id,
                "product_id": line.product_id.id,
                "product_uom_qty": line.product_uom_qty,
                "price_total": line._get_combo_totals("price_total")
                if line.product_type == "combo"
                else line.price_total,
                "decision": decision,
                "ip_address": ip_address,
            }
        )
        if decision == "declined":
            body = self._in_company_lang()._(
                "The customer declined %(item)s on his phone.", item=line.product_id.display_name
            )
            line.unlink()
            self.message_post(
                body=body, author_id=self.partner_id.id, message_type="comment", subtype_xmlid="mail.mt_note"
            )
            link._follow_customer_change()

    def _jingpin_customer_sign(self, link, name, signature):
        """The customer signs the confirmation through ``link`` (as superuser, from his page): the
        signature seals the version he saw; the signed sheet is archived on the order."""
        self.ensure_one()
        if link._undecided_items():
            raise UserError(self.env._("Accept or decline each item before signing."))
        if not self._jingpin_customer_items():
            raise UserError(self.env._("Nothing is left to sign: you declined every item."))
        if link._needs_sms_code():
            raise UserError(self.env._("Enter the code sent to your phone before signing."))
        if not link._mark_used():
            raise UserError(self.env._("This link was already used to sign."))
        self.env["jingpin.signature"]._create_order_signature(
            self,
            {
                "role": "confirmation",
                "signer_name": name,
                "partner_id": self.partner_id.id,
                "signature": signature,
                "content": json.dumps(self._jingpin_customer_content(), sort_keys=True),
            },
        )
        self._jingpin_server().write({"signed_by": name, "signed_on": fields.Datetime.now(), "signature": signature})
        self.env.flush_all()
        pdf = self.env["ir.actions.report"]._render_qweb_pdf(
            "jingpin_accessories.action_report_accessory_confirmation", self.ids
        )[0]
        env = self._in_company_lang()
        message = self.message_post(
            body=env._("Accessory confirmation signed by %s on his phone.", name),
            attachments=[(f"{self.name} {env._('Accessory Confirmation')}.pdf", pdf)],
            author_id=self.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        link._jingpin_server().write({"document_ids": [Command.set(message.attachment_ids.ids)]})
