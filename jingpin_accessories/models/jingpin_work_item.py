from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .stock_move import GIFT_RELEASED_STATES


class JingpinWorkItem(models.Model):
    _name = "jingpin.work.item"
    _inherit = ["jingpin.guard"]
    _description = "Work Order Item"
    _order = "task_id, sequence, id"
    _check_company_auto = True

    task_id = fields.Many2one("project.task", string="Work Order", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="task_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    sale_line_id = fields.Many2one("sale.order.line", string="Order Line", index="btree_not_null", check_company=True)
    product_id = fields.Many2one(
        "product.product",
        string="Accessory",
        required=True,
        check_company=True,
        domain=[("is_accessory", "=", True), ("type", "!=", "combo")],
    )
    quantity = fields.Float(default=1.0, digits="Product Unit", required=True)
    labour_minutes = fields.Integer(
        string="Standard Labour (min)",
        compute="_compute_labour_minutes",
        store=True,
        readonly=False,
        precompute=True,
        help="Standard labour for the whole quantity.",
    )

    _quantity_positive = models.Constraint("CHECK(quantity > 0)", "An item's quantity must be positive.")
    _labour_not_negative = models.Constraint("CHECK(labour_minutes >= 0)", "Labour cannot be negative.")

    @api.depends("product_id", "quantity")
    def _compute_labour_minutes(self):
        for item in self:
            item.labour_minutes = round(item.product_id.labour_minutes * item.quantity)

    def _check_unlocked(self):
        locked = self.task_id.filtered("is_locked")
        if locked:
            raise UserError(
                self.env._(
                    "The items of work order %s are signed and locked. To install something else, "
                    "dispatch a new work order.",
                    ", ".join(locked.mapped("name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        items = super().create(vals_list)
        items._check_unlocked()
        items.task_id.filtered("is_work_order")._check_lateness()
        return items

    @api.constrains("task_id", "sale_line_id", "product_id")
    def _check_sold_on_the_work_orders_order(self):
        for item in self.filtered("sale_line_id"):
            line = item.sale_line_id
            if line.order_id != item.task_id.accessory_order_id or line.product_id != item.product_id:
                raise ValidationError(
                    self.env._(
                        "%(product)s on work order %(task)s must be the accessory sold on its own order %(order)s.",
                        product=item.product_id.display_name,
                        task=item.task_id.name,
                        order=item.task_id.accessory_order_id.name or "-",
                    )
                )

    @api.constrains("task_id", "sale_line_id", "product_id", "quantity")
    def _check_within_what_was_sold(self):
        """A work order installs what was sold: an item never exceeds its order line, and one that
        names no line is covered by what the order sold, or gave as an approved gift, beyond the
        other items. A rework installs again at most what the original work order fitted."""
        for task in self.task_id.sudo():
            for product, planned, covered in task.work_item_ids._coverage(task):
                if product.uom_id.compare(planned, covered) > 0:
                    raise ValidationError(
                        self.env._(
                            "Work order %(task)s would install %(quantity)s × %(product)s, but %(covered)s "
                            "were sold (or given as an approved gift) for it: install only what the order "
                            "sold; sell or give the rest on the order first.",
                            task=task.name,
                            quantity=planned,
                            product=product.display_name,
                            covered=max(covered, 0.0),
                        )
                    )

    def _coverage(self, task):
        """``(product, planned, covered)`` for these items of ``task``: a line covers the items
        naming it up to its quantity (less its items on the order's other valid work orders); the
        items naming no line are covered by what is left of the sold lines and approved gifts of
        their accessory; a rework's by what the original work order fitted."""

        def total(items):
            return sum(items.mapped("quantity"))

        if task.rework_of_id:
            original = task.rework_of_id.work_item_ids
            return [
                (product, total(items), total(original.filtered(lambda item, p=product: item.product_id == p)))
                for product, items in self.grouped("product_id").items()
            ]
        lines = task.accessory_order_id.order_line.filtered("product_id")
        elsewhere = self.sudo().search(
            [("sale_line_id", "in", lines.ids), ("task_id", "!=", task.id), ("task_id.work_state", "!=", "cancelled")]
        )
        result = []
        free = {}
        for line in lines:
            product = line.product_id
            left = line.product_uom_id._compute_quantity(line.product_uom_qty, product.uom_id) - total(
                elsewhere.filtered(lambda item, line=line: item.sale_line_id == line)
            )
            own = total(self.filtered(lambda item, line=line: item.sale_line_id == line))
            if own:
                result.append((product, own, left))
            if not line.is_gift or line.order_id.jingpin_approval_state in GIFT_RELEASED_STATES:
                free[product] = free.get(product, 0.0) + max(left - own, 0.0)
        result += [
            (product, total(items), free.get(product, 0.0))
            for product, items in self.filtered(lambda item: not item.sale_line_id).grouped("product_id").items()
        ]
        return result

    def _jingpin_refused_fields(self, vals):
        refused = super()._jingpin_refused_fields(vals)
        if self:
            # an item stays on its work order and with the order line it was sold on
            refused |= vals.keys() & {"task_id", "sale_line_id"}
        return refused

    def write(self, vals):
        self._check_unlocked()
        result = super().write(vals)
        if vals.keys() & {"product_id", "quantity", "labour_minutes"}:
            self.task_id.filtered("is_work_order")._check_lateness()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked(self):
        self._check_unlocked()
