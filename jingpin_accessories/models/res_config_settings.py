from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

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
