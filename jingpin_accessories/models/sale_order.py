from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

JINGPIN_CHANNELS = [
    ("new_car", "New-Car Sale"),
    ("after_sales", "After-Sales"),
    ("walk_in", "Walk-In"),
    ("referral", "Referral"),
    ("external", "External Business"),
]
REBATE_CHANNELS = ("referral", "external")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # === Accessory order: channel, vehicle, people === #
    jingpin_channel = fields.Selection(
        JINGPIN_CHANNELS, string="Sales Channel", index="btree_not_null", tracking=True,
        help="Where the accessory sale comes from. Accessory orders need one before confirmation.",
    )
    vehicle_id = fields.Many2one(
        "jingpin.vehicle", string="Vehicle", index="btree_not_null", check_company=True, tracking=True,
        domain="[('partner_id', 'in', [False, partner_id])]",
        help="The customer's car the accessories are for.",
    )
    vehicle_model_id = fields.Many2one(related="vehicle_id.model_id", string="Vehicle Model")
    car_sale_order_id = fields.Many2one(
        "sale.order", string="Car Sale", index="btree_not_null", check_company=True, tracking=True,
        domain="[('partner_id', '=', partner_id), ('jingpin_channel', '=', False), ('id', '!=', id)]",
        help="For a new car: the car sale these accessories belong to. Gift costs are charged to it.",
    )
    gift_given_by_id = fields.Many2one(
        "res.users", string="Gifts Given By", compute="_compute_gift_given_by_id", store=True,
        readonly=False, index="btree_not_null", tracking=True,
        help="The sales consultant the gifts' cost is charged to: the car sale's consultant by default.",
    )
    specialist_id = fields.Many2one(
        "res.users", string="Accessories Specialist", index="btree_not_null", tracking=True,
        default=lambda self: self.env.user if self.env.user.has_group(
            "jingpin_accessories.group_jingpin_specialist") else False,
        domain=lambda self: [("all_group_ids", "in", self.env.ref("jingpin_accessories.group_jingpin_specialist").id)],
        help="The specialist credited with this sale (personal targets).",
    )
    rebate_partner_id = fields.Many2one(
        "res.partner", string="Referrer / Partner", index="btree_not_null", tracking=True,
        help="The existing customer who referred this sale, or the external business partner.",
    )
    rebate_amount = fields.Monetary(
        string="Rebate", tracking=True,
        help="Referral or external-business rebate paid on this order; the manager approves it.",
    )

    # === Concessions === #
    jingpin_reference_amount = fields.Monetary(
        string="At Approved Prices", compute="_compute_jingpin_concessions", store=True,
        help="The order at the prices the price list gives, without manual discounts or gifts.",
    )
    jingpin_gift_amount = fields.Monetary(
        string="Gift Value", compute="_compute_jingpin_concessions", store=True,
        help="Approved price of the gifted accessories.",
    )
    jingpin_concession_amount = fields.Monetary(
        string="Concessions", compute="_compute_jingpin_concessions", store=True,
        help="Discounts below the approved price, gifts and rebates granted on this order.",
    )
    jingpin_concession_percent = fields.Float(
        string="Concessions (%)", compute="_compute_jingpin_concessions", store=True, aggregator="avg",
        help="Concessions as a share of the order at approved prices.",
    )

    # === Work orders === #
    work_order_ids = fields.One2many("project.task", "accessory_order_id", string="Work Orders")
    work_order_count = fields.Integer(compute="_compute_work_order_count")

    _rebate_amount_positive = models.Constraint(
        "CHECK(rebate_amount IS NULL OR rebate_amount >= 0)",
        "A rebate cannot be negative.",
    )

    @api.depends("car_sale_order_id.user_id", "user_id")
    def _compute_gift_given_by_id(self):
        for order in self:
            order.gift_given_by_id = order.car_sale_order_id.user_id or order.user_id

    @api.depends("order_line.jingpin_concession", "order_line.jingpin_reference_price",
                 "order_line.product_uom_qty", "order_line.is_gift", "rebate_amount", "jingpin_channel")
    def _compute_jingpin_concessions(self):
        for order in self:
            lines = order.order_line.filtered(lambda line: not line.display_type)
            gifts = lines.filtered("is_gift")
            reference = sum(line.jingpin_reference_price * line.product_uom_qty for line in lines)
            concession = sum(lines.mapped("jingpin_concession")) + order.rebate_amount
            order.jingpin_reference_amount = reference
            order.jingpin_gift_amount = sum(gifts.mapped("jingpin_concession"))
            order.jingpin_concession_amount = concession
            order.jingpin_concession_percent = 100 * concession / reference if reference else 0.0

    @api.depends("work_order_ids")
    def _compute_work_order_count(self):
        counts = dict(self.env["project.task"]._read_group(
            [("accessory_order_id", "in", self.ids)], ["accessory_order_id"], ["__count"],
        ))
        for order in self:
            order.work_order_count = counts.get(order, 0)

    @api.constrains("jingpin_channel", "rebate_amount", "rebate_partner_id")
    def _check_rebate(self):
        for order in self.filtered("rebate_amount"):
            if order.jingpin_channel not in REBATE_CHANNELS:
                raise ValidationError(self.env._(
                    "Order %s pays a rebate, but only referral and external-business orders have "
                    "rebates: change the sales channel or remove the rebate.", order.name,
                ))
            if not order.rebate_partner_id:
                raise ValidationError(self.env._(
                    "Order %s pays a rebate: say who receives it (the referrer or the external partner).",
                    order.name,
                ))

    @api.constrains("vehicle_id")
    def _check_vehicle_fits_accessories(self):
        self._check_accessories_fit_vehicle()

    def _check_accessories_fit_vehicle(self):
        """B15: an accessory made for other models is refused on an order for this vehicle."""
        for order in self.filtered("vehicle_id"):
            model = order.vehicle_id.model_id
            misfits = order.order_line.product_id.product_tmpl_id.filtered(
                lambda tmpl: tmpl.vehicle_model_ids and model not in tmpl.vehicle_model_ids
            )
            if misfits:
                raise ValidationError(self.env._(
                    "These accessories do not fit the customer's %(model)s (%(vehicle)s): %(accessories)s. "
                    "Choose accessories made for this model, or correct the vehicle on the order.",
                    accessories=", ".join(f"“{name}”" for name in misfits.mapped("name")),
                    model=model.display_name, vehicle=order.vehicle_id.display_name,
                ))

    def action_confirm(self):
        self._check_accessory_order_complete()
        return super().action_confirm()

    def _action_confirm(self):
        result = super()._action_confirm()
        self._create_work_orders()
        self._request_concession_approval()
        return result

    def _check_accessory_order_complete(self):
        for order in self:
            accessory_lines = order.order_line.filtered(lambda line: line.product_id.is_accessory)
            if not accessory_lines:
                continue
            if not order.jingpin_channel:
                raise UserError(self.env._(
                    "Choose the sales channel of order %s (new-car sale, after-sales, walk-in, referral "
                    "or external business) before confirming it.", order.name,
                ))
            if accessory_lines.filtered("is_gift") and not order.gift_given_by_id:
                raise UserError(self.env._(
                    "Order %s gives accessories away: choose who gives them (the car sale or the sales "
                    "consultant) so their cost is charged to the right sale.", order.name,
                ))

    def _create_work_orders(self):
        """Dispatch one work order per confirmed order holding accessories to install."""
        vals_list = []
        Task = self.env["project.task"]
        for order in self.filtered(lambda o: not o.work_order_ids):
            lines = order.order_line.filtered(
                lambda line: line.product_id.needs_install and line.product_id.type != "combo"
                and not line.display_type
            )
            if lines:
                vals_list.append(Task._prepare_work_order_values(order, lines))
        # Work orders live in the installation project: created on the department's behalf.
        return Task.sudo().with_context(mail_create_nolog=True).create(vals_list) if vals_list else Task

    def action_view_work_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("jingpin_accessories.project_task_action_work_order")
        if self.work_order_count == 1:
            action.update(res_id=self.work_order_ids.id, views=[(False, "form")])
        else:
            action["domain"] = [("accessory_order_id", "=", self.id)]
        return action
