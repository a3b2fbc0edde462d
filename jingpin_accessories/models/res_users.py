from odoo import api, fields, models, tools
from odoo.exceptions import AccessError


class ResUsers(models.Model):
    _inherit = "res.users"

    jingpin_daily_capacity = fields.Integer(
        string="Daily Workshop Capacity (min)",
        default=480,
        help="Minutes of standard labour a technician can install in a working day.",
    )

    # For the appraisal (考核, R2): what the staff member's training history adds up to.
    jingpin_training_count = fields.Integer(
        string="Trainings Attended",
        compute="_compute_jingpin_training",
        groups="jingpin_accessories.group_jingpin_manager,jingpin_accessories.group_jingpin_group_viewer",
    )
    jingpin_training_score = fields.Float(
        string="Average Training Score",
        compute="_compute_jingpin_training",
        groups="jingpin_accessories.group_jingpin_manager,jingpin_accessories.group_jingpin_group_viewer",
    )

    _jingpin_daily_capacity_not_negative = models.Constraint(
        "CHECK(jingpin_daily_capacity >= 0)",
        "A technician's daily capacity cannot be negative.",
    )

    def _compute_jingpin_training(self):
        """Held trainings the user was present at, in the dealerships the reader may see."""
        stats = {
            user: (count, score)
            for user, count, score in self.env["jingpin.training.attendance"]._read_group(
                [("user_id", "in", self.ids), ("state", "=", "held"), ("present", "=", True)],
                ["user_id"],
                ["__count", "score:avg"],
            )
        }
        for user in self:
            user.jingpin_training_count, user.jingpin_training_score = stats.get(user, (0, 0.0))

    @tools.ormcache("self.id")
    def _is_jingpin_technician_only(self):
        """A technician who does not also sell: he may not see prices or costs.

        Asked on every read of a money field (see models/base.py): cached like the user's groups.
        """
        self.ensure_one()
        return self._has_group("jingpin_accessories.group_jingpin_technician") and not self._has_group(
            "sales_team.group_sale_salesman"
        )

    @tools.ormcache("self.id")
    def _is_jingpin_viewer_only(self):
        """The dealer group's viewer, who reads every dealership given to him and changes nothing,
        without a role in the department that would let him act."""
        self.ensure_one()
        return self._has_group("jingpin_accessories.group_jingpin_group_viewer") and not self._has_group(
            "jingpin_accessories.group_jingpin_technician"
        )

    def _jingpin_check_not_viewer(self):
        """Refuse, when this user is the dealer group's viewer, a change to the department's documents
        (a write, a message, a file, an activity): even the server's own routes running as superuser
        on his behalf."""
        if self._is_jingpin_viewer_only():
            raise AccessError(
                self.env._(
                    "The dealer group's viewer reads the department's documents: he posts, attaches "
                    "and changes nothing on them.",
                )
            )

    @api.model
    def _get_activity_groups(self):
        """The activities on work orders open the work orders' own views from the systray, not the
        project's task views: when every task the user has an activity on is a work order."""
        groups = super()._get_activity_groups()
        for group in groups:
            if group["model"] != "project.task":
                continue
            activities = self.env["mail.activity"].search(
                [("user_id", "=", self.env.uid), ("res_model", "=", "project.task")]
            )
            tasks = self.env["project.task"].sudo().browse(activities.mapped("res_id")).exists()
            if tasks and all(tasks.mapped("is_work_order")):
                group["jingpin_views"] = [
                    [self.env.ref(f"jingpin_accessories.project_task_view_{view}_work_order").id, view]
                    for view in ("kanban", "list", "form")
                ]
        return groups

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users.filtered(lambda user: not user.action_id and not user.share)._jingpin_set_home_action()
        return users

    def _jingpin_set_home_action(self):
        """New staff of the accessories department land on their home: a technician who only
        installs on his own work orders, the other roles on the dashboard."""
        queue = self.env.ref("jingpin_accessories.project_task_action_my_work_orders", raise_if_not_found=False)
        dashboard = self.env.ref("jingpin_accessories.jingpin_dashboard_action", raise_if_not_found=False)
        for user in self:
            if user._is_jingpin_technician_only():
                user.action_id = queue.id
            elif user._has_group("jingpin_accessories.group_jingpin_technician") or user._has_group(
                "jingpin_accessories.group_jingpin_group_viewer"
            ):
                user.action_id = dashboard.id
