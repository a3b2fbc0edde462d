from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import SIGNATURE_PNG, JingpinWorkOrderCommon


@tagged("post_install", "-at_install")
class TestWorkshopDay(JingpinWorkOrderCommon):
    """The workshop's day, walked by each role (issue 20), and what the technician, the dealer
    group and the other dealership must not do (issue 19)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.slot_1, cls.slot_2 = cls.env["jingpin.key.slot"].create(
            [
                {"name": "W-01", "company_id": cls.company_a.id},
                {"name": "W-02", "company_id": cls.company_a.id},
            ]
        )
        cls.car_2 = cls.env["jingpin.vehicle"].create(
            {
                "vin": "LVGBE40K8GP765432",
                "license_plate": "京C76543",
                "model_id": cls.camry.id,
                "partner_id": cls.customer.id,
            }
        )
        cls.order, cls.work_order = cls._confirmed_order()
        cls.work_order.with_user(cls.specialist).technician_id = cls.technician
        cls.env["hr.employee"].create(
            {"name": "Technician One", "user_id": cls.technician.id, "company_id": cls.company_a.id}
        )
        cls.technician_b = new_test_user(
            cls.env,
            login="jp_tech_b",
            groups="jingpin_accessories.group_jingpin_technician",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.project_manager = new_test_user(cls.env, login="jp_pm", groups="project.group_project_manager")

    def _ready(self, work_order):
        self._start_work(work_order)
        work_order.with_user(work_order.technician_id).action_sign_completion()
        self._pass_inspection(work_order)
        self.assertEqual(work_order.work_state, "ready")

    # === key box === #
    def test_key_out_stays_on_the_overview_when_its_slot_is_given_to_another_car(self):
        self.work_order.with_user(self.technician).action_key_check_in(self.slot_1)
        self.work_order.with_user(self.specialist).action_key_check_out(self.technician)
        _order, work_order_2 = self._confirmed_order(vehicle=self.car_2)
        work_order_2.with_user(self.specialist).action_key_check_in(self.slot_1)
        slot = self.slot_1.with_user(self.specialist)
        self.assertRecordValues(
            slot,
            [
                {
                    "slot_state": "occupied",
                    "vehicle_id": self.car_2.id,
                    "out_vehicle_id": self.car.id,
                    "holder_id": self.technician.id,
                }
            ],
        )
        board = self.env["jingpin.key.board"].search([("vehicle_id", "in", (self.car | self.car_2).ids)])
        self.assertEqual(board.vehicle_id, self.car, "the key out is still listed with its holder")

    def test_check_in_dialog_offers_free_slots_only(self):
        self.work_order.with_user(self.technician).action_key_check_in(self.slot_1)
        _order, work_order_2 = self._confirmed_order(vehicle=self.car_2)
        Slot = self.env["jingpin.key.slot"].with_user(self.specialist)
        free = Slot.search([("company_id", "=", self.company_a.id), ("is_occupied", "=", False)])
        self.assertNotIn(self.slot_1, free)
        self.assertIn(self.slot_2, free)
        self.assertIn(self.slot_1, Slot.search([("is_occupied", "!=", False)]))
        wizard = (
            self.env["jingpin.key.move.wizard"]
            .with_user(self.specialist)
            .with_context(**work_order_2.action_open_key_wizard()["context"])
            .create({})
        )
        self.assertTrue(wizard.slot_id)
        self.assertNotEqual(wizard.slot_id, self.slot_1, "the proposed slot is a free one")
        domain = [("company_id", "=", self.company_a.id), ("is_occupied", "=", False)]
        offered = [slot_id for slot_id, _name in Slot.name_search("", domain, limit=100)]
        self.assertNotIn(self.slot_1.id, offered, "the dialog's dropdown offers no occupied slot")

    # === dashboard === #
    def test_dashboard_counts_a_car_with_two_work_orders_once(self):
        _order, second = self._confirmed_order(products=self.dashcam)
        self.assertEqual(second.vehicle_id, self.work_order.vehicle_id)
        self.work_order.with_user(self.technician).action_key_check_in(self.slot_1)
        card = (
            self.env["jingpin.dashboard"]
            .with_user(self.specialist)
            .search([])
            .filtered(lambda card: card.metric == "workshop" and card.company_id == self.company_a)
        )
        self.assertRecordValues(card, [{"value": 1, "key_in_count": 1, "key_out_count": 0}])

    # === links to a work order === #
    def test_work_orders_open_in_their_own_form(self):
        form = self.env.ref("jingpin_accessories.project_task_view_form_work_order")
        action = self.order.with_user(self.specialist).action_view_work_orders()
        self.assertEqual(action["res_id"], self.work_order.id)
        self.assertEqual(action["views"], [(form.id, "form")])
        self.assertEqual(self.work_order.with_user(self.technician).get_formview_action()["views"], [(form.id, "form")])
        # notifications link through /mail/view, which opens the record's form view
        self.assertEqual(self.work_order.get_formview_id(), form.id)
        other_task = self.env["project.task"].create({"name": "Not a work order"})
        self.assertNotEqual(other_task.get_formview_id(), form.id)

    # === handover === #
    def test_handover_needs_the_accessories_issued(self):
        self._ready(self.work_order)
        self.assertTrue(self.work_order.picking_ids)
        self.assertEqual(self.work_order.picking_ids.mapped("state"), ["assigned"])
        specialist = self.work_order.with_user(self.specialist)
        with self.assertRaisesRegex(UserError, "issued from stock"):
            specialist.action_open_handover()
        wizard = self.env["jingpin.handover.wizard"].with_user(self.specialist)
        wizard = wizard.create({"task_id": self.work_order.id, "signature": SIGNATURE_PNG})
        with self.assertRaisesRegex(UserError, self.work_order.picking_ids.name):
            wizard.action_confirm()
        self.assertEqual(self.work_order.work_state, "ready")
        self.assertFalse(self.work_order.signature_ids.filtered(lambda s: s.role == "handover"))
        self._issue_parts(self.work_order)
        self.assertEqual(specialist.action_open_handover()["res_model"], "jingpin.handover.wizard")
        wizard.action_confirm()
        self.assertEqual(self.work_order.work_state, "handed_over")

    # === technician === #
    def test_technician_creates_no_task(self):
        Task = self.env["project.task"].with_user(self.technician)
        for vals in (
            {"name": "My private task"},
            {"name": "Side job", "project_id": self.work_order.project_id.id},
            {"name": "Sub-task", "parent_id": self.work_order.id},
        ):
            with self.assertRaises(AccessError):
                Task.create(vals)
        self.assertFalse(self.env["project.task"].search([("name", "in", ["My private task", "Side job", "Sub-task"])]))
        for view_type in ("form", "kanban", "list"):
            view = self.env.ref(f"jingpin_accessories.project_task_view_{view_type}_work_order")
            arch = etree.fromstring(Task.get_view(view.id, view_type)["arch"])
            self.assertEqual(arch.get("create"), "0", f"the {view_type} view offers no New")
        kanban = self.env.ref("jingpin_accessories.project_task_view_kanban_work_order")
        self.assertEqual(etree.fromstring(kanban.arch).get("quick_create"), "0")

    def test_technician_logs_hours_in_a_dialog(self):
        self._start_work(self.work_order)
        action = self.work_order.with_user(self.technician).action_open_log_hours()
        with Form(self.env[action["res_model"]].with_user(self.technician).with_context(**action["context"])) as form:
            form.unit_amount = 1.5
            form.work_item_id = self.work_order.work_item_ids[0]
        form.record.action_confirm()
        timesheets = self.env["account.analytic.line"].search([("task_id", "=", self.work_order.id)])
        self.assertRecordValues(
            timesheets,
            [
                {
                    "unit_amount": 1.5,
                    "user_id": self.technician.id,
                    "work_item_id": self.work_order.work_item_ids[0].id,
                    "project_id": self.work_order.project_id.id,
                }
            ],
        )
        # another technician logs nothing on a work order that is not his
        wizard = (
            self.env["jingpin.log.hours.wizard"]
            .with_user(self.technician_2)
            .create({"task_id": self.work_order.id, "unit_amount": 2})
        )
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertEqual(self.env["account.analytic.line"].search([("task_id", "=", self.work_order.id)]), timesheets)

    def test_technician_reads_no_sale_order_nor_the_price_channel(self):
        self.order.message_post(body="Discount 20%, total 3,040.00", message_type="comment")
        order = self.order.with_user(self.technician)
        self.assertFalse(order.has_access("read"))
        with self.assertRaises(AccessError):
            order.check_access("read")
        self.assertFalse(self.env["sale.order"].with_user(self.technician).search([("id", "=", self.order.id)]))
        messages = (
            self.env["mail.message"]
            .with_user(self.technician)
            .search([("model", "=", "sale.order"), ("res_id", "=", self.order.id)])
        )
        self.assertFalse(messages)
        # his own work order still opens
        self.work_order.with_user(self.technician).web_read(
            {name: {} for name in ("name", "vehicle_id", "work_item_ids", "key_state", "partner_id")}
        )
        channel = self.env.ref("jingpin_accessories.channel_price_sheet").with_user(self.technician)
        self.assertFalse(channel.has_access("read"))
        self.assertTrue(channel.with_user(self.consultant).has_access("read"))
        self.assertTrue(channel.with_user(self.specialist).has_access("read"))

    # === dealer group viewer === #
    def test_group_viewer_changes_no_work_order(self):
        work_order = self.work_order.with_user(self.viewer)
        self.assertTrue(work_order.has_access("read"))
        for vals in ({"technician_id": self.technician_2.id}, {"description": "changed"}):
            with self.assertRaises(AccessError):
                work_order.write(vals)
        with self.assertRaises(AccessError):
            work_order.unlink()
        self.work_order.with_user(self.specialist).promised_datetime = fields.Datetime.add(
            fields.Datetime.now(), days=7
        )
        with self.assertRaises(AccessError):
            work_order.action_propose_slot()  # the button reassigns as the user: refused too
        self.assertEqual(self.work_order.technician_id, self.technician)
        self.assertFalse(self.work_order.description)
        # whatever access another module gives him, the department's documents refuse his writes
        with self.assertRaises(AccessError):
            self.work_order.with_user(self.viewer).write({"description": "改了"})
        self.assertFalse(self.work_order.description)

    # === the other dealership === #
    def test_technician_of_the_other_dealership_is_refused(self):
        with self.assertRaises(ValidationError) as refused:
            self.work_order.with_user(self.specialist).technician_id = self.technician_b
        self.assertIn("does not work at", str(refused.exception))
        self.assertEqual(self.work_order.technician_id, self.technician)
        self.assertEqual(self.work_order.user_ids, self.technician)

    def test_car_with_work_stays_with_its_dealership(self):
        with self.assertRaisesRegex(UserError, "register the car at the other dealership"):
            self.car.with_user(self.manager).company_id = self.company_b
        self.assertEqual(self.car.company_id, self.company_a)
        new_car = self.env["jingpin.vehicle"].create(
            {"vin": "LVGBE40K8GP111222", "model_id": self.camry.id, "partner_id": self.customer.id}
        )
        new_car.company_id = self.company_b
        self.assertEqual(new_car.company_id, self.company_b, "a car nothing names yet can be moved")

    # === state as data === #
    def test_install_project_and_work_steps_are_the_addons(self):
        project = self.work_order.project_id.with_user(self.project_manager)
        for vals in (
            {"is_install_project": False},
            {"privacy_visibility": "employees"},
            {"company_id": self.company_b.id},
            {"active": False},
        ):
            with self.assertRaises(AccessError):
                project.write(vals)
        project.name = "安装项目"  # the rest is the manager's
        self.assertTrue(self.work_order.project_id.is_install_project)
        other = self.env["project.project"].with_user(self.project_manager).create({"name": "Body Shop"})
        with self.assertRaises(AccessError):
            other.is_install_project = True
        with self.assertRaises(AccessError):
            self.env["project.project"].with_user(self.project_manager).create(
                {"name": "Fake", "is_install_project": True, "company_id": self.company_b.id}
            )
        stage = self.work_order.stage_id.with_user(self.project_manager)
        for vals in ({"work_state": False}, {"work_state": "handed_over"}, {"active": False}):
            with self.assertRaises(AccessError):
                stage.write(vals)
        with self.assertRaises(UserError):
            stage.unlink()
        stage.name = "已派工"
        Stage = self.env["project.task.type"].with_user(self.project_manager)
        with self.assertRaises(AccessError):
            Stage.create({"name": "Also done", "work_state": "handed_over"})
        with self.assertRaises(AccessError):
            Stage.create({"name": "Waiting"}).work_state = "ready"
        self.assertEqual(self.work_order.work_state, "dispatched")
        self.assertTrue(self.work_order.is_work_order)
