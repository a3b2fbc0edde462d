from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .test_promotion import JingpinPromotionCommon


@tagged("post_install", "-at_install")
class TestPromotionMessage(JingpinPromotionCommon):
    """R10: messages to new-car and existing customers, without those who refused them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.wang, cls.zhang, cls.zhao, cls.qian, cls.sun, cls.zhou, cls.old_buyer = Partner.create(
            [
                {"name": "Wang (new car)", "email": "wang@example.com", "phone": "+8613800138001"},
                {"name": "Zhang (RAV4)", "email": "zhang@example.com", "phone": "+8613800138002"},
                {"name": "Zhao (Camry)", "email": "zhao@example.com", "phone": "+8613800138003"},
                {
                    "name": "Qian (RAV4, opted out)",
                    "email": "qian@example.com",
                    "phone": "+8613800138004",
                    "jingpin_promotion_opt_out": True,
                },
                {"name": "Sun (RAV4, blacklisted)", "email": "sun@example.com", "phone": "+8613800138005"},
                {"name": "Zhou (RAV4, no email)", "phone": "+8613800138006"},
                {"name": "Old buyer", "email": "old@example.com", "phone": "+8613800138007"},
            ]
        )
        cls.env["mail.blacklist"].create({"email": "sun@example.com"})
        cls.env["phone.blacklist"].create({"number": "+8613800138005"})
        vehicles = cls.env["jingpin.vehicle"].create(
            [
                {"vin": f"LVGBE40K8GP20000{index}", "model_id": model.id, "partner_id": partner.id}
                for index, (partner, model) in enumerate(
                    [
                        (cls.wang, cls.camry),
                        (cls.zhang, cls.rav4),
                        (cls.zhao, cls.camry),
                        (cls.qian, cls.rav4),
                        (cls.sun, cls.rav4),
                        (cls.zhou, cls.rav4),
                        (cls.old_buyer, cls.camry),
                    ],
                    start=1,
                )
            ]
        )
        # Wang bought his car last week; the old buyer two years ago.
        car = cls.env["product.product"].create({"name": "Camry 2.0G", "type": "service", "list_price": 180000.0})
        cls.car_sales = cls.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "vehicle_id": vehicles.filtered(lambda v, p=partner: v.partner_id == p).id,
                    "date_order": date_order,
                    "order_line": [Command.create({"product_id": car.id})],
                }
                for partner, date_order in [
                    (cls.wang, fields.Datetime.now() - timedelta(days=7)),
                    (cls.old_buyer, fields.Datetime.now() - timedelta(days=730)),
                ]
            ]
        )
        cls.car_sales.action_confirm()
        # backdated as the old sale it stands for (a confirmed order's date is fixed for clients)
        cls.car_sales[1]._jingpin_server().date_order = fields.Datetime.now() - timedelta(days=730)
        cls.promotion = cls._approve(
            cls._promotion(target_customers="both", vehicle_model_ids=[Command.set(cls.rav4.ids)]),
        )

    def _message(self, user=None, **vals):
        action = self.promotion.with_user(user or self.specialist).action_message_customers()
        form = Form(self.env[action["res_model"]].with_user(user or self.specialist).with_context(**action["context"]))
        for name, value in vals.items():
            setattr(form, name, value)
        return form.save()

    def _mails_to(self, partners, subject):
        return (
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("subject", "=", subject),
                    ("recipient_ids", "in", partners.ids),
                ]
            )
        )

    def test_audience_new_car_customers(self):
        message = self._message(audience_owners=False)
        self.assertTrue(message.audience_new_car)
        self.assertEqual(message.company_id, self.company_a)
        self.assertEqual(message.recipient_ids, self.wang, "bought in the last three months")
        message.new_car_date_from = fields.Date.today() - timedelta(days=1000)
        self.assertEqual(message.recipient_ids, self.wang | self.old_buyer)

    def test_audience_vehicle_owners(self):
        message = self._message(audience_new_car=False)
        self.assertEqual(message.vehicle_model_ids, self.rav4, "the promotion's models")
        self.assertEqual(message.recipient_ids, self.zhang)
        self.assertEqual(message.excluded_partner_ids, self.qian | self.sun, "opted out or blacklisted")
        self.assertEqual(message.unreachable_partner_ids, self.zhou, "no email address")
        self.assertEqual((message.recipient_count, message.excluded_count, message.unreachable_count), (1, 2, 1))
        message.channel = "sms"
        self.assertEqual(message.recipient_ids, self.zhang | self.zhou)
        self.assertEqual(message.excluded_partner_ids, self.qian | self.sun)
        message.vehicle_model_ids = [Command.clear()]
        self.assertEqual(message.recipient_ids, self.zhang | self.zhou | self.wang | self.zhao | self.old_buyer)

    def test_send_email(self):
        message = self._message(subject="Film festival at Dealership A")
        self.assertEqual(message.recipient_ids, self.wang | self.zhang)
        self.assertIn("Film Festival", message.body_html)
        # An opted-out customer added by hand is still left out.
        message.recipient_ids = [Command.link(self.qian.id), Command.link(self.sun.id)]
        message.with_user(self.specialist).action_send()

        self.assertRecordValues(
            message,
            [
                {
                    "state": "sent",
                    "sent_by_id": self.specialist.id,
                    "sent_count": 2,
                }
            ],
        )
        self.assertTrue(message.sent_at)
        self.assertEqual(message.recipient_ids, self.wang | self.zhang)
        self.assertLessEqual(self.qian | self.sun, message.excluded_partner_ids)
        mails = self._mails_to(self.wang | self.zhang | self.qian | self.sun, message.subject)
        self.assertEqual(mails.recipient_ids, self.wang | self.zhang)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        self.assertEqual(len(mails), 2, "one email per customer")
        # Each customer's history shows the email.
        logged = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "in", (self.wang | self.zhang | self.qian).ids),
                ("subject", "=", message.subject),
            ]
        )
        self.assertEqual(set(logged.mapped("res_id")), {self.wang.id, self.zhang.id})
        self.assertIn("sent by Email to 2 customers", self.promotion.message_ids[0].body)
        with self.assertRaises(UserError):
            message.with_user(self.specialist).action_send()
        with self.assertRaises(UserError):
            message.with_user(self.specialist).subject = "Changed afterwards"

    def test_composer_keeps_blacklist_out(self):
        """The composer's exclusion list is the last guard: a blacklisted address gets no email."""
        message = self._message(subject="Guarded", audience_new_car=False)
        self.env["mail.blacklist"].create({"email": "zhang@example.com"})
        message._send_email(self.zhang)
        mail = self._mails_to(self.zhang, "Guarded")
        self.assertEqual((mail.state, mail.failure_type), ("cancel", "mail_bl"))

    def test_send_sms(self):
        message = self._message(channel="sms", audience_new_car=False)
        self.assertEqual(message.recipient_ids, self.zhang | self.zhou)
        message.body_text = "RAV4 owners: window film 2400 this month."
        message.with_user(self.specialist).action_send()
        self.assertEqual(message.state, "sent")
        sms = self.env["sms.sms"].sudo().search([("body", "=", message.body_text)])
        self.assertEqual(sms.partner_id, self.zhang | self.zhou)
        self.assertEqual(set(sms.mapped("state")), {"outgoing"}, "queued for the SMS gateway, not sent here")
        self.assertEqual(set(sms.mapped("number")), {"+8613800138002", "+8613800138006"})
        logs = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("message_type", "=", "sms"),
                ("res_id", "in", (self.zhang | self.zhou | self.qian | self.sun).ids),
            ]
        )
        self.assertEqual(set(logs.mapped("res_id")), {self.zhang.id, self.zhou.id})

    def test_nobody_to_send_to(self):
        message = self._message(audience_new_car=False, audience_owners=False)
        self.assertFalse(message.recipient_ids)
        with self.assertRaisesRegex(UserError, "Nobody to send"):
            message.with_user(self.specialist).action_send()

    def test_opt_out_on_partner(self):
        self.zhang.with_user(self.specialist).jingpin_promotion_opt_out = True
        message = self._message(audience_new_car=False)
        self.assertFalse(message.recipient_ids)
        self.assertIn(self.zhang, message.excluded_partner_ids)

    def test_who_may_send(self):
        message = self._message()
        for user in (self.consultant, self.technician):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._message(user=user)
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                message.with_user(user).action_send()
        with self.assertRaises(AccessError):
            message.with_user(self.viewer).action_send()
        self.assertEqual(message.with_user(self.viewer).subject, "Film Festival")

    def test_multi_company(self):
        message = self._message()
        Message = self.env["jingpin.promotion.message"]
        self.assertFalse(Message.with_user(self.specialist_b).search([]))
        with self.assertRaises(AccessError):
            message.with_user(self.specialist_b).read(["subject"])
        self.assertEqual(Message.with_user(self.viewer).search([("id", "=", message.id)]), message)

    def test_sent_log_is_the_servers(self):
        message = self._message(subject="Film festival at Dealership A")
        for vals in (
            {"state": "sent"},
            {"sent_by_id": self.manager.id},
            {"sent_count": 500},
            {"sent_at": fields.Datetime.now()},
            {"excluded_partner_ids": [Command.clear()]},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(AccessError, "change only"):
                message.with_user(self.specialist).write(vals)
        with self.assertRaises(AccessError):
            self.env["jingpin.promotion.message"].with_user(self.specialist).create(
                {"subject": "Already sent?", "company_id": self.company_a.id, "state": "sent"}
            )
        with self.assertRaises(AccessError):
            self.env["jingpin.promotion.message"].with_user(self.specialist).with_context(
                default_state="sent", default_sent_count=3
            ).create({"subject": "x", "company_id": self.company_a.id})
        message.invalidate_recordset()
        self.assertRecordValues(message, [{"state": "draft", "sent_by_id": False, "sent_count": 0}])
        message.with_user(self.specialist).action_send()
        # The context key that used to open the gate opens nothing.
        with self.assertRaises(UserError):
            message.with_user(self.manager).with_context(jingpin_message_sending=True).write({"subject": "Other"})
        self.assertRecordValues(message, [{"state": "sent", "subject": "Film festival at Dealership A"}])
        copy = message.with_user(self.specialist).copy()
        self.assertRecordValues(copy, [{"state": "draft", "sent_by_id": False, "sent_count": 0}])
