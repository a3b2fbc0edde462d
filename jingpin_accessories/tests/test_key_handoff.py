from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import JingpinWorkOrderCommon


@tagged("post_install", "-at_install")
class TestKeyHandoff(JingpinWorkOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.slot = cls.env["jingpin.key.slot"].create({"name": "H-01", "company_id": cls.company_a.id})
        _order, cls.work_order = cls._confirmed_order()
        cls.work_order.with_user(cls.specialist).technician_id = cls.technician
        cls.work_order.with_user(cls.technician).action_key_check_in(cls.slot)
        cls.work_order.with_user(cls.technician).action_key_check_out(cls.technician)

    def _board(self, user):
        return self.env["jingpin.key.board"].with_user(user).search([("vehicle_id", "=", self.car.id)])

    def _offer(self, giver, receiver):
        """As the giver does it on his phone: Keys Out › Hand Over, choose the receiver, Register."""
        action = self._board(giver).action_open_handoff()
        wizard = Form(self.env[action["res_model"]].with_user(giver).with_context(**action["context"]))
        self.assertEqual(wizard.action, "handoff")
        wizard.receiver_id = receiver
        wizard.save().action_confirm()
        return self.env["jingpin.key.handoff"].search([("vehicle_id", "=", self.car.id)], limit=1)

    def test_receiver_confirms_and_becomes_the_holder(self):
        handoff = self._offer(self.technician, self.technician_2)
        self.assertEqual(handoff.state, "pending")
        # until he confirms, the giver still holds the key; the board says to whom it is going
        self.assertEqual(self.work_order.key_holder_id, self.technician)
        self.assertRecordValues(
            self._board(self.technician),
            [{"holder_id": self.technician.id, "pending_to_id": self.technician_2.id, "can_cancel": True}],
        )
        line = self._board(self.technician_2)
        self.assertTrue(line.can_answer)
        self.assertFalse(line.can_hand_over)
        todo = self.work_order.activity_ids.filtered(lambda a: a.user_id == self.technician_2)
        self.assertEqual(len(todo), 1, "the receiver is asked to confirm")
        line.action_confirm_handoff()
        self.assertEqual(handoff.state, "confirmed")
        self.assertEqual(self.work_order.key_state, "out")
        self.assertEqual(self.work_order.key_holder_id, self.technician_2)
        self.assertRecordValues(
            handoff.done_log_id,
            [
                {
                    "action": "handoff",
                    "holder_id": self.technician_2.id,
                    "handoff_from_id": self.technician.id,
                    "done_by_id": self.technician_2.id,
                    "slot_id": self.slot.id,
                }
            ],
        )
        self.assertFalse(todo.exists(), "the question is closed with its answer")
        self.assertFalse(self._board(self.technician).pending_to_id)
        # back into the box as usual (by the work order's people)
        self.work_order.with_user(self.specialist).action_key_check_in(self.slot)
        self.assertEqual(self.work_order.key_state, "in_box")

    def test_only_the_receiver_answers(self):
        handoff = self._offer(self.technician, self.technician_2)
        for user in (self.technician, self.specialist, self.manager):
            with self.assertRaises(AccessError):
                handoff.with_user(user).action_confirm()
            with self.assertRaises(AccessError):
                handoff.with_user(user).action_decline()
        handoff.with_user(self.technician_2).action_decline()
        self.assertEqual(handoff.state, "declined")
        self.assertEqual(self.work_order.key_holder_id, self.technician)
        with self.assertRaisesRegex(UserError, "already"):
            handoff.with_user(self.technician_2).action_confirm()
        self.assertEqual(self.work_order.key_holder_id, self.technician)

    def test_only_the_holder_offers_to_a_colleague(self):
        Handoff = self.env["jingpin.key.handoff"]
        with self.assertRaisesRegex(UserError, "Only the person holding the key"):
            Handoff.with_user(self.technician_2)._offer(self.work_order, self.specialist)
        with self.assertRaisesRegex(UserError, "staff member"):
            Handoff.with_user(self.technician)._offer(self.work_order, self.specialist_b)
        with self.assertRaisesRegex(UserError, "already hold"):
            Handoff.with_user(self.technician)._offer(self.work_order, self.technician)
        self._offer(self.technician, self.technician_2)
        with self.assertRaisesRegex(UserError, "already offered"):
            Handoff.with_user(self.technician)._offer(self.work_order, self.specialist)
        # nobody writes a handoff or its state himself
        with self.assertRaises(AccessError):
            Handoff.with_user(self.specialist).create(
                {
                    "vehicle_id": self.car.id,
                    "company_id": self.company_a.id,
                    "giver_id": self.technician.id,
                    "receiver_id": self.specialist.id,
                }
            )
        with self.assertRaises(AccessError):
            Handoff.search([]).with_user(self.manager).write({"state": "confirmed"})

    def test_giver_cancels_or_the_key_moves(self):
        handoff = self._offer(self.technician, self.technician_2)
        with self.assertRaises(AccessError):
            handoff.with_user(self.technician_2).action_cancel()
        self._board(self.technician).action_cancel_handoff()
        self.assertEqual(handoff.state, "cancelled")
        handoff = self._offer(self.technician, self.technician_2)
        # the giver puts the key back into the box: the offer is over
        self.work_order.with_user(self.technician).action_key_check_in(self.slot)
        self.assertEqual(handoff.state, "cancelled")
        with self.assertRaisesRegex(UserError, "already"):
            handoff.with_user(self.technician_2).action_confirm()
        self.assertEqual(self.work_order.key_state, "in_box")

    def test_day_end_sweep_lists_pending_handoffs(self):
        self._offer(self.technician, self.specialist)
        self.env["project.task"]._cron_flag_keys_not_with_specialist()
        todo = self.work_order.activity_ids.filtered(
            lambda a: a.user_id == self.specialist and "Take back" in (a.summary or "")
        )
        self.assertEqual(len(todo), 1, "a key offered to the specialist is not his until he confirms")
        self.assertIn("not confirmed yet", str(todo.note))
        self.assertIn(self.car, self.env["jingpin.key.board"].search([]).vehicle_id)
