from odoo import api, fields, models


class ProjectTask(models.Model):
    """Parts issue (出库), exceptions and due bills of a work order."""

    _inherit = "project.task"

    picking_ids = fields.Many2many("stock.picking", string="Parts Issue", compute="_compute_picking_ids")
    picking_count = fields.Integer(compute="_compute_picking_ids")
    exception_ids = fields.One2many("jingpin.work.exception", "task_id", string="Exceptions")
    due_bill_ids = fields.Many2many("jingpin.due.bill", string="Due Bills", compute="_compute_due_bill_ids")

    @api.depends("work_item_ids.sale_line_id.move_ids.picking_id")
    def _compute_picking_ids(self):
        linked = dict(self.env["stock.picking"]._read_group(
            [("work_order_id", "in", self.ids)], ["work_order_id"], ["id:recordset"],
        ))
        for task in self:
            pickings = task.work_item_ids.sale_line_id.move_ids.picking_id | linked.get(task, self.env["stock.picking"])
            task.picking_ids = pickings
            task.picking_count = len(pickings)

    def _compute_due_bill_ids(self):
        bills = self.env["jingpin.due.bill"].search([("work_order_ids", "in", self.ids)])
        for task in self:
            task.due_bill_ids = bills.filtered(lambda bill: task in bill.work_order_ids)

    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("id", "in", self.picking_ids.ids)]
        action["context"] = {"default_work_order_id": self.id}
        return action

    def action_flag_exception(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Flag an Exception"),
            "res_model": "jingpin.work.exception",
            "view_mode": "form",
            "target": "new",
            "context": {"default_task_id": self.id},
        }
