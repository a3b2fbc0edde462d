from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import JingpinWorkOrderCommon


@tagged("post_install", "-at_install")
class TestWorkOrder(JingpinWorkOrderCommon):
    def test_confirmed_order_dispatches_its_work_order(self):
        order, work_order = self._confirmed_order()
        self.assertEqual(len(work_order), 1)
        self.assertTrue(work_order.is_work_order)
        self.assertEqual(work_order.work_state, "dispatched")
        self.assertEqual(work_order.project_id.company_id, self.company_a)
        self.assertEqual(work_order.vehicle_id, self.car)
        self.assertEqual(work_order.partner_id, self.customer)
        self.assertEqual(work_order.consultant_id, order.user_id)
        self.assertEqual(work_order.specialist_id, self.specialist)
        self.assertEqual(work_order.work_item_ids.product_id, (self.mat | self.film).product_variant_id)
        self.assertEqual(work_order.planned_minutes, 15 + 240)
        self.assertEqual(order.work_order_count, 1)

    def test_package_components_are_installed(self):
        order, work_order = self._confirmed_order(self.package)
        self.assertEqual(
            work_order.work_item_ids.product_id,
            (self.mat | self.film | self.dashcam).product_variant_id,
        )
        self.assertEqual(work_order.planned_minutes, 15 + 240 + 60)

    def test_order_without_installation_has_no_work_order(self):
        perfume = self.env["product.template"].create(self._accessory_vals("Perfume", self.categ_mats, 168.0, 55.0, 0))
        self._receive_stock(perfume, 5)
        order, work_order = self._confirmed_order(perfume)
        self.assertFalse(work_order)

    def test_start_needs_technician_and_protective_set(self):
        _order, work_order = self._confirmed_order()
        work_order = work_order.with_user(self.specialist)
        with self.assertRaisesRegex(UserError, "Assign a technician"):
            work_order.action_start()
        work_order.technician_id = self.technician
        with self.assertRaisesRegex(UserError, "protective set"):
            work_order.action_start()
        work_order.with_user(self.technician).action_confirm_protective_set()
        self.assertTrue(work_order.protective_set_done)
        self.assertEqual(work_order.protective_set_by, self.technician)

    def test_stage_cannot_be_forced(self):
        _order, work_order = self._confirmed_order()
        done = self.env.ref("jingpin_accessories.task_type_handed_over")
        for user in (self.specialist, self.manager):
            with self.assertRaisesRegex(UserError, "buttons"):
                work_order.with_user(user).write({"stage_id": done.id})
        with self.assertRaisesRegex(UserError, "buttons"):
            work_order.with_user(self.specialist).write({"protective_set_on": fields.Datetime.now()})

    def test_technician_sees_only_his_own_work_orders_and_no_prices(self):
        _o1, mine = self._confirmed_order()
        _o2, other = self._confirmed_order()
        mine.with_user(self.specialist).technician_id = self.technician
        other.with_user(self.specialist).technician_id = self.technician_2
        Task = self.env["project.task"].with_user(self.technician)
        self.assertEqual(Task.search([("is_work_order", "=", True)]), mine)
        with self.assertRaises(AccessError):
            other.with_user(self.technician).read(["name"])
        with self.assertRaises(AccessError):
            mine.with_user(self.technician).accessory_order_id.read(["amount_total"])
        specialist_sees = self.env["project.task"].with_user(self.specialist).search([("is_work_order", "=", True)])
        self.assertEqual(specialist_sees, mine | other)

    def test_technician_cannot_rearrange_his_work_order(self):
        _order, work_order = self._confirmed_order()
        work_order.with_user(self.specialist).technician_id = self.technician
        with self.assertRaises(AccessError):
            work_order.with_user(self.technician).write({"technician_id": self.technician_2.id})
        with self.assertRaises(AccessError):
            work_order.with_user(self.technician).write({"promised_datetime": fields.Datetime.now()})
        work_order.with_user(self.technician).write({"description": "<p>Customer asked for care with the trim</p>"})

    def test_only_technicians_can_be_assigned(self):
        _order, work_order = self._confirmed_order()
        with self.assertRaisesRegex(UserError, "not an accessories technician"):
            work_order.with_user(self.specialist).technician_id = self.consultant

    def test_each_dealership_has_its_own_installation_project(self):
        Project = self.env["project.project"]
        project_a = Project._get_install_project(self.company_a)
        project_b = Project._get_install_project(self.company_b)
        self.assertNotEqual(project_a, project_b)
        self.assertEqual(project_b.company_id, self.company_b)
        self.assertEqual(
            project_b.type_ids.mapped("work_state"),
            ["dispatched", "in_progress", "inspection", "ready", "handed_over", "cancelled"],
        )
        _order, work_order = self._confirmed_order()
        with self.assertRaises(AccessError):
            work_order.with_user(self.specialist_b).read(["name"])
