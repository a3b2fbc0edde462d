import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SIGNATURE_PNG, JingpinWorkOrderCommon

PHOTOS = ("protective_set_photo", "condition_before_photo", "condition_after_photo")


@tagged("post_install", "-at_install")
class TestTechnicianPhone(JingpinWorkOrderCommon):
    """What the technician's phone relies on, refused on the server whatever the client sends: the
    photos before signing, the scanned QR codes of work orders and key tags, the links."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.slot = cls._free_key_slot(cls.company_a)
        cls.car_2 = cls.env["jingpin.vehicle"].create(
            {"vin": "LVGBE40K8GP654321", "license_plate": "京B54321", "model_id": cls.camry.id}
        )
        cls.car_b = cls.env["jingpin.vehicle"].create(
            {
                "vin": "LVGBE40K8GP777777",
                "license_plate": "京C77777",
                "model_id": cls.camry.id,
                "company_id": cls.company_b.id,
            }
        )
        _order, cls.work_order = cls._confirmed_order()
        cls.work_order.with_user(cls.specialist).technician_id = cls.technician
        _order, cls.work_order_2 = cls._confirmed_order(vehicle=cls.car_2)
        cls.work_order_2.with_user(cls.specialist).technician_id = cls.technician_2

    def _started_without_photos(self):
        self._start_work(self.work_order)
        self.work_order.with_user(self.technician).write(dict.fromkeys(PHOTOS, False))
        return self.work_order.with_user(self.technician)

    # === photos before signing === #
    def test_completion_is_signed_only_with_its_photos(self):
        wo = self._started_without_photos()
        wo.protective_set_photo = SIGNATURE_PNG
        with self.assertRaisesRegex(UserError, "Condition Before, Condition After") as refused:
            wo.action_sign_completion()
        self.assertNotIn("Protective Set Photo", str(refused.exception))
        self.assertFalse(wo.signature_ids)
        self.assertEqual(wo.work_state, "in_progress")
        wo.write({"condition_before_photo": SIGNATURE_PNG, "condition_after_photo": SIGNATURE_PNG})
        wo.action_sign_completion()
        self.assertEqual(wo.work_state, "inspection")
        # the photos are in the seal of the completion
        self.assertTrue(all(json.loads(wo.signature_ids.content)["photos"][fname] for fname in PHOTOS))

    def test_final_inspection_is_signed_only_with_each_checkpoint_photo(self):
        self._start_work(self.work_order)
        wo = self.work_order
        wo.with_user(self.technician).action_sign_completion()
        lines = wo.current_inspection_line_ids.with_user(self.specialist)
        lines.write({"result": "pass"})
        lines[1:].write({"photo": SIGNATURE_PNG})
        with self.assertRaisesRegex(UserError, lines[0].name):
            wo.with_user(self.specialist).action_sign_inspection()
        self.assertEqual(wo.work_state, "inspection")
        self.assertEqual(len(wo.signature_ids), 1)
        lines[0].photo = SIGNATURE_PNG
        wo.with_user(self.specialist).action_sign_inspection()
        self.assertEqual(wo.work_state, "ready")

    # === the key tag's QR code === #
    def _key_wizard(self, key_tag):
        return (
            self.env["jingpin.key.move.wizard"]
            .with_user(self.technician)
            .create(
                {
                    "task_id": self.work_order.id,
                    "action": "check_in",
                    "slot_id": self.slot.id,
                    "key_tag_id": key_tag.id,
                }
            )
        )

    def test_scanned_key_tag_of_this_car_checks_the_key_in(self):
        Vehicle = self.env["jingpin.vehicle"].with_user(self.technician)
        scan = Vehicle.with_context(jingpin_scan=True, jingpin_scan_task_id=self.work_order.id)
        self.assertEqual(scan.name_search(self.car.scan_code), [(self.car.id, self.car.display_name)])
        self._key_wizard(self.car).action_confirm()
        self.assertEqual(self.work_order.key_state, "in_box")
        self.assertEqual(self.work_order.key_log_ids.slot_id, self.slot)

    def test_key_tag_of_another_car_or_dealership_is_refused(self):
        scan = (
            self.env["jingpin.vehicle"]
            .with_user(self.technician)
            .with_context(jingpin_scan=True, jingpin_scan_task_id=self.work_order.id)
        )
        with self.assertRaisesRegex(UserError, "is the key of Camry 京B54321, not of the car of work order"):
            scan.name_search(self.car_2.scan_code)
        with self.assertRaisesRegex(UserError, "another dealership \\(Dealership B\\)"):
            scan.name_search(self.car_b.scan_code)
        # sent without scanning (JSON-2): the dialog refuses it the same, and registers nothing
        with self.assertRaisesRegex(UserError, "is the key of Camry 京B54321"):
            self._key_wizard(self.car_2).action_confirm()
        with self.assertRaisesRegex(UserError, "another dealership"):
            self._key_wizard(self.car_b.sudo()).action_confirm()
        self.assertFalse(self.work_order.key_log_ids)
        self.assertEqual(self.work_order.key_state, "none")

    # === the installation sheet's QR code === #
    def test_scanned_work_order_opens_in_its_own_form(self):
        Task = self.env["project.task"].with_user(self.technician).with_context(jingpin_scan=True)
        self.assertEqual(Task.name_search(self.work_order.scan_code), [(self.work_order.id, self.work_order.name)])
        wizard = self.env["jingpin.work.order.scan.wizard"].with_user(self.technician)
        action = wizard.create({"task_id": self.work_order.id}).action_open()
        self.assertEqual(action["res_id"], self.work_order.id)
        self.assertEqual(
            action["views"], [(self.env.ref("jingpin_accessories.project_task_view_form_work_order").id, "form")]
        )

    def test_scanned_work_order_of_someone_else_is_refused(self):
        Task = self.env["project.task"].with_user(self.technician).with_context(jingpin_scan=True)
        with self.assertRaisesRegex(UserError, "is not yours to use here"):
            Task.name_search(self.work_order_2.scan_code)
        with self.assertRaisesRegex(UserError, "names nothing known here"):
            Task.name_search("JPW99999999")
        wizard = self.env["jingpin.work.order.scan.wizard"].with_user(self.technician)
        with self.assertRaises(AccessError):
            wizard.create({"task_id": self.work_order_2.id}).action_open()

    # === links === #
    def test_notification_link_opens_the_work_order_action(self):
        action = self.work_order._get_access_action(access_uid=self.technician.id)
        self.assertEqual(action["url"], f"/odoo/my-work-orders/{self.work_order.id}")
        action = self.work_order._get_access_action(access_uid=self.specialist.id)
        self.assertEqual(action["url"], f"/odoo/accessory-work-orders/{self.work_order.id}")

    def test_activities_on_work_orders_open_their_views(self):
        self.work_order.activity_schedule("mail.mail_activity_data_todo", user_id=self.technician.id)
        [group] = [
            g
            for g in self.env["res.users"].with_user(self.technician)._get_activity_groups()
            if g["model"] == "project.task"
        ]
        form = self.env.ref("jingpin_accessories.project_task_view_form_work_order").id
        self.assertIn([form, "form"], group["jingpin_views"])
        # a plain task among them: Odoo's own views
        admin = self.env.ref("base.user_admin")
        project = self.env["project.project"].create({"name": "Plain Project"})
        task = self.env["project.task"].create({"name": "Plain", "project_id": project.id})
        (task | self.work_order).activity_schedule("mail.mail_activity_data_todo", user_id=admin.id)
        groups = self.env["res.users"].with_user(admin)._get_activity_groups()
        [group] = [g for g in groups if g["model"] == "project.task"]
        self.assertNotIn("jingpin_views", group)

    def test_sheet_and_key_tag_print_their_qr_codes(self):
        tag = self.work_order.with_user(self.technician).action_print_key_tag()
        report = self.env["ir.actions.report"]._get_report_from_name(tag["report_name"])
        html, _fmt = report.with_user(self.technician)._render_qweb_html(report, self.work_order.ids)
        # the QR code is in the page (a PDF is rendered without a server to fetch it from)
        self.assertIn(self.car.scan_qr.encode(), html)
        self.assertIn(self.car.scan_code.encode(), html)
        sheet = self.env.ref("jingpin_accessories.action_report_installation_sheet")
        html, _fmt = sheet.with_user(self.technician)._render_qweb_html(sheet, self.work_order.ids)
        self.assertIn(self.work_order.scan_qr.encode(), html)
        self.assertTrue(self.work_order.scan_qr.startswith("data:image/png;base64,"))
