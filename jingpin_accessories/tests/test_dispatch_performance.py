from odoo import Command
from odoo.tests import tagged, warmup

from .common import JingpinWorkOrderCommon


@tagged("post_install", "-at_install")
class TestDispatchPerformance(JingpinWorkOrderCommon):
    """Dispatching an order must not cost queries per line."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.many = cls.env["product.template"].create(
            [cls._accessory_vals(f"Accessory {index}", cls.categ_mats, 100.0, 40.0, 10 + index) for index in range(30)]
        )

    def _order(self, count):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "vehicle_id": self.car.id,
                "jingpin_channel": "after_sales",
                "order_line": [Command.create({"product_id": p.product_variant_id.id}) for p in self.many[:count]],
            }
        )

    @warmup
    def test_dispatch_query_count_does_not_grow_with_lines(self):
        small, large = self._order(3), self._order(30)
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=40):
            small._create_work_orders()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=40):
            large._create_work_orders()
        self.assertEqual(len(large.work_order_ids.work_item_ids), 30)
        self.assertEqual(large.work_order_ids.planned_minutes, sum(range(10, 40)))
