from odoo import api, fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "jingpin.price.guard"]

    vehicle_id = fields.Many2one(
        "jingpin.vehicle", string="Vehicle", index="btree_not_null", check_company=True, tracking=True,
        domain="[('partner_id', 'in', [False, partner_id])]",
        help="The customer's car the accessories are for.",
    )
    vehicle_model_id = fields.Many2one(related="vehicle_id.model_id", string="Vehicle Model")
    work_order_ids = fields.One2many("project.task", "accessory_order_id", string="Work Orders")
    work_order_count = fields.Integer(compute="_compute_work_order_count")

    @api.depends("work_order_ids")
    def _compute_work_order_count(self):
        counts = dict(self.env["project.task"]._read_group(
            [("accessory_order_id", "in", self.ids)], ["accessory_order_id"], ["__count"],
        ))
        for order in self:
            order.work_order_count = counts.get(order, 0)

    def _action_confirm(self):
        result = super()._action_confirm()
        self._create_work_orders()
        return result

    def _create_work_orders(self):
        """Dispatch one work order per confirmed order holding accessories to install."""
        vals_list = []
        Task = self.env["project.task"]
        for order in self.filtered(lambda o: not o.work_order_ids):
            lines = order.order_line.filtered(
                lambda line: line.product_id.needs_install and line.product_id.type != "combo"
                and not line.display_type
            )
            if lines:
                vals_list.append(Task._prepare_work_order_values(order, lines))
        # Work orders live in the installation project: created on the department's behalf.
        return Task.sudo().with_context(mail_create_nolog=True).create(vals_list) if vals_list else Task

    def action_view_work_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("jingpin_accessories.project_task_action_work_order")
        if self.work_order_count == 1:
            action.update(res_id=self.work_order_ids.id, views=[(False, "form")])
        else:
            action["domain"] = [("accessory_order_id", "=", self.id)]
        return action
