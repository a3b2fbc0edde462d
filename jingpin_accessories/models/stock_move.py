from odoo import models
from odoo.exceptions import AccessError, UserError

from .project_task_type import OPEN_WORK_STATES


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        deliveries = self.filtered(lambda move: move.location_dest_id.usage == "customer")
        if deliveries:
            deliveries._check_issue_against_work_order()
            deliveries._check_issue_matches_work_order()
            deliveries._check_handover_gate()
        self.filtered("scrap_id")._check_accessory_scrap()
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
            raise UserError(
                self.env._(
                    "These accessories need installation and leave the stock only against a work order: "
                    "%s. Confirm their order so that its work order is dispatched, or set the work order "
                    "on the transfer.",
                    ", ".join(missing.product_id.mapped("display_name")),
                )
            )

    def _check_issue_matches_work_order(self):
        """What is issued against a work order is what it installs: its accessories, no more than
        its quantities, for its car."""
        for move in self.filtered(lambda m: m.picking_id.work_order_id and m.product_id.is_accessory):
            task = move.picking_id.work_order_id.sudo()
            items = task.work_item_ids.filtered(lambda item, move=move: item.product_id == move.product_id)
            order = move.picking_id.sale_id
            if order and task.accessory_order_id and order != task.accessory_order_id:
                raise UserError(
                    self.env._(
                        "Transfer %(picking)s delivers order %(order)s but names work order %(task)s of "
                        "another order: choose the work order of this car.",
                        picking=move.picking_id.name,
                        order=order.name,
                        task=task.name,
                    )
                )
            if not items:
                raise UserError(
                    self.env._(
                        "%(product)s is not an item of work order %(task)s: issue only what the work order installs.",
                        product=move.product_id.display_name,
                        task=task.name,
                    )
                )
            issued = sum(
                self.sudo()
                .search(
                    [
                        "|",
                        ("picking_id.work_order_id", "=", task.id),
                        ("sale_line_id", "in", items.sale_line_id.ids),
                        ("product_id", "=", move.product_id.id),
                        ("state", "=", "done"),
                        ("location_dest_id.usage", "=", "customer"),
                    ]
                )
                .mapped("quantity")
            )
            owed = sum(items.mapped("quantity"))
            if move.product_uom.compare(issued + move.quantity, owed) > 0:
                raise UserError(
                    self.env._(
                        "Work order %(task)s installs %(owed)s × %(product)s and %(issued)s were already "
                        "issued: %(quantity)s more cannot leave the stock for it.",
                        task=task.name,
                        owed=owed,
                        product=move.product_id.display_name,
                        issued=issued,
                        quantity=move.quantity,
                    )
                )

    def _check_accessory_scrap(self):
        """Scrapping an accessory takes the accessories manager, with a reason."""
        accessories = self.filtered(lambda move: move.product_id.is_accessory)
        if not accessories:
            return
        if not self.env.user.has_group("jingpin_accessories.group_jingpin_manager"):
            raise AccessError(
                self.env._(
                    "Only the accessories manager scraps accessories (%s): ask him to do it.",
                    ", ".join(accessories.product_id.mapped("display_name")),
                )
            )
        if accessories.scrap_id.filtered(lambda scrap: not scrap.scrap_reason_tag_ids):
            raise UserError(self.env._("Give the reason for scrapping the accessories (damaged, expired, …)."))

    def _check_handover_gate(self):
        """B11: a car is not handed over while accessory work on it is open, unless the
        customer signed a due bill for that work."""
        cars = self.filtered(lambda move: not move.product_id.is_accessory and move.sale_line_id.order_id.vehicle_id)
        vehicles = cars.sale_line_id.order_id.vehicle_id
        if not vehicles:
            return
        open_work = (
            self.env["project.task"]
            .sudo()
            .search(
                [
                    ("is_work_order", "=", True),
                    ("vehicle_id", "in", vehicles.ids),
                    ("work_state", "in", OPEN_WORK_STATES),
                ]
            )
        )
        owed = (
            self.env["jingpin.due.bill"]
            .sudo()
            .search(
                [
                    ("state", "=", "signed"),
                    ("work_order_ids", "in", open_work.ids),
                ]
            )
            .work_order_ids
        )
        blocking = open_work - owed
        if blocking:
            raise UserError(
                self.env._(
                    "The car cannot be handed over: accessory work on it is still open (%s). Finish and "
                    "hand over that work first, or have the customer sign a due bill for it.",
                    ", ".join(blocking.mapped("name")),
                )
            )
