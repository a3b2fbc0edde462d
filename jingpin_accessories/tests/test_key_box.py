from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import JingpinWorkOrderCommon


@tagged("post_install", "-at_install")
class TestKeyBox(JingpinWorkOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.slot_1, cls.slot_2 = cls.env["jingpin.key.slot"].create(
            [
                {"name": "T-01", "company_id": cls.company_a.id},
                {"name": "T-02", "company_id": cls.company_a.id},
            ]
        )
        cls.slot_b = cls.env["jingpin.key.slot"].create({"name": "T-B1", "company_id": cls.company_b.id})
        cls.car_2 = cls.env["jingpin.vehicle"].create(
            {
                "vin": "LVGBE40K8GP654321",
                "license_plate": "京B54321",
                "model_id": cls.camry.id,
                "partner_id": cls.customer.id,
            }
        )
        _order, cls.work_order = cls._confirmed_order()
        cls.work_order.with_user(cls.specialist).technician_id = cls.technician
        _order, cls.work_order_2 = cls._confirmed_order(vehicle=cls.car_2)
        cls.work_order_2.with_user(cls.specialist).technician_id = cls.technician_2

    def _board(self):
        return self.env["jingpin.key.board"].search([("vehicle_id", "in", (self.car | self.car_2).ids)])

    def test_check_in_and_out(self):
        work_order = self.work_order.with_user(self.technician)
        self.assertEqual(work_order.key_state, "none")
        log = work_order.action_key_check_in(self.slot_1)
        self.assertRecordValues(
            log,
            [
                {
                    "action": "check_in",
                    "slot_id": self.slot_1.id,
                    "vehicle_id": self.car.id,
                    "task_id": self.work_order.id,
                    "done_by_id": self.technician.id,
                    "holder_id": False,
                    "company_id": self.company_a.id,
                }
            ],
        )
        self.assertEqual(work_order.key_state, "in_box")
        self.assertEqual(work_order.key_slot_id, self.slot_1)
        self.assertEqual(self.slot_1.vehicle_id, self.car)
        self.assertIn(self.slot_2, self.env["jingpin.key.slot"].search([("is_occupied", "=", False)]))
        self.assertNotIn(self.slot_1, self.env["jingpin.key.slot"].search([("is_occupied", "=", False)]))
        work_order.action_key_check_out(self.technician)
        self.assertEqual(work_order.key_state, "out")
        self.assertEqual(work_order.key_holder_id, self.technician)
        self.assertFalse(self.slot_1.is_occupied)
        self.assertEqual(work_order.key_log_ids.mapped("action"), ["check_out", "check_in"])

    def test_technician_moves_the_key_with_the_wizard(self):
        work_order = self.work_order.with_user(self.technician)
        action = work_order.action_open_key_wizard()
        wizard = Form(self.env[action["res_model"]].with_user(self.technician).with_context(**action["context"]))
        self.assertEqual(wizard.action, "check_in")
        self.assertEqual(wizard.slot_id, self.slot_1, "the first free slot is proposed")
        wizard.slot_id = self.slot_2
        wizard.save().action_confirm()
        self.assertEqual(work_order.key_slot_id, self.slot_2)
        action = work_order.action_open_key_wizard()
        wizard = Form(self.env[action["res_model"]].with_user(self.technician).with_context(**action["context"]))
        self.assertEqual(wizard.action, "check_out")
        self.assertEqual(wizard.holder_id, self.technician)
        wizard.save().action_confirm()
        self.assertEqual(work_order.key_holder_id, self.technician)

    def _proposed_slot(self, work_order):
        action = work_order.with_user(self.specialist).action_open_key_wizard()
        return self.env[action["res_model"]].with_user(self.specialist).with_context(**action["context"]).create({})

    def test_wizard_keeps_the_slot_of_a_key_out(self):
        """A slot left empty by a key that is out is kept for its return: another car's key is
        offered a free slot, and the key coming back is offered its own slot."""
        self.work_order.with_user(self.specialist).action_key_check_in(self.slot_1)
        self.work_order.with_user(self.technician).action_key_check_out(self.technician)
        self.assertEqual(self._proposed_slot(self.work_order_2).slot_id, self.slot_2)
        self.assertEqual(self._proposed_slot(self.work_order).slot_id, self.slot_1, "back to its own slot")
        self.work_order_2.with_user(self.specialist).action_key_check_in(self.slot_2)
        self.assertEqual(self._proposed_slot(self.work_order).slot_id, self.slot_1)

    def test_second_holder_refused(self):
        self.work_order.with_user(self.specialist).action_key_check_in(self.slot_1)
        self.work_order.with_user(self.technician).action_key_check_out(self.technician)
        with self.assertRaisesRegex(UserError, "not in the key box"):
            self.work_order.with_user(self.specialist).action_key_check_out(self.specialist)
        self.assertEqual(self.work_order.key_holder_id, self.technician)

    def test_double_check_in_refused(self):
        self.work_order.with_user(self.technician).action_key_check_in(self.slot_1)
        with self.assertRaisesRegex(UserError, "already in the key box"):
            self.work_order.with_user(self.technician).action_key_check_in(self.slot_2)

    def test_slot_holds_one_key(self):
        self.work_order.with_user(self.specialist).action_key_check_in(self.slot_1)
        with self.assertRaisesRegex(UserError, "already holds the key"):
            self.work_order_2.with_user(self.specialist).action_key_check_in(self.slot_1)
        self.work_order_2.with_user(self.specialist).action_key_check_in(self.slot_2)

    def test_register_cannot_be_changed_or_deleted(self):
        log = self.work_order.with_user(self.technician).action_key_check_in(self.slot_1)
        for user in (self.manager, self.gm):
            with self.assertRaisesRegex(UserError, "cannot be changed"):
                log.with_user(user).write({"holder_id": self.specialist.id})
            with self.assertRaises(AccessError):
                log.with_user(user).unlink()
        # not even the superuser
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            log.sudo().write({"date": "2020-01-01 00:00:00"})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            log.sudo().unlink()
        self.assertTrue(log.exists())

    def test_time_and_registrar_come_from_the_server(self):
        Log = self.env["jingpin.key.log"]
        for user in (self.specialist, self.manager):
            with self.assertRaises(AccessError):
                Log.with_user(user).create(
                    {
                        "vehicle_id": self.car.id,
                        "task_id": self.work_order.id,
                        "action": "check_in",
                        "slot_id": self.slot_1.id,
                        "date": "2020-01-01 00:00:00",
                        "done_by_id": self.gm.id,
                    }
                )
        self.assertFalse(Log.search([("vehicle_id", "=", self.car.id)]))
        with freeze_time("2026-03-02 09:00:00"):
            log = (
                self.work_order.with_user(self.specialist)
                .with_context(
                    default_date="2020-01-01 00:00:00",
                    default_done_by_id=self.gm.id,
                )
                .action_key_check_in(self.slot_1)
            )
        self.assertEqual(log.date, datetime(2026, 3, 2, 9, 0))
        self.assertEqual(log.done_by_id, self.specialist)

    def test_start_needs_the_key_in_the_box(self):
        work_order = self.work_order.with_user(self.technician)
        work_order.action_confirm_protective_set()
        with self.assertRaisesRegex(UserError, "Check the key of .* into the key box"):
            work_order.action_start()
        work_order.action_key_check_in(self.slot_1)
        work_order.action_start()
        self.assertEqual(work_order.work_state, "in_progress")

    def test_day_end_flags_keys_not_with_the_specialist(self):
        self.work_order.with_user(self.technician).action_key_check_in(self.slot_1)
        self.work_order_2.with_user(self.technician_2).action_key_check_in(self.slot_2)
        self.work_order_2.with_user(self.specialist).action_key_check_out(self.specialist)
        Task = self.env["project.task"]
        with freeze_time("2026-03-02 10:00:00"):
            Task._cron_flag_keys_not_with_specialist()
            Task._cron_flag_keys_not_with_specialist()
        flagged = self.work_order.activity_ids
        self.assertEqual(len(flagged), 1, "flagged once a day")
        self.assertEqual(flagged.user_id, self.specialist)
        self.assertIn("Take back the key", flagged.summary)
        self.assertFalse(self.work_order_2.activity_ids, "the key is with its specialist")
        with freeze_time("2026-03-03 10:00:00"):
            Task._cron_flag_keys_not_with_specialist()
        self.assertEqual(len(self.work_order.activity_ids), 2, "flagged again the next day")

    def test_board_shows_keys_out_and_for_how_long(self):
        with freeze_time("2026-03-02 08:00:00"):
            self.work_order.with_user(self.technician).action_key_check_in(self.slot_1)
            self.work_order_2.with_user(self.technician_2).action_key_check_in(self.slot_2)
            self.work_order.with_user(self.technician).action_key_check_out(self.technician)
        with freeze_time("2026-03-02 09:30:00"):
            self.work_order_2.with_user(self.technician_2).action_key_check_out(self.technician_2)
        with freeze_time("2026-03-02 11:00:00"):
            board = (
                self.env["jingpin.key.board"]
                .with_user(self.specialist)
                .search(
                    [("vehicle_id", "in", (self.car | self.car_2).ids)],
                    order="date_out",
                )
            )
            self.assertRecordValues(
                board,
                [
                    {
                        "vehicle_id": self.car.id,
                        "holder_id": self.technician.id,
                        "slot_id": self.slot_1.id,
                        "date_out": datetime(2026, 3, 2, 8, 0),
                        "duration_hours": 3.0,
                    },
                    {
                        "vehicle_id": self.car_2.id,
                        "holder_id": self.technician_2.id,
                        "slot_id": self.slot_2.id,
                        "date_out": datetime(2026, 3, 2, 9, 30),
                        "duration_hours": 1.5,
                    },
                ],
            )
        self.work_order.with_user(self.technician).action_key_check_in(self.slot_1)
        self.assertEqual(self._board().vehicle_id, self.car_2)

    def test_technician_moves_only_keys_of_his_work_orders(self):
        self.work_order.with_user(self.specialist).action_key_check_in(self.slot_1)
        with self.assertRaises(AccessError):
            self.work_order.with_user(self.technician_2).action_key_check_out(self.technician_2)
        with self.assertRaises(AccessError):
            self.env["jingpin.key.log"].with_user(self.technician).create(
                {
                    "vehicle_id": self.car.id,
                    "task_id": self.work_order.id,
                    "action": "check_out",
                    "holder_id": self.technician.id,
                }
            )
        self.work_order.with_user(self.technician).action_key_check_out(self.technician)
        self.assertEqual(self.work_order.key_holder_id, self.technician)

    def test_group_viewer_reads_but_cannot_write(self):
        log = self.work_order.with_user(self.specialist).action_key_check_in(self.slot_1)
        self.assertEqual(log.with_user(self.viewer).read(["action"])[0]["action"], "check_in")
        self.assertIn(self.slot_b, self.env["jingpin.key.slot"].with_user(self.viewer).search([]))
        with self.assertRaises(AccessError):
            self.env["jingpin.key.slot"].with_user(self.viewer).create({"name": "V-01"})
        with self.assertRaises(AccessError):
            self.slot_1.with_user(self.viewer).write({"name": "V-02"})
        with self.assertRaises(AccessError):
            self.work_order.with_user(self.viewer).action_key_check_out(self.viewer)

    def test_dealerships_keep_their_own_key_boxes(self):
        log = self.work_order.with_user(self.specialist).action_key_check_in(self.slot_1)
        Slot = self.env["jingpin.key.slot"].with_user(self.specialist_b)
        self.assertEqual(Slot.search([("name", "like", "T-")]), self.slot_b)
        self.assertFalse(self.env["jingpin.key.log"].with_user(self.specialist_b).search([("id", "=", log.id)]))
        with self.assertRaises(AccessError):
            log.with_user(self.specialist_b).read(["action"])
        self.work_order.with_user(self.specialist).action_key_check_out(self.specialist)
        with self.assertRaises(UserError):
            self.work_order.action_key_check_in(self.slot_b)
        self.assertEqual(self.work_order.key_log_ids[:1].action, "check_out")
