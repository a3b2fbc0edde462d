from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_amount

APPROVAL_ACTIVITY = "jingpin_accessories.mail_activity_type_concession_approval"
APPROVAL_STATES = [
    ("not_needed", "Not Needed"),
    ("to_approve", "Waiting for the Manager"),
    ("to_approve_gm", "Waiting for the General Manager"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]


class SaleOrder(models.Model):
    """Authority limits on concessions (R11): the manager approves every discount, gift or rebate;
    beyond his authority the general manager approves too, and nothing is settled before."""

    _inherit = ["sale.order", "jingpin.activity.request"]

    jingpin_excess_amount = fields.Monetary(
        string="Beyond Manager's Authority", compute="_compute_jingpin_approval_level", store=True,
        help="The part of the concessions beyond what the accessories manager may grant.",
    )
    jingpin_approval_level = fields.Selection(
        [("none", "None"), ("manager", "Accessories Manager"), ("gm", "General Manager")],
        string="Approval Needed", compute="_compute_jingpin_approval_level", store=True,
    )
    jingpin_approval_state = fields.Selection(
        APPROVAL_STATES, string="Concession Approval", compute="_compute_jingpin_approval_state",
        store=True, index=True, tracking=True,
    )
    jingpin_approval_ids = fields.One2many("jingpin.approval", "order_id", string="Approval Decisions")
    jingpin_charge_ids = fields.One2many(
        "jingpin.manager.charge", "order_id", string="Manager Charges",
        groups="jingpin_accessories.group_jingpin_manager,jingpin_accessories.group_jingpin_group_viewer",
    )

    @api.depends("jingpin_concession_amount", "jingpin_reference_amount",
                 "company_id.jingpin_manager_limit_amount", "company_id.jingpin_manager_limit_percent")
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

    @api.depends("jingpin_approval_level", "jingpin_concession_amount", "jingpin_approval_ids")
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

    def _jingpin_decision(self, level):
        """The last decision at this level, if it still stands for the order's concessions.

        An approval covers concessions up to the amount approved; a rejection stands until the
        concessions change.
        """
        self.ensure_one()
        last = self.jingpin_approval_ids.filtered(lambda a: a.level == level).sorted("id")[-1:]
        if not last:
            return None
        compare = float_compare(last.concession_amount, self.jingpin_concession_amount,
                                precision_rounding=self.currency_id.rounding or 0.01)
        if last.decision == "approved" and compare >= 0 or last.decision == "rejected" and compare == 0:
            return last.decision
        return None

    # === Approval requests and decisions === #
    def _request_concession_approval(self):
        """Ask the company's manager (or general manager) for the approval the order waits for."""
        for order in self:
            approver = {
                "to_approve": order.company_id.jingpin_manager_id,
                "to_approve_gm": order.company_id.jingpin_gm_id,
            }.get(order.jingpin_approval_state, self.env["res.users"])
            order._jingpin_request_activity(APPROVAL_ACTIVITY, approver, lambda env, order=order: env._(
                "%(amount)s in discounts, gifts and rebates (%(percent).1f%%) to approve.",
                amount=format_amount(env, order.jingpin_concession_amount, order.currency_id),
                percent=order.jingpin_concession_percent,
            ))

    def action_jingpin_request_approval(self):
        for order in self:
            if order.jingpin_approval_state not in ("to_approve", "to_approve_gm"):
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

    def _jingpin_decide(self, approve, comment=""):
        """Record the current user's decision at the level the order waits for."""
        self.ensure_one()
        if self.jingpin_approval_state not in ("to_approve", "to_approve_gm"):
            raise UserError(self.env._("Order %s has nothing waiting for approval.", self.name))
        level = "gm" if (
            self.jingpin_approval_state == "to_approve_gm"
            or self.jingpin_approval_level == "gm" and self.env.user.has_group("jingpin_accessories.group_jingpin_gm")
        ) else "manager"
        self.env["jingpin.approval"].create({
            "order_id": self.id,
            "level": level,
            "decision": "approved" if approve else "rejected",
            "comment": comment,
        })
        self.activity_feedback([APPROVAL_ACTIVITY], feedback=comment or None, only_automated=False)
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
                order=self.name, amount=amount,
                excess=format_amount(self.env, self.jingpin_excess_amount, self.currency_id),
                limit=format_amount(self.env, self.company_id.jingpin_manager_limit_amount, self.currency_id),
                percent=self.company_id.jingpin_manager_limit_percent,
            )
        return self.env._(
            "Order %(order)s grants %(amount)s in discounts, gifts and rebates: the accessories manager "
            "must approve it.", order=self.name, amount=amount,
        )

    # === Settlement and charges === #
    def _jingpin_check_settlement(self, lines=None):
        """Refuse to settle (post the invoice of) an order whose concessions are not approved, or
        whose accessories to install have no work order yet."""
        for order in self:
            if order.jingpin_approval_state in ("to_approve", "to_approve_gm"):
                raise UserError(self.env._(
                    "%(reason)s It cannot be settled before.",
                    reason=order._jingpin_who_must_approve_message(),
                ))
            if order.jingpin_approval_state == "rejected":
                raise UserError(self.env._(
                    "The concessions on order %s were rejected: change them and ask for approval again "
                    "before settling it.", order.name,
                ))
        install_lines = (lines if lines is not None else self.order_line).filtered(
            lambda line: line.product_id.needs_install and line.product_id.type != "combo"
        )
        if install_lines:
            dispatched = self.env["jingpin.work.item"].sudo().search([("sale_line_id", "in", install_lines.ids)])
            missing = install_lines - dispatched.sale_line_id
            if missing:
                raise UserError(self.env._(
                    "%(accessories)s on order %(order)s must be installed but have no work order yet: "
                    "dispatch a work order before settling.",
                    accessories=", ".join(f"“{name}”" for name in missing.product_id.mapped("display_name")),
                    order=missing[0].order_id.name,
                ))

    def _jingpin_charge_unapproved_excess(self):
        """Goods left the stock with concessions beyond authority and no GM approval: the manager
        who let them go is charged with the excess (R11)."""
        charges = []
        for order in self.filtered(lambda o: o.jingpin_approval_state in ("to_approve", "to_approve_gm", "rejected")
                                   and o.jingpin_approval_level == "gm"):
            if order.sudo().jingpin_charge_ids.filtered(lambda c: c.state == "open"):
                continue
            approval = order.jingpin_approval_ids.filtered(
                lambda a: a.level == "manager" and a.decision == "approved").sorted("id")[-1:]
            charges.append({
                "order_id": order.id,
                "manager_id": (approval.user_id or order.company_id.jingpin_manager_id).id,
                "amount": order.jingpin_excess_amount,
            })
        if charges:
            self.env["jingpin.manager.charge"].sudo().create(charges)

    def _jingpin_waive_charges(self):
        open_charges = self.sudo().jingpin_charge_ids.filtered(lambda c: c.state == "open")
        open_charges.write({"state": "waived", "waived_by_id": self.env.uid, "waived_on": fields.Datetime.now()})
