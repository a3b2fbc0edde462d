from datetime import datetime, time

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

MESSAGE_CHANNELS = [("email", "Email"), ("sms", "SMS")]
SENDER_GROUP = "jingpin_accessories.group_jingpin_specialist"


class JingpinPromotionMessage(models.Model):
    """A message to the department's customers (R10): who was told what, when, and by whom.

    The audience is drawn from the dealership's own data (new-car sales, customers' vehicles); the
    sending goes through Odoo's mass mail and SMS composers, which keep a note on each customer."""

    _name = "jingpin.promotion.message"
    _inherit = ["jingpin.guard"]
    _description = "Customer Message"
    _order = "id desc"
    _rec_name = "subject"
    _check_company_auto = True

    # === FIELDS === #
    subject = fields.Char(required=True)
    promotion_id = fields.Many2one(
        "jingpin.promotion",
        string="Promotion",
        index="btree_not_null",
        check_company=True,
        ondelete="set null",
        help="The promotion the message announces, if any.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        compute="_compute_company_id",
        store=True,
        precompute=True,
        readonly=False,
    )
    channel = fields.Selection(MESSAGE_CHANNELS, required=True, default="email")
    body_html = fields.Html(
        string="Email",
        compute="_compute_body",
        store=True,
        precompute=True,
        readonly=False,
        sanitize_style=True,
    )
    body_text = fields.Text(
        string="SMS Text",
        compute="_compute_body",
        store=True,
        precompute=True,
        readonly=False,
        help="Keep it short: a long text is sent as several SMS.",
    )

    # --- audience --- #
    audience_new_car = fields.Boolean(
        string="New-Car Customers",
        compute="_compute_audience",
        store=True,
        precompute=True,
        readonly=False,
        help="Customers who bought a new car, or the accessories for one, in the period below.",
    )
    new_car_date_from = fields.Date(
        string="Bought From",
        compute="_compute_audience",
        store=True,
        precompute=True,
        readonly=False,
    )
    new_car_date_to = fields.Date(
        string="Bought To",
        compute="_compute_audience",
        store=True,
        precompute=True,
        readonly=False,
    )
    audience_owners = fields.Boolean(
        string="Existing Customers",
        compute="_compute_audience",
        store=True,
        precompute=True,
        readonly=False,
        help="Customers whose registered vehicle is of one of the models below.",
    )
    vehicle_model_ids = fields.Many2many(
        "fleet.vehicle.model",
        string="Vehicle Models",
        compute="_compute_audience",
        store=True,
        precompute=True,
        readonly=False,
        help="Leave empty for the owners of every model.",
    )
    recipient_ids = fields.Many2many(
        "res.partner",
        "jingpin_promotion_message_recipient_rel",
        "message_id",
        "partner_id",
        string="Recipients",
        compute="_compute_recipients",
        store=True,
        readonly=False,
        check_company=True,
        help="Drawn from the audience; add or remove customers as you need. Customers who refuse "
        "promotion messages are never sent one.",
    )
    excluded_partner_ids = fields.Many2many(
        "res.partner",
        "jingpin_promotion_message_excluded_rel",
        "message_id",
        "partner_id",
        string="Opted Out",
        compute="_compute_exclusions",
        store=True,
        readonly=True,
        help="Customers of the audience who asked for no promotion messages, or whose email address or "
        "mobile number is on Odoo's blacklist.",
    )
    unreachable_partner_ids = fields.Many2many(
        "res.partner",
        "jingpin_promotion_message_unreachable_rel",
        "message_id",
        "partner_id",
        string="No Address",
        compute="_compute_exclusions",
        store=True,
        readonly=True,
        help="Customers of the audience without a valid email address (email) or mobile number (SMS).",
    )
    recipient_count = fields.Integer(string="Recipients Count", compute="_compute_counts")
    excluded_count = fields.Integer(string="Opted Out Count", compute="_compute_counts")
    unreachable_count = fields.Integer(string="No Address Count", compute="_compute_counts")

    # --- log --- #
    state = fields.Selection(
        [("draft", "Draft"), ("sent", "Sent")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
    )
    sent_by_id = fields.Many2one("res.users", string="Sent By", readonly=True, copy=False)
    sent_at = fields.Datetime(string="Sent On", readonly=True, copy=False)
    sent_count = fields.Integer(string="Messages Sent", readonly=True, copy=False)

    # === COMPUTES === #
    @api.depends("promotion_id")
    def _compute_company_id(self):
        for message in self:
            message.company_id = message.promotion_id.company_id or message.company_id or self.env.company

    @api.depends("promotion_id")
    def _compute_audience(self):
        today = fields.Date.context_today(self)
        for message in self:
            target = message.promotion_id.target_customers or "both"
            message.audience_new_car = target in ("new_car", "both")
            message.audience_owners = target in ("existing", "both")
            message.new_car_date_from = today - relativedelta(months=3)
            message.new_car_date_to = today
            message.vehicle_model_ids = message.promotion_id.vehicle_model_ids

    @api.depends("promotion_id")
    def _compute_body(self):
        for message in self:
            promotion = message.promotion_id
            if not promotion:
                message.body_html = message.body_html or False
                message.body_text = message.body_text or False
                continue
            period = self.env._("from %(start)s to %(end)s", start=promotion.date_from, end=promotion.date_to)
            offers = [
                self.env._(
                    "%(product)s: %(price)s instead of %(list)s",
                    product=line.product_tmpl_id.name,
                    price=promotion.currency_id.format(line.promotion_price),
                    list=promotion.currency_id.format(line.list_price),
                )
                for line in promotion.line_ids
            ]
            message.body_html = Markup("<p>%s</p><p>%s</p><ul>%s</ul><p>%s</p>") % (
                self.env._("Dear customer,"),
                self.env._("%(promotion)s, %(period)s:", promotion=promotion.name, period=period),
                Markup().join(Markup("<li>%s</li>") % offer for offer in offers),
                promotion.company_id.name,
            )
            message.body_text = self.env._(
                "%(company)s: %(promotion)s, %(period)s. %(offers)s",
                company=promotion.company_id.name,
                promotion=promotion.name,
                period=period,
                offers="; ".join(offers),
            )

    @api.depends(
        "channel",
        "company_id",
        "audience_new_car",
        "new_car_date_from",
        "new_car_date_to",
        "audience_owners",
        "vehicle_model_ids",
    )
    def _compute_recipients(self):
        for message in self:
            if message.state == "sent":
                continue
            audience = message._audience_partners()
            refused, unreachable = audience._jingpin_promotion_exclusions(message.channel)
            message.recipient_ids = audience - refused - unreachable

    # Not computed with the recipients: the recipients are edited by hand, these never are (fields
    # sharing a compute method are all left alone when one of them is given at creation).
    @api.depends(
        "channel",
        "company_id",
        "audience_new_car",
        "new_car_date_from",
        "new_car_date_to",
        "audience_owners",
        "vehicle_model_ids",
    )
    def _compute_exclusions(self):
        for message in self:
            if message.state == "sent":
                continue
            refused, unreachable = message._audience_partners()._jingpin_promotion_exclusions(message.channel)
            message.excluded_partner_ids = refused
            message.unreachable_partner_ids = unreachable

    @api.depends("recipient_ids", "excluded_partner_ids", "unreachable_partner_ids")
    def _compute_counts(self):
        for message in self:
            message.recipient_count = len(message.recipient_ids)
            message.excluded_count = len(message.excluded_partner_ids)
            message.unreachable_count = len(message.unreachable_partner_ids)

    # === CRUD === #
    def write(self, vals):
        if self.filtered(lambda m: m.state == "sent") and not self._jingpin_is_server():
            raise UserError(self.env._("A message that was sent stays as it was sent: write a new one."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if self.filtered(lambda m: m.state == "sent"):
            raise UserError(
                self.env._(
                    "A sent message is the record of what customers were told: it cannot be deleted.",
                )
            )

    # === ACTIONS === #
    def action_send(self):
        """Send the message to its recipients, without the customers who refused promotion messages."""
        self.ensure_one()
        if not self.env.su and not self.env.user.has_group(SENDER_GROUP):
            raise AccessError(self.env._("Only the accessories department sends messages to customers."))
        self.check_access("write")
        if self.state != "draft":
            raise UserError(self.env._("This message was already sent."))
        body = self.body_html if self.channel == "email" else self.body_text
        if not body or self.channel == "email" and not self.body_html.striptags().strip():
            raise UserError(self.env._("Write the message before sending it."))
        # Re-checked at sending: a customer added by hand may have opted out since.
        refused, unreachable = self.recipient_ids._jingpin_promotion_exclusions(self.channel)
        recipients = self.recipient_ids - refused - unreachable
        if not recipients:
            raise UserError(
                self.env._(
                    "Nobody to send this message to: choose an audience or add recipients who accept "
                    "promotion messages.",
                )
            )
        if self.channel == "email":
            self._send_email(recipients)
        else:
            self._send_sms(recipients)
        self._jingpin_server().write(
            {
                "state": "sent",
                "sent_by_id": self.env.user.id,
                "sent_at": fields.Datetime.now(),
                "sent_count": len(recipients),
                "recipient_ids": [fields.Command.set(recipients.ids)],
                "excluded_partner_ids": [fields.Command.link(p.id) for p in refused],
                "unreachable_partner_ids": [fields.Command.link(p.id) for p in unreachable],
            }
        )
        if self.promotion_id:
            self.promotion_id.message_post(
                body=self.env._(
                    "“%(subject)s” sent by %(channel)s to %(count)s customers.",
                    subject=self.subject,
                    count=len(recipients),
                    channel=dict(self._fields["channel"]._description_selection(self.env))[self.channel],
                )
            )
        return True

    def action_view_recipients(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Recipients"),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("id", "in", self.recipient_ids.ids)],
        }

    # === BUSINESS METHODS === #
    def _audience_partners(self):
        """The customers the audience settings select, in the message's company."""
        self.ensure_one()
        partners = self.env["res.partner"]
        if not self.company_id:
            return partners
        if self.audience_new_car:
            domain = Domain([("company_id", "=", self.company_id.id), ("state", "=", "sale")]) & Domain.OR(
                [
                    [("jingpin_channel", "=", "new_car")],
                    # The car sale itself: an order for the customer's car that is no accessory order.
                    [("jingpin_channel", "=", False), ("vehicle_id", "!=", False)],
                ]
            )
            if self.new_car_date_from:
                domain &= Domain("date_order", ">=", datetime.combine(self.new_car_date_from, time.min))
            if self.new_car_date_to:
                domain &= Domain("date_order", "<=", datetime.combine(self.new_car_date_to, time.max))
            partners |= self.env["sale.order"].search(domain).partner_id
        if self.audience_owners:
            domain = Domain([("company_id", "=", self.company_id.id), ("partner_id", "!=", False)])
            if self.vehicle_model_ids:
                domain &= Domain("model_id", "in", self.vehicle_model_ids.ids)
            partners |= self.env["jingpin.vehicle"].search(domain).partner_id
        return partners.filtered(lambda p: p.active and p.company_id in (self.company_id, p.env["res.company"]))

    def _send_email(self, recipients):
        """Mass mail through Odoo's composer: one email per customer, logged in his chatter; the
        composer's exclusion list keeps blacklisted addresses out whatever happened before."""
        composer = self.env["mail.compose.message"].create(
            {
                "composition_mode": "mass_mail",
                "model": "res.partner",
                "res_ids": repr(recipients.ids),
                "subject": self.subject,
                "body": self.body_html,
                "use_exclusion_list": True,
                "auto_delete": False,
                # Queued: the mail queue sends them in batches.
                "force_send": False,
            }
        )
        mails_sudo, _messages = composer._action_send_mail()
        return mails_sudo

    def _send_sms(self, recipients):
        """Mass SMS through Odoo's composer, queued for the SMS gateway and noted on each customer."""
        composer = self.env["sms.composer"].create(
            {
                "composition_mode": "mass",
                "res_model": "res.partner",
                "res_ids": repr(recipients.ids),
                "body": self.body_text,
                "mass_keep_log": True,
                "mass_force_send": False,
                "use_exclusion_list": True,
            }
        )
        return composer._action_send_sms()
