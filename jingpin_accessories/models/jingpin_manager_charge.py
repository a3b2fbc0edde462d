from odoo import fields, models


class JingpinManagerCharge(models.Model):
    """Value given beyond the manager's authority without the general manager's approval (R11).

    Recorded when the goods of such an order leave the stock; waived if the general manager
    approves the order afterwards. Only the order's server code writes them (``jingpin.guard``).
    """

    _name = "jingpin.manager.charge"
    _inherit = ["jingpin.guard"]
    _description = "Concession Charged to the Manager"
    _order = "id desc"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order",
        string="Order",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        readonly=True,
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="order_id.currency_id", store=True)
    manager_id = fields.Many2one(
        "res.users",
        string="Charged To",
        index=True,
        readonly=True,
        help="The manager who let the value go out beyond his authority.",
    )
    amount = fields.Monetary(required=True, readonly=True, help="The concessions beyond the manager's authority.")
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    state = fields.Selection(
        [("open", "Charged"), ("waived", "Waived")],
        default="open",
        required=True,
        readonly=True,
    )
    waived_by_id = fields.Many2one("res.users", string="Waived By", readonly=True)
    waived_on = fields.Datetime(readonly=True)
