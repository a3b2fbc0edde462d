from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

GM_GROUP = "jingpin_accessories.group_jingpin_gm"
MANAGER_GROUP = "jingpin_accessories.group_jingpin_manager"


class JingpinApprovalMixin(models.AbstractModel):
    """A document that a higher role approves (promotions, sales plans, growth plans): one state
    machine, one self-approval rule, one activity and one refusal for all of them. A document
    configures it with the class attributes below and keeps only what is its own (its fields, its
    guards before submitting and approving, what approval unlocks).

    =========== =========== ================================================= ====================
    From        To          Guard                                             Who
    =========== =========== ================================================= ====================
    draft       submitted   :meth:`_approval_check_submittable`               submitter group
    submitted   draft       (withdraw)                                        submitter group
    submitted   draft       (refuse) a reason is given; not an author         approver group
    submitted   approved    :meth:`_approval_check_approvable`; not an author approver group
    =========== =========== ================================================= ====================

    The authors of a document (:meth:`_approval_authors`: who created it, who submitted it, and whom
    it belongs to) neither approve nor refuse it. Submitting asks the approvers with an activity,
    which the decision (or the withdrawal) closes. ``state``, ``submitted_by_id``,
    ``approved_by_id`` and ``approved_on`` change only through these actions (``jingpin.guard``).
    Of two decisions at once, the row is updated first: the second transaction fails to serialize
    and its retry finds the document decided.
    """

    _name = "jingpin.approval.mixin"
    _description = "Approval by a Higher Role"
    _inherit = ["mail.thread", "mail.activity.mixin", "jingpin.activity.request", "jingpin.guard"]

    # The document's ``state`` values for a submitted and an approved document (draft is "draft").
    _approval_submitted_state = "submitted"
    _approval_approved_state = "approved"
    # Who submits and withdraws, who approves and refuses (the approver group is asked by activity:
    # the company's named approver, ``_approval_approver_field`` on res.company, or else the group).
    _approval_submitter_group = MANAGER_GROUP
    _approval_approver_group = GM_GROUP
    _approval_approver_field = "jingpin_gm_id"
    # The activity type (xml id) that asks the approvers.
    _approval_activity = None
    # The field naming the user the document belongs to (an author besides its creator and submitter).
    _approval_owner_field = None

    submitted_by_id = fields.Many2one("res.users", string="Submitted By", readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", string="Approved By", readonly=True, copy=False)
    approved_on = fields.Datetime(readonly=True, copy=False)

    # === ACTIONS === #
    def action_submit(self):
        """The submitter asks the approvers to decide."""
        self._approval_check_submitter()
        self._jingpin_lock()
        for record in self:
            if record.state != "draft":
                raise UserError(
                    self.env._(
                        "%(document)s “%(name)s” is not a draft.",
                        document=record._approval_label(),
                        name=record.display_name,
                    )
                )
        self._approval_check_submittable()
        self._jingpin_server().write({"state": self._approval_submitted_state, "submitted_by_id": self.env.uid})
        for record in self:
            record._jingpin_request_activity(
                self._approval_activity,
                record._approval_approvers(),
                record._approval_activity_note,
            )
        return True

    def action_withdraw(self):
        """The submitter takes a submitted document back to change it."""
        self._approval_check_submitter()
        self._jingpin_lock()
        self._approval_check_submitted()
        self._jingpin_server().write({"state": "draft"})
        self._jingpin_server().activity_unlink([self._approval_activity])
        return True

    def action_approve(self):
        """An approver who is none of its authors approves the document."""
        self._approval_check_decider()
        self._approval_check_approvable()
        self._jingpin_server().write(
            {
                "state": self._approval_approved_state,
                "approved_by_id": self.env.uid,
                "approved_on": fields.Datetime.now(),
            }
        )
        self._approval_on_approve()
        self._jingpin_server().activity_feedback([self._approval_activity], only_automated=False)
        for record in self:
            record.message_post(
                body=record._in_company_lang()._("Approved by %s.", self.env.user.name),
                partner_ids=record._approval_notified().partner_id.ids,
            )
        return True

    def action_refuse(self, reason):
        """An approver who is none of its authors sends the document back to draft, saying why."""
        self._approval_check_group(self._approval_approver_group)
        if not (reason or "").strip():
            raise UserError(self.env._("Say why you refuse it, so that it can be reworked."))
        self._approval_check_decider()
        self._jingpin_server().write({"state": "draft"})
        self._jingpin_server().activity_unlink([self._approval_activity])
        for record in self:
            record.message_post(
                body=Markup("<p>%s</p><p>%s</p>")
                % (record._in_company_lang()._("Refused by %s and sent back to draft:", self.env.user.name), reason),
                partner_ids=record._approval_notified().partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_open_refuse_wizard(self):
        self._approval_check_decider()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refuse"),
            "res_model": "jingpin.approval.refuse.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_res_model": self._name, "default_res_ids": self.ids},
        }

    # === BUSINESS METHODS === #
    def _approval_label(self):
        return self.env["ir.model"]._get(self._name).name

    def _approval_authors(self):
        """Who asked for the decision, and so may not take it: the document's creator, its
        submitter, and the user it belongs to."""
        self.ensure_one()
        authors = self.create_uid | self.submitted_by_id
        if self._approval_owner_field:
            authors |= self[self._approval_owner_field]
        return authors

    def _approval_notified(self):
        """Whom the decision is posted for: the submitter and the user the document belongs to."""
        self.ensure_one()
        users = self.submitted_by_id
        if self._approval_owner_field:
            users |= self[self._approval_owner_field]
        return users

    @api.model
    def _approval_decidable_domain(self):
        """Submitted documents the current user may decide on (not one of their authors)."""
        domain = (
            Domain("state", "=", self._approval_submitted_state)
            & Domain("create_uid", "!=", self.env.uid)
            & Domain("submitted_by_id", "!=", self.env.uid)
        )
        if self._approval_owner_field:
            domain &= Domain(self._approval_owner_field, "!=", self.env.uid)
        return domain

    def _approval_approvers(self):
        """The users asked to decide: the company's named approver, or else the approver group of
        the company; never one of the document's authors."""
        self.ensure_one()
        authors = self._approval_authors()
        named = self.company_id[self._approval_approver_field].filtered("active") - authors
        return named or self.sudo()._company_users(self._approval_approver_group) - authors

    def _approval_activity_note(self, env):
        """The note of the approvers' activity, ``env`` being in the approver's language."""
        return env._(
            "%(document)s %(name)s: approve or refuse it.",
            document=self.with_env(env)._approval_label(),
            name=self.display_name,
        )

    def _approval_check_submitter(self):
        self._approval_check_group(self._approval_submitter_group)

    def _approval_check_group(self, group_xmlid):
        if not self.env.su and not self.env.user.has_group(group_xmlid):
            raise AccessError(
                self.env._(
                    "This step of a %(document)s is for %(group)s only: ask them.",
                    group=self.env.ref(group_xmlid).name,
                    document=self._approval_label(),
                )
            )

    def _approval_check_submitted(self):
        for record in self:
            if record.state != self._approval_submitted_state:
                raise UserError(
                    self.env._(
                        "%(document)s “%(name)s” is not submitted: there is nothing to decide or withdraw.",
                        document=record._approval_label(),
                        name=record.display_name,
                    )
                )

    def _approval_check_decider(self):
        """The current user may approve or refuse these documents: in the approver group, allowed
        to read them, they are submitted, and he is none of their authors. Locks their rows."""
        self._approval_check_group(self._approval_approver_group)
        self.check_access("read")
        self._jingpin_lock()
        self._approval_check_submitted()
        for record in self:
            if self.env.user in record._approval_authors():
                raise AccessError(
                    self.env._(
                        "You created, submitted or own %(document)s “%(name)s”: you cannot approve or refuse it "
                        "yourself. Another approver must decide.",
                        document=record._approval_label(),
                        name=record.display_name,
                    )
                )

    def _approval_check_submittable(self):
        """The document's own conditions to be submitted (none by default)."""

    def _approval_check_approvable(self):
        """The document's own conditions to be approved (none by default)."""

    def _approval_on_approve(self):
        """What the approval unlocks, once the documents are approved (nothing by default)."""
