from datetime import timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .approval_common import ApprovalTable
from .common import JingpinCommon


class JingpinPromotionCommon(JingpinCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()

    @classmethod
    def _promotion(cls, date_from=None, date_to=None, user=None, **vals):
        return (
            cls.env["jingpin.promotion"]
            .with_user(user or cls.manager)
            .create(
                {
                    "name": "Film Festival",
                    "date_from": date_from or cls.today - timedelta(days=2),
                    "date_to": date_to or cls.today + timedelta(days=10),
                    "line_ids": [
                        Command.create({"product_tmpl_id": cls.film.id, "promotion_price": 2400.0}),
                        Command.create({"product_tmpl_id": cls.dashcam.id, "promotion_price": 999.0}),
                    ],
                    **vals,
                }
            )
        )

    @classmethod
    def _approve(cls, promotion):
        promotion.with_user(cls.manager).action_submit()
        promotion.with_user(cls.gm).action_approve()
        return promotion


@tagged("post_install", "-at_install")
class TestPromotion(JingpinPromotionCommon):
    """R9: the manager drafts, the general manager approves, the prices apply during the period."""

    def _order(self, date_order=None, product=None):
        vals = {
            "partner_id": self.customer.id,
            "jingpin_channel": "walk_in",
            "order_line": [Command.create({"product_id": (product or self.film).product_variant_id.id})],
        }
        if date_order:
            vals["date_order"] = date_order
        return self.env["sale.order"].with_user(self.specialist).create(vals)

    def test_workflow(self):
        promotion = self._promotion(self.today + timedelta(days=3), self.today + timedelta(days=5))
        self.assertEqual(promotion.state, "draft")
        self.assertEqual(promotion.user_id, self.manager)

        promotion.with_user(self.manager).action_submit()
        self.assertEqual(promotion.state, "submitted")
        activity_type = self.env.ref("jingpin_accessories.mail_activity_type_promotion_approval")
        self.assertIn(
            self.gm,
            promotion.activity_ids.filtered(lambda a: a.activity_type_id == activity_type).user_id,
            "the general manager is asked to approve",
        )

        with self.assertRaisesRegex(AccessError, "is for"):
            promotion.with_user(self.manager).action_approve()
        self.assertEqual(promotion.state, "submitted")

        promotion.with_user(self.gm).action_approve()
        self.assertRecordValues(promotion, [{"state": "approved", "approved_by_id": self.gm.id}])
        self.assertTrue(promotion.approved_on)
        self.assertFalse(promotion.activity_ids.filtered(lambda a: a.activity_type_id == activity_type))
        self.assertEqual(len(promotion.pricelist_item_ids), 2)
        self.assertTrue(promotion.pricelist_id, "the company's default pricelist is used")
        self.assertEqual(promotion.pricelist_item_ids.pricelist_id, promotion.pricelist_id)
        self.assertEqual(
            sorted(promotion.pricelist_item_ids.mapped("fixed_price")),
            [999.0, 2400.0],
        )

        # The daily job starts it on its first day and closes it after its last.
        self.env["jingpin.promotion"]._cron_update_states()
        self.assertEqual(promotion.state, "approved", "not started yet")
        with freeze_time(self.today + timedelta(days=3)):
            self.env["jingpin.promotion"]._cron_update_states()
            self.assertEqual(promotion.state, "running")
        with freeze_time(self.today + timedelta(days=6)):
            self.env["jingpin.promotion"]._cron_update_states()
            self.assertEqual(promotion.state, "closed")

    def test_gm_refuses_with_reason(self):
        promotion = self._promotion()
        promotion.with_user(self.manager).action_submit()
        with self.assertRaises(AccessError):
            promotion.with_user(self.manager).action_open_refuse_wizard()
        action = promotion.with_user(self.gm).action_open_refuse_wizard()
        wizard = Form(self.env[action["res_model"]].with_user(self.gm).with_context(**action["context"]))
        wizard.reason = "Budget too high: halve the advertising."
        wizard.save().action_refuse()
        self.assertEqual(promotion.state, "draft")
        self.assertFalse(promotion.pricelist_item_ids)
        self.assertIn("Budget too high", promotion.message_ids[0].body)
        with self.assertRaises(UserError):
            promotion.with_user(self.gm).action_refuse("")

    def test_approval_starts_a_promotion_already_in_its_period(self):
        promotion = self._approve(self._promotion())
        self.assertEqual(promotion.state, "running")

    def test_who_may_do_what(self):
        with self.assertRaises(AccessError):
            self._promotion(user=self.consultant)
        with self.assertRaises(AccessError):
            self._promotion(user=self.technician)
        with self.assertRaises(AccessError):
            self._promotion(user=self.specialist)
        promotion = self._promotion()
        # Sales consultants and specialists read the promotions they sell.
        self.assertEqual(promotion.with_user(self.consultant).line_ids.mapped("promotion_price"), [2400.0, 999.0])
        self.assertEqual(self.env["jingpin.promotion"].with_user(self.specialist).search([]), promotion)
        self.assertEqual(promotion.with_user(self.consultant).customer_message_count, 0)
        with self.assertRaises(AccessError):
            promotion.with_user(self.consultant).action_submit()
        promotion.with_user(self.manager).action_submit()
        for user in (self.consultant, self.technician, self.specialist, self.manager, self.viewer):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                promotion.with_user(user).action_approve()
        with self.assertRaises(AccessError):
            promotion.with_user(self.technician).read(["name"])
        self.assertEqual(promotion.with_user(self.viewer).state, "submitted")

    def test_promotion_price_on_orders_in_period_only(self):
        promotion = self._approve(self._promotion(self.today - timedelta(days=1), self.today + timedelta(days=1)))
        in_period = self._order()
        self.assertEqual(in_period.pricelist_id, promotion.pricelist_id)
        self.assertEqual(in_period.order_line.price_unit, 2400.0)
        self.assertEqual(
            in_period.order_line.jingpin_reference_price,
            2400.0,
            "the promotion price is the approved price: no concession to approve",
        )
        self.assertFalse(in_period.jingpin_concession_amount)

        after = self._order(fields.Datetime.now() + timedelta(days=5))
        self.assertEqual(after.order_line.price_unit, 3000.0)
        before = self._order(fields.Datetime.now() - timedelta(days=5))
        self.assertEqual(before.order_line.price_unit, 3000.0)
        # Products outside the promotion keep their price.
        self.assertEqual(self._order(product=self.mat).order_line.price_unit, 800.0)

    def test_closing_ends_the_prices(self):
        promotion = self._approve(self._promotion())
        later = self._approve(self._promotion(self.today + timedelta(days=20), self.today + timedelta(days=30)))
        later_items = later.pricelist_item_ids
        self.assertEqual(self._order().order_line.price_unit, 2400.0)

        promotion.with_user(self.manager).action_close()
        self.assertEqual(promotion.state, "closed")
        self.assertTrue(all(item.date_end <= fields.Datetime.now() for item in promotion.pricelist_item_ids))
        self.assertEqual(self._order(fields.Datetime.now() + timedelta(minutes=1)).order_line.price_unit, 3000.0)

        later.with_user(self.manager).action_close()
        self.assertFalse(later_items.exists(), "a promotion closed before it started leaves no price")
        with self.assertRaises(UserError):
            later.with_user(self.manager).action_close()

    def test_approved_promotion_is_locked(self):
        promotion = self._approve(self._promotion())
        with self.assertRaises(ValidationError):
            promotion.line_ids[0].with_user(self.manager).product_tmpl_id = self.mat
        with self.assertRaises(ValidationError):
            promotion.line_ids[0].with_user(self.manager).promotion_price = 100.0
        with self.assertRaises(UserError):
            promotion.with_user(self.manager).line_ids = [
                Command.create({"product_tmpl_id": self.mat.id, "promotion_price": 500.0}),
            ]
        with self.assertRaises(UserError):
            promotion.with_user(self.manager).date_to = self.today + timedelta(days=30)
        with self.assertRaises(UserError):
            promotion.with_user(self.manager).unlink()
        # What is not a price may still change.
        promotion.with_user(self.manager).expected_result = "Twice last month's film sales"

    def test_draft_line_product_may_change(self):
        promotion = self._promotion()
        promotion.line_ids[0].with_user(self.manager).write({"product_tmpl_id": self.mat.id, "promotion_price": 700.0})
        self.assertEqual(promotion.line_ids[0].list_price, 800.0)
        with self.assertRaisesRegex(ValidationError, "above its list price"):
            promotion.line_ids[0].with_user(self.manager).promotion_price = 900.0

    def test_constraints(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._promotion(self.today, self.today - timedelta(days=1))
        with self.assertRaisesRegex(ValidationError, "above its list price"):
            self._promotion(line_ids=[Command.create({"product_tmpl_id": self.mat.id, "promotion_price": 900.0})])
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._promotion(line_ids=[Command.create({"product_tmpl_id": self.mat.id, "promotion_price": 0.0})])
        car = self.env["product.template"].create({"name": "Camry 2.0G", "list_price": 180000.0})
        with self.assertRaisesRegex(ValidationError, "not an accessory"):
            self._promotion(line_ids=[Command.create({"product_tmpl_id": car.id, "promotion_price": 170000.0})])
        with self.assertRaisesRegex(UserError, "no promotion prices"):
            self._promotion(line_ids=[]).with_user(self.manager).action_submit()
        # A package can be on promotion too.
        package_promotion = self._promotion(
            line_ids=[Command.create({"product_tmpl_id": self.package.id, "promotion_price": 3600.0})],
        )
        self.assertAlmostEqual(package_promotion.line_ids.discount_percent, 10.0)

    def test_multi_company(self):
        promotion = self._promotion()
        Promotion = self.env["jingpin.promotion"]
        self.assertFalse(Promotion.with_user(self.specialist_b).search([]))
        with self.assertRaises(AccessError):
            promotion.with_user(self.specialist_b).read(["name"])
        self.assertEqual(Promotion.with_user(self.viewer).search([("id", "=", promotion.id)]), promotion)


@tagged("post_install", "-at_install")
class TestPromotionReminder(JingpinPromotionCommon):
    """R9: at least one promotion a month. The managers are reminded when next month has none."""

    def _reminders(self, company=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "jingpin.promotion"),
                ("activity_type_id", "=", self.env.ref("mail.mail_activity_data_todo").id),
                (
                    "res_id",
                    "in",
                    self.env["jingpin.promotion"].search([("company_id", "=", (company or self.company_a).id)]).ids,
                ),
            ]
        )

    def test_reminder_once_on_a_new_plan(self):
        Promotion = self.env["jingpin.promotion"]
        Promotion._cron_remind_monthly_promotion()
        first = self.today + relativedelta(months=1, day=1)
        plan = Promotion.search([("company_id", "=", self.company_a.id), ("date_from", "=", first)])
        self.assertEqual(len(plan), 1)
        self.assertRecordValues(
            plan,
            [
                {
                    "state": "draft",
                    "name": f"{first:%Y-%m} Promotion Plan",
                    "date_to": first + relativedelta(day=31),
                }
            ],
        )
        reminders = self._reminders()
        self.assertEqual(reminders.user_id, self.manager, "the accessories manager, not the general manager")
        self.assertEqual(reminders.res_id, plan.id)
        self.assertEqual(plan.with_user(self.manager).activity_ids, reminders)

        # The job runs every day: the reminder is not repeated, nor the plan duplicated.
        Promotion._cron_remind_monthly_promotion()
        Promotion._cron_remind_monthly_promotion()
        self.assertEqual(self._reminders(), reminders)
        self.assertEqual(Promotion.search_count([("company_id", "=", self.company_a.id)]), 1)
        # A dealership without an accessories manager is not reminded.
        self.assertFalse(Promotion.search([("company_id", "=", self.company_b.id)]))

    def test_reminder_on_the_managers_draft(self):
        first = self.today + relativedelta(months=1, day=1)
        draft = self._promotion(first, first + timedelta(days=9))
        self.env["jingpin.promotion"]._cron_remind_monthly_promotion()
        self.assertEqual(self._reminders().res_id, draft.id, "the draft for next month is the one to finish")
        self.assertEqual(self.env["jingpin.promotion"].search_count([("company_id", "=", self.company_a.id)]), 1)

    def test_no_reminder_when_next_month_is_approved(self):
        first = self.today + relativedelta(months=1, day=1)
        self._approve(self._promotion(first + timedelta(days=5), first + timedelta(days=15)))
        self.env["jingpin.promotion"]._cron_remind_monthly_promotion()
        self.assertFalse(self._reminders())
        self.assertEqual(self.env["jingpin.promotion"].search_count([("company_id", "=", self.company_a.id)]), 1)


@tagged("post_install", "-at_install")
class TestPromotionThroughEveryDoor(JingpinPromotionCommon):
    """Issue 8: the promotion's state and approval change only through its actions; nobody approves
    his own promotion."""

    def test_state_and_approval_are_refused_to_clients(self):
        promotion = self._promotion()
        promotion.with_user(self.manager).action_submit()
        for user in (self.manager, self.gm):
            for vals in (
                {"state": "approved"},
                {"state": "running"},
                {"approved_by_id": self.gm.id},
                {"approved_on": fields.Datetime.now()},
                {"submitted_by_id": self.gm.id},
            ):
                with self.subTest(user=user.login, vals=vals), self.assertRaisesRegex(AccessError, "change only"):
                    promotion.with_user(user).write(vals)
        # The context key that used to open the gate opens nothing.
        with self.assertRaises(AccessError):
            promotion.with_user(self.manager).with_context(jingpin_promotion_sync=True).write({"state": "approved"})
        promotion.invalidate_recordset()
        self.assertRecordValues(
            promotion, [{"state": "submitted", "approved_by_id": False, "submitted_by_id": self.manager.id}]
        )
        self.assertFalse(promotion.pricelist_item_ids)

    def test_create_is_checked_like_write(self):
        with self.assertRaises(AccessError):
            self._promotion(state="approved")
        with self.assertRaises(AccessError):
            self._promotion(approved_by_id=self.gm.id)
        with self.assertRaises(AccessError):
            self.env["jingpin.promotion"].with_user(self.manager).with_context(default_state="running").create(
                {
                    "name": "Sneaky",
                    "date_from": self.today,
                    "date_to": self.today,
                }
            )
        self.assertFalse(self.env["jingpin.promotion"].search([]))

    def test_copy_is_a_new_draft(self):
        promotion = self._approve(self._promotion())
        copy = promotion.with_user(self.manager).copy(
            {"date_from": self.today + timedelta(days=40), "date_to": self.today + timedelta(days=50)}
        )
        self.assertRecordValues(
            copy, [{"state": "draft", "approved_by_id": False, "approved_on": False, "submitted_by_id": False}]
        )
        self.assertFalse(copy.pricelist_item_ids)

    def test_nobody_approves_his_own_promotion(self):
        gm_2 = new_test_user(
            self.env,
            login="jp_gm2",
            groups="jingpin_accessories.group_jingpin_gm",
            company_id=self.company_a.id,
            company_ids=[Command.set(self.company_a.ids)],
        )
        promotion = self._promotion(user=self.gm)
        promotion.with_user(self.gm).action_submit()
        with self.assertRaisesRegex(AccessError, "Another approver must decide"):
            promotion.with_user(self.gm).action_approve()
        # Submitted by another: still his own plan.
        theirs = self._promotion(user=self.manager, user_id=self.gm.id)
        theirs.with_user(self.manager).action_submit()
        with self.assertRaisesRegex(AccessError, "cannot approve or refuse it yourself"):
            theirs.with_user(self.gm).action_approve()
        (promotion | theirs).invalidate_recordset()
        self.assertEqual((promotion | theirs).mapped("state"), ["submitted", "submitted"])
        promotion.with_user(gm_2).action_approve()
        self.assertRecordValues(promotion, [{"state": "running", "approved_by_id": gm_2.id}])


@tagged("post_install", "-at_install")
class TestPromotionApproval(ApprovalTable, JingpinPromotionCommon):
    """The approval table (``approval_common``) for promotions: the manager submits, the general manager decides."""

    approval_model = "jingpin.promotion"
    approval_activity = "jingpin_accessories.mail_activity_type_promotion_approval"
    approval_submitters = ("manager", "gm")
    approval_approvers = ("gm",)
    approval_second_approver = "gm_2"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gm_2 = new_test_user(cls.env, login="jp_gm2", groups="jingpin_accessories.group_jingpin_gm")

    def _approval_draft(self, creator=None, owner=None):
        # in the future: an approved promotion stays approved until its period begins
        return self._promotion(
            date_from=self.today + timedelta(days=20),
            date_to=self.today + timedelta(days=30),
            user=creator,
            **({"user_id": owner.id} if owner else {}),
        )
