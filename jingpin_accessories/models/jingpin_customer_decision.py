from odoo import api, fields, models
from odoo.exceptions import UserError

DECISIONS = [("accepted", "Accepted"), ("declined", "Declined")]


class JingpinCustomerDecision(models.Model):
    """The customer's own answer to one item offered to him (B17): proof that nothing was forced
    (搭售). Recorded by the server from the customer's page, at the server's time, never changed."""

    _name = "jingpin.customer.decision"
    _inherit = ["jingpin.guard"]
    _description = "Customer Decision on an Offered Accessory"
    _order = "decided_on desc, id desc"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order", string="Order", required=True, readonly=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer", store=True)
    consultant_id = fields.Many2one("res.users", string="Salesperson", readonly=True, index=True)
    link_id = fields.Many2one("jingpin.customer.link", string="Link", readonly=True, ondelete="set null")
    line_id = fields.Many2one("sale.order.line", string="Order Line", readonly=True, ondelete="set null")
    product_id = fields.Many2one("product.product", string="Accessory", required=True, readonly=True, index=True)
    product_uom_qty = fields.Float(string="Quantity", readonly=True, digits="Product Unit")
    price_total = fields.Monetary(string="Offered Amount", readonly=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    decision = fields.Selection(DECISIONS, required=True, readonly=True, index=True)
    decided_on = fields.Datetime(required=True, readonly=True, help="The server's time of the decision.")
    ip_address = fields.Char(string="IP Address", readonly=True)
    decision_count = fields.Integer(string="Decisions", readonly=True, default=1, aggregator="sum")

    _one_per_link_and_line = models.UniqueIndex(
        "(link_id, line_id) WHERE line_id IS NOT NULL",
        "The customer already answered for this item.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._jingpin_is_server():
            raise UserError(self.env._("Only the customer decides, on his own page."))
        now = fields.Datetime.now()
        for vals in vals_list:
            vals["decided_on"] = now
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(self.env._("A customer's decision cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A customer's decision cannot be deleted: it is the proof of what he chose."))
