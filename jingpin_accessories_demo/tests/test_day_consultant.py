from .common import RoleDayCase


class TestDayConsultant(RoleDayCase):
    """陈静, a sales consultant (销售顾问) of the Chaoyang dealership: her gifts and an accessory offer."""

    def test_consultant_day(self):
        env = self.env
        consultant = env.ref("jingpin_accessories_demo.user_consultant_demo")
        customer = env.ref("jingpin_accessories_demo.partner_wang_demo")
        orders_before = env["sale.order"].search([("partner_id", "=", customer.id)])
        gifts = env["sale.order.line"].search(
            [("is_gift", "=", True), ("order_id.gift_given_by_id", "=", consultant.id), ("state", "=", "sale")]
        )
        self.assertEqual(sum(gifts.mapped("jingpin_concession")), 578.0, "the gifts the tour reads on her list")

        self.walk("jp_consultant", "jingpin_day_consultant_tour")

        offer = env["sale.order"].search([("partner_id", "=", customer.id)]) - orders_before
        self.assertRecordValues(
            offer,
            [
                {
                    "create_uid": consultant.id,
                    "user_id": consultant.id,
                    "jingpin_channel": "new_car",
                    "vehicle_id": env.ref("jingpin_accessories_demo.vehicle_wang_demo").id,
                    "state": "sent",
                    "amount_untaxed": 3980.0,
                    "amount_total": 4497.40,
                }
            ],
        )
        sent = offer.message_ids.filtered(lambda message: offer.name in (message.subject or ""))
        self.assertEqual(len(sent), 1, "the offer went to the customer")
        self.assertIn(customer, sent.partner_ids)
