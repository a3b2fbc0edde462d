from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

FOLLOWUP_ACTIVITY = "jingpin_accessories.mail_activity_type_followup"
# Scores that tell the manager at once.
UNHAPPY_SCORES = (1, 2)
SATISFACTION = [
    ("1", "1 - Very Dissatisfied"),
    ("2", "2 - Dissatisfied"),
    ("3", "3 - Neutral"),
    ("4", "4 - Satisfied"),
    ("5", "5 - Very Satisfied"),
]


class JingpinFollowup(models.Model):
    """The quality follow-up visit (回访) after a handover (R24).

    Scheduled by the handover itself, some days later (*Settings › Accessories*), as an activity of
    the specialist who follows the work order. Every field is the server's (``jingpin.guard``): the
    result is written only by :meth:`action_record_result`.

    =========== ============ ============================================== ===================
    From        To           Guard                                          Who
    =========== ============ ============================================== ===================
    (handover)  scheduled    the work order is handed over                  the handover
    scheduled   done         the customer was reached: satisfaction 1-5     specialist
    scheduled   scheduled    not reached, retries left: called again later  specialist
    scheduled   unreachable  not reached, no retry left                     specialist
    =========== ============ ============================================== ===================
    """

    _name = "jingpin.followup"
    _description = "Follow-up Visit"
    _inherit = ["mail.thread", "mail.activity.mixin", "jingpin.guard"]
    _order = "date_scheduled desc, id desc"
    _check_company_auto = True

    name = fields.Char(readonly=True, required=True)
    task_id = fields.Many2one("project.task", string="Work Order", readonly=True, required=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True, required=True, index=True)
    partner_id = fields.Many2one(related="task_id.partner_id", store=True, string="Customer")
    vehicle_id = fields.Many2one(related="task_id.vehicle_id", store=True)
    technician_id = fields.Many2one(related="task_id.technician_id", store=True)
    user_id = fields.Many2one("res.users", string="Specialist", readonly=True, index=True, tracking=True)
    called_by_id = fields.Many2one(
        "res.users",
        string="Called By",
        readonly=True,
        copy=False,
        help="Who recorded the last call: the follow-up is credited to him in the appraisal.",
    )
    date_scheduled = fields.Date(string="Call On", readonly=True, required=True, tracking=True)
    attempt_count = fields.Integer(string="Calls Made", readonly=True)
    state = fields.Selection(
        [("scheduled", "Scheduled"), ("done", "Done"), ("unreachable", "Unreachable")],
        default="scheduled",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    date_done = fields.Date(string="Done On", readonly=True, copy=False)
    satisfaction = fields.Selection(SATISFACTION, readonly=True, copy=False, tracking=True)
    score = fields.Integer(
        compute="_compute_score",
        store=True,
        aggregator="avg",
        help="The satisfaction as a number (1-5), for averages.",
    )
    comments = fields.Text(readonly=True, copy=False)
    problems = fields.Text(string="Problems Raised", readonly=True, copy=False)
    feedback_ids = fields.One2many("jingpin.feedback", "followup_id", string="Feedback")

    _task_uniq = models.UniqueIndex("(task_id)", "A work order is followed up once.")

    @api.depends("satisfaction")
    def _compute_score(self):
        for followup in self:
            followup.score = int(followup.satisfaction or 0)

    def copy_data(self, default=None):
        raise UserError(self.env._("A follow-up is scheduled by the handover of its work order: it is not copied."))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_followup(self):
        raise UserError(
            self.env._("A follow-up visit is a record of the customer's satisfaction: it is never deleted.")
        )

    # === ACTIONS === #
    def action_open_result(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Follow-up Result"),
            "res_model": "jingpin.followup.result.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_followup_id": self.id},
        }

    def action_record_result(self, reached, satisfaction=False, comments=False, problems=False, tag_ids=()):
        """Record one call: the customer was ``reached`` (then ``satisfaction`` "1" to "5") or not
        (then he is called again later, or the follow-up closes as unreachable). Comments and problems
        raised become feedback for the manager, tagged with ``tag_ids``."""
        self.ensure_one()
        self.check_access("write")
        if not self.env.user.has_group("jingpin_accessories.group_jingpin_specialist"):
            raise AccessError(self.env._("The accessories specialist records the follow-up visits."))
        if self.state != "scheduled":
            raise UserError(self.env._("Follow-up %s is already closed.", self.name))
        if reached and satisfaction not in dict(SATISFACTION):
            raise UserError(self.env._("Give the customer's satisfaction, from 1 to 5."))
        env = self._in_company_lang()
        today = fields.Date.context_today(self)
        attempts = self.attempt_count + 1
        if reached:
            self._jingpin_server().write(
                {
                    "called_by_id": self.env.uid,
                    "state": "done",
                    "attempt_count": attempts,
                    "date_done": today,
                    "satisfaction": satisfaction,
                    "comments": comments,
                    "problems": problems,
                }
            )
            self.sudo().activity_ids.action_feedback(env._("Customer reached"))
            self._create_feedback(comments, problems, tag_ids)
            self._tell_manager_if_unhappy()
            return True
        self.sudo().activity_ids.action_feedback(env._("Customer not reached"))
        if attempts <= self.company_id.jingpin_followup_retries:
            retry_on = today + timedelta(days=self.company_id.jingpin_followup_retry_days)
            self._jingpin_server().write(
                {"attempt_count": attempts, "date_scheduled": retry_on, "called_by_id": self.env.uid}
            )
            self._schedule_call()
        else:
            self._jingpin_server().write(
                {"state": "unreachable", "attempt_count": attempts, "date_done": today, "called_by_id": self.env.uid}
            )
            self.message_post(body=env._("Closed: the customer could not be reached after %s calls.", attempts))
        return True

    # === BUSINESS METHODS === #
    @api.model
    def _schedule_after_handover(self, tasks):
        """The handover of ``tasks`` schedules their follow-up visits (server code)."""
        followups = self.browse()
        for task in tasks:
            company = task.company_id
            env = task._in_company_lang()
            followups |= (
                self.sudo()
                ._jingpin_server()
                .create(
                    {
                        "name": env._("Follow-up %s", task.name),
                        "task_id": task.id,
                        "company_id": company.id,
                        "user_id": (task.specialist_id or company.jingpin_manager_id).id,
                        "date_scheduled": fields.Date.context_today(task)
                        + timedelta(days=company.jingpin_followup_days),
                    }
                )
            )
        followups._schedule_call()
        return followups

    def _schedule_call(self):
        for followup in self.sudo():
            env = followup._in_company_lang()
            followup.activity_schedule(
                FOLLOWUP_ACTIVITY,
                date_deadline=followup.date_scheduled,
                user_id=followup.user_id.id,
                summary=env._("Call %s back about the work", followup.partner_id.name),
                note=env._(
                    "Ask about the quality of work order %(task)s: satisfaction, comments and problems. Call %(call)s.",
                    task=followup.task_id.name,
                    call=followup.attempt_count + 1,
                ),
            )

    def _tell_manager_if_unhappy(self):
        """A dissatisfied customer, or problems raised, go to the accessories manager at once (R26)."""
        manager = self.company_id.jingpin_manager_id
        if not manager or not (self.score in UNHAPPY_SCORES or (self.problems or "").strip()):
            return
        env = self._in_company_lang()
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=manager.id,
            summary=env._("Customer not satisfied: %s", self.partner_id.name),
            note=env._(
                "Satisfaction %(score)s/5 after work order %(task)s. Problems raised: %(problems)s",
                score=self.score,
                task=self.task_id.name,
                problems=self.problems or "-",
            ),
        )

    def _create_feedback(self, comments, problems, tag_ids):
        values = [
            (kind, text) for kind, text in (("opinion", comments), ("problem", problems)) if text and text.strip()
        ]
        return (
            self.env["jingpin.feedback"]
            .sudo()
            ._jingpin_server()
            .create(
                [
                    {
                        "description": text,
                        "kind": kind,
                        "followup_id": self.id,
                        "partner_id": self.partner_id.id,
                        "company_id": self.company_id.id,
                        "tag_ids": [fields.Command.set(list(tag_ids))],
                    }
                    for kind, text in values
                ]
            )
        )
