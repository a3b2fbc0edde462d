from odoo import models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .jingpin_figure_stale import MOVE_FIGURE_FIELDS
from .project_task_type import OPEN_WORK_STATES

# Marks the moves of a count the accessories manager applied (``stock.quant._apply_inventory``): an
# object compared by identity, which no client context can carry.
COUNT_APPLIED = object()
# A gift leaves the stock once the manager let its order's concessions go (beyond his authority,
# he is charged with the excess until the general manager approves it).
GIFT_RELEASED_STATES = ("not_needed", "approved", "to_approve_gm")


def _stock_change(source, destination, loan_locations):
    """What moving from ``source`` to ``destination`` does to the dealership's stock: "found"
    (in from inventory loss), "customer", "loss" (scrap or inventory loss), "away" (transit or
    another company), "loan" (into the loan location), or None (nothing the invariant covers)."""
    if source.usage == "inventory" and destination.usage == "internal":
        return "found"
    if source.usage != "internal":
        return None
    if destination.usage in ("customer", "inventory"):
        return "loss" if destination.usage == "inventory" else "customer"
    if destination.usage == "transit" or (
        destination.usage == "internal" and destination.company_id != source.company_id
    ):
        return "away"
    if destination in loan_locations and source not in loan_locations:
        return "loan"
    return None


class StockMove(models.Model):
    _inherit = "stock.move"

    def _write_multi(self, vals_list):
        # a car delivered (or returned): the daily figures of its car sale's day (issue 23)
        if {name for vals in vals_list for name in vals} & MOVE_FIGURE_FIELDS:
            orders = self.filtered("sale_line_id").sale_line_id.order_id
            self.env["jingpin.figure.stale"]._mark_orders_at_commit(orders.ids)
        return super()._write_multi(vals_list)

    def _action_done(self, cancel_backorder=False):
        deliveries = self.filtered(lambda move: move.location_dest_id.usage == "customer")
        if deliveries:
            deliveries._check_issue_against_work_order()
            deliveries._check_issue_matches_work_order()
            deliveries._check_handover_gate()
        self.filtered("scrap_id")._check_accessory_scrap()
        self._check_accessory_documents()
        return super()._action_done(cancel_backorder=cancel_backorder)

    # === THE INVARIANT: an accessory leaves the stock only against its document === #
    def _check_accessory_documents(self):
        """Every move of a stored accessory out of the dealership's stock (to a customer, scrap,
        inventory loss, another company) or into its loan location is covered, in quantity, by the
        document that authorizes it: the order line sold or the approved gift, the complaint about
        the item fitted, the loan, the scrap or the count the accessories manager applied. Stock
        comes in from inventory loss only by that count. Whoever validates, through whichever door."""
        moves = self.filtered(
            lambda move: move.product_id.is_accessory
            and move.product_id.is_storable
            and move.state not in ("done", "cancel")
            and (move.is_inventory or (move.picked and move.product_uom.compare(move.quantity, 0) > 0))
        )
        if not moves:
            return
        counted = self.env.context.get("jingpin_count") is COUNT_APPLIED
        loan_locations = moves.company_id.sudo().jingpin_loan_location_id
        uncovered = self.browse()
        to_customer = self.browse()
        to_loan = self.browse()
        for move in moves:
            kind = _stock_change(move.location_id, move.location_dest_id, loan_locations)
            lines = move.move_line_ids.filtered("picked") or move.move_line_ids
            if {_stock_change(ml.location_id, ml.location_dest_id, loan_locations) for ml in lines} - {kind}:
                # its lines go elsewhere than the move says: judged as the move, it would escape
                uncovered |= move
            elif kind in ("found", "loss"):
                if not (counted and move.is_inventory or kind == "loss" and move._jingpin_is_its_scraps_move()):
                    uncovered |= move
            elif kind == "away":
                uncovered |= move
            elif kind == "customer":
                to_customer |= move
            elif kind == "loan":
                to_loan |= move
        uncovered |= to_customer._jingpin_uncovered_deliveries() | to_loan._jingpin_uncovered_loans()
        if uncovered:
            raise UserError(
                self.env._(
                    "No document covers these accessories leaving the stock: %s. Accessories leave only "
                    "against the order line that sold them (or an approved gift), a complaint's "
                    "replacement, a loan or a scrap by the accessories manager; stock is corrected only "
                    "by a stocktake the accessories manager applies.",
                    ", ".join(f"{move.product_id.display_name} × {move.quantity:g}" for move in uncovered),
                )
            )

    def _jingpin_is_its_scraps_move(self):
        """The move of a scrap being done (its quantity is the scrap's): a scrap scraps once."""
        scrap = self.scrap_id
        return bool(scrap) and scrap.state == "draft" and scrap.product_id == self.product_id and scrap.move_ids == self

    def _jingpin_uncovered_deliveries(self):
        """Deliveries to customers that no document covers in quantity."""
        if not self:
            return self
        complaints = (
            self.env["jingpin.complaint"].sudo().search([("replacement_picking_id", "in", self.picking_id.ids)])
        )
        replacements = {complaint.replacement_picking_id: complaint for complaint in complaints}
        uncovered = self.browse()
        by_line = {}
        by_complaint = {}
        for move in self:
            line = move.sale_line_id.sudo()
            complaint = replacements.get(move.picking_id)
            if line:
                order = line.order_id
                if (
                    order.state != "sale"
                    or line.product_id != move.product_id
                    or (line.is_gift and order.jingpin_approval_state not in GIFT_RELEASED_STATES)
                ):
                    uncovered |= move
                else:
                    by_line.setdefault(line, self.browse())
                    by_line[line] |= move
            elif complaint:
                if complaint.product_id != move.product_id:
                    uncovered |= move
                else:
                    by_complaint.setdefault(complaint, self.browse())
                    by_complaint[complaint] |= move
            elif not move.picking_id.work_order_id or move.picking_id.work_order_id.sudo().rework_of_id:
                # a work order's own transfer is checked against its items (_check_issue_matches_work_order),
                # which are what was sold; a rework issues only its complaint's replacement
                uncovered |= move
        issued = self._jingpin_issued_per_line(list(by_line))
        for line, line_moves in by_line.items():
            quantity = issued.get(line.id, 0.0) + sum(
                move.product_uom._compute_quantity(move.quantity, line.product_uom_id) for move in line_moves
            )
            if line.product_uom_id.compare(quantity, line.product_uom_qty) > 0:
                uncovered |= line_moves
        for complaint, complaint_moves in by_complaint.items():
            quantity = sum(
                move.product_uom._compute_quantity(move.quantity, move.product_id.uom_id) for move in complaint_moves
            )
            if complaint.product_id.uom_id.compare(quantity, complaint.quantity) > 0:
                uncovered |= complaint_moves
        return uncovered

    def _jingpin_issued_per_line(self, lines):
        """What already left the stock for each of these order lines, in the line's unit, returns
        deducted: its own deliveries, and what its work order's transfers issued without naming it.
        One query for the batch."""
        if not lines:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT issued.line_id, issued.uom_id, SUM(issued.quantity)
                  FROM (
                    SELECT m.sale_line_id AS line_id, m.product_uom AS uom_id,
                           CASE WHEN dest.usage = 'customer' THEN m.quantity ELSE -m.quantity END AS quantity
                      FROM stock_move m
                      JOIN stock_location src ON src.id = m.location_id
                      JOIN stock_location dest ON dest.id = m.location_dest_id
                     WHERE m.sale_line_id IN %(lines)s AND m.state = 'done'
                       AND (dest.usage = 'customer') <> (src.usage = 'customer')
                     UNION ALL
                    SELECT item.sale_line_id, m.product_uom, m.quantity
                      FROM jingpin_work_item item
                      JOIN stock_picking p ON p.work_order_id = item.task_id
                      JOIN stock_move m ON m.picking_id = p.id AND m.product_id = item.product_id
                                       AND m.sale_line_id IS NULL AND m.state = 'done'
                      JOIN stock_location dest ON dest.id = m.location_dest_id AND dest.usage = 'customer'
                     WHERE item.sale_line_id IN %(lines)s
                  ) issued
                 GROUP BY issued.line_id, issued.uom_id
                """,
                lines=tuple(line.id for line in lines),
            )
        )
        lines_by_id = {line.id: line for line in lines}
        issued = {}
        for line_id, uom_id, quantity in self.env.cr.fetchall():
            line = lines_by_id[line_id]
            uom = self.env["uom.uom"].browse(uom_id)
            issued[line_id] = issued.get(line_id, 0.0) + uom._compute_quantity(quantity, line.product_uom_id)
        return issued

    def _jingpin_uncovered_loans(self):
        """Moves into the loan location that no loan being lent covers in quantity: a loan lends
        once, what its lines say."""
        if not self:
            return self
        loans = self.env["jingpin.loan"].sudo().search([("picking_ids", "in", self.picking_id.ids)])
        uncovered = self.browse()
        for picking, picking_moves in self.grouped("picking_id").items():
            loan = loans.filtered(lambda loan, picking=picking: picking in loan.picking_ids)
            if len(loan) != 1 or loan.state != "draft":
                uncovered |= picking_moves
                continue
            for product, product_moves in picking_moves.grouped("product_id").items():
                lent = sum(
                    loan.line_ids.filtered(lambda line, product=product: line.product_id == product).mapped("quantity")
                )
                moved = sum(move.product_uom._compute_quantity(move.quantity, product.uom_id) for move in product_moves)
                if product.uom_id.compare(moved, lent) > 0:
                    uncovered |= product_moves
        return uncovered

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
        its quantities, for its car. What the work orders already issued is read in one query."""
        moves = self.filtered(lambda m: m.picking_id.work_order_id and m.product_id.is_accessory)
        if not moves:
            return
        tasks = moves.picking_id.work_order_id.sudo()
        for move in moves:
            task = move.picking_id.work_order_id.sudo()
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
            if move.product_id not in task.work_item_ids.product_id:
                raise UserError(
                    self.env._(
                        "%(product)s is not an item of work order %(task)s: issue only what the work order installs.",
                        product=move.product_id.display_name,
                        task=task.name,
                    )
                )
        done = self.sudo().search_fetch(
            [
                "|",
                ("picking_id.work_order_id", "in", tasks.ids),
                ("sale_line_id", "in", tasks.work_item_ids.sale_line_id.ids),
                ("product_id", "in", moves.product_id.ids),
                ("state", "=", "done"),
                ("location_dest_id.usage", "=", "customer"),
            ],
            ["picking_id", "sale_line_id", "product_id", "quantity"],
        )
        for (task, product), issuing in moves.grouped(
            lambda move: (move.picking_id.work_order_id.sudo(), move.product_id)
        ).items():
            items = task.work_item_ids.filtered(lambda item, product=product: item.product_id == product)
            issued = sum(
                done.filtered(
                    lambda move, task=task, items=items, product=product: move.product_id == product
                    and (move.picking_id.work_order_id == task or move.sale_line_id in items.sale_line_id)
                ).mapped("quantity")
            )
            owed = sum(items.mapped("quantity"))
            quantity = sum(issuing.mapped("quantity"))
            if issuing[0].product_uom.compare(issued + quantity, owed) > 0:
                raise UserError(
                    self.env._(
                        "Work order %(task)s installs %(owed)s × %(product)s and %(issued)s were already "
                        "issued: %(quantity)s more cannot leave the stock for it.",
                        task=task.name,
                        owed=owed,
                        product=product.display_name,
                        issued=issued,
                        quantity=quantity,
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
