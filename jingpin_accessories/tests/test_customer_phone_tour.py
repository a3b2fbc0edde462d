from odoo.tests import HttpCase, tagged

from .test_customer_phone import CustomerPhoneCommon


@tagged("post_install", "-at_install")
class TestCustomerPhoneTour(HttpCase, CustomerPhoneCommon):
    """On a phone, without an account: the customer opens his link, declines the window film,
    accepts the rest and signs the confirmation."""

    browser_size = "390x844"
    touch_enabled = True

    def test_customer_declines_accepts_and_signs(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["jingpin_accessories"], ["zh_CN"], overwrite=True)
        self.company_a.partner_id.lang = "zh_CN"
        link, token = self._send()
        self.start_tour(f"/jingpin/c/{token}", "jingpin_customer_phone_tour")
        self.assertRecordValues(
            self.order.jingpin_customer_decision_ids.sorted("id"),
            [
                {"product_id": self.film.product_variant_id.id, "decision": "declined"},
                {"product_id": self.mat.product_variant_id.id, "decision": "accepted"},
                {"product_id": self.dashcam.product_variant_id.id, "decision": "accepted"},
            ],
        )
        self.assertEqual(self.order.order_line.product_id, (self.mat | self.dashcam).product_variant_id)
        self.assertEqual(self.order.jingpin_customer_sign_state, "current")
        self.assertEqual(self.order.jingpin_customer_signature_ids.signer_name, "李先生")
        self.assertTrue(self.order.jingpin_customer_signature_ids.seal_ok)
        self.assertEqual(link._current_state(), "used")
        self.assertTrue(link.used_on)
