from odoo import SUPERUSER_ID, fields, models
from odoo.exceptions import AccessError

from ..models.jingpin_daily_report import GROUP_VIEWER, MANAGER_GROUP, REPORT_KINDS


class JingpinReportPeriodWizard(models.TransientModel):
    """Open the operations report of a dealership for any day, week or month (R34–R36): the
    report is built with the figures of that period, or the one already there is opened; nothing
    is sent (the hourly job sends a report when its time comes)."""

    _name = "jingpin.report.period.wizard"
    _description = "Open an Operations Report"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, domain=lambda self: self._company_domain()
    )
    kind = fields.Selection(REPORT_KINDS, required=True, default="monthly")
    date = fields.Date(
        string="Day in the Period",
        required=True,
        default=fields.Date.context_today,
        help="Any day of the day, week (Sunday to Saturday) or month to report on.",
    )

    def _company_domain(self):
        return [("id", "in", self.env.companies.ids)]

    def action_open(self):
        self.ensure_one()
        user = self.env.user
        if not self.env.su and not (user.has_group(MANAGER_GROUP) or user.has_group(GROUP_VIEWER)):
            raise AccessError(
                self.env._("Only the accessories manager and the dealer group open reports for a period.")
            )
        if self.company_id not in user.company_ids and not self.env.su:
            raise AccessError(self.env._("You can only open the reports of your own dealerships."))
        # Built by the server on the department's behalf (nobody has the right to create a report,
        # and the group's viewer posts nothing, not even a report's creation message); the company
        # was checked above and the figures are the server's.
        Report = self.env["jingpin.daily.report"].with_user(SUPERUSER_ID)
        report = Report._build(self.company_id, self.date, self.kind).with_env(self.env)
        return {
            "type": "ir.actions.act_window",
            "res_model": report._name,
            "res_id": report.id,
            "view_mode": "form",
            "target": "current",
        }
