from odoo.tests import HttpCase, tagged

from .common import JingpinWorkOrderCommon


@tagged("post_install", "-at_install")
class TestAfterSalesTour(HttpCase, JingpinWorkOrderCommon):
    """In the web client: the specialist records the follow-up call of a handed-over work order, then
    the customer's complaint about its installation becomes a rework work order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order, cls.work_order = cls._confirmed_order()
        cls._start_work(cls.work_order)
        cls.work_order.with_user(cls.technician).action_sign_completion()
        cls._pass_inspection(cls.work_order)
        cls._hand_over(cls.work_order)
        cls.followup = cls.env["jingpin.followup"].search([("task_id", "=", cls.work_order.id)])

    def test_followup_call(self):
        self.assertEqual(self.followup.state, "scheduled")
        self.start_tour(f"/odoo/accessory-follow-ups/{self.followup.id}", "jingpin_followup_call_tour", login="jp_spec")
        self.assertEqual(self.followup.state, "done")
        self.assertEqual(self.followup.satisfaction, "5")
        self.assertEqual(self.followup.user_id, self.specialist)

    def test_complaint_becomes_rework(self):
        url = f"/odoo/accessory-work-orders/{self.work_order.id}"
        self.start_tour(url, "jingpin_complaint_rework_tour", login="jp_spec")
        complaint = self.env["jingpin.complaint"].search([("task_id", "=", self.work_order.id)])
        self.assertEqual(complaint.complaint_type, "installation")
        self.assertEqual(complaint.state, "in_progress")
        self.assertEqual(complaint.rework_task_id.work_state, "dispatched")
        self.assertEqual(complaint.rework_task_id.vehicle_id, self.work_order.vehicle_id)
