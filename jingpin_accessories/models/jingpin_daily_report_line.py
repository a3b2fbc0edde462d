from odoo import api, fields, models

ANALYSIS = ["quantity:sum", "revenue:sum", "gift_cost:sum", "margin:sum"]


class JingpinDailyReportLine(models.Model):
    """One row of the analysis of a weekly or monthly operations report (R35, R36): the sales of a
    category or of an accessory in the period, or a person's month against his target. Written by
    the server with its report, never by a client (``jingpin.guard``)."""

    _name = "jingpin.daily.report.line"
    _description = "Operations Report Analysis Line"
    _inherit = ["jingpin.guard"]
    _order = "report_id, section, revenue desc, id"

    report_id = fields.Many2one("jingpin.daily.report", required=True, readonly=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="report_id.company_id", store=True)
    currency_id = fields.Many2one(related="report_id.currency_id")
    section = fields.Selection(
        [("category", "By Category"), ("product", "Sales List"), ("person", "Personal Targets")],
        required=True,
        readonly=True,
    )
    name = fields.Char(required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Staff Member", readonly=True, help="The person of a target line.")
    quantity = fields.Float(readonly=True)
    revenue = fields.Monetary(readonly=True)
    gift_cost = fields.Monetary(readonly=True)
    margin = fields.Monetary(readonly=True)
    target = fields.Monetary(readonly=True)
    achievement_rate = fields.Float(string="Achievement (%)", readonly=True)

    @api.model
    def _xlsx_columns(self):
        """The spreadsheet's columns and their format (as in ``_summary_sections``)."""
        return {
            "quantity": "count",
            "revenue": "money",
            "gift_cost": "money",
            "margin": "money",
            "target": "money",
            "achievement_rate": "percent",
        }

    @api.model
    def _prepare_lines(self, company, date_from, date_to, month, kind):
        """The analysis commands of a report: sales by category and by accessory between the UTC
        bounds (from the sales analysis), and, for a month, each person's target."""
        Analysis = self.env["jingpin.accessory.report"]
        domain = [("company_id", "=", company.id), ("date", ">=", date_from), ("date", "<", date_to)]
        commands = []
        for section, groupby in (("category", "categ_id"), ("product", "product_id")):
            for record, quantity, revenue, gift_cost, margin in Analysis._read_group(
                domain, [groupby], ANALYSIS, order="revenue:sum desc"
            ):
                commands.append(
                    fields.Command.create(
                        {
                            "section": section,
                            "name": record.display_name or self.env._("None"),
                            "quantity": quantity,
                            "revenue": revenue,
                            "gift_cost": gift_cost,
                            "margin": margin,
                        }
                    )
                )
        if kind == "monthly":
            targets = self.env["jingpin.personal.target"].search(
                [("company_id", "=", company.id), ("month", "=", month)]
            )
            commands += [
                fields.Command.create(
                    {
                        "section": "person",
                        "name": target.user_id.name,
                        "user_id": target.user_id.id,
                        "revenue": target.achieved_confirmed,
                        "gift_cost": target.gift_cost,
                        "target": target.amount,
                        "achievement_rate": target.achievement_rate,
                    }
                )
                for target in targets
            ]
        return commands
