from odoo import api, fields, models

from .jingpin_robot_message import ROBOT_CONFIG_GROUPS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    jingpin_enabled = fields.Boolean(related="company_id.jingpin_enabled", readonly=False)
    jingpin_manager_limit_amount = fields.Monetary(
        related="company_id.jingpin_manager_limit_amount",
        readonly=False,
    )
    jingpin_manager_limit_percent = fields.Float(related="company_id.jingpin_manager_limit_percent", readonly=False)
    jingpin_manager_id = fields.Many2one(related="company_id.jingpin_manager_id", readonly=False)
    jingpin_gm_id = fields.Many2one(related="company_id.jingpin_gm_id", readonly=False)
    jingpin_followup_days = fields.Integer(related="company_id.jingpin_followup_days", readonly=False)
    jingpin_followup_retries = fields.Integer(related="company_id.jingpin_followup_retries", readonly=False)
    jingpin_followup_retry_days = fields.Integer(related="company_id.jingpin_followup_retry_days", readonly=False)
    jingpin_complaint_days = fields.Integer(related="company_id.jingpin_complaint_days", readonly=False)
    jingpin_customer_sms_code = fields.Boolean(related="company_id.jingpin_customer_sms_code", readonly=False)
    jingpin_daily_report_partner_ids = fields.Many2many(
        related="company_id.jingpin_daily_report_partner_ids",
        readonly=False,
    )
    jingpin_stocktake_days = fields.Integer(related="company_id.jingpin_stocktake_days", readonly=False)
    jingpin_group_supplier_id = fields.Many2one(related="company_id.jingpin_group_supplier_id", readonly=False)
    jingpin_robot_kind = fields.Selection(related="company_id.jingpin_robot_kind", readonly=False)
    jingpin_robot_webhook = fields.Char(
        related="company_id.jingpin_robot_webhook", readonly=False, groups=ROBOT_CONFIG_GROUPS
    )
    jingpin_robot_secret = fields.Char(
        related="company_id.jingpin_robot_secret", readonly=False, groups=ROBOT_CONFIG_GROUPS
    )
    jingpin_approvers_required = fields.Boolean(
        string="Approvers Required",
        compute="_compute_jingpin_approvers_required",
    )

    @api.depends("company_id")
    def _compute_jingpin_approvers_required(self):
        """A dealership that sells accessories must say who approves their concessions: orders
        waiting for an approval cannot be confirmed without."""
        for settings in self:
            settings.jingpin_approvers_required = bool(
                self.env["product.template"].search_count(
                    [
                        ("is_accessory", "=", True),
                        ("company_id", "in", [settings.company_id.id, False]),
                    ],
                    limit=1,
                )
            )

    def action_jingpin_robot_test(self):
        """Send one message to the dealership's robot now (the settings are saved first) and say how it went."""
        self.ensure_one()
        self.execute()
        failure = self.env["jingpin.robot.message"]._send_test(self.company_id)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "danger" if failure else "success",
                "sticky": bool(failure),
                "message": failure or self.env._("The test message was posted to the group."),
            },
        }

    def action_jingpin_robot_messages(self):
        return self.env["ir.actions.act_window"]._for_xml_id("jingpin_accessories.jingpin_robot_message_action")
