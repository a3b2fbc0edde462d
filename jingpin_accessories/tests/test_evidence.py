import json
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.mail.tools.discuss import Store

from .common import SIGNATURE_PNG, JingpinWorkOrderCommon

HISTORY = "history: nobody edits or deletes them"


@tagged("post_install", "-at_install")
class TestEvidence(JingpinWorkOrderCommon):
    """The department's history (chatter, tracking, assigned to-dos, evidence files) is not rewritten,
    the group viewer posts nothing, and deleting what plain Odoo deletes still works (issue 25)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # tracking on, as in production: issue 25 is a tracking message of a deleted record
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.order, cls.work_order = cls._confirmed_order()

    def _commit(self):
        """What a commit does before COMMIT: flush and run the precommit hooks (tracking)."""
        self.env.cr.flush()

    def _post(self, record, user, body="Checked", **kwargs):
        message = record.with_user(user).message_post(body=body, message_type="comment", **kwargs)
        self._commit()
        return message.sudo()

    def _signed_work_order(self):
        wo = self.work_order
        self._start_work(wo)
        wo.with_user(self.technician).write({"condition_before_photo": SIGNATURE_PNG})
        wo.with_user(self.technician).action_sign_completion()
        self._pass_inspection(wo)
        self._hand_over(wo)
        self._commit()
        return wo

    # === Issue 25: deleting what Odoo deletes === #
    def test_delete_plain_task_and_draft_quotation(self):
        project = self.env["project.project"].create({"name": "Showroom"})
        task = self.env["project.task"].create({"name": "Repaint the wall", "project_id": project.id})
        self._commit()
        task.write(
            {"name": "Repaint the north wall", "stage_id": self.env["project.task.type"].create({"name": "Doing"}).id}
        )
        task.message_post(body="Started")
        task.unlink()
        quotation = self.env["sale.order"].create({"partner_id": self.customer.id})
        quotation.write({"partner_id": self.env["res.partner"].create({"name": "Other"}).id})
        quotation.unlink()
        self._commit()  # the tracking of the deleted records is discarded, as in Odoo
        self.assertFalse(task.exists() or quotation.exists())

    def test_delete_the_department_documents_that_may_be_deleted(self):
        today = fields.Date.today()
        documents = [
            (
                self.manager,
                self.env["jingpin.promotion"]
                .with_user(self.manager)
                .create(
                    {
                        "name": "Draft promotion",
                        "date_from": today,
                        "date_to": today + timedelta(days=7),
                        "line_ids": [Command.create({"product_tmpl_id": self.film.id, "promotion_price": 2400.0})],
                    }
                ),
            ),
            (
                self.manager,
                self.env["jingpin.training"]
                .with_user(self.manager)
                .create({"name": "Planned training", "trainer_id": self.manager.id}),
            ),
            (
                self.technician,
                self.env["jingpin.growth.plan"]
                .with_user(self.technician)
                .create({"name": "Draft plan", "date_to": today + timedelta(days=90)}),
            ),
            (
                self.manager,
                self.env["jingpin.sales.plan"]
                .with_user(self.manager)
                .create({"company_id": self.company_a.id, "year": today.year + 3}),
            ),
            (
                self.specialist,
                self._draft_loan(today + timedelta(days=7)),
            ),
        ]
        for user, document in documents:
            # a history like any: a message with a file, a tracked change, someone else's to-do
            document.with_user(user).message_post(
                body="Prepared", message_type="comment", attachments=[("note.txt", b"draft")]
            )
            document.sudo().activity_schedule("mail.mail_activity_data_todo", user_id=self.gm.id, summary="Look")
            self._commit()
            messages = self.env["mail.message"].search([("model", "=", document._name), ("res_id", "=", document.id)])
            with self.subTest(model=document._name):
                document.with_user(user).unlink()
                self._commit()
                self.assertFalse(document.exists())
                self.assertFalse(messages.exists(), "Odoo's cleanup removes the history with its document")

    def test_documents_that_are_never_deleted_stay_refused(self):
        self._post(self.work_order, self.specialist)
        # a refusal rolls the whole request back, the messages Odoo removes first included
        with self.assertRaisesRegex(UserError, "never deleted"), self.env.cr.savepoint():
            self.work_order.unlink()
        self.env.invalidate_all()
        self.assertTrue(self.work_order.message_ids)

    # === Messages and tracking values === #
    def test_messages_are_not_edited_or_deleted(self):
        message = self._post(self.work_order, self.specialist, attachments=[("photo.png", b"png")])
        for user in (self.specialist, self.manager, self.env.ref("base.user_admin")):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, HISTORY):
                message.with_user(user).write({"body": "Rewritten"})
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, HISTORY):
                message.with_user(user).unlink()
        # the web client's edit and delete (/mail/message/update_content) run as superuser
        with self.assertRaisesRegex(UserError, HISTORY):
            self.work_order.with_user(self.specialist)._message_update_content(message, body="")
        with self.assertRaisesRegex(UserError, HISTORY):
            self.work_order.with_user(self.specialist)._message_update_content(message, body=None, attachment_ids=[])
        # and the chatter's attachment delete route (/mail/attachment/delete)
        with self.assertRaisesRegex(UserError, HISTORY):
            message.attachment_ids.sudo()._delete_and_notify(message)
        with self.assertRaisesRegex(UserError, HISTORY):
            message.sudo().write({"model": "res.partner", "res_id": self.customer.id})
        self.assertIn("Checked", message.body)
        self.assertEqual(message.attachment_ids.raw, b"png")
        message.with_user(self.manager).toggle_message_starred()
        self.assertTrue(message.with_user(self.manager).starred, "starring is the reader's own")

    def test_the_chatter_offers_no_edit_on_history(self):
        """The web client shows Edit and Delete on what the store marks editable: not the history."""
        history = self._post(self.work_order, self.specialist)
        plain = self._post(self.customer, self.specialist)
        store = Store().add((history | plain).with_user(self.specialist)).get_result()
        sent = {message["id"]: message["jingpin_history"] for message in store["mail.message"]}
        self.assertEqual(sent, {history.id: True, plain.id: False})

    def test_tracking_values_stay(self):
        # a tracked change as Odoo logs it (a GM's decision, a state)
        priority = self.env["ir.model.fields"]._get("project.task", "priority")
        self.work_order.sudo()._message_log(
            tracking_value_ids=[
                Command.create({"field_id": priority.id, "old_value_char": "Low", "new_value_char": "High"})
            ]
        )
        self._commit()
        tracking = self.env["mail.tracking.value"].search([("mail_message_id.res_id", "=", self.work_order.id)])
        self.assertTrue(tracking)
        with self.assertRaisesRegex(UserError, HISTORY):
            tracking.write({"old_value_char": "forged"})
        with self.assertRaisesRegex(UserError, HISTORY):
            tracking.unlink()
        with self.assertRaisesRegex(UserError, HISTORY):
            self.env["mail.tracking.value"].create(
                {"mail_message_id": tracking.mail_message_id.id, "field_id": priority.id}
            )
        self.assertEqual(tracking.old_value_char, "Low")

    def test_a_message_is_authored_by_its_poster(self):
        gm_partner = self.gm.partner_id
        forged = self._post(self.work_order, self.specialist, author_id=gm_partner.id)
        self.assertEqual(forged.author_id, self.specialist.partner_id)
        by_email = self._post(self.work_order, self.specialist, email_from=self.gm.email_formatted)
        self.assertEqual(by_email.author_id, self.specialist.partner_id)
        direct = (
            self.env["mail.message"]
            .with_user(self.manager)
            .create(
                {
                    "model": "sale.order",
                    "res_id": self.order.id,
                    "body": "Approved",
                    "author_id": self.customer.id,
                    "message_type": "comment",
                }
            )
        )
        self.assertEqual(direct.author_id, self.manager.partner_id)
        # elsewhere Odoo is unchanged
        project = self.env["project.project"].create({"name": "Showroom"})
        task = self.env["project.task"].create({"name": "Wall", "project_id": project.id})
        admin = self.env.ref("base.user_admin")
        self.assertEqual(task.with_user(admin).message_post(body="x", author_id=gm_partner.id).author_id, gm_partner)

    def test_a_message_is_dated_when_it_is_posted(self):
        backdated = self._post(self.work_order, self.specialist, date="2020-01-01 08:00:00")
        self.assertGreaterEqual(backdated.date, self.env.cr.now().replace(microsecond=0))
        direct = (
            self.env["mail.message"]
            .with_user(self.manager)
            .create(
                {
                    "model": "sale.order",
                    "res_id": self.order.id,
                    "body": "Approved last year",
                    "date": "2020-01-01 08:00:00",
                    "message_type": "comment",
                }
            )
        )
        self.assertGreaterEqual(direct.date, self.env.cr.now().replace(microsecond=0))
        # elsewhere Odoo is unchanged
        project = self.env["project.project"].create({"name": "Showroom"})
        task = self.env["project.task"].create({"name": "Wall", "project_id": project.id})
        admin = self.env.ref("base.user_admin")
        old = task.with_user(admin).message_post(body="x", date="2020-01-01 08:00:00")
        self.assertEqual(old.date, fields.Datetime.to_datetime("2020-01-01 08:00:00"))

    # === Activities === #
    def test_someone_elses_activity_is_his(self):
        self._start_work(self.work_order)
        activity = self.work_order.sudo().activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.manager.id, summary="Unhappy customer"
        )
        for user in (self.specialist, self.technician):
            as_user = activity.with_user(user)
            for attempt in (
                as_user.action_feedback,
                as_user.action_done,
                as_user.unlink,
                as_user.action_archive,
                lambda as_user=as_user, user=user: as_user.write({"user_id": user.id}),
                lambda user=user: self.work_order.with_user(user).activity_unlink(["mail.mail_activity_data_todo"]),
            ):
                with self.subTest(user=user.login), self.assertRaisesRegex(AccessError, "assigned to"):
                    attempt()
        self.assertTrue(activity.exists() and activity.active)
        self.assertEqual(activity.user_id, self.manager)
        activity.with_user(self.manager).action_feedback("Called back")
        self.assertFalse(activity.exists() and activity.active, "its assignee marks it done")

    def _draft_loan(self, date_due, **values):
        """A loan the specialist registers for the new-car sales department's launch display."""
        return (
            self.env["jingpin.loan"]
            .with_user(self.specialist)
            .create(
                {
                    "borrower_kind": "department",
                    "borrower": "New Car Sales",
                    "purpose": "Launch display",
                    "date_due": date_due,
                    **values,
                }
            )
        )

    def test_the_server_closes_an_activity_whose_cause_is_resolved(self):
        loan = self._draft_loan(
            fields.Date.today(),
            line_ids=[Command.create({"product_id": self.mat.product_variant_id.id, "quantity": 1})],
        )
        loan.with_user(self.specialist).action_lend()
        loan.sudo().activity_schedule("mail.mail_activity_data_todo", user_id=self.manager.id, summary="Overdue")
        loan.with_user(self.specialist).action_return()
        self.assertFalse(loan.activity_ids, "back: the manager's to-do is closed by the return")

    # === Attachments and the seal === #
    def test_signed_files_stay_whatever_the_route(self):
        wo = self._signed_work_order()
        sheet = wo.installation_sheet_id
        self.assertTrue(sheet)
        message = self.env["mail.message"].search([("attachment_ids", "in", sheet.ids)])
        with self.assertRaisesRegex(UserError, "signed work order"):
            sheet.sudo()._delete_and_notify(message)  # /mail/attachment/delete
        with self.assertRaisesRegex(UserError, "signed work order"):
            sheet.sudo().write({"res_model": "res.partner", "res_id": self.customer.id})
        other = self.env["ir.attachment"].create(
            {"name": "old.png", "raw": b"old", "res_model": "res.partner", "res_id": self.customer.id}
        )
        for attachment in (other, other.with_user(self.specialist), other.sudo()):
            with self.assertRaisesRegex(UserError, "signed work order"):
                attachment.write({"res_model": "project.task", "res_id": wo.id})
        self.assertEqual((sheet.res_model, sheet.res_id), ("project.task", wo.id))
        self.assertEqual(other.res_model, "res.partner")
        # a new note with a new photo is still welcome
        note = self._post(wo, self.specialist, body="Customer came back", attachments=[("scratch.png", b"new")])
        self.assertEqual(note.attachment_ids.res_id, wo.id)

    def test_the_work_order_photos_are_sealed(self):
        wo = self._signed_work_order()
        self.assertEqual(wo.seal_state, "intact")
        content = json.loads(wo.signature_ids[0].content)
        self.assertEqual(content["version"], 2)
        self.assertTrue(content["photos"]["condition_before_photo"])
        photo = self.env["ir.attachment"].search(
            [("res_model", "=", "project.task"), ("res_id", "=", wo.id), ("res_field", "=", "condition_before_photo")]
        )
        other = self.env["ir.attachment"].create({"name": "other.png", "raw": b"other"})
        # a change behind the ORM's back (the database, the file store) breaks the seal
        self.env.cr.execute("UPDATE ir_attachment SET store_fname = %s WHERE id = %s", (other.store_fname, photo.id))
        self.env.invalidate_all()
        self.assertFalse(wo.signature_ids[0].seal_ok)
        self.assertFalse(wo.signature_ids._verify_chain())

    def test_seals_made_before_version_2_still_verify(self):
        wo = self.work_order
        self._start_work(wo)
        version_1 = wo._signature_content("completion", 0, version=1)
        self.assertNotIn("photos", version_1)
        signature = (
            self.env["jingpin.signature"]
            .with_user(self.technician)
            ._create_signature(
                wo,
                {
                    "role": "completion",
                    "round": 0,
                    "signer_name": self.technician.name,
                    "content": json.dumps(version_1, sort_keys=True),
                },
            )
        )
        self.assertTrue(signature.seal_ok)
        self.assertEqual(wo.seal_state, "intact")

    # === The group viewer === #
    def test_the_group_viewer_posts_and_attaches_nothing(self):
        wo = self.work_order.with_user(self.viewer)
        self.assertEqual(wo.name, self.work_order.name, "he reads it")
        self.assertEqual(wo._mail_get_operation_for_mail_message_operation("create")[wo], "write")
        wo.message_subscribe(partner_ids=self.viewer.partner_id.ids)  # following is reading
        before = self.work_order.message_ids
        with self.assertRaises(AccessError):
            wo.message_post(body="Group says hi", message_type="comment")
        with self.assertRaises(AccessError):
            wo.sudo().message_post(body="Group says hi", message_type="comment")  # /mail/message/post
        with self.assertRaises(AccessError):
            self.env["ir.attachment"].with_user(self.viewer).sudo().create(  # /mail/attachment/upload
                {"name": "x.txt", "raw": b"x", "res_model": "project.task", "res_id": wo.id}
            )
        with self.assertRaises(AccessError):
            wo.activity_schedule("mail.mail_activity_data_todo", user_id=self.viewer.id)
        with self.assertRaises(AccessError):
            wo.write({"description": "<p>Group was here</p>"})
        self.assertEqual(self.work_order.message_ids, before)
        self.assertFalse(self.work_order.activity_ids)
        self.assertNotIn("Group was here", str(self.work_order.description))
