from datetime import datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.misc import clean_context

PROMOTION_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("running", "Running"),
    ("closed", "Closed"),
]
TARGET_CUSTOMERS = [
    ("new_car", "New-Car Customers"),
    ("existing", "Existing Customers"),
    ("both", "New-Car and Existing Customers"),
]
# Once the general manager has approved, these make the prices customers get: they stay as approved.
APPROVED_FIELDS = frozenset({"date_from", "date_to", "pricelist_id", "line_ids", "company_id"})
GM_GROUP = "jingpin_accessories.group_jingpin_gm"
MANAGER_GROUP = "jingpin_accessories.group_jingpin_manager"


class JingpinPromotion(models.Model):
    """A promotion plan (促销方案, R9): drafted by the accessories manager, approved by the general
    manager, then run. Its prices reach the sale orders through pricelist rules dated to its period.

    State machine. The approval (submit, withdraw, refuse, approve) is ``jingpin.approval.mixin``'s;
    the responsible manager is an author too. Once approved, the period, pricelist and prices stay:

    =========== =========== ================================================= ====================
    From        To          Guard                                             Who
    =========== =========== ================================================= ====================
    draft       submitted   it has promotion prices                           accessories manager
    submitted   draft       (withdraw)                                        accessories manager
    submitted   draft       (refuse) a reason is given                        general manager
    submitted   approved    not drafted, submitted or run by the approver     general manager
    approved    running     its start date has come                           manager, daily job
    approved    closed      (close) its prices stop now                       manager
    running     closed      (close) or its end date has passed                manager, daily job
    =========== =========== ================================================= ====================
    """

    _name = "jingpin.promotion"
    _description = "Promotion Plan"
    _inherit = ["jingpin.approval.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True
    # Specialists and sales consultants read promotions and discuss them (customer contacts, sent
    # messages) in the chatter without editing them.
    _mail_post_access = "read"
    _approval_activity = "jingpin_accessories.mail_activity_type_promotion_approval"
    _approval_owner_field = "user_id"

    # === FIELDS === #
    name = fields.Char(string="Promotion", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        domain=lambda self: [("all_group_ids", "in", self.env.ref(MANAGER_GROUP).id)],
        help="The accessories manager who runs this promotion.",
    )
    state = fields.Selection(
        PROMOTION_STATES,
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
        index=True,
    )
    date_from = fields.Date(string="Start Date", required=True, tracking=True)
    date_to = fields.Date(string="End Date", required=True, tracking=True)
    target_customers = fields.Selection(
        TARGET_CUSTOMERS,
        required=True,
        default="both",
        tracking=True,
        help="New-car customers buy accessories with their car; existing customers already drive one of "
        "our cars and come back for after-sales.",
    )
    vehicle_model_ids = fields.Many2many(
        "fleet.vehicle.model",
        string="Vehicle Models",
        help="The vehicle models the promotion is for. Leave empty for every model.",
    )
    customer_segment = fields.Text(
        help="Who else the promotion is aimed at, in your own words (e.g. cars 3 to 5 years old).",
    )
    line_ids = fields.One2many("jingpin.promotion.line", "promotion_id", string="Promotion Prices", copy=True)
    budget = fields.Monetary(
        tracking=True,
        help="What the promotion may cost: advertising, gifts and events.",
    )
    expected_revenue = fields.Monetary(
        tracking=True,
        help="Accessory revenue the promotion is expected to bring.",
    )
    expected_result = fields.Text(
        help="What the promotion should achieve besides revenue.",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Pricelist",
        check_company=True,
        tracking=True,
        default=lambda self: self._default_pricelist_id(),
        help="The pricelist the promotion prices are added to on approval. By default the pricelist "
        "customers get when none is set on them.",
    )
    pricelist_item_ids = fields.One2many(
        "product.pricelist.item",
        "jingpin_promotion_id",
        string="Pricelist Rules",
        readonly=True,
    )
    customer_message_ids = fields.One2many(
        "jingpin.promotion.message",
        "promotion_id",
        string="Customer Messages",
    )
    customer_message_count = fields.Integer(compute="_compute_customer_message_count")
    monthly_reminder_sent = fields.Boolean(
        readonly=True,
        copy=False,
        help="Technical: the managers were already reminded to plan a promotion on this record.",
    )

    # === CONSTRAINTS === #
    _dates_ordered = models.Constraint(
        "CHECK(date_to >= date_from)",
        "A promotion cannot end before it starts.",
    )
    _budget_not_negative = models.Constraint(
        "CHECK(budget IS NULL OR budget >= 0)",
        "The budget of a promotion cannot be negative.",
    )

    # === DEFAULTS === #
    @api.model
    def _default_pricelist_id(self):
        company = self.env.company
        return self.env["product.pricelist"].search(
            [
                ("active", "=", True),
                ("company_id", "in", [company.id, False]),
                ("country_group_ids", "=", False),
            ],
            limit=1,
        )

    # === COMPUTES === #
    def _compute_customer_message_count(self):
        Message = self.env["jingpin.promotion.message"]
        # Sales consultants read promotions but not the department's messages to customers.
        counts = (
            dict(
                Message._read_group(
                    [("promotion_id", "in", self.ids)],
                    ["promotion_id"],
                    ["__count"],
                )
            )
            if Message.has_access("read")
            else {}
        )
        for promotion in self:
            promotion.customer_message_count = counts.get(promotion, 0)

    # === CRUD === #
    def write(self, vals):
        if (
            APPROVED_FIELDS & vals.keys()
            and not self._jingpin_is_server()
            and self.filtered(lambda p: p.state in ("approved", "running", "closed"))
        ):
            raise UserError(
                self.env._(
                    "An approved promotion keeps the period, pricelist and prices the general manager "
                    "approved. Close it and draft a new promotion to change them.",
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if self.filtered(lambda p: p.state not in ("draft", "submitted")):
            raise UserError(
                self.env._(
                    "An approved promotion cannot be deleted: close it instead, its history stays.",
                )
            )

    # === ACTIONS === #
    def action_start(self):
        """Start an approved promotion whose period has begun (the daily job does it too)."""
        self._check_manager()
        if self.filtered(lambda p: p.state != "approved"):
            raise UserError(self.env._("Only an approved promotion can start."))
        today = fields.Date.context_today(self)
        if self.filtered(lambda p: p.date_from > today):
            raise UserError(self.env._("The promotion starts on its start date, not before."))
        self._jingpin_server().write({"state": "running"})
        return True

    def action_close(self):
        """End the promotion: its prices stop applying now if its period is not over."""
        self._check_manager()
        if self.filtered(lambda p: p.state not in ("approved", "running")):
            raise UserError(self.env._("Only an approved or running promotion can be closed."))
        self._end_pricelist_items()
        self._jingpin_server().write({"state": "closed"})
        return True

    def action_message_customers(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Message Customers"),
            "res_model": "jingpin.promotion.message",
            "view_mode": "form",
            "context": {
                "default_promotion_id": self.id,
                "default_company_id": self.company_id.id,
                "default_subject": self.name,
            },
        }

    def action_view_customer_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("jingpin_accessories.jingpin_promotion_message_action")
        action["domain"] = [("promotion_id", "=", self.id)]
        action["context"] = {
            "default_promotion_id": self.id,
            "default_company_id": self.company_id.id,
            "default_subject": self.name,
        }
        return action

    # === BUSINESS METHODS === #
    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only the accessories manager drafts, submits and closes promotion plans.",
                )
            )

    def _approval_activity_note(self, env):
        return env._(
            "%(promotion)s, from %(start)s to %(end)s: approve or refuse it.",
            promotion=self.name,
            start=self.date_from,
            end=self.date_to,
        )

    def _approval_check_submittable(self):
        for promotion in self:
            if not promotion.line_ids:
                raise UserError(
                    self.env._(
                        "Promotion “%s” has no promotion prices: add the accessories or packages it offers "
                        "before submitting it.",
                        promotion.name,
                    )
                )

    def _approval_on_approve(self):
        """The promotion prices go into the pricelist for the period."""
        self._ensure_pricelists()
        self._create_pricelist_items()
        self._start_due()

    def _ensure_pricelists(self):
        """Promotion prices work through pricelists: switch the feature on if it is off, as Odoo does
        for multi-currency, and give each promotion its company's default pricelist if it has none."""
        if not self.env["res.groups"]._is_feature_enabled("product.group_product_pricelist"):
            # A settings change, made on the department's behalf: the approver is no administrator.
            group_user = self.env.ref("base.group_user").sudo()
            group_user._apply_group(self.env.ref("product.group_product_pricelist").sudo())
            self.env["res.company"].sudo()._activate_or_create_pricelists()
        for promotion in self.filtered(lambda p: not p.pricelist_id):
            pricelist = promotion.with_company(promotion.company_id)._default_pricelist_id()
            if not pricelist:
                raise UserError(
                    self.env._(
                        "Promotion “%s” needs a pricelist to put its prices in: create one in Sales settings.",
                        promotion.name,
                    )
                )
            promotion._jingpin_server().pricelist_id = pricelist

    def _period_bounds(self):
        """The promotion period as naive UTC datetimes: from the start date's midnight to the end
        date's last second, in the dealership's time zone (pricelist rules compare them with the
        order date, a UTC datetime)."""
        self.ensure_one()
        tz = pytz.timezone(self.company_id.partner_id.tz or self.env.user.tz or "UTC")

        def to_utc(day, at):
            return tz.localize(datetime.combine(day, at)).astimezone(pytz.utc).replace(tzinfo=None)

        return to_utc(self.date_from, time.min), to_utc(self.date_to, time(23, 59, 59))

    def _create_pricelist_items(self):
        vals_list = []
        for promotion in self:
            start, end = promotion._period_bounds()
            vals_list += [
                {
                    "pricelist_id": promotion.pricelist_id.id,
                    "applied_on": "1_product",
                    "display_applied_on": "1_product",
                    "product_tmpl_id": line.product_tmpl_id.id,
                    "compute_price": "fixed",
                    "fixed_price": line.promotion_price,
                    "date_start": start,
                    "date_end": end,
                    "jingpin_promotion_id": promotion.id,
                }
                for line in promotion.line_ids
            ]
        # Pricelist rules are kept by sales administrators; the general manager's approval is what
        # authorises these ones.
        # only the values chosen here: no default_* key of the caller reaches the price list
        items = self.env["product.pricelist.item"].sudo()
        return items.with_context(clean_context(self.env.context)).create(vals_list)  # pylint: disable=context-overridden

    def _end_pricelist_items(self):
        now = fields.Datetime.now()
        items = self.sudo().pricelist_item_ids
        items.filtered(lambda i: i.date_start and i.date_start >= now).unlink()
        items.exists().filtered(lambda i: not i.date_end or i.date_end > now).date_end = now

    def _start_due(self):
        today = fields.Date.context_today(self)
        self.filtered(lambda p: p.state == "approved" and p.date_from <= today)._jingpin_server().write(
            {"state": "running"}
        )

    @api.model
    def _cron_update_states(self):
        """Daily: approved promotions whose period began run; running ones whose period ended close."""
        today = fields.Date.context_today(self)
        enabled = [("company_id.jingpin_enabled", "=", True)]
        self.search([*enabled, ("state", "=", "approved"), ("date_from", "<=", today)])._start_due()
        ended = self.search([*enabled, ("state", "in", ("approved", "running")), ("date_to", "<", today)])
        ended._jingpin_server().write({"state": "closed"})
        for promotion in ended:
            promotion.message_post(body=promotion._in_company_lang()._("The promotion period is over: closed."))

    @api.model
    def _cron_remind_monthly_promotion(self):
        """Daily: each dealership runs at least one promotion a month (R9). When next month has no
        approved or running promotion, its managers get a to-do on next month's plan, once."""
        today = fields.Date.context_today(self)
        first = today + relativedelta(months=1, day=1)
        last = first + relativedelta(day=31)
        for company in self.env["res.company"]._jingpin_enabled_companies():
            promotions = self.search(
                [
                    ("company_id", "=", company.id),
                    ("date_from", "<=", last),
                    ("date_to", ">=", first),
                    ("state", "!=", "closed"),
                ],
                order="date_from, id",
            )
            if promotions.filtered(lambda p: p.state in ("approved", "running")):
                continue
            plan = promotions[:1]
            if plan.monthly_reminder_sent:
                continue
            managers = (plan or self.new({"company_id": company.id}))._reminder_users()
            if not managers:
                continue
            if not plan:
                plan = self.with_company(company).create(
                    {
                        "name": self.with_context(lang=company.partner_id.lang or "en_US").env._(
                            "%s Promotion Plan", first.strftime("%Y-%m")
                        ),
                        "company_id": company.id,
                        "date_from": first,
                        "date_to": last,
                        "user_id": managers[:1].id,
                    }
                )
            month = first.strftime("%Y-%m")
            plan._jingpin_request_activity(
                "mail.mail_activity_data_todo",
                managers,
                date_deadline=first - relativedelta(days=7),
                summary=lambda env: env._("Plan next month's promotion"),
                note=lambda env, month=month: env._(
                    "No promotion is approved for %(month)s yet. Draft the plan and submit it to the "
                    "general manager before the month starts.",
                    month=month,
                ),
            )
            plan._jingpin_server().monthly_reminder_sent = True

    def _reminder_users(self):
        """The company's accessories managers (not the general managers), or its general managers
        when it has no accessories manager."""
        self.ensure_one()
        company = self.company_id
        gm_group = self.env.ref(GM_GROUP)
        users = (
            self.env["res.users"]
            .search(
                [
                    ("all_group_ids", "in", self.env.ref(MANAGER_GROUP).id),
                    ("company_ids", "in", company.id),
                    ("share", "=", False),
                ]
            )
            .filtered(lambda user: gm_group not in user.all_group_ids)
        )
        users |= company.jingpin_manager_id.filtered("active")
        if not users:
            users = company.jingpin_gm_id or self.env["res.users"].search(
                [
                    ("all_group_ids", "in", self.env.ref(GM_GROUP).id),
                    ("company_ids", "in", company.id),
                    ("share", "=", False),
                    ("id", "!=", SUPERUSER_ID),
                ]
            )
        return users


class JingpinPromotionLine(models.Model):
    _name = "jingpin.promotion.line"
    _description = "Promotion Price"
    _order = "promotion_id, sequence, id"
    _check_company_auto = True

    promotion_id = fields.Many2one("jingpin.promotion", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="promotion_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="promotion_id.currency_id")
    state = fields.Selection(related="promotion_id.state")
    product_tmpl_id = fields.Many2one(
        "product.template",
        string="Accessory or Package",
        required=True,
        check_company=True,
        domain="[('is_accessory', '=', True), ('sale_ok', '=', True)]",
    )
    list_price = fields.Float(
        related="product_tmpl_id.list_price",
        string="List Price",
        digits="Product Price",
    )
    promotion_price = fields.Float(digits="Product Price", required=True)
    discount_percent = fields.Float(string="Off (%)", compute="_compute_discount_percent", digits=(16, 1))

    _promotion_price_positive = models.Constraint(
        "CHECK(promotion_price > 0)",
        "A promotion price must be above zero: give the accessory away as a gift instead.",
    )
    _product_uniq = models.Constraint(
        "UNIQUE(promotion_id, product_tmpl_id)",
        "An accessory appears only once in a promotion.",
    )

    @api.depends("list_price", "promotion_price")
    def _compute_discount_percent(self):
        for line in self:
            line.discount_percent = (
                100 * (line.list_price - line.promotion_price) / line.list_price if line.list_price else 0.0
            )

    @api.constrains("product_tmpl_id", "promotion_price")
    def _check_promotion_price(self):
        for line in self:
            if line.promotion_id.state not in ("draft", "submitted"):
                raise ValidationError(
                    self.env._(
                        "Promotion “%s” is approved: its accessories and prices can no longer change. Close "
                        "it and draft a new promotion.",
                        line.promotion_id.name,
                    )
                )
            if not line.product_tmpl_id.is_accessory:
                raise ValidationError(
                    self.env._(
                        "“%s” is not an accessory or an accessory package.",
                        line.product_tmpl_id.display_name,
                    )
                )
            if line.product_tmpl_id.currency_id.compare_amounts(line.promotion_price, line.list_price) > 0:
                raise ValidationError(
                    self.env._(
                        "The promotion price of “%(product)s” (%(price)s) is above its list price (%(list)s).",
                        product=line.product_tmpl_id.display_name,
                        price=line.promotion_price,
                        list=line.list_price,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if self.filtered(lambda line: line.promotion_id.state not in ("draft", "submitted")):
            raise UserError(self.env._("The prices of an approved promotion cannot be removed."))
