from random import randint

from odoo import fields, models
from odoo.exceptions import UserError

FEEDBACK_KINDS = [
    ("opinion", "Opinion"),
    ("need", "Need"),
    ("problem", "Problem"),
    ("complaint", "Complaint"),
]


class JingpinFeedbackTag(models.Model):
    _name = "jingpin.feedback.tag"
    _description = "Customer Feedback Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer(default=lambda self: randint(1, 11))
    company_id = fields.Many2one("res.company", index=True, help="Empty: shared by every dealership.")
    active = fields.Boolean(default=True)

    _name_uniq = models.UniqueIndex("(name, company_id)", "A feedback tag with this name already exists.")


class JingpinFeedback(models.Model):
    """A customer's opinion or need (R26), from a follow-up visit, a complaint or told to the staff
    otherwise; tagged, so the manager reads them summed up by tag. Where it comes from is the
    server's (``jingpin.guard``)."""

    _name = "jingpin.feedback"
    _description = "Customer Feedback"
    _inherit = ["jingpin.guard"]
    _order = "date desc, id desc"
    _check_company_auto = True

    description = fields.Text(required=True)
    kind = fields.Selection(FEEDBACK_KINDS, required=True, default="opinion")
    tag_ids = fields.Many2many("jingpin.feedback.tag", string="Tags", check_company=True)
    partner_id = fields.Many2one("res.partner", string="Customer", index="btree_not_null")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    followup_id = fields.Many2one("jingpin.followup", string="Follow-up", readonly=True, index="btree_not_null")
    complaint_id = fields.Many2one("jingpin.complaint", string="Complaint", readonly=True, index="btree_not_null")
    user_id = fields.Many2one("res.users", string="Recorded By", readonly=True, default=lambda self: self.env.user)
    date = fields.Date(readonly=True, default=fields.Date.context_today)

    def _jingpin_refused_fields(self, vals):
        refused = super()._jingpin_refused_fields(vals)
        if self:
            # what the customer said stays as recorded, and in its dealership
            refused |= vals.keys() & {"description", "kind", "partner_id", "company_id"}
        return refused

    def copy_data(self, default=None):
        raise UserError(self.env._("Feedback is what a customer said: it is not copied."))
