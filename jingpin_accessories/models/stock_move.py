from odoo import models
from odoo.exceptions import UserError


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        deliveries = self.filtered(lambda move: move.location_dest_id.usage == "customer")
        if deliveries:
            deliveries._check_issue_against_work_order()
            deliveries._check_handover_gate()
        return super()._action_done(cancel_backorder=cancel_backorder)

    def _check_issue_against_work_order(self):
        """R15: accessories to install leave the stock only against a work order (见单施工)."""
        to_install = self.filtered(lambda move: move.product_id.needs_install)
        if not to_install:
            return
        items = self.env["jingpin.work.item"].sudo().search([("sale_line_id", "in", to_install.sale_line_id.ids)])
        covered_lines = items.sale_line_id
        missing = to_install.filtered(
            lambda move: move.sale_line_id not in covered_lines and not move.picking_id.work_order_id
        )
        if missing:
            raise UserError(self.env._(
                "These accessories need installation and leave the stock only against a work order: "
                "%s. Confirm their order so that its work order is dispatched, or set the work order "
                "on the transfer.", ", ".join(missing.product_id.mapped("display_name")),
            ))

    def _check_handover_gate(self):
        """B11: a car is not handed over while accessory work on it is open, unless the
        customer signed a due bill for that work."""
        cars = self.filtered(
            lambda move: not move.product_id.is_accessory and move.sale_line_id.order_id.vehicle_id
        )
        vehicles = cars.sale_line_id.order_id.vehicle_id
        if not vehicles:
            return
        open_work = self.env["project.task"].sudo().search([
            ("is_work_order", "=", True),
            ("vehicle_id", "in", vehicles.ids),
            ("work_state", "!=", "handed_over"),
        ])
        owed = self.env["jingpin.due.bill"].sudo().search([
            ("state", "=", "signed"), ("work_order_ids", "in", open_work.ids),
        ]).work_order_ids
        blocking = open_work - owed
        if blocking:
            raise UserError(self.env._(
                "The car cannot be handed over: accessory work on it is still open (%s). Finish and "
                "hand over that work first, or have the customer sign a due bill for it.",
                ", ".join(blocking.mapped("name")),
            ))
