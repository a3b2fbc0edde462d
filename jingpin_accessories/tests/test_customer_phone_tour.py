from odoo.tests import HttpCase, tagged

from .test_customer_phone import CustomerHandoverCommon, CustomerPhoneCommon


class CustomerPhoneTourCommon(HttpCase):
    """On a phone, without an account, in the dealership's language (zh_CN)."""

    browser_size = "390x844"
    touch_enabled = True

    def _in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["jingpin_accessories"], ["zh_CN"], overwrite=True)
        self.company_a.partner_id.lang = "zh_CN"


@tagged("post_install", "-at_install")
class TestCustomerPhoneTour(CustomerPhoneTourCommon, CustomerPhoneCommon):
    """The customer opens his link, declines the window film, accepts the rest and signs the
    confirmation."""

    def test_customer_declines_accepts_and_signs(self):
        self._in_chinese()
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


@tagged("post_install", "-at_install")
class TestCustomerHandoverTour(CustomerPhoneTourCommon, CustomerHandoverCommon):
    """The customer's car is ready: on his phone he sees it, and that nothing is owed to him, signs
    the handover and downloads the receipt."""

    def test_customer_signs_the_handover_on_his_phone(self):
        self._in_chinese()
        link, token = self._send_handover()
        self.start_tour(f"/jingpin/h/{token}", "jingpin_customer_handover_tour")
        self.assertEqual(self.work_order.work_state, "handed_over")
        signatures = self.work_order.signature_ids
        self.assertEqual(signatures[-2:].mapped("role"), ["handover", "owed"])
        self.assertEqual(set(signatures[-2:].mapped("signer_name")), {"李先生"})
        self.assertTrue(signatures._verify_chain())
        self.assertEqual(link._current_state(), "used")
        self.assertIn("交车确认单", link.document_ids.name)
