from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SIGNATURE_PNG, JingpinWorkOrderCommon


@tagged("post_install", "-at_install")
class TestWorkOrderIntegrity(JingpinWorkOrderCommon):
    """The work order's rules hold through every door: a context key, a direct write of a control
    field, create, copy, unlink, archive, attachments, followers. Each refusal reads the data back."""

    def setUp(self):
        super().setUp()
        self.order, self.work_order = self._confirmed_order()
        self.work_order.with_user(self.specialist).technician_id = self.technician
        self.install_project = self.work_order.project_id
        self.handed_over_stage = self.env.ref("jingpin_accessories.task_type_handed_over")

    def test_a_context_key_opens_no_gate(self):
        wo = self.work_order
        for user in (self.technician, self.specialist, self.manager):
            for key in ("jingpin_workflow", "jingpin_server", "jingpin_sign"):
                with self.assertRaises(AccessError):
                    wo.with_user(user).with_context(**{key: True}).write({"stage_id": self.handed_over_stage.id})
        self.assertEqual(wo.work_state, "dispatched")

    def test_control_fields_are_not_writable(self):
        wo = self.work_order
        other_project = self.env["project.project"].create({"name": "Elsewhere", "company_id": self.company_a.id})
        attempts = {
            "work_state": "handed_over",
            "is_work_order": False,
            "project_id": other_project.id,
            "active": False,
            "date_started": "2020-01-01 00:00:00",
            "protective_set_on": "2020-01-01 00:00:00",
            "rework_count": 5,
            "accessory_order_id": False,
            "vehicle_id": False,
            "user_ids": [Command.clear()],
            "late_notified_promise": "2020-01-01 00:00:00",
            "key_flag_date": "2020-01-01",
        }
        for field_name, value in attempts.items():
            for user in (self.specialist, self.manager):
                with self.subTest(field=field_name, user=user.login), self.assertRaises(AccessError):
                    wo.with_user(user).write({field_name: value})
        self.env.invalidate_all()
        self.assertRecordValues(
            wo,
            [
                {
                    "work_state": "dispatched",
                    "is_work_order": True,
                    "project_id": self.install_project.id,
                    "active": True,
                    "date_started": False,
                    "protective_set_on": False,
                    "rework_count": 0,
                    "accessory_order_id": self.order.id,
                    "vehicle_id": self.car.id,
                    "user_ids": self.technician.ids,
                }
            ],
        )
        self.assertEqual(self.install_project.is_install_project, True)
        self.assertEqual(self.env.ref("jingpin_accessories.task_type_dispatched").work_state, "dispatched")

    def test_work_orders_come_only_from_dispatch(self):
        Task = self.env["project.task"]
        count = Task.search_count([("is_work_order", "=", True)])
        for user in (self.technician, self.specialist, self.manager):
            with self.assertRaises(AccessError):
                Task.with_user(user).create(
                    {
                        "name": "Private install",
                        "project_id": self.install_project.id,
                        "vehicle_id": self.car.id,
                        "technician_id": self.technician.id,
                    }
                )
            with self.assertRaises(AccessError):
                Task.with_user(user).with_context(default_project_id=self.install_project.id).create(
                    {"name": "Private install"}
                )
        other = Task.create({"name": "Other task", "project_id": self._other_project().id})
        with self.assertRaises(AccessError):
            other.with_user(self.specialist).write({"project_id": self.install_project.id})
        with self.assertRaises(UserError):
            self.work_order.with_user(self.specialist).copy()
        self.assertEqual(Task.search_count([("is_work_order", "=", True)]), count)

    def test_work_orders_are_never_deleted_or_archived(self):
        for user in (self.technician, self.specialist, self.manager):
            with self.assertRaises(UserError):
                self.work_order.with_user(user).unlink()
            with self.assertRaises(UserError):
                self.work_order.with_user(user).action_archive()
        self.assertTrue(self.work_order.exists().active)

    def test_cancelling_the_order_closes_its_work_and_returns_the_key(self):
        wo = self.work_order
        slot = self._free_key_slot(self.company_a)
        wo.with_user(self.technician).action_key_check_in(slot)
        bill = (
            self.env["jingpin.due.bill"]
            .with_user(self.specialist)
            .create(
                {
                    "vehicle_id": self.car.id,
                    "partner_id": self.customer.id,
                    "work_order_ids": [Command.set(wo.ids)],
                    "signature": SIGNATURE_PNG,
                }
            )
        )
        bill.action_sign()
        self.order.with_user(self.specialist)._action_cancel()
        self.assertEqual(wo.work_state, "cancelled")
        self.assertEqual(wo.key_state, "returned")
        self.assertFalse(slot.is_occupied)
        self.assertEqual(bill.state, "fitted")
        self.assertEqual(wo.key_log_ids[:1].action, "return")
        with self.assertRaises(UserError):
            wo.with_user(self.technician).action_key_check_in(slot)

    def test_handover_returns_the_key(self):
        wo = self.work_order
        self._start_work(wo)
        wo.with_user(self.technician).action_sign_completion()
        self._pass_inspection(wo)
        self._hand_over(wo)
        self.assertEqual(wo.key_state, "returned")
        self.assertFalse(self.env["jingpin.key.board"].search([("task_id", "=", wo.id)]))

    def test_signed_evidence_is_immutable(self):
        wo = self.work_order
        wo.with_user(self.technician).write({"protective_set_photo": SIGNATURE_PNG})
        self._start_work(wo)
        wo.with_user(self.technician).action_sign_completion()
        self._pass_inspection(wo)
        self._hand_over(wo)
        photo = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "project.task"),
                    ("res_id", "=", wo.id),
                    ("res_field", "=", "protective_set_photo"),
                ]
            )
        )
        sheet = wo.installation_sheet_id
        before = (photo.checksum, sheet.checksum)
        for user in (self.technician, self.specialist):
            with self.assertRaises(UserError):
                wo.with_user(user).write({"protective_set_photo": False})
            for attachment in (photo, sheet):
                with self.assertRaises(UserError):
                    attachment.with_user(user).write({"datas": SIGNATURE_PNG})
                with self.assertRaises(UserError):
                    attachment.with_user(user).unlink()
        self.assertEqual((photo.checksum, sheet.checksum), before)
        self.assertEqual(wo.seal_state, "intact")

    def test_checkpoints_come_from_the_workflow(self):
        wo = self.work_order
        self._start_work(wo)
        wo.with_user(self.technician).action_sign_completion()
        line = wo.current_inspection_line_ids[0]
        with self.assertRaises(UserError):
            self.env["jingpin.inspection.line"].with_user(self.specialist).create(
                {
                    "task_id": wo.id,
                    "round": 0,
                    "category": "function",
                    "name": "Extra",
                }
            )
        with self.assertRaises(AccessError):
            line.with_user(self.specialist).write({"round": 7})
        with self.assertRaises(UserError):
            line.with_user(self.specialist).unlink()
        self.assertEqual(line.round, 0)
        self.assertEqual(len(wo.current_inspection_line_ids), 4)

    def test_one_signature_per_step_even_at_the_same_moment(self):
        wo = self.work_order
        self._start_work(wo)
        wo.with_user(self.technician).action_sign_completion()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["jingpin.signature"]._jingpin_server().sudo().create(
                {
                    "task_id": wo.id,
                    "role": "completion",
                    "round": 0,
                    "user_id": self.technician.id,
                    "signer_name": "twice",
                    "content": "{}",
                }
            )
        self.assertEqual(len(wo.signature_ids), 1)

    def test_seal_is_keyed_chained_and_language_independent(self):
        wo = self.work_order
        self._start_work(wo)
        wo.with_user(self.technician).action_sign_completion()
        self._pass_inspection(wo)
        self._hand_over(wo)
        self.assertEqual(wo.seal_state, "intact")
        # the web client reads binary fields as sizes: the seal still holds
        self.assertEqual(wo.with_context(bin_size=True, lang="zh_CN").seal_state, "intact")
        # renaming an accessory is no change to what was signed
        self.mat.name = "Floor Mats, new name"
        self.env.invalidate_all()
        self.assertEqual(wo.seal_state, "intact")
        # a digest recomputed without the server's key is not a seal
        signature = wo.signature_ids[0]
        self.env.cr.execute(
            "UPDATE jingpin_signature SET signer_name = 'Someone else', digest = encode(sha256('x'), 'hex') "
            "WHERE id = %s",
            [signature.id],
        )
        self.env.invalidate_all()
        self.assertEqual(wo.seal_state, "broken")

    def test_stage_changes_are_recorded_in_the_dealerships_language(self):
        """An API client or a cron acts without the staff's language: what the chatter stores is
        still written in the dealership's language."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["jingpin_accessories"], ["zh_CN"], overwrite=True)
        self.company_a.partner_id.lang = "zh_CN"
        self.technician.lang = "en_US"
        # as on the next day: the work order was created in an earlier transaction
        self.env.flush_all()
        self.env.cr.precommit.clear()
        self._start_work(self.work_order.with_context(lang="en_US", tracking_disable=False))
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        tracked = self.work_order.message_ids.sudo().tracking_value_ids.filtered(
            lambda value: value.field_id.name == "stage_id"
        )
        self.assertEqual(tracked[:1].new_value_char, "施工中")

    def test_broken_chain_shows(self):
        wo = self.work_order
        self._start_work(wo)
        wo.with_user(self.technician).action_sign_completion()
        self._pass_inspection(wo)
        self.env.cr.execute(
            "UPDATE jingpin_signature SET previous_digest = NULL WHERE id = %s", [wo.signature_ids[1].id]
        )
        self.env.invalidate_all()
        self.assertEqual(wo.seal_state, "broken")

    def test_access_follows_the_current_assignment(self):
        wo = self.work_order
        self.assertTrue(wo.with_user(self.technician).has_access("read"))
        wo.with_user(self.specialist).technician_id = self.technician_2
        self.env.invalidate_all()
        self.assertFalse(wo.with_user(self.technician).has_access("read"))
        self.assertTrue(wo.with_user(self.technician_2).has_access("read"))
        with self.assertRaises(AccessError):
            wo.with_user(self.technician).message_subscribe(partner_ids=self.technician.partner_id.ids)

    def _other_project(self):
        return self.env["project.project"].create({"name": "Showroom", "company_id": self.company_a.id})

    def test_items_exceptions_and_slots_keep_their_rules(self):
        wo = self.work_order
        _other_order, other_wo = self._confirmed_order(self.dashcam)
        item = wo.work_item_ids[0]
        with self.assertRaises(AccessError):
            item.with_user(self.specialist).write({"task_id": other_wo.id})
        self.assertEqual(item.task_id, wo)
        exception = (
            self.env["jingpin.work.exception"]
            .with_user(self.specialist)
            .create(
                {
                    "task_id": wo.id,
                    "exception_type": "parts_missing",
                    "description": "Film out of stock",
                }
            )
        )
        with self.assertRaises(AccessError):
            exception.with_user(self.specialist).write({"state": "resolved"})
        with self.assertRaises(AccessError):
            exception.with_user(self.technician).action_resolve()
        self.assertEqual(exception.state, "open")
        exception.with_user(self.specialist).action_resolve()
        self.assertEqual(exception.state, "resolved")
        slot = self._free_key_slot(self.company_a)
        wo.with_user(self.technician).action_key_check_in(slot)
        with self.assertRaises(UserError):
            slot.with_user(self.manager).action_archive()
        with self.assertRaises(UserError):
            slot.with_user(self.manager).unlink()
        self.assertTrue(slot.active)

    def test_default_keys_reach_no_server_create(self):
        wo = self.work_order
        self._start_work(wo)
        wo.with_user(self.technician).with_context(
            default_result="pass",
            default_round=9,
            default_public=True,
        ).action_sign_completion()
        self.assertEqual(wo.current_inspection_line_ids.mapped("result"), [False] * 4)
        self.assertEqual(set(wo.inspection_line_ids.mapped("round")), {0})
        self._pass_inspection(wo)
        self._issue_parts(wo)
        self.env["jingpin.handover.wizard"].with_user(self.specialist).with_context(default_public=True).create(
            {
                "task_id": wo.id,
                "signer_name": "Customer Li",
                "signature": SIGNATURE_PNG,
            }
        ).action_confirm()
        self.assertFalse(wo.installation_sheet_id.public)
