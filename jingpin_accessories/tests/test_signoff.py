from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SIGNATURE_PNG, JingpinWorkOrderCommon


@tagged("post_install", "-at_install")
class TestSignOff(JingpinWorkOrderCommon):
    PHOTO = SIGNATURE_PNG  # any PNG will do

    def setUp(self):
        super().setUp()
        _order, self.work_order = self._confirmed_order()
        self._start_work(self.work_order)

    def test_whole_chain_in_order(self):
        wo = self.work_order
        with freeze_time("2026-11-26 10:00:00"):
            wo.with_user(self.technician).action_sign_completion()
        self.assertEqual(wo.work_state, "inspection")
        self.assertEqual(len(wo.current_inspection_line_ids), 2 + 2, "one per item, condition, cleanliness")
        self.assertEqual(
            set(wo.current_inspection_line_ids.mapped("category")), {"function", "condition", "cleanliness"}
        )
        with freeze_time("2026-11-26 11:00:00"):
            self._pass_inspection(wo)
        self.assertEqual(wo.work_state, "ready")
        with freeze_time("2026-11-26 12:00:00"):
            self._hand_over(wo)
        self.assertEqual(wo.work_state, "handed_over")
        self.assertRecordValues(
            wo.signature_ids,
            [
                {
                    "role": "completion",
                    "user_id": self.technician.id,
                    "signer_name": self.technician.name,
                    "result": False,
                },
                {
                    "role": "inspection",
                    "user_id": self.specialist.id,
                    "signer_name": self.specialist.name,
                    "result": "pass",
                },
                {"role": "handover", "user_id": self.specialist.id, "signer_name": "Customer Li", "result": False},
            ],
        )
        self.assertEqual(
            [str(s.signed_on) for s in wo.signature_ids],
            ["2026-11-26 10:00:00", "2026-11-26 11:00:00", "2026-11-26 12:00:00"],
        )
        self.assertEqual(wo.signature_ids[2].partner_id, self.customer)
        digests = wo.signature_ids.mapped("digest")
        self.assertEqual(len(set(digests)), 3)
        self.assertEqual(wo.signature_ids[1].previous_digest, digests[0], "each seal covers the one before")
        self.assertEqual(wo.seal_state, "intact")
        self.assertTrue(wo.installation_sheet_id)
        sheet = wo.installation_sheet_id.raw.decode()
        for text in ("Camry Floor Mats", "Customer Li", self.technician.name, digests[2][:16]):
            self.assertIn(text, sheet)

    def test_signature_time_is_the_servers(self):
        with freeze_time("2026-11-26 10:00:00"):
            self.work_order.with_user(self.technician).action_sign_completion()
        signature = self.work_order.signature_ids
        self.assertEqual(str(signature.signed_on), "2026-11-26 10:00:00")
        with self.assertRaises(UserError):
            self.env["jingpin.signature"].with_user(self.technician).create(
                {
                    "task_id": self.work_order.id,
                    "role": "completion",
                    "signer_name": "x",
                    "user_id": self.technician.id,
                    "content": "{}",
                    "signed_on": "2020-01-01 00:00:00",
                }
            )

    def test_nobody_signs_for_someone_else(self):
        with self.assertRaisesRegex(AccessError, "Nobody signs for someone else"):
            self.work_order.with_user(self.technician_2).action_sign_completion()
        with self.assertRaisesRegex(AccessError, "Nobody signs for someone else"):
            self.work_order.with_user(self.specialist).action_sign_completion()
        self.work_order.with_user(self.technician).action_sign_completion()
        self.work_order.current_inspection_line_ids.with_user(self.specialist).write({"result": "pass"})
        with self.assertRaises(AccessError):
            self.work_order.with_user(self.technician).action_sign_inspection()

    def test_no_signing_out_of_order_or_afterwards(self):
        wo = self.work_order
        with self.assertRaisesRegex(UserError, "not waiting for its final inspection"):
            wo.with_user(self.specialist).action_sign_inspection()
        with self.assertRaisesRegex(UserError, "not ready for handover"):
            self._hand_over(wo)
        with self.assertRaisesRegex(UserError, "signatures follow the process"):
            wo.with_user(self.specialist)._sign("inspection", "x")
        wo.with_user(self.technician).action_sign_completion()
        with self.assertRaisesRegex(UserError, "not in progress"):
            wo.with_user(self.technician).action_sign_completion()
        self._pass_inspection(wo)
        with self.assertRaisesRegex(UserError, "signatures follow the process"):
            wo.with_user(self.technician)._sign("completion", "late signature")
        self._hand_over(wo)
        with self.assertRaisesRegex(UserError, "none, the work order is handed over"):
            wo.with_user(self.specialist)._sign("handover", "again")

    def test_signatures_cannot_be_edited_or_deleted(self):
        self.work_order.with_user(self.technician).action_sign_completion()
        signature = self.work_order.signature_ids
        for user in (self.technician, self.specialist, self.manager):
            with self.assertRaises(UserError):  # AccessError is a UserError
                signature.with_user(user).write({"signed_on": "2020-01-01 00:00:00"})
            with self.assertRaises(UserError):  # AccessError is a UserError
                signature.with_user(user).unlink()
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            signature.sudo().write({"signed_on": "2020-01-01 00:00:00"})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            signature.sudo().unlink()

    def test_signed_content_is_locked_and_a_change_breaks_the_seal(self):
        wo = self.work_order
        wo.with_user(self.technician).action_sign_completion()
        self.assertEqual(wo.seal_state, "intact")
        with self.assertRaisesRegex(UserError, "signed and locked"):
            wo.work_item_ids[0].with_user(self.specialist).write({"quantity": 2})
        with self.assertRaisesRegex(UserError, "signed and locked"):
            wo.work_item_ids[0].with_user(self.specialist).unlink()
        with self.assertRaises(AccessError):
            wo.with_user(self.specialist).write({"partner_id": self.consultant.partner_id.id})
        # A change made behind the application's back (directly in the database) shows.
        self.env.cr.execute("UPDATE jingpin_work_item SET quantity = 3 WHERE id = %s", [wo.work_item_ids[0].id])
        self.env.invalidate_all()
        self.assertEqual(wo.seal_state, "broken")
        self.assertFalse(wo.signature_ids.seal_ok)

    def test_failed_inspection_sends_the_work_back(self):
        wo = self.work_order
        wo.with_user(self.technician).action_sign_completion()
        lines = wo.current_inspection_line_ids.with_user(self.specialist)
        lines.write({"result": "pass", "photo": SIGNATURE_PNG})
        lines.filtered(lambda line: line.category == "cleanliness").write(
            {"result": "fail", "note": "Dust on dashboard"}
        )
        with self.assertRaisesRegex(UserError, "as passed or failed"):
            lines[0].write({"result": False})
            wo.with_user(self.specialist).action_sign_inspection()
        lines[0].write({"result": "pass"})
        wo.with_user(self.specialist).action_sign_inspection()
        self.assertEqual(wo.work_state, "in_progress")
        self.assertEqual(wo.rework_count, 1)
        self.assertEqual(wo.signature_ids[-1].result, "fail")
        self.assertTrue(wo.activity_ids.filtered(lambda a: a.user_id == self.technician))
        self.assertFalse(any(wo.current_inspection_line_ids.mapped("result")), "a new round of checkpoints")
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            (wo.inspection_line_ids - wo.current_inspection_line_ids)[0].with_user(self.specialist).write(
                {"result": "pass"}
            )
        # Second round: the technician signs again, the inspection passes, the seal holds.
        wo.with_user(self.technician).action_sign_completion()
        self._pass_inspection(wo)
        self.assertEqual(wo.work_state, "ready")
        self.assertEqual(wo.seal_state, "intact")

    def test_handover_needs_the_customers_signature(self):
        wo = self.work_order
        wo.with_user(self.technician).action_sign_completion()
        self._pass_inspection(wo)
        self._issue_parts(wo)
        with self.assertRaisesRegex(UserError, "must sign"):
            wo.with_user(self.specialist)._handover("Customer Li", False)
        with self.assertRaises(AccessError):
            wo.with_user(self.technician)._handover("Customer Li", "abc")

    def test_photo_evidence(self):
        wo = self.work_order
        wo.with_user(self.technician).write(
            {
                "protective_set_photo": self.PHOTO,
                "condition_before_photo": self.PHOTO,
                "condition_after_photo": self.PHOTO,
            }
        )
        self.assertTrue(wo.protective_set_photo and wo.condition_before_photo and wo.condition_after_photo)
        wo.with_user(self.technician).action_sign_completion()
        checkpoint = wo.current_inspection_line_ids.filtered(lambda line: line.category == "condition")
        checkpoint.with_user(self.specialist).write({"photo": self.PHOTO, "result": "pass"})
        self._pass_inspection(wo)
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            checkpoint.with_user(self.specialist).write({"photo": False})
