from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

# The roles every document's table is run as (attributes of JingpinCommon).
ROLES = ("technician", "specialist", "manager", "gm", "consultant", "viewer")


class ApprovalTable:
    """The behaviour of ``jingpin.approval.mixin``, the same for every document that a higher role
    approves. A test class of a document mixes it in before its common case and says:

    - ``approval_model``, ``approval_activity`` (xml id of the approvers' activity type);
    - ``approval_submitters``, ``approval_approvers``: the roles that may submit and withdraw, and
      approve and refuse, a draft made by :meth:`_approval_draft`;
    - ``approval_second_approver``: the role of an approver who is none of the authors below;
    - :meth:`_approval_draft` (creator, owner): a draft ready to submit, and
      :meth:`_approval_ready` what it needs once submitted to be approved.
    """

    # Odoo's own runner (odoo.tests.loader) takes only the test methods a class defines itself unless
    # the class allows inherited ones: each document's class inherits this table's tests.
    allow_inherited_tests_method = True

    approval_model = None
    approval_activity = None
    approval_submitters = ()
    approval_approvers = ()
    approval_second_approver = "gm"

    def _approval_ready(self, record):
        """What the document needs, once submitted, to be approved (nothing by default)."""

    def _submitted(self, creator=None, owner=None, submitter=None):
        record = self._approval_draft(creator, owner)
        record.with_user(submitter or self._role(self.approval_submitters[0])).action_submit()
        self._approval_ready(record)
        return record

    def _role(self, role):
        return getattr(self, role)

    def _asked(self, record):
        activity_type = self.env.ref(self.approval_activity)
        return record.activity_ids.filtered(lambda a: a.activity_type_id == activity_type).user_id

    def _decide(self, record, user, action):
        if action == "approve":
            return record.with_user(user).action_approve()
        return record.with_user(user).action_refuse("Rework the figures.")

    def test_approval_table_submit_and_withdraw_per_role(self):
        Model = self.env[self.approval_model]
        for role in ROLES:
            with self.subTest(role=role, action="submit"):
                record = self._approval_draft()
                if role in self.approval_submitters:
                    record.with_user(self._role(role)).action_submit()
                    self.assertRecordValues(
                        record,
                        [{"state": Model._approval_submitted_state, "submitted_by_id": self._role(role).id}],
                    )
                else:
                    with self.assertRaises(AccessError):
                        record.with_user(self._role(role)).action_submit()
                    self.assertEqual(record.state, "draft")
            with self.subTest(role=role, action="withdraw"):
                record = self._submitted()
                if role in self.approval_submitters:
                    record.with_user(self._role(role)).action_withdraw()
                    self.assertEqual(record.state, "draft")
                    self.assertFalse(self._asked(record), "withdrawing takes the request back")
                else:
                    with self.assertRaises(AccessError):
                        record.with_user(self._role(role)).action_withdraw()
                    self.assertEqual(record.state, Model._approval_submitted_state)

    def test_approval_table_approve_and_refuse_per_role(self):
        Model = self.env[self.approval_model]
        for role in ROLES:
            for action in ("approve", "refuse"):
                with self.subTest(role=role, action=action):
                    record = self._submitted()
                    if role in self.approval_approvers:
                        self._decide(record, self._role(role), action)
                        expected = Model._approval_approved_state if action == "approve" else "draft"
                        self.assertEqual(record.state, expected)
                        self.assertFalse(self._asked(record), "the decision closes the request")
                    else:
                        with self.assertRaises(AccessError):
                            self._decide(record, self._role(role), action)
                        self.assertEqual(record.state, Model._approval_submitted_state)

    def test_approval_authors_never_decide(self):
        """Nobody approves or refuses what he created, submitted or owns; another approver does."""
        approver = self._role(self.approval_approvers[0])
        second = self._role(self.approval_second_approver)
        authored = {
            "created": self._submitted(creator=approver),
            "submitted": self._submitted(submitter=approver),
        }
        if self.env[self.approval_model]._approval_owner_field:
            authored["owned"] = self._submitted(owner=approver)
        for how, record in authored.items():
            with self.subTest(how=how):
                self.assertNotIn(approver, self._asked(record), "an author is not asked to decide")
                for action in ("approve", "refuse"):
                    with self.assertRaisesRegex(AccessError, "cannot approve or refuse it yourself"):
                        self._decide(record, approver, action)
                with self.assertRaises(AccessError):
                    record.with_user(approver).action_open_refuse_wizard()
                self.assertEqual(record.state, record._approval_submitted_state)
                for user, decides in ((approver, False), (second, True)):
                    Model = self.env[self.approval_model].with_user(user)
                    self.assertEqual(record in Model.search(Model._approval_decidable_domain()), decides)
                record.with_user(second).action_approve()
                self.assertRecordValues(
                    record, [{"state": record._approval_approved_state, "approved_by_id": second.id}]
                )

    def test_approval_refuse_needs_a_reason(self):
        record = self._submitted()
        approver = self._role(self.approval_approvers[0])
        for reason in ("", "   ", None):
            with self.subTest(reason=reason), self.assertRaises(UserError):
                record.with_user(approver).action_refuse(reason)
        self.assertEqual(record.state, record._approval_submitted_state)
        action = record.with_user(approver).action_open_refuse_wizard()
        wizard = Form(self.env[action["res_model"]].with_user(approver).with_context(**action["context"]))
        wizard.reason = "Halve the budget."
        wizard.save().action_refuse()
        self.assertEqual(record.state, "draft")
        message = record.message_ids[0]
        self.assertIn("Halve the budget.", message.body)
        self.assertIn(record.submitted_by_id.partner_id, message.partner_ids, "the submitter is told")
        self.assertFalse(self._asked(record))

    def test_approval_activity_asks_the_approvers_and_the_server_closes_it(self):
        record = self._approval_draft()
        self.assertFalse(self._asked(record))
        record.with_user(self._role(self.approval_submitters[0])).action_submit()
        self._approval_ready(record)
        asked = self._asked(record)
        self.assertTrue(asked, "the approvers are asked")
        self.assertFalse(asked & record._approval_authors())
        self.assertTrue(all(user.has_group(record._approval_approver_group) for user in asked))
        with self.assertRaises(UserError):
            record.with_user(self._role(self.approval_submitters[0])).action_submit()
        record.with_user(asked[0]).action_approve()
        self.assertFalse(self._asked(record))
        self.assertTrue(record.approved_on)
        self.assertIn(self.env.ref(self.approval_activity), record.message_ids.mail_activity_type_id)
        with self.assertRaises(UserError):
            record.with_user(asked[0]).action_approve()
        with self.assertRaises(UserError):
            record.with_user(self._role(self.approval_submitters[0])).action_withdraw()

    def test_approval_fields_change_only_through_the_actions(self):
        record = self._approval_draft()
        approver = self._role(self.approval_approvers[0])
        values = (
            {"state": record._approval_approved_state},
            {"submitted_by_id": approver.id},
            {"approved_by_id": approver.id},
            {"approved_on": fields.Datetime.now()},
        )
        for user in (self._role(self.approval_submitters[0]), approver):
            for vals in values:
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    record.with_user(user).write(vals)
        self.assertRecordValues(record, [{"state": "draft", "submitted_by_id": False, "approved_by_id": False}])
        copy = self._submitted().copy()
        self.assertRecordValues(copy, [{"state": "draft", "submitted_by_id": False, "approved_on": False}])
