from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

MANAGER_GROUP = "jingpin_accessories.group_jingpin_manager"
# What a held training still takes: its content and material, added after the session.
HELD_EDITABLE_FIELDS = frozenset({"description", "material_ids"})
TRAINING_TOPICS = [
    ("sales", "Sales"),
    ("promotion", "Promotion"),
    ("installation", "Installation Technique"),
]


class JingpinTraining(models.Model):
    """A training session of the department (R38): sales, promotion or installation technique, with
    its trainer, its material and, once held, each attendee's attendance and assessment.

    ``state`` changes only through these actions (``jingpin.guard``); a session is always created
    planned. Its attendance lines change only while it is planned, so the results recorded when it is
    held stay as recorded:

    ======= ========= =============================================== ====================
    From    To        Guard                                           Who
    ======= ========= =============================================== ====================
    planned held      its day has come; it has attendees; each one    accessories manager
                      present has a result
    planned cancel                                                    accessories manager
    cancel  planned                                                   accessories manager
    ======= ========= =============================================== ====================
    """

    _name = "jingpin.training"
    _description = "Training Session"
    _inherit = ["mail.thread", "mail.activity.mixin", "jingpin.guard"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Subject", required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    topic = fields.Selection(TRAINING_TOPICS, required=True, default="sales", tracking=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    duration = fields.Float(string="Duration (hours)", default=1.0)
    trainer_id = fields.Many2one("res.users", string="Trainer", required=True, tracking=True, check_company=True)
    description = fields.Html(string="Content")
    material_ids = fields.Many2many(
        "ir.attachment",
        string="Material",
        help="Slides, manuals and videos of the session.",
    )
    attendance_ids = fields.One2many("jingpin.training.attendance", "training_id", string="Attendees")
    attendee_count = fields.Integer(compute="_compute_attendee_count")
    state = fields.Selection(
        [("planned", "Planned"), ("held", "Held"), ("cancel", "Cancelled")],
        default="planned",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
        index=True,
    )

    _duration_positive = models.Constraint("CHECK(duration >= 0)", "A training cannot last a negative time.")

    @api.depends("attendance_ids")
    def _compute_attendee_count(self):
        for training in self:
            training.attendee_count = len(training.attendance_ids)

    def write(self, vals):
        held = self.filtered(lambda training: training.state == "held")
        if held and not self._jingpin_is_server() and vals.keys() - HELD_EDITABLE_FIELDS:
            raise UserError(self.env._("A training that was held keeps its record; only its material can be added."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_held(self):
        if self.filtered(lambda training: training.state == "held"):
            raise UserError(self.env._("A training that was held stays in the staff's training history."))

    def action_held(self):
        """The session took place: its attendance and assessments are recorded for good."""
        self._check_manager()
        for training in self:
            if training.state != "planned":
                raise UserError(self.env._("Training “%s” is not planned.", training.name))
            day = fields.Datetime.context_timestamp(training, training.date).date()
            if day > fields.Date.context_today(training):
                raise UserError(
                    self.env._(
                        "Training “%(training)s” is planned for %(date)s: record it as held on or after that day.",
                        training=training.name,
                        date=fields.Date.to_string(day),
                    )
                )
            if not training.attendance_ids:
                raise UserError(self.env._("Add the attendees of training “%s” first.", training.name))
            unassessed = training.attendance_ids.filtered(lambda line: line.present and not line.result)
            if unassessed:
                raise UserError(
                    self.env._(
                        "Give an assessment result to every attendee present: %s",
                        ", ".join(unassessed.user_id.mapped("name")),
                    )
                )
        self._jingpin_server().write({"state": "held"})
        return True

    def action_cancel(self):
        self._check_manager()
        if self.filtered(lambda training: training.state != "planned"):
            raise UserError(self.env._("Only a planned training can be cancelled."))
        self._jingpin_server().write({"state": "cancel"})
        return True

    def action_reset(self):
        self._check_manager()
        if self.filtered(lambda training: training.state != "cancel"):
            raise UserError(self.env._("Only a cancelled training can be planned again."))
        self._jingpin_server().write({"state": "planned"})
        return True

    def _check_manager(self):
        self.check_access("write")
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only the accessories manager records trainings."))


class JingpinTrainingAttendance(models.Model):
    """One staff member at one training: present or not, and how he did in its assessment. Staff read
    their own lines (their training history); the manager reads and records everyone's."""

    _name = "jingpin.training.attendance"
    _description = "Training Attendance"
    _inherit = ["jingpin.guard"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "user_id"

    training_id = fields.Many2one("jingpin.training", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="training_id.company_id", store=True, index=True)
    date = fields.Datetime(related="training_id.date", store=True)
    topic = fields.Selection(related="training_id.topic", store=True)
    state = fields.Selection(related="training_id.state", store=True)
    user_id = fields.Many2one("res.users", string="Staff Member", required=True, index=True, check_company=True)
    present = fields.Boolean(default=True)
    score = fields.Integer(help="The assessment score, out of 100.", aggregator="avg")
    result = fields.Selection([("passed", "Passed"), ("failed", "Failed")], string="Assessment")
    note = fields.Char()

    _user_uniq = models.Constraint("UNIQUE(training_id, user_id)", "Each staff member attends a training once.")
    _score_range = models.Constraint(
        "CHECK(score >= 0 AND score <= 100)",
        "An assessment score is between 0 and 100.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_training_planned()
        return lines

    def write(self, vals):
        self._check_training_planned()
        result = super().write(vals)
        self._check_training_planned()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_recorded(self):
        self._check_training_planned()

    def _check_training_planned(self):
        if not self._jingpin_is_server() and self.filtered(lambda line: line.training_id.state != "planned"):
            raise UserError(self.env._("The attendance of a training that was held or cancelled stays as recorded."))
