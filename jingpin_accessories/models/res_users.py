from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _is_jingpin_technician_only(self):
        """A technician who does not also sell: he may not see prices or costs."""
        self.ensure_one()
        return self._has_group("jingpin_accessories.group_jingpin_technician") and not self._has_group(
            "sales_team.group_sale_salesman"
        )
