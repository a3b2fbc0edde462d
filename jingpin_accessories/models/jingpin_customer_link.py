import hashlib
import hmac
import secrets
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

LINK_PURPOSES = [("confirm", "Accessory Confirmation"), ("handover", "Handover")]
# Each purpose has its own door: a token opens only the pages of its purpose.
LINK_PATHS = {"confirm": "c", "handover": "h"}
LINK_VALID_HOURS = 72
# After he signed, the link still shows (read-only) how his car is getting on, this long.
FOLLOW_VALID_DAYS = 30
SMS_CODE_VALID_MINUTES = 10
SMS_CODE_ATTEMPTS = 5


def token_digest(token):
    """Links are looked up by the digest of their token: the database never holds a usable link."""
    return hashlib.sha256((token or "").encode()).hexdigest()


class JingpinCustomerLink(models.Model):
    """A link sent to the customer's phone (B17): one document (the order's confirmation, or one
    work order's handover), one purpose, until it expires, is used (signed) or the document
    changes. The address is shown to the sales staff only (to send it, or as a QR code on the
    screen); links are looked up by the digest of their token."""

    _name = "jingpin.customer.link"
    _inherit = ["jingpin.guard"]
    _description = "Customer Link"
    _order = "id desc"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order", string="Order", required=True, readonly=True, index=True, ondelete="cascade"
    )
    task_id = fields.Many2one(
        "project.task",
        string="Work Order",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
        help="The work order whose handover the link is for (handover links only).",
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    purpose = fields.Selection(LINK_PURPOSES, required=True, readonly=True)
    token_digest = fields.Char(required=True, readonly=True, copy=False, groups="base.group_system")
    url = fields.Char(
        string="Link",
        readonly=True,
        copy=False,
        groups="sales_team.group_sale_salesman",
        help="The address sent to the customer.",
    )
    order_digest = fields.Char(
        readonly=True,
        copy=False,
        help="The version of the document (the order, or the work order's handover) the link shows: any other "
        "change closes the link.",
    )
    expires_on = fields.Datetime(required=True, readonly=True)
    used_on = fields.Datetime(readonly=True, copy=False, help="When the customer signed through this link.")
    revoked_on = fields.Datetime(readonly=True, copy=False, help="When a newer link replaced this one.")
    sms_code_digest = fields.Char(readonly=True, copy=False, groups="base.group_system")
    sms_code_expires_on = fields.Datetime(readonly=True, copy=False)
    sms_code_attempts = fields.Integer(readonly=True, copy=False)
    sms_code_verified_on = fields.Datetime(readonly=True, copy=False)
    document_ids = fields.Many2many(
        "ir.attachment",
        string="Signed Documents",
        readonly=True,
        copy=False,
        help="What the customer signed through this link, as the PDFs he can download from it.",
    )
    state = fields.Selection(
        [
            ("open", "Open"),
            ("used", "Used"),
            ("expired", "Expired"),
            ("revoked", "Replaced"),
            ("changed", "Order Changed"),
        ],
        compute="_compute_state",
    )

    _token_digest_unique = models.UniqueIndex("(token_digest)", "A link's token is unique.")

    @api.depends("used_on", "revoked_on", "expires_on", "order_digest")
    def _compute_state(self):
        for link in self:
            link.state = link._current_state()

    def _current_state(self):
        """The link's state now: read from the database, never from a cache of an earlier moment."""
        self.ensure_one()
        if self.used_on:
            return "used"
        if self.revoked_on:
            return "revoked"
        if self.expires_on <= fields.Datetime.now():
            return "expired"
        if self.order_digest != self._document_digest():
            return "changed"
        return "open"

    def _document_digest(self):
        """The digest of the current version of the link's document."""
        self.ensure_one()
        if self.purpose == "handover":
            return self.task_id.sudo()._jingpin_handover_digest()
        return self.order_id.sudo()._jingpin_customer_digest()

    @api.model_create_multi
    def create(self, vals_list):
        if not self._jingpin_is_server():
            raise UserError(
                self.env._("Customer links are sent with the order's “Send to the Customer's Phone” button.")
            )
        return super().create(vals_list)

    @api.model
    def _issue(self, order, purpose, task=None):
        """A new link of ``purpose`` for ``order`` (for a handover: for its work order ``task``);
        earlier open links of the same purpose and document are closed. Returns (link, token)."""
        order.ensure_one()
        now = fields.Datetime.now()
        previous = self.sudo().search(
            [
                ("order_id", "=", order.id),
                ("task_id", "=", task.id if task else False),
                ("purpose", "=", purpose),
                ("used_on", "=", False),
            ]
        )
        previous.filtered(lambda link: not link.revoked_on)._jingpin_server().write({"revoked_on": now})
        token = secrets.token_urlsafe(24)
        base_url = order.get_base_url()
        link = (
            self.sudo()
            ._jingpin_server()
            .create(
                {
                    "order_id": order.id,
                    "task_id": task.id if task else False,
                    "purpose": purpose,
                    "token_digest": token_digest(token),
                    "url": f"{base_url}/jingpin/{LINK_PATHS[purpose]}/{token}",
                    "expires_on": now + timedelta(hours=LINK_VALID_HOURS),
                }
            )
        )
        link._jingpin_server().write({"order_digest": link._document_digest()})
        return link.with_env(self.env), token

    def _qr_code(self):
        """The link as a QR code on the staff's screen, for the customer standing there."""
        if not self:
            return False
        return Markup('<img src="/report/barcode/QR/%s?width=220&amp;height=220" alt="QR"/>') % self.sudo().url

    def _document(self):
        self.ensure_one()
        return self.task_id if self.purpose == "handover" else self.order_id

    def _note_sent(self, channel):
        """Say on the document's chatter that the link was sent, never the link itself: others
        (a technician on the work order) read the chatter, and the link signs for the customer."""
        env = self._document()._in_company_lang()
        self._document().message_post(
            body=env._(
                "The customer's link (%(purpose)s) was sent by %(channel)s.",
                purpose=dict(self._fields["purpose"]._description_selection(env))[self.purpose],
                channel=channel,
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    def _send_sms(self, body):
        """Send ``body`` (which holds the link) to the customer's mobile through Odoo's SMS."""
        self.ensure_one()
        if self.partner_id.phone:
            self.env["sms.sms"].sudo().create(
                {"number": self.partner_id.phone, "body": body, "partner_id": self.partner_id.id}
            )
            self._note_sent(self._document()._in_company_lang()._("SMS"))

    def _send_email(self):
        """Send the link to the customer's email through Odoo's mail (mail template in the
        dealership's language); refused when he has none."""
        self.ensure_one()
        partner = self.partner_id
        if not partner.email:
            raise UserError(
                self.env._(
                    "%s has no email address: add it on the customer, or send the link by SMS or show its QR code.",
                    partner.name,
                )
            )
        template = self.env.ref("jingpin_accessories.mail_template_customer_link").sudo()
        template.send_mail(self.id, email_values={"recipient_ids": [Command.set(partner.ids)]})
        self._note_sent(self._document()._in_company_lang()._("email"))

    @api.model
    def _find(self, token, purpose, follow=False):
        """The open link of ``purpose`` that ``token`` opens, as superuser, or an empty recordset:
        an unknown, expired, used, replaced or other-purpose token, or an order changed since.
        With ``follow`` (reading only), a link used to sign still opens for ``FOLLOW_VALID_DAYS``."""
        link = self.sudo().search([("token_digest", "=", token_digest(token))], limit=1)
        if not link or link.purpose != purpose:
            return self.sudo().browse()
        state = link._current_state()
        if state == "open" or (follow and state == "used" and link._within_follow_time()):
            return link
        return self.sudo().browse()

    def _within_follow_time(self):
        self.ensure_one()
        return bool(self.used_on) and self.used_on + timedelta(days=FOLLOW_VALID_DAYS) > fields.Datetime.now()

    def _follow_customer_change(self):
        """The customer's own decision changed the order: the link follows the new version."""
        self._jingpin_server().write({"order_digest": self._document_digest()})

    def _mark_used(self):
        """Use the link once: of two signatures sent at the same moment, the database lets one win."""
        self.ensure_one()
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE jingpin_customer_link SET used_on = (now() AT TIME ZONE 'UTC') "
                "WHERE id = %s AND used_on IS NULL",
                self.id,
            )
        )
        self.invalidate_recordset(["used_on"])
        return bool(self.env.cr.rowcount)

    def _sign(self, name, signature):
        """The customer signs the link's document (as superuser, from his page)."""
        self.ensure_one()
        if self.purpose == "handover":
            return self.task_id._jingpin_customer_hand_over(self, name, signature)
        return self.order_id._jingpin_customer_sign(self, name, signature)

    def _decision_of(self, line):
        """The customer's answer through this link for ``line`` (empty if he has not answered)."""
        self.ensure_one()
        return self.order_id.jingpin_customer_decision_ids.filtered(lambda d: d.link_id == self and d.line_id == line)

    def _undecided_items(self):
        self.ensure_one()
        return self.order_id._jingpin_customer_items().filtered(lambda line: not self._decision_of(line))

    # === SMS code before signing === #
    def _send_sms_code(self):
        """Send a one-time code to the customer's mobile through Odoo's SMS."""
        self.ensure_one()
        number = self.order_id.partner_id.phone
        if not number:
            raise UserError(
                self.env._("No mobile number is known for you: ask the accessories specialist to sign in the store.")
            )
        code = f"{secrets.randbelow(1000000):06d}"
        self._jingpin_server().write(
            {
                "sms_code_digest": token_digest(f"{self.id}:{code}"),
                "sms_code_expires_on": fields.Datetime.now() + timedelta(minutes=SMS_CODE_VALID_MINUTES),
                "sms_code_attempts": 0,
            }
        )
        env = self.order_id._in_company_lang()
        body = env._(
            "%(company)s: your code to sign accessory order %(order)s is %(code)s (valid %(minutes)s minutes).",
            company=self.company_id.name,
            order=self.order_id.name,
            code=code,
            minutes=SMS_CODE_VALID_MINUTES,
        )
        self.env["sms.sms"].sudo().create({"number": number, "body": body, "partner_id": self.order_id.partner_id.id})

    def _check_sms_code(self, code):
        """Whether ``code`` is the code sent; each try counts, and after the last one a new code is needed."""
        self.ensure_one()
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE jingpin_customer_link SET sms_code_attempts = COALESCE(sms_code_attempts, 0) + 1 WHERE id = %s "
                "RETURNING sms_code_attempts",
                self.id,
            )
        )
        attempts = self.env.cr.fetchone()[0]
        self.invalidate_recordset(["sms_code_attempts"])
        valid = (
            attempts <= SMS_CODE_ATTEMPTS
            and self.sms_code_digest
            and self.sms_code_expires_on > fields.Datetime.now()
            and hmac.compare_digest(self.sms_code_digest, token_digest(f"{self.id}:{(code or '').strip()}"))
        )
        if valid:
            self._jingpin_server().write({"sms_code_verified_on": fields.Datetime.now(), "sms_code_digest": False})
        return bool(valid)

    def _needs_sms_code(self):
        self.ensure_one()
        return self.company_id.jingpin_customer_sms_code and not self.sms_code_verified_on
