from odoo import fields

from .common import RoleDayCase


class TestDaySpecialist(RoleDayCase):
    """李娜, the accessories specialist (精品专员) of the Chaoyang dealership, walks her day in the web client."""

    def test_specialist_day(self):
        env = self.env
        specialist = env.ref("jingpin_accessories_demo.user_specialist_demo")
        customer = env.ref("jingpin_accessories_demo.partner_zhao_demo")
        followup = env["jingpin.followup"].search([("partner_id.name", "=", "梁宇航")])
        self.assertRecordValues(followup, [{"state": "scheduled", "user_id": specialist.id}])
        orders_before = env["sale.order"].search([("partner_id", "=", customer.id)])
        started = fields.Datetime.now()

        self.walk("jp_specialist", "jingpin_day_specialist_tour")

        order = env["sale.order"].search([("partner_id", "=", customer.id)]) - orders_before
        self.assertRecordValues(
            order,
            [
                {
                    "create_uid": specialist.id,
                    "specialist_id": specialist.id,
                    "jingpin_channel": "walk_in",
                    "vehicle_id": env.ref("jingpin_accessories_demo.vehicle_zhao_demo").id,
                    "state": "sale",
                    "amount_untaxed": 3680.0,
                    "amount_total": 4158.40,
                    "jingpin_gift_amount": 168.0,
                    "jingpin_concession_amount": 196.0,
                    "jingpin_approval_state": "to_approve",
                }
            ],
        )
        gift = order.order_line.filtered("is_gift")
        self.assertRecordValues(gift, [{"name": "[JP-CA-001] 车载香薰", "price_unit": 0.0, "discount": 0.0}])
        self.assertEqual(
            order.activity_ids.user_id, env.ref("jingpin_accessories_demo.user_manager_demo"), "the manager is asked"
        )
        work_order = order.work_order_ids
        self.assertRecordValues(
            work_order,
            [
                {
                    "work_state": "dispatched",
                    "technician_id": env.ref("jingpin_accessories_demo.user_technician_demo").id,
                }
            ],
        )
        self.assertTrue(order.create_date <= work_order.planned_start < work_order.promised_datetime)
        self.assertGreaterEqual(env.company.jingpin_price_sheet_printed_on, started, "the price sheet was printed")
        self.assertRecordValues(
            followup, [{"state": "done", "satisfaction": "5", "called_by_id": specialist.id, "activity_ids": []}]
        )
