from odoo import api, fields, models
from odoo.exceptions import UserError

from .project_task_type import OPEN_WORK_STATES

# Once the customer has signed, these stay as he signed them.
SIGNED_FIELDS = frozenset({"vehicle_id", "partner_id", "work_order_ids", "owed_description", "signature",
                           "signer_name", "signed_on"})


class JingpinDueBill(models.Model):
    """A due bill (we-owe, 欠单): the customer takes his new car before its accessory work is
    finished and signs for what the dealership still owes him (B11)."""

    _name = "jingpin.due.bill"
    _description = "Due Bill (We-Owe)"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, copy=False, readonly=True, default=lambda self: self.env._("New"))
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    vehicle_id = fields.Many2one("jingpin.vehicle", required=True, check_company=True, tracking=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, check_company=True)
    work_order_ids = fields.Many2many(
        "project.task", string="Work Orders Owed", check_company=True,
        domain="[('is_work_order', '=', True), ('vehicle_id', '=', vehicle_id), ('work_state', 'in', ('dispatched', 'in_progress', 'inspection', 'ready'))]",
    )
    owed_description = fields.Text(string="What We Owe", required=True,
                                   compute="_compute_owed_description", store=True, readonly=False, precompute=True)
    promised_date = fields.Date(string="To Be Fitted By", tracking=True)
    signer_name = fields.Char(string="Signed By", compute="_compute_signer_name", store=True, readonly=False,
                              precompute=True)
    signature = fields.Binary(string="Customer Signature", copy=False)
    signed_on = fields.Datetime(readonly=True, copy=False)
    state = fields.Selection(
        [("draft", "Draft"), ("signed", "Signed"), ("fitted", "Fitted"), ("cancel", "Cancelled")],
        default="draft", required=True, tracking=True, copy=False,
    )

    @api.depends("work_order_ids.work_item_ids")
    def _compute_owed_description(self):
        for bill in self:
            bill.owed_description = "\n".join(
                f"{item.product_id.display_name} × {item.quantity:g}"
                for item in bill.work_order_ids.work_item_ids
            )

    @api.depends("partner_id")
    def _compute_signer_name(self):
        for bill in self:
            bill.signer_name = bill.partner_id.name

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("jingpin.due.bill") or self.env._("New")
        return super().create(vals_list)

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
        self.write({"state": "signed", "signed_on": fields.Datetime.now()})
        for bill in self:
            bill.message_post(body=self.env._("Due bill signed by %s.", bill.signer_name))

    def action_cancel(self):
        self.filtered(lambda bill: bill.state in ("draft", "signed")).state = "cancel"

    def _close_fitted(self):
        """Close the signed due bills whose work is all handed over."""
        fitted = self.filtered(
            lambda bill: bill.state == "signed"
            and all(task.work_state not in OPEN_WORK_STATES for task in bill.work_order_ids)
        )
        fitted.state = "fitted"
        for bill in fitted:
            bill.message_post(body=self.env._("All owed accessories are fitted and handed over."))
