from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import SIGNATURE_PNG, JingpinWorkOrderCommon


@tagged("post_install", "-at_install")
class TestWorkOrderTour(HttpCase, JingpinWorkOrderCommon):
    """A whole car in the web client: dispatch, start, sign, inspect, hand over."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tour_specialist = new_test_user(
            cls.env,
            login="tour_specialist",
            name="Tour Specialist",
            groups="jingpin_accessories.group_jingpin_specialist",
        )
        cls.tour_technician = new_test_user(
            cls.env,
            login="tour_technician",
            name="Tour Technician",
            groups="jingpin_accessories.group_jingpin_technician",
        )
        order = (
            cls.env["sale.order"]
            .with_user(cls.tour_specialist)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "vehicle_id": cls.car.id,
                    "jingpin_channel": "after_sales",
                    "order_line": [Command.create({"product_id": cls.film.product_variant_id.id})],
                }
            )
        )
        order.action_confirm()
        cls.work_order = order.work_order_ids
        cls.env["jingpin.key.slot"].create({"name": "Tour-01", "company_id": cls.work_order.company_id.id})

    def test_work_order_from_dispatch_to_handover(self):
        url = f"/odoo/accessory-work-orders/{self.work_order.id}"
        self.start_tour(url, "jingpin_dispatch_tour", login="tour_specialist")
        self.assertEqual(self.work_order.technician_id, self.tour_technician)
        # the photos are taken on the phone (test_day_technician_phone): signing needs them
        self._take_photos(self.work_order)
        self.start_tour(url, "jingpin_install_tour", login="tour_technician")
        self.assertEqual(self.work_order.work_state, "inspection")
        self.work_order.current_inspection_line_ids.photo = SIGNATURE_PNG
        self._issue_parts(self.work_order)  # the handover needs the accessories issued from stock
        self.start_tour(url, "jingpin_inspect_handover_tour", login="tour_specialist")
        self.assertEqual(self.work_order.work_state, "handed_over")
        self.assertEqual(self.work_order.signature_ids.mapped("role"), ["completion", "inspection", "handover"])
        self.assertEqual(self.work_order.signature_ids[0].user_id, self.tour_technician)
        self.assertTrue(self.work_order.signature_ids[2].signature)
        self.assertEqual(self.work_order.seal_state, "intact")
        self.assertTrue(self.work_order.installation_sheet_id)


@tagged("post_install", "-at_install")
class TestWorkOrderPhoneTour(HttpCase, JingpinWorkOrderCommon):
    """The technician logs his hours on a phone (390x844)."""

    browser_size = "390x844"
    touch_enabled = True

    def test_technician_logs_hours_on_a_phone(self):
        self.env["hr.employee"].create({"name": "Technician", "user_id": self.technician.id})
        _order, work_order = self._confirmed_order(products=self.film)
        self._start_work(work_order)
        self.start_tour(f"/odoo/my-work-orders/{work_order.id}", "jingpin_log_hours_phone_tour", login="jp_tech")
        timesheet = self.env["account.analytic.line"].search([("task_id", "=", work_order.id)])
        self.assertRecordValues(timesheet, [{"unit_amount": 1.5, "user_id": self.technician.id, "name": "贴膜"}])
