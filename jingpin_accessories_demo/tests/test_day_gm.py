from .common import RoleDayCase


class TestDayGeneralManager(RoleDayCase):
    """赵志强, the general manager (总经理) of the Chaoyang dealership, decides what waits for him."""

    def test_general_manager_day(self):
        env = self.env
        gm = env.ref("jingpin_accessories_demo.user_gm_demo")
        manager = env.ref("jingpin_accessories_demo.user_manager_demo")
        # This morning the accessories manager submitted next month's promotion.
        promotion = env.ref("jingpin_accessories_demo.promotion_next_month_demo")
        promotion.with_user(manager).action_submit()
        order = env["sale.order"].search(
            [("partner_id.name", "=", "彭国栋"), ("jingpin_approval_state", "=", "to_approve_gm")]
        )
        self.assertEqual(len(order), 1)

        self.walk("jp_gm", "jingpin_day_gm_tour")

        self.assertRecordValues(order, [{"jingpin_approval_state": "approved", "jingpin_concession_amount": 1698.0}])
        decision = order.jingpin_approval_ids.sorted("id")[-1]
        self.assertRecordValues(
            decision, [{"level": "gm", "decision": "approved", "user_id": gm.id, "comment": "老客户转介绍，同意"}]
        )
        self.assertRecordValues(promotion, [{"state": "draft"}])
        refusal = promotion.message_ids.filtered(lambda message: "预算偏高" in (message.body or ""))
        self.assertRecordValues(refusal, [{"author_id": gm.partner_id.id}])
        self.assertIn(manager.partner_id, refusal.partner_ids, "the reason goes back to the manager")
        # The month's sales he read on his dashboard are the month's confirmed accessory revenue.
        card = env["jingpin.dashboard"].with_user(gm).search([("metric", "=", "sales")])
        today = card._today()
        revenue = env["sale.order.line"]._jingpin_revenue_by_month(card.company_id, today.replace(day=1), today)
        self.assertAlmostEqual(card.sales_amount, sum(figures["confirmed"] for figures in revenue.values()), 2)
