from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .project_task_type import OPEN_WORK_STATES

# Once the customer has signed, these stay as he signed them.
SIGNED_FIELDS = frozenset(
    {"vehicle_id", "partner_id", "work_order_ids", "owed_description", "signature", "signer_name", "signed_on"}
)


class JingpinDueBill(models.Model):
    """A due bill (we-owe, 欠单): the customer takes his new car before its accessory work is
    finished and signs for what the dealership still owes him (B11).

    ``state`` and ``signed_on`` change only through these actions (``jingpin.guard``); a due bill is
    always created as a draft:

    ======= ======== =============================================== =============================
    From    To       Guard                                           Who
    ======= ======== =============================================== =============================
    draft   signed   work orders chosen, the customer's signature;   specialist
                     signed_on is the server's time
    draft   cancel                                                   specialist
    signed  cancel   a reason is given (the customer's claim ends)   accessories manager
    signed  fitted   all its work orders are handed over             the handover
    ======= ======== =============================================== =============================
    """

    _name = "jingpin.due.bill"
    _description = "Due Bill (We-Owe)"
    _inherit = ["mail.thread", "mail.activity.mixin", "jingpin.guard"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, copy=False, readonly=True, default=lambda self: self.env._("New"))
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    vehicle_id = fields.Many2one("jingpin.vehicle", required=True, check_company=True, tracking=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, check_company=True)
    work_order_ids = fields.Many2many(
        "project.task",
        string="Work Orders Owed",
        check_company=True,
        domain="[('is_work_order', '=', True), ('vehicle_id', '=', vehicle_id), "
        "('work_state', 'in', ('dispatched', 'in_progress', 'inspection', 'ready'))]",
    )
    owed_description = fields.Text(
        string="What We Owe",
        required=True,
        compute="_compute_owed_description",
        store=True,
        readonly=False,
        precompute=True,
    )
    promised_date = fields.Date(string="To Be Fitted By", tracking=True)
    signer_name = fields.Char(
        string="Signed By", compute="_compute_signer_name", store=True, readonly=False, precompute=True
    )
    signature = fields.Binary(string="Customer Signature", copy=False)
    signed_on = fields.Datetime(readonly=True, copy=False)
    cancel_reason = fields.Text(
        string="Reason for Cancelling",
        copy=False,
        tracking=True,
        help="Why a signed due bill is cancelled: the customer signed for what we owe him.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("signed", "Signed"), ("fitted", "Fitted"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )

    @api.depends("work_order_ids.work_item_ids")
    def _compute_owed_description(self):
        for bill in self:
            bill.owed_description = "\n".join(
                f"{item.product_id.display_name} × {item.quantity:g}" for item in bill.work_order_ids.work_item_ids
            )

    @api.depends("partner_id")
    def _compute_signer_name(self):
        for bill in self:
            bill.signer_name = bill.partner_id.name

    @api.model_create_multi
    def create(self, vals_list):
        bills = super().create(vals_list)
        # The reference is the server's (a client cannot name it): numbered once created.
        for bill in bills:
            bill._jingpin_server().name = self.env["ir.sequence"].next_by_code("jingpin.due.bill") or bill.name
        return bills

    def _jingpin_refused_fields(self, vals):
        refused = super()._jingpin_refused_fields(vals)
        if "cancel_reason" in vals and self.filtered(lambda bill: bill.state in ("fitted", "cancel")):
            refused = refused | {"cancel_reason"}
        return refused

    def write(self, vals):
        if SIGNED_FIELDS & vals.keys() and self.filtered(lambda bill: bill.state != "draft"):
            raise UserError(self.env._("A signed due bill cannot be changed; cancel it and write a new one."))
        return super().write(vals)

    def action_sign(self):
        for bill in self:
            if bill.state != "draft":
                raise UserError(self.env._("Due bill %s is already signed.", bill.name))
            if not bill.work_order_ids:
                raise UserError(self.env._("Choose the open work orders this due bill covers."))
            if not bill.signature:
                raise UserError(self.env._("The customer must sign the due bill on the screen."))
        self._jingpin_server().write({"state": "signed", "signed_on": fields.Datetime.now()})
        for bill in self:
            bill.message_post(body=bill._in_company_lang()._("Due bill signed by %s.", bill.signer_name))

    def action_cancel(self):
        """Cancel draft due bills; a signed one ends the customer's claim: only the manager cancels
        it, saying why (its reason for cancelling)."""
        self.check_access("write")
        signed = self.filtered(lambda bill: bill.state == "signed")
        if signed and not self.env.su and not self.env.user.has_group("jingpin_accessories.group_jingpin_manager"):
            raise AccessError(
                self.env._(
                    "Due bill %s is signed by the customer: only the accessories manager can cancel it.",
                    signed[0].name,
                )
            )
        unexplained = signed.filtered(lambda bill: not (bill.cancel_reason or "").strip())
        if unexplained:
            raise UserError(
                self.env._(
                    "Say why signed due bill %s is cancelled (Reason for Cancelling): the customer signed for "
                    "what we owe him.",
                    unexplained[0].name,
                )
            )
        to_cancel = self.filtered(lambda bill: bill.state in ("draft", "signed"))
        to_cancel._jingpin_server().write({"state": "cancel"})
        for bill in to_cancel:
            bill.message_post(body=bill._in_company_lang()._("Cancelled by %s.", self.env.user.name))
        return True

    def _close_fitted(self):
        """Close the signed due bills whose work is all handed over."""
        fitted = self.filtered(
            lambda bill: bill.state == "signed"
            and all(task.work_state not in OPEN_WORK_STATES for task in bill.work_order_ids)
        )
        fitted._jingpin_server().write({"state": "fitted"})
        for bill in fitted:
            bill.message_post(body=bill._in_company_lang()._("All owed accessories are fitted and handed over."))
