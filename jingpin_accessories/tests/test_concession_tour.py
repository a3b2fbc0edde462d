from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import JingpinCommon


@tagged("post_install", "-at_install")
class TestConcessionTour(HttpCase, JingpinCommon):
    """In the web client: the consultant gives a gift, the manager then the GM approve."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._receive_stock(cls.mat | cls.film, 5)
        cls.company_a.jingpin_manager_limit_amount = 500.0
        referrer = cls.env["res.partner"].create({"name": "Old Customer Zhang"})
        cls.order = (
            cls.env["sale.order"]
            .with_user(cls.consultant)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "jingpin_channel": "referral",
                    "rebate_partner_id": referrer.id,
                    "rebate_amount": 300.0,
                    "order_line": [
                        Command.create({"product_id": cls.film.product_variant_id.id}),
                        Command.create({"product_id": cls.mat.product_variant_id.id}),
                    ],
                }
            )
        )

    def test_gift_and_rebate_approved_by_manager_then_gm(self):
        url = f"/odoo/accessory-orders/{self.order.id}"
        self.start_tour(url, "jingpin_gift_order_tour", login="jp_sc")
        gift = self.order.order_line.filtered("is_gift")
        self.assertEqual(gift.product_id, self.mat.product_variant_id)
        self.assertEqual(self.order.state, "sale")
        self.assertEqual(self.order.jingpin_concession_amount, 1100.0)
        self.start_tour(url, "jingpin_manager_approval_tour", login="jp_mgr")
        self.assertEqual(self.order.jingpin_approval_state, "to_approve_gm")
        self.start_tour(url, "jingpin_gm_approval_tour", login="jp_gm")
        self.assertEqual(self.order.jingpin_approval_state, "approved")
        self.assertEqual(self.order.jingpin_approval_ids.user_id, self.manager | self.gm)
        self.assertEqual(
            self.order.jingpin_approval_ids.filtered(lambda a: a.level == "manager").comment,
            "Referral from a loyal customer",
        )
