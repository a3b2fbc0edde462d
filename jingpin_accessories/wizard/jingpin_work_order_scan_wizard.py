from odoo import fields, models


class JingpinWorkOrderScanWizard(models.TransientModel):
    """Scan the QR code of an installation sheet with the phone to open its work order."""

    _name = "jingpin.work.order.scan.wizard"
    _description = "Scan a Work Order"

    task_id = fields.Many2one("project.task", string="Work Order", domain=[("is_work_order", "=", True)])

    def action_open(self):
        self.ensure_one()
        # the scanned work order, read with the user's own rights: only one he may read opens
        task = self.task_id
        task._check_is_work_order()
        task.check_access("read")
        # the work order opens in its own form, without this dialog's context
        return dict(task.get_formview_action(), context={})
