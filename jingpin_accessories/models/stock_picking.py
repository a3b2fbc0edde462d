from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    work_order_id = fields.Many2one(
        "project.task",
        string="Work Order",
        index="btree_not_null",
        check_company=True,
        domain=[("is_work_order", "=", True)],
        help="The work order these accessories are issued for (出库 against a work order).",
    )

    def _action_done(self):
        result = super()._action_done()
        self.filtered(lambda p: p.picking_type_code == "outgoing").sale_id._jingpin_charge_unapproved_excess()
        return result
