import json
from datetime import timedelta

from freezegun import freeze_time
from lxml import html as lxml_html

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.jingpin_customer_link import SMS_CODE_ATTEMPTS
from ..models.jingpin_customer_request import LIMIT_PER_TOKEN
from .common import SIGNATURE_PNG, JingpinWorkOrderCommon


class CustomerPhoneCommon(JingpinWorkOrderCommon):
    """A quotation of two accessories and a package, offered to a customer with a mobile."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.phone = "+86 138 0013 8000"
        cls.order = cls._quotation()

    @classmethod
    def _quotation(cls, products=None):
        return (
            cls.env["sale.order"]
            .with_user(cls.specialist)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "user_id": cls.consultant.id,
                    "jingpin_channel": "after_sales",
                    "vehicle_id": cls.car.id,
                    "order_line": [
                        Command.create({"product_id": product.product_variant_id.id, "product_uom_qty": 1})
                        for product in (products or cls.mat | cls.film | cls.dashcam)
                    ],
                }
            )
        )

    def _send(self, order=None, user=None):
        """Send the menu; returns (link, token) as the customer receives it."""
        order = order or self.order
        order.with_user(user or self.specialist).action_jingpin_send_customer_link()
        link = order.sudo().jingpin_customer_link_ids.sorted("id")[-1]
        return link, link.url.rsplit("/", 1)[1]

    def _line(self, template, order=None):
        return (order or self.order).order_line.filtered(lambda line: line.product_id.product_tmpl_id == template)

    def _find(self, token, purpose="confirm"):
        return self.env["jingpin.customer.link"]._find(token, purpose)

    def _decide_all(self, link, declined=()):
        order = link.order_id.sudo()
        for line in order._jingpin_customer_items():
            decision = "declined" if line.product_id.product_tmpl_id in declined else "accepted"
            order._jingpin_customer_decide(link, line, decision, "10.0.0.7")


@tagged("post_install", "-at_install")
class TestProvenance(CustomerPhoneCommon):
    def test_order_lines_show_provenance_and_producer(self):
        self.dashcam.write({"jingpin_provenance": "equivalent", "jingpin_producer": "Shenzhen 70mai"})
        line = self._line(self.dashcam)
        self.assertEqual((line.jingpin_provenance, line.jingpin_producer), ("equivalent", "Shenzhen 70mai"))

    def test_unlabelled_accessory_cannot_be_published(self):
        self.dashcam.with_user(self.manager).jingpin_producer = False
        with self.assertRaisesRegex(UserError, "Dashcam"):
            self.env["product.template"].with_user(self.specialist).action_print_price_sheet()
        with self.assertRaisesRegex(UserError, "provenance"):
            self.env["ir.actions.report"]._render_qweb_html(
                "jingpin_accessories.action_report_price_sheet", self.dashcam.ids
            )
        self.assertFalse(self.company_a.jingpin_price_sheet_printed_on, "a refused print marks nothing")
        self.dashcam.with_user(self.manager).jingpin_producer = "70mai"
        self.env["product.template"].with_user(self.specialist).action_print_price_sheet()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("jingpin_accessories.action_report_price_sheet", self.dashcam.ids)[0]
            .decode()
        )
        self.assertIn("70mai", html)


@tagged("post_install", "-at_install")
class TestCustomerLink(CustomerPhoneCommon):
    def test_send_creates_the_sms_with_the_link(self):
        link, token = self._send()
        sms = self.env["sms.sms"].sudo().search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(sms), 1)
        self.assertIn(f"/jingpin/c/{token}", sms.body)
        self.assertEqual(self._find(token), link)
        self.assertNotIn(token, link.sudo().token_digest, "the database looks links up by digest")

    def test_only_sales_staff_send_and_nobody_creates_a_link(self):
        with self.assertRaises(AccessError):
            self.order.with_user(self.technician).action_jingpin_send_customer_link()
        with self.assertRaises(UserError):
            self.env["jingpin.customer.link"].with_user(self.specialist).create(
                {
                    "order_id": self.order.id,
                    "purpose": "confirm",
                    "token_digest": "x",
                    "expires_on": fields.Datetime.now(),
                }
            )
        with self.assertRaises(AccessError):
            self.env["jingpin.customer.link"].with_user(self.technician).search([])

    def test_a_confirmed_order_is_not_offered(self):
        order, _work_order = self._confirmed_order()
        with self.assertRaises(UserError):
            order.with_user(self.specialist).action_jingpin_send_customer_link()

    def test_expired_token(self):
        _link, token = self._send()
        with freeze_time(fields.Datetime.now() + timedelta(hours=73)):
            self.assertFalse(self._find(token))

    def test_wrong_purpose_and_unknown_token(self):
        _link, token = self._send()
        self.assertFalse(self._find(token, purpose="handover"))
        self.assertFalse(self._find(token[:-1] + ("A" if token[-1] != "A" else "B")))
        self.assertFalse(self._find(""))

    def test_other_document(self):
        link, _token = self._send()
        other = self._quotation(self.mat)
        with self.assertRaisesRegex(UserError, "not on your menu"):
            self.order.sudo()._jingpin_customer_decide(link, other.order_line, "declined", "10.0.0.7")
        self.assertTrue(other.order_line.exists())
        self.assertFalse(other.jingpin_customer_decision_ids)

    def test_changed_document_closes_the_link(self):
        link, token = self._send()
        self._line(self.film).with_user(self.specialist).price_unit = 2500.0
        self.assertFalse(self._find(token))
        self.assertEqual(link._current_state(), "changed")

    def test_a_new_link_replaces_the_old_one(self):
        first, first_token = self._send()
        _second, second_token = self._send()
        self.assertFalse(self._find(first_token))
        self.assertEqual(first._current_state(), "revoked")
        self.assertTrue(self._find(second_token))

    def test_reuse_after_signing(self):
        link, token = self._send()
        self._decide_all(link)
        self.order.sudo()._jingpin_customer_sign(link, "Customer Li", SIGNATURE_PNG)
        self.assertFalse(self._find(token))
        self.assertFalse(link._mark_used(), "the database lets one signature through a link")
        with self.assertRaises(UserError):
            self.order.sudo()._jingpin_customer_sign(link, "Customer Li", SIGNATURE_PNG)
        self.assertEqual(len(self.order.jingpin_customer_signature_ids), 1)

    def test_rate_limit_per_token_and_address(self):
        requests = self.env["jingpin.customer.request"]
        for _i in range(LIMIT_PER_TOKEN):
            self.assertTrue(requests._hit("a" * 64, "10.0.0.7", "/jingpin/c/x"))
        self.assertFalse(requests._hit("a" * 64, "10.0.0.7", "/jingpin/c/x"))
        self.assertTrue(requests._hit("a" * 64, "10.0.0.8", "/jingpin/c/x"), "another address has its own count")
        row = requests.search([("key", "=", "a" * 16), ("ip_address", "=", "10.0.0.7")])
        self.assertEqual(row.hits, LIMIT_PER_TOKEN + 1)


@tagged("post_install", "-at_install")
class TestCustomerDecision(CustomerPhoneCommon):
    def test_decline_takes_the_item_off_and_is_recorded(self):
        link, token = self._send()
        film_line = self._line(self.film)
        film_total = film_line.price_total
        self.order.sudo()._jingpin_customer_decide(link, film_line, "declined", "10.0.0.7")
        self.assertFalse(film_line.exists())
        self.assertRecordValues(
            self.order.jingpin_customer_decision_ids,
            [
                {
                    "product_id": self.film.product_variant_id.id,
                    "decision": "declined",
                    "consultant_id": self.consultant.id,
                    "ip_address": "10.0.0.7",
                    "price_total": film_total,
                }
            ],
        )
        self.assertTrue(self._find(token), "his own decision does not close his link")
        self.assertIn("declined", self.order.message_ids[:1].body)
        self.order.sudo()._jingpin_customer_decide(link, self._line(self.mat), "accepted", "10.0.0.7")
        with self.assertRaisesRegex(UserError, "already answered"):
            self.order.sudo()._jingpin_customer_decide(link, self._line(self.mat), "declined", "10.0.0.7")
        self.assertTrue(self._line(self.mat))

    def test_nobody_writes_or_deletes_a_decision(self):
        link, _token = self._send()
        self._decide_all(link, declined=self.film)
        decision = self.order.jingpin_customer_decision_ids.filtered(lambda d: d.decision == "declined")
        with self.assertRaises(UserError):
            decision.with_user(self.specialist).write({"decision": "accepted"})
        with self.assertRaises(UserError):
            decision.sudo().unlink()
        with self.assertRaises(UserError):
            self.env["jingpin.customer.decision"].with_user(self.specialist).create(
                {"order_id": self.order.id, "product_id": self.mat.product_variant_id.id, "decision": "accepted"}
            )

    def test_declined_report_per_consultant_and_accessory(self):
        for _i in range(2):
            order = self._quotation()
            link, _token = self._send(order)
            self._decide_all(link, declined=self.film | self.dashcam)
        groups = self.env["jingpin.customer.decision"]._read_group(
            [("decision", "=", "declined"), ("consultant_id", "=", self.consultant.id)],
            ["product_id"],
            ["decision_count:sum"],
        )
        counted = {product.product_tmpl_id: count for product, count in groups}
        self.assertEqual(counted, {self.film: 2, self.dashcam: 2})


@tagged("post_install", "-at_install")
class TestCustomerSignature(CustomerPhoneCommon):
    def test_sign_seals_the_version_he_saw_and_archives_the_pdf(self):
        link, _token = self._send()
        with self.assertRaisesRegex(UserError, "each item"):
            self.order.sudo()._jingpin_customer_sign(link, "Customer Li", SIGNATURE_PNG)
        self._decide_all(link, declined=self.dashcam)
        self.order.sudo()._jingpin_customer_sign(link, "Customer Li", SIGNATURE_PNG)
        signature = self.order.jingpin_customer_signature_ids
        self.assertRecordValues(
            signature, [{"role": "confirmation", "signer_name": "Customer Li", "partner_id": self.customer.id}]
        )
        self.assertTrue(signature.seal_ok)
        content = json.loads(signature.content)
        self.assertEqual(
            sorted(line["product"] for line in content["lines"]),
            sorted((self.mat | self.film).product_variant_id.ids),
        )
        self.assertEqual(self.order.jingpin_customer_sign_state, "current")
        pdf = self.env["ir.attachment"].search([("res_model", "=", "sale.order"), ("res_id", "=", self.order.id)])
        self.assertTrue(pdf.filtered(lambda a: a.name.endswith(".pdf")))
        # the specialist changes the order: the customer must sign again
        self.order.with_user(self.specialist).write(
            {"order_line": [Command.create({"product_id": self.dashcam.product_variant_id.id})]}
        )
        self.assertEqual(self.order.jingpin_customer_sign_state, "outdated")
        self.assertTrue(signature.seal_ok, "out of date is not tampered")
        link2, _token2 = self._send()
        self._decide_all(link2)
        self.order.sudo()._jingpin_customer_sign(link2, "Customer Li", SIGNATURE_PNG)
        signatures = self.order.jingpin_customer_signature_ids
        self.assertEqual(len(signatures), 2)
        self.assertTrue(signatures._verify_chain())
        self.assertEqual(self.order.jingpin_customer_sign_state, "current")

    def test_tampered_seal_is_detected(self):
        link, _token = self._send()
        self._decide_all(link)
        self.order.sudo()._jingpin_customer_sign(link, "Customer Li", SIGNATURE_PNG)
        signature = self.order.jingpin_customer_signature_ids
        with self.assertRaises(UserError):
            signature.sudo().write({"signer_name": "Someone Else"})
        self.env.cr.execute("UPDATE jingpin_signature SET signer_name = 'Someone Else' WHERE id = %s", [signature.id])
        signature.invalidate_recordset()
        self.assertFalse(signature.seal_ok)

    def test_sms_code_before_signing(self):
        self.company_a.jingpin_customer_sms_code = True
        link, _token = self._send()
        self._decide_all(link)
        with self.assertRaisesRegex(UserError, "code"):
            self.order.sudo()._jingpin_customer_sign(link, "Customer Li", SIGNATURE_PNG)
        link._send_sms_code()
        sms = self.env["sms.sms"].sudo().search([("partner_id", "=", self.customer.id)], order="id desc", limit=1)
        code = sms.body.split(" is ")[1][:6]
        wrong = "000000" if code != "000000" else "111111"
        self.assertFalse(link._check_sms_code(wrong))
        self.assertTrue(link._check_sms_code(code))
        self.order.sudo()._jingpin_customer_sign(link, "Customer Li", SIGNATURE_PNG)
        self.assertTrue(self.order.jingpin_customer_signature_ids)

    def test_sms_code_attempts_are_limited(self):
        self.company_a.jingpin_customer_sms_code = True
        link, _token = self._send()
        link._send_sms_code()
        sms = self.env["sms.sms"].sudo().search([("partner_id", "=", self.customer.id)], order="id desc", limit=1)
        code = sms.body.split(" is ")[1][:6]
        wrong = "000000" if code != "000000" else "111111"
        for _i in range(SMS_CODE_ATTEMPTS):
            self.assertFalse(link._check_sms_code(wrong))
        self.assertFalse(link._check_sms_code(code), "after the last attempt even the right code is refused")
        self.assertTrue(link._needs_sms_code())


@tagged("post_install", "-at_install")
class TestCustomerFollowsHisCar(CustomerPhoneCommon):
    def _signed_and_confirmed(self):
        link, token = self._send()
        self._decide_all(link)
        self.order.sudo()._jingpin_customer_sign(link, "Customer Li", SIGNATURE_PNG)
        self.order.with_user(self.specialist).action_confirm()
        return link, token, self.order.work_order_ids

    def test_a_signed_link_still_shows_his_car_for_reading_only(self):
        link, token, _work_order = self._signed_and_confirmed()
        self.assertFalse(self._find(token), "no action goes through a used link")
        self.assertEqual(self.env["jingpin.customer.link"]._find(token, "confirm", follow=True), link)
        self.assertFalse(self.env["jingpin.customer.link"]._find(token, "handover", follow=True))
        with freeze_time(fields.Datetime.now() + timedelta(days=31)):
            self.assertFalse(self.env["jingpin.customer.link"]._find(token, "confirm", follow=True))

    def test_an_unsigned_link_does_not_follow_once_closed(self):
        link, token = self._send()
        self._line(self.film).with_user(self.specialist).price_unit = 2500.0
        self.assertFalse(self.env["jingpin.customer.link"]._find(token, "confirm", follow=True))
        _link2, token2 = self._send()
        self.assertEqual(link._current_state(), "revoked")
        self.assertTrue(self.env["jingpin.customer.link"]._find(token2, "confirm", follow=True))

    def test_progress_steps_promised_time_and_first_name_only(self):
        _link, _token, work_order = self._signed_and_confirmed()
        self.company_a.partner_id.tz = "Asia/Shanghai"
        self.technician.name = "王强"
        work_order.with_user(self.specialist).promised_datetime = "2026-12-08 08:30:00"
        self._start_work(work_order)
        [progress] = work_order._jingpin_customer_progress()
        self.assertEqual(progress["state"], "in_progress")
        self.assertEqual(
            [(done, current) for _label, done, current in progress["steps"]],
            [(True, False), (False, True), (False, False), (False, False)],
        )
        self.assertIn("4:30 PM", progress["promised"], "the dealership's time (UTC+8)")
        self.assertEqual(progress["technician"], "Master 王")
        self.assertNotIn("强", str(progress))
        self.technician.name = "John Smith"
        self.assertEqual(work_order._jingpin_customer_progress()[0]["technician"], "John")
        self.assertEqual(
            sorted(name for name, _quantity in progress["items"]),
            sorted((self.mat | self.film | self.dashcam).mapped("name")),
        )


class CustomerHandoverCommon(CustomerPhoneCommon):
    """A work order of the customer's car, ready for handover."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _order, cls.work_order = cls._confirmed_order()
        cls._ready(cls.work_order)

    @classmethod
    def _ready(cls, work_order):
        cls._start_work(work_order)
        work_order.with_user(work_order.technician_id).action_sign_completion()
        cls._pass_inspection(work_order)
        cls._issue_parts(work_order)

    def _send_handover(self, work_order=None):
        work_order = work_order or self.work_order
        work_order.with_user(self.specialist).action_jingpin_send_handover_link()
        link = work_order.sudo().jingpin_customer_link_ids.sorted("id")[-1]
        return link, link.url.rsplit("/", 1)[1]

    def _due_bill(self, work_orders):
        return (
            self.env["jingpin.due.bill"]
            .with_user(self.specialist)
            .create(
                {
                    "vehicle_id": self.car.id,
                    "partner_id": self.customer.id,
                    "work_order_ids": [Command.set(work_orders.ids)],
                }
            )
        )


@tagged("post_install", "-at_install")
class TestCustomerHandover(CustomerHandoverCommon):
    def test_handover_and_nothing_owed_signed_on_his_phone(self):
        link, token = self._send_handover()
        sms = self.env["sms.sms"].sudo().search([("partner_id", "=", self.customer.id)], order="id desc", limit=1)
        self.assertIn(f"/jingpin/h/{token}", sms.body)
        self.assertEqual(self._find(token, "handover"), link)
        self.assertFalse(self._find(token, "confirm"), "a handover link opens nothing else")
        self.assertEqual(self.work_order.jingpin_customer_url, link.url)
        self.work_order.sudo()._jingpin_customer_hand_over(link, "Customer Li", SIGNATURE_PNG)
        self.assertEqual(self.work_order.work_state, "handed_over")
        self.assertEqual(self.work_order.signature_ids.mapped("role"), ["completion", "inspection", "handover", "owed"])
        owed = self.work_order.signature_ids.filtered(lambda s: s.role == "owed")
        self.assertEqual(json.loads(owed.content)["due_bills"], [], "nothing owed (无欠款)")
        self.assertRecordValues(owed, [{"signer_name": "Customer Li", "partner_id": self.customer.id, "seal_ok": True}])
        self.assertTrue(self.work_order.signature_ids._verify_chain())
        self.assertEqual(self.work_order.seal_state, "intact")
        self.assertEqual(link._current_state(), "used")
        self.assertEqual(len(link.document_ids), 1)
        self.assertEqual((link.document_ids.res_model, link.document_ids.res_id), ("project.task", self.work_order.id))
        self.assertFalse(self._find(token, "handover"), "used once")
        self.assertEqual(self.env["jingpin.customer.link"]._find(token, "handover", follow=True), link)
        with self.assertRaisesRegex(UserError, "not valid any more"):
            self.work_order.sudo()._jingpin_customer_hand_over(link, "Customer Li", SIGNATURE_PNG)

    def test_due_bill_signed_with_the_handover_and_sealed(self):
        _order2, other = self._confirmed_order(self.dashcam)
        with self.assertRaisesRegex(UserError, "write the due bill"):
            self.work_order.with_user(self.specialist).action_jingpin_send_handover_link()
        bill = self._due_bill(other)
        link, token = self._send_handover()
        self.work_order.sudo()._jingpin_customer_hand_over(link, "Customer Li", SIGNATURE_PNG)
        self.assertRecordValues(bill, [{"state": "signed", "signer_name": "Customer Li"}])
        self.assertTrue(bill.signature)
        owed = self.work_order.signature_ids.filtered(lambda s: s.role == "owed")
        self.assertEqual([b["id"] for b in json.loads(owed.content)["due_bills"]], bill.ids)
        self.assertEqual(owed._owed_bills(), bill)
        self.assertTrue(owed.seal_ok)
        self.env.cr.execute("UPDATE jingpin_due_bill SET owed_description = 'nothing' WHERE id = %s", [bill.id])
        bill.invalidate_recordset()
        owed.invalidate_recordset()
        self.assertFalse(owed.seal_ok, "a due bill changed after he signed breaks the seal")

    def test_a_change_closes_the_handover_link(self):
        _order2, other = self._confirmed_order(self.dashcam)
        bill = self._due_bill(other)
        link, token = self._send_handover()
        bill.with_user(self.specialist).owed_description = "Dashcam × 1, wiring hidden"
        self.assertEqual(link._current_state(), "changed")
        self.assertFalse(self._find(token, "handover"))
        with self.assertRaisesRegex(UserError, "not valid any more"):
            self.work_order.sudo()._jingpin_customer_hand_over(link, "Customer Li", SIGNATURE_PNG)
        self.assertEqual(self.work_order.work_state, "ready")

    def test_only_a_ready_work_order_by_a_specialist(self):
        with self.assertRaises(AccessError):
            self.work_order.with_user(self.technician).action_jingpin_send_handover_link()
        _order2, other = self._confirmed_order(self.dashcam)
        with self.assertRaisesRegex(UserError, "not ready"):
            other.with_user(self.specialist).action_jingpin_send_handover_link()

    def test_other_work_order_and_sms_code(self):
        self.company_a.jingpin_customer_sms_code = True
        link, _token = self._send_handover()
        _order2, other = self._confirmed_order(self.dashcam)
        with self.assertRaisesRegex(UserError, "not for this work order"):
            other.sudo()._jingpin_customer_hand_over(link, "Customer Li", SIGNATURE_PNG)
        with self.assertRaisesRegex(UserError, "code"):
            self.work_order.sudo()._jingpin_customer_hand_over(link, "Customer Li", SIGNATURE_PNG)
        self.assertEqual(self.work_order.work_state, "ready")
        self.assertFalse(link.used_on)


@tagged("post_install", "-at_install")
class TestCustomerLinkByEmail(CustomerHandoverCommon):
    def _mail(self):
        return (
            self.env["mail.mail"].sudo().search([("recipient_ids", "in", self.customer.ids)], order="id desc", limit=1)
        )

    def test_the_menu_and_the_handover_by_email_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["jingpin_accessories"], ["zh_CN"], overwrite=True)
        self.company_a.partner_id.lang = "zh_CN"
        self.customer.email = "li@example.com"
        self.order.with_user(self.consultant).action_jingpin_email_customer_link()
        link = self.order.sudo().jingpin_customer_link_ids
        mail = self._mail()
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertIn(link.url, mail.body_html)
        self.assertIn("精品", mail.subject)
        self.assertIn("接受或拒绝", mail.body_html)
        self.assertNotIn(link.url, self.order.message_ids.mapped("body")[0], "the chatter never holds the link")
        self.work_order.with_user(self.specialist).action_jingpin_email_handover_link()
        handover = self.work_order.sudo().jingpin_customer_link_ids
        mail = self._mail()
        self.assertIn(handover.url, mail.body_html)
        self.assertIn("交车", mail.body_html)
        self.assertFalse(any(handover.url in (body or "") for body in self.work_order.message_ids.mapped("body")))

    def test_refused_without_an_email(self):
        self.customer.email = False
        with self.assertRaisesRegex(UserError, "no email address"):
            self.order.with_user(self.consultant).action_jingpin_email_customer_link()
        with self.assertRaisesRegex(UserError, "no email address"):
            self.work_order.with_user(self.specialist).action_jingpin_email_handover_link()
        self.assertFalse(self._mail())


@tagged("post_install", "-at_install")
class TestConfirmationSheet(CustomerPhoneCommon):
    """The accessory confirmation sheet (精品确认单): each line's provenance and producer, and the
    customer's signature only while the order is the version he signed."""

    def _sheet(self):
        content, _fmt = (
            self.env["ir.actions.report"]
            .with_user(self.consultant)
            ._render_qweb_html("jingpin_accessories.report_accessory_confirmation", self.order.ids)
        )
        return lxml_html.fromstring(content)

    def test_provenance_and_producer_on_each_line(self):
        self.dashcam.write({"jingpin_provenance": "equivalent", "jingpin_producer": "Shenzhen 70mai"})
        rows = self._sheet().xpath("//table[hasclass('jp_lines')]/tbody/tr")
        provenance = {
            row.xpath("string(td[1])").split()[0]: " ".join(
                text.strip() for text in row.xpath("td[2]//text()") if text.strip()
            )
            for row in rows
        }
        self.assertEqual(
            provenance,
            {
                "Camry": "OEM Toyota Boshoku",
                "Window": "OEM Toyota Boshoku",
                "Dashcam": "Equivalent Quality Shenzhen 70mai",
            },
        )

    def test_signature_printed_only_while_current(self):
        link, _token = self._send()
        self._decide_all(link)
        self.order.sudo()._jingpin_customer_sign(link, "Customer Li", SIGNATURE_PNG)
        tree = self._sheet()
        self.assertEqual(
            tree.xpath("//div[hasclass('jp_signature_box')]/img/@src"), [f"data:image/png;base64,{SIGNATURE_PNG}"]
        )
        self.assertIn("Customer Li", tree.xpath("string(//table[hasclass('jp_signatures')])"))
        self._line(self.film).with_user(self.specialist).product_uom_qty = 2
        self.assertEqual(self.order.jingpin_customer_sign_state, "outdated")
        tree = self._sheet()
        self.assertFalse(
            tree.xpath("//div[hasclass('jp_signature_box')]/img"), "out of date: not his signature any more"
        )
        self.assertTrue(tree.xpath("//div[hasclass('jp_signature_outdated')]"))
        self.assertNotIn("Customer Li", tree.xpath("string(//table[hasclass('jp_signatures')])"))
