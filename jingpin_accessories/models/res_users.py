from odoo import fields, models, tools


class ResUsers(models.Model):
    _inherit = "res.users"

    jingpin_daily_capacity = fields.Integer(
        string="Daily Workshop Capacity (min)", default=480,
        help="Minutes of standard labour a technician can install in a working day.",
    )

    _jingpin_daily_capacity_not_negative = models.Constraint(
        "CHECK(jingpin_daily_capacity >= 0)", "A technician's daily capacity cannot be negative.",
    )

    @tools.ormcache("self.id")
    def _is_jingpin_technician_only(self):
        """A technician who does not also sell: he may not see prices or costs.

        Asked on every read of a money field (see models/base.py): cached like the user's groups.
        """
        self.ensure_one()
        return self._has_group("jingpin_accessories.group_jingpin_technician") and not self._has_group(
            "sales_team.group_sale_salesman"
        )
