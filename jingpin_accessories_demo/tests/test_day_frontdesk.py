from .common import RoleDayCase


class TestDayFrontDesk(RoleDayCase):
    """周敏, the after-sales front desk (售后前台): the price sheet and his service customer's order."""

    def test_front_desk_day(self):
        env = self.env
        order = env["sale.order"].search([("partner_id", "=", env.ref("jingpin_accessories_demo.partner_liu_demo").id)])
        self.assertRecordValues(
            order,
            [
                {
                    "user_id": env.ref("jingpin_accessories_demo.user_frontdesk_demo").id,
                    "jingpin_approval_state": "to_approve",
                    "jingpin_concession_amount": 199.0,
                    "amount_total": 5312.13,
                }
            ],
        )

        self.walk("jp_frontdesk", "jingpin_day_frontdesk_tour")

        self.assertRecordValues(order, [{"jingpin_approval_state": "to_approve", "jingpin_approval_ids": []}])
