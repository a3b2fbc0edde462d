import json

from odoo.tests import HttpCase, tagged

from .common import SIGNATURE_PNG
from .test_customer_phone import CustomerHandoverCommon


@tagged("post_install", "-at_install")
class TestCustomerPageRoutes(HttpCase, CustomerHandoverCommon):
    """The customer's public pages as his phone sees them, without an account: what each route
    answers, and what it refuses."""

    def _sign(self, door, token, name="Customer Li", signature=SIGNATURE_PNG):
        response = self.url_open(
            f"/jingpin/{door}/{token}/sign",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {"name": name, "signature": signature}}),
            headers={"Content-Type": "application/json"},
        )
        return response.json()["result"]

    def _signed_confirmation(self):
        link, token = self._send()
        self._decide_all(link)
        self.assertEqual(self._sign("c", token), {"force_refresh": True, "redirect_url": f"/jingpin/c/{token}"})
        return link, token

    def test_he_follows_his_car_on_the_link_he_signed(self):
        link, token = self._signed_confirmation()
        self.order.with_user(self.specialist).action_confirm()
        work_order = self.order.work_order_ids
        self.technician.name = "王强"
        self._start_work(work_order)
        page = self.url_open(f"/jingpin/c/{token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("jp_work_in_progress", page.text)
        self.assertIn("jp_step_current", page.text)
        self.assertIn("Master 王", page.text)
        self.assertNotIn("王强", page.text, "no more of the technician than a first name")
        self.assertNotIn(self.technician.login, page.text)
        self.assertNotIn("jp_decline", page.text, "nothing to decide on a signed link")
        self.assertNotIn("o_portal_sign_submit", page.text)
        for product in self.mat | self.film | self.dashcam:
            self.assertNotIn(f"{product.standard_price:.2f}", page.text, "never a cost")
        # what he signed, from his link only
        [document] = link.document_ids
        pdf = self.url_open(f"/jingpin/c/{token}/document/{document.id}")
        self.assertEqual((pdf.status_code, pdf.headers["Content-Type"]), (200, "application/pdf"))
        self.assertEqual(pdf.content, document.raw)
        self.assertEqual(self._sign("c", token)["error"][:20], "This link is not val", "used once to sign")

    def test_he_signs_the_handover_on_his_phone(self):
        link, token = self._send_handover()
        page = self.url_open(f"/jingpin/h/{token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("jp_customer_nothing_owed", page.text)
        self.assertIn(f"/jingpin/h/{token}/sign", page.text)
        self.assertEqual(self._sign("h", token), {"force_refresh": True, "redirect_url": f"/jingpin/h/{token}"})
        self.assertEqual(self.work_order.work_state, "handed_over")
        self.assertEqual(self.work_order.signature_ids[-2:].mapped("role"), ["handover", "owed"])
        page = self.url_open(f"/jingpin/h/{token}")
        self.assertIn("jp_customer_signed", page.text)
        [document] = link.document_ids
        self.assertIn(f"/jingpin/h/{token}/document/{document.id}", page.text)
        pdf = self.url_open(f"/jingpin/h/{token}/document/{document.id}")
        self.assertEqual(pdf.status_code, 200)
        self.assertIn("error", self._sign("h", token), "used once")
        self.assertEqual(len(self.work_order.signature_ids), 4)

    def test_refused_links_change_nothing(self):
        confirm_link, confirm_token = self._send()
        handover_link, handover_token = self._send_handover()
        forged = handover_token[:-2] + ("AA" if handover_token[-2:] != "AA" else "BB")
        # a forged token, or a token at the door of another purpose
        for url in (
            f"/jingpin/h/{forged}",
            f"/jingpin/h/{confirm_token}",
            f"/jingpin/c/{handover_token}",
            f"/jingpin/h/{handover_token}/document/1",
        ):
            self.assertEqual(self.url_open(url).status_code, 404, url)
        self.assertIn("error", self._sign("h", forged))
        self.assertIn("error", self._sign("h", confirm_token))
        self.assertIn("error", self._sign("c", handover_token))
        # the SMS code the dealership requires
        self.company_a.jingpin_customer_sms_code = True
        self.assertIn("code", self._sign("h", handover_token)["error"])
        self.company_a.jingpin_customer_sms_code = False
        # an expired link
        self.env.cr.execute(
            "UPDATE jingpin_customer_link SET expires_on = now() AT TIME ZONE 'UTC' - interval '1 minute' "
            "WHERE id = %s",
            [handover_link.id],
        )
        handover_link.invalidate_recordset()
        self.assertEqual(self.url_open(f"/jingpin/h/{handover_token}").status_code, 404)
        self.assertIn("error", self._sign("h", handover_token))
        # a link closed by a change
        handover_link, handover_token = self._send_handover()
        _order2, other = self._confirmed_order(self.dashcam)
        self._due_bill(other)
        self.assertEqual(handover_link._current_state(), "changed")
        self.assertEqual(self.url_open(f"/jingpin/h/{handover_token}").status_code, 404)
        self.assertIn("error", self._sign("h", handover_token))
        self.assertEqual(self.work_order.work_state, "ready")
        self.assertEqual(self.work_order.signature_ids.mapped("role"), ["completion", "inspection"])
        self.assertFalse(confirm_link.used_on or handover_link.used_on)
        # another link's document
        self._decide_all(confirm_link)
        self._sign("c", confirm_token)
        self.assertEqual(
            self.url_open(f"/jingpin/c/{confirm_token}/document/{confirm_link.document_ids.id + 1}").status_code, 404
        )
        # every request was counted and logged
        logged = self.env["jingpin.customer.request"].search([("key", "=", "*"), ("ip_address", "=", "127.0.0.1")])
        self.assertGreaterEqual(sum(logged.mapped("hits")), 12)
