from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import JingpinCommon


@tagged("post_install", "-at_install")
class TestPromotionTour(HttpCase, JingpinCommon):
    """In the web client: the manager submits a plan, the GM approves it, the specialist tells the
    customers; the one who opted out is left out."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner, cls.opted_out = cls.env["res.partner"].create(
            [
                {"name": "Camry Owner", "email": "owner@example.com"},
                {"name": "Camry Owner Who Opted Out", "email": "out@example.com", "jingpin_promotion_opt_out": True},
            ]
        )
        cls.env["jingpin.vehicle"].create(
            [
                {"vin": "LVGBE40K8GP300001", "model_id": cls.camry.id, "partner_id": cls.owner.id},
                {"vin": "LVGBE40K8GP300002", "model_id": cls.camry.id, "partner_id": cls.opted_out.id},
            ]
        )
        today = fields.Date.today()
        cls.promotion = (
            cls.env["jingpin.promotion"]
            .with_user(cls.manager)
            .create(
                {
                    "name": "Film Festival",
                    "date_from": today,
                    "date_to": today,
                    "target_customers": "existing",
                    "vehicle_model_ids": [Command.set(cls.camry.ids)],
                    "line_ids": [Command.create({"product_tmpl_id": cls.film.id, "promotion_price": 2400.0})],
                }
            )
        )

    def test_promotion_from_plan_to_customer_message(self):
        url = f"/odoo/action-jingpin_accessories.jingpin_promotion_action/{self.promotion.id}"
        self.start_tour(url, "jingpin_promotion_submit_tour", login="jp_mgr")
        self.assertEqual(self.promotion.state, "submitted")
        self.start_tour(url, "jingpin_promotion_approve_tour", login="jp_gm")
        self.assertEqual(self.promotion.state, "running")
        self.assertEqual(self.promotion.approved_by_id, self.gm)
        self.assertEqual(self.promotion.pricelist_item_ids.fixed_price, 2400.0)
        self.start_tour(url, "jingpin_promotion_message_tour", login="jp_spec")
        message = self.promotion.customer_message_ids
        self.assertEqual(message.state, "sent")
        self.assertEqual(message.sent_by_id, self.specialist)
        self.assertEqual(message.recipient_ids, self.owner)
        self.assertIn(self.opted_out, message.excluded_partner_ids)
