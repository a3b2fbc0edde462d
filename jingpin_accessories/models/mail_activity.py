from odoo import api, models
from odoo.exceptions import AccessError

from .jingpin_guard import SERVER_WRITE
from .mail_thread import department_document_ids


class MailActivity(models.Model):
    """A to-do on the department's documents (an escalation to the manager, an unhappy customer to
    call back) is its assignee's: only he marks it done, changes or removes it, or the server closes
    it when its cause is resolved (an approval given, a complaint handled). Marking done archives or
    deletes the activity, so every door (``action_feedback``, ``action_done``, the mixin's
    ``activity_feedback`` and ``activity_unlink``, one2many commands from the document) passes here.
    """

    _inherit = "mail.activity"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            model = self.env["ir.model"].sudo().browse(vals.get("res_model_id")).model or vals.get("res_model")
            if model and department_document_ids(self.env, model, [vals.get("res_id")]):
                self.env.user._jingpin_check_not_viewer()
        activities = super().create(vals_list)
        self.env["jingpin.robot.message"]._post_approvals(activities)
        return activities

    def write(self, vals):
        self._jingpin_check_assignee()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_assigned(self):
        self._jingpin_check_assignee()

    def _jingpin_check_assignee(self):
        if self.env.su or self.env.context.get("jingpin_server") is SERVER_WRITE:
            return
        others = self.sudo().filtered(lambda activity: activity.user_id and activity.user_id != self.env.user)
        for model, activities in others.filtered("res_model").grouped("res_model").items():
            document_ids = department_document_ids(self.env, model, activities.mapped("res_id"))
            for activity in activities.filtered(lambda activity, ids=document_ids: activity.res_id in ids):
                raise AccessError(
                    self.env._(
                        "The activity “%(activity)s” is assigned to %(user)s: only %(user)s marks it done, "
                        "changes or removes it, and it is closed by itself once its cause is resolved.",
                        activity=activity.summary or activity.activity_type_id.name,
                        user=activity.user_id.name,
                    )
                )
