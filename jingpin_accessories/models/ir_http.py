from odoo import models
from odoo.http import request

from .jingpin_daily_report import GROUP_VIEWER


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        """The dealer group lands on all its dealerships: when the web client opens without a
        choice of companies yet (after logging in), every company the group viewer is given is
        active, his default one first. A choice he makes afterwards (the company switcher) stands."""
        info = super().session_info()
        user = self.env.user
        if request and not request.cookies.get("cids") and user._has_group(GROUP_VIEWER):
            companies = user.company_id | user.company_ids.sorted("id")
            if len(companies) > 1:
                request.future_response.set_cookie("cids", "-".join(str(company.id) for company in companies))
        return info
