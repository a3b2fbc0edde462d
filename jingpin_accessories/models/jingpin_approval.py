from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

APPROVAL_LEVELS = [("manager", "Accessories Manager"), ("gm", "General Manager")]
LEVEL_GROUPS = {
    "manager": "jingpin_accessories.group_jingpin_manager",
    "gm": "jingpin_accessories.group_jingpin_gm",
}


class JingpinApproval(models.Model):
    """One decision on the concessions of an accessory order (R11): who, when, what, and why.

    Decisions are recorded only by the order's decision (``sale.order._jingpin_decide``), never
    edited or deleted: a new decision supersedes the previous one.
    """

    _name = "jingpin.approval"
    _inherit = ["jingpin.guard"]
    _description = "Concession Approval"
    _order = "id desc"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order",
        string="Order",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    level = fields.Selection(APPROVAL_LEVELS, required=True)
    decision = fields.Selection([("approved", "Approved"), ("rejected", "Rejected")], required=True)
    user_id = fields.Many2one("res.users", string="Decided By", required=True, readonly=True)
    decided_on = fields.Datetime(required=True, readonly=True)
    concession_amount = fields.Monetary(
        string="Concessions",
        readonly=True,
        help="The concessions on the order when it was decided.",
    )
    excess_amount = fields.Monetary(
        string="Beyond Authority",
        readonly=True,
        help="The part of the concessions beyond the manager's authority when it was decided.",
    )
    order_version = fields.Integer(
        readonly=True,
        help="The version of the order decided on: cancelling the order starts a new one, decided again.",
    )
    concession_snapshot = fields.Json(
        readonly=True,
        help="The order's concessions line by line (product and amount) and its rebate when it was decided.",
    )
    comment = fields.Text()

    @api.model_create_multi
    def create(self, vals_list):
        """Only the approver's own decision can be recorded, on the order as it stands now."""
        if not self._jingpin_is_server():
            raise AccessError(
                self.env._(
                    "Approval decisions are recorded by the Approve and Reject buttons of the order's "
                    "concessions, which check the rules."
                )
            )
        for vals in vals_list:
            order = self.env["sale.order"].browse(vals.get("order_id"))
            level = vals.get("level")
            if level not in LEVEL_GROUPS:
                raise ValidationError(self.env._("Choose the level of the decision: manager or general manager."))
            if not self.env.user.has_group(LEVEL_GROUPS[level]):
                raise AccessError(order._jingpin_who_must_approve_message(level))
            if vals.get("decision") == "rejected" and not (vals.get("comment") or "").strip():
                raise UserError(
                    self.env._("Say why you reject the concessions: the salesperson needs to know what to change.")
                )
            vals.update(
                user_id=self.env.uid,
                decided_on=fields.Datetime.now(),
                concession_amount=order.jingpin_concession_amount,
                excess_amount=order.jingpin_excess_amount,
                order_version=order.jingpin_version,
                concession_snapshot=order._jingpin_concession_snapshot(),
            )
        return super().create(vals_list)

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(self.env._("An approval decision cannot be changed: record a new decision instead."))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decision(self):
        raise UserError(self.env._("An approval decision cannot be deleted: it is the order's audit trail."))
