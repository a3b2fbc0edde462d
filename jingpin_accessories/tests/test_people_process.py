from datetime import date, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .approval_common import ApprovalTable
from .common import SIGNATURE_PNG, JingpinCommon

MONDAY = date(2026, 11, 23)


class JingpinPeopleCommon(JingpinCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.training = (
            cls.env["jingpin.training"]
            .with_user(cls.manager)
            .create(
                {
                    "name": "Window film technique",
                    "topic": "installation",
                    "trainer_id": cls.manager.id,
                    "attendance_ids": [
                        Command.create({"user_id": cls.technician.id, "score": 90, "result": "passed"}),
                        Command.create({"user_id": cls.specialist.id, "score": 60, "result": "failed"}),
                    ],
                }
            )
        )
        cls.plan = (
            cls.env["jingpin.growth.plan"]
            .with_user(cls.specialist)
            .create(
                {
                    "name": "My year",
                    "date_to": MONDAY + timedelta(days=300),
                    "goal_ids": [Command.create({"name": "Sell 80,000 a month", "date_deadline": MONDAY})],
                }
            )
        )

    def _weekly_checks(self, day=MONDAY):
        Check = self.env["jingpin.display.check"]
        Check._cron_create_weekly_checks(day)
        return Check.search([("week_start", "=", day - timedelta(days=day.weekday()))])

    def _answer_all(self, check, answer="ok", user=None):
        check.line_ids.with_user(user or self.specialist).write({"answer": answer})


@tagged("post_install", "-at_install")
class TestTraining(JingpinPeopleCommon):
    def test_held_training_feeds_history_and_appraisal(self):
        self.training.with_user(self.manager).action_held()
        self.assertEqual(self.training.state, "held")
        self.assertRecordValues(
            self.technician.with_user(self.manager),
            [{"jingpin_training_count": 1, "jingpin_training_score": 90.0}],
        )
        self.assertRecordValues(
            (self.specialist | self.gm).with_user(self.manager),
            [
                {"jingpin_training_count": 1, "jingpin_training_score": 60.0},
                {"jingpin_training_count": 0, "jingpin_training_score": 0.0},
            ],
        )
        history = self.env["jingpin.training.attendance"].with_user(self.technician).search([])
        self.assertEqual(history.user_id, self.technician, "staff read their own training history only")

    def test_held_needs_results_and_locks_them(self):
        line = self.training.attendance_ids.filtered(lambda line: line.user_id == self.specialist)
        line.with_user(self.manager).result = False
        with self.assertRaises(UserError):
            self.training.with_user(self.manager).action_held()
        line.with_user(self.manager).present = False
        self.training.with_user(self.manager).action_held()
        with self.assertRaises(UserError):
            line.with_user(self.manager).write({"present": True, "score": 100})
        with self.assertRaises(UserError):
            self.training.with_user(self.manager).write({"attendance_ids": [Command.create({"user_id": self.gm.id})]})
        with self.assertRaises(UserError):
            self.training.with_user(self.manager).unlink()

    def test_future_training_is_not_held_yet(self):
        self.training.with_user(self.manager).date = fields.Datetime.now() + timedelta(days=2)
        with self.assertRaisesRegex(UserError, "on or after that day"):
            self.training.with_user(self.manager).action_held()
        self.assertEqual(self.training.state, "planned")
        self.training.with_user(self.manager).date = fields.Datetime.now() - timedelta(days=1)
        self.training.with_user(self.manager).action_held()
        self.assertEqual(self.training.state, "held")

    def test_only_the_manager_records_trainings(self):
        with self.assertRaises(AccessError):
            self.training.with_user(self.specialist).action_held()
        with self.assertRaises(AccessError):
            self.training.with_user(self.specialist).write({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.env["jingpin.training"].with_user(self.technician).create(
                {"name": "Mine", "trainer_id": self.technician.id}
            )
        with self.assertRaises(AccessError):
            self.training.with_user(self.viewer).write({"name": "Group"})
        self.assertEqual(self.training.with_user(self.viewer).name, "Window film technique")

    def test_client_cannot_write_state(self):
        with self.assertRaises(AccessError):
            self.training.with_user(self.manager).write({"state": "held"})
        with self.assertRaises(AccessError):
            self.env["jingpin.training"].with_user(self.manager).with_context(default_state="held").create(
                {"name": "Forged", "trainer_id": self.manager.id}
            )
        with self.assertRaises(AccessError):
            self.training.with_user(self.manager).with_context(jingpin_server=True).write({"state": "held"})
        self.assertEqual(self.training.state, "planned")


@tagged("post_install", "-at_install")
class TestGrowthPlan(JingpinPeopleCommon):
    def test_submit_and_review(self):
        self.plan.with_user(self.specialist).action_submit()
        self.assertEqual(self.plan.state, "in_progress")
        with self.assertRaises(UserError):
            self.plan.with_user(self.manager).action_approve()  # no review written yet
        self.plan.with_user(self.manager).write({"review_note": "Good start", "rating": "2"})
        self.plan.with_user(self.manager).action_approve()
        self.assertRecordValues(self.plan, [{"state": "reviewed", "approved_by_id": self.manager.id}])
        with self.assertRaises(UserError):
            self.plan.goal_ids.with_user(self.specialist).write({"done": True})
        with self.assertRaises(UserError):
            self.plan.with_user(self.specialist).write({"name": "Changed"})

    def test_only_the_manager_reviews(self):
        self.plan.with_user(self.specialist).action_submit()
        with self.assertRaises(AccessError):
            self.plan.with_user(self.specialist).write({"review_note": "I did great", "rating": "3"})
        with self.assertRaises(AccessError):
            self.plan.with_user(self.specialist).action_approve()
        with self.assertRaises(AccessError):
            self.plan.with_user(self.specialist).write({"state": "reviewed"})
        with self.assertRaises(AccessError):
            self.plan.with_user(self.specialist).write({"approved_by_id": self.manager.id})
        own = (
            self.env["jingpin.growth.plan"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Manager's own",
                    "date_to": MONDAY,
                    "date_from": MONDAY,
                    "goal_ids": [Command.create({"name": "Lead", "date_deadline": MONDAY})],
                }
            )
        )
        own.with_user(self.manager).action_submit()
        own.with_user(self.manager).write({"review_note": "Self", "rating": "3"})
        with self.assertRaises(AccessError):
            own.with_user(self.manager).action_approve()
        self.assertEqual(self.plan.state, "in_progress")

    def test_staff_see_their_own_plan_only(self):
        Plan = self.env["jingpin.growth.plan"]
        self.assertFalse(Plan.with_user(self.technician).search([]))
        with self.assertRaises(AccessError):
            self.plan.with_user(self.technician).read(["name"])
        with self.assertRaises(AccessError):
            Plan.with_user(self.technician).create(
                {"name": "For him", "user_id": self.specialist.id, "date_from": MONDAY, "date_to": MONDAY}
            )
        self.assertEqual(Plan.with_user(self.manager).search([]), self.plan)
        self.assertEqual(Plan.with_user(self.viewer).search([]), self.plan)
        self.assertFalse(Plan.with_user(self.specialist_b).search([]), "another dealership sees nothing")


@tagged("post_install", "-at_install")
class TestGrowthPlanApproval(ApprovalTable, JingpinPeopleCommon):
    """The approval table (``approval_common``) for growth plans: the staff member or the manager
    submits, the manager reviews (approves) or sends back (refuses)."""

    approval_model = "jingpin.growth.plan"
    approval_activity = "jingpin_accessories.mail_activity_type_growth_plan_review"
    approval_submitters = ("specialist", "manager", "gm")
    approval_approvers = ("manager", "gm")
    approval_second_approver = "gm"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_2 = new_test_user(cls.env, login="jp_mgr2", groups="jingpin_accessories.group_jingpin_manager")

    def _submitted(self, creator=None, owner=None, submitter=None):
        # a plan of the manager's own is submitted by another manager: his staff cannot move it
        if owner == self.manager and not submitter:
            submitter = self.manager_2
        return super()._submitted(creator, owner, submitter)

    def _approval_draft(self, creator=None, owner=None):
        owner = owner or self.specialist
        return (
            self.env["jingpin.growth.plan"]
            .with_user(creator or owner)
            .create(
                {
                    "name": "Next year",
                    "user_id": owner.id,
                    "date_to": MONDAY + timedelta(days=300),
                    "goal_ids": [Command.create({"name": "Fit window film alone", "date_deadline": MONDAY})],
                }
            )
        )

    def _approval_ready(self, record):
        record.with_user(self.manager).write({"review_note": "Steady progress", "rating": "2"})


@tagged("post_install", "-at_install")
class TestDisplayCheck(JingpinPeopleCommon):
    def test_cron_creates_one_check_per_company_per_week(self):
        checks = self._weekly_checks()
        self.assertEqual(checks.company_id, self.env["res.company"].search([]))
        self.assertEqual(len(checks), len(checks.company_id))
        self.assertEqual(self._weekly_checks(MONDAY + timedelta(days=3)), checks, "not twice in a week")
        check_a = checks.filtered(lambda check: check.company_id == self.company_a)
        self.assertTrue(check_a.line_ids)
        self.assertEqual(set(check_a.line_ids.mapped("area")), {"display", "price", "5s"})
        self.assertIn(self.specialist, check_a.activity_ids.user_id)
        self.assertNotIn(self.manager, check_a.activity_ids.user_id, "the specialists do the check")
        next_week = self._weekly_checks(MONDAY + timedelta(days=7))
        self.assertEqual(len(next_week), len(checks))
        self.assertFalse(next_week & checks)

    def test_the_database_refuses_a_second_check_of_a_week(self):
        check = self._weekly_checks().filtered(lambda check: check.company_id == self.company_a)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            check._jingpin_server().create({"name": "Twice", "company_id": self.company_a.id, "week_start": MONDAY})

    def test_completing_needs_every_answer_and_keeps_results(self):
        check = self._weekly_checks().filtered(lambda check: check.company_id == self.company_a)
        check.line_ids[:-1].with_user(self.specialist).write({"answer": "ok"})
        with self.assertRaises(UserError):
            check.with_user(self.specialist).action_done()
        check.line_ids[-1].with_user(self.specialist).write({"answer": "issue", "note": "Dusty shelf"})
        check.with_user(self.specialist).action_done()
        self.assertRecordValues(check, [{"state": "done", "done_by_id": self.specialist.id, "issue_count": 1}])
        self.assertFalse(check.activity_ids)
        with self.assertRaises(UserError):
            check.line_ids[-1].with_user(self.manager).write({"answer": "ok"})
        with self.assertRaises(UserError):
            check.with_user(self.manager).write({"note": "Rewritten"})
        with self.assertRaises(UserError):
            check.with_user(self.specialist).action_done()
        self.assertEqual(check.line_ids[-1].answer, "issue")

    def test_photos_of_a_done_check_stay(self):
        check = self._weekly_checks().filtered(lambda check: check.company_id == self.company_a)
        photo = (
            self.env["ir.attachment"]
            .with_user(self.specialist)
            .create({"name": "shelf.png", "datas": SIGNATURE_PNG, "res_model": check._name, "res_id": check.id})
        )
        self._answer_all(check)
        check.with_user(self.specialist).action_done()
        with self.assertRaises(UserError):
            photo.with_user(self.specialist).unlink()
        with self.assertRaises(UserError):
            photo.with_user(self.manager).write({"datas": SIGNATURE_PNG, "name": "other.png"})
        self.assertEqual(photo.name, "shelf.png")

    def test_checks_are_made_by_the_job_only(self):
        check = self._weekly_checks().filtered(lambda check: check.company_id == self.company_a)
        with self.assertRaises(AccessError):
            self.env["jingpin.display.check"].with_user(self.manager).create(
                {"name": "Mine", "company_id": self.company_a.id, "week_start": MONDAY + timedelta(days=70)}
            )
        with self.assertRaises(AccessError):
            self.env["jingpin.display.check.line"].with_user(self.manager).create(
                {"check_id": check.id, "area": "5s", "name": "Easy point"}
            )
        with self.assertRaises(AccessError):
            check.line_ids[0].with_user(self.specialist).write({"name": "Easy point"})
        with self.assertRaises(AccessError):
            check.with_user(self.manager).copy()
        with self.assertRaises(AccessError):
            check.line_ids[0].with_user(self.manager).unlink()

    def test_access_per_role(self):
        check = self._weekly_checks().filtered(lambda check: check.company_id == self.company_a)
        with self.assertRaises(AccessError):
            check.with_user(self.technician).read(["name"])
        with self.assertRaises(AccessError):
            check.with_user(self.technician).action_done()
        self._answer_all(check)
        with self.assertRaises(AccessError):
            check.with_user(self.viewer).action_done()
        with self.assertRaises(AccessError):
            check.line_ids[0].with_user(self.viewer).write({"answer": "issue"})
        with self.assertRaises(AccessError):
            check.with_user(self.specialist).write({"state": "done"})
        self.assertEqual(check.state, "open")

    def test_multi_company_isolation(self):
        checks = self._weekly_checks()
        Check = self.env["jingpin.display.check"]
        self.assertEqual(Check.with_user(self.specialist).search([]).company_id, self.company_a)
        self.assertEqual(Check.with_user(self.specialist_b).search([]).company_id, self.company_b)
        both = (self.company_a | self.company_b).ids
        self.assertEqual(Check.with_user(self.viewer).with_context(allowed_company_ids=both).search([]), checks)
        check_b = checks.filtered(lambda check: check.company_id == self.company_b)
        with self.assertRaises(AccessError):
            check_b.with_user(self.specialist).read(["name"])
        self.assertIn(self.specialist_b, check_b.activity_ids.user_id)
        self.assertNotIn(self.specialist, check_b.activity_ids.user_id)
        self.training.with_user(self.manager).action_held()
        self.assertFalse(self.env["jingpin.training"].with_user(self.specialist_b).search([]))

    def test_checklist_in_the_dealerships_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["jingpin_accessories"], ["zh_CN"], overwrite=True)
        self.company_b.partner_id.lang = "zh_CN"
        check_b = self._weekly_checks().filtered(lambda check: check.company_id == self.company_b)
        self.assertIn("整理", check_b.line_ids.mapped("name")[4])
        self.assertIn("陈列", check_b.name)


@tagged("post_install", "-at_install")
class TestPriceTagOutOfDate(JingpinPeopleCommon):
    def setUp(self):
        super().setUp()
        (self.mat | self.film).with_user(self.manager).jingpin_on_display = True

    def _outdated(self):
        return self.env["product.template"].search([("jingpin_price_tag_outdated", "=", True)])

    def test_price_change_after_the_printed_sheet(self):
        self.assertEqual(self._outdated(), self.mat | self.film, "never printed: every displayed tag is unchecked")
        printed_on = fields.Datetime.now() + timedelta(days=1)
        sheet = self.env["product.template"].search(self.env["product.template"]._price_sheet_domain())
        self.env["ir.actions.report"].with_user(self.specialist)._render_qweb_html(
            "jingpin_accessories.action_report_price_sheet", sheet.ids
        )
        self.assertFalse(self.company_a.jingpin_price_sheet_printed_on, "rendering the sheet is no print")
        with freeze_time(printed_on):
            self.env["product.template"].with_user(self.specialist).action_print_price_sheet()
        self.assertEqual(self.company_a.jingpin_price_sheet_printed_on, printed_on)
        self.assertFalse(self._outdated())
        self.assertFalse(self.film.jingpin_price_tag_outdated)
        with freeze_time(printed_on + timedelta(days=1)):
            self.film.with_user(self.manager).list_price = 3200.0
            self.dashcam.with_user(self.manager).list_price = 1300.0  # not on display
        self.assertEqual(self._outdated(), self.film)
        self.assertTrue(self.film.jingpin_price_tag_outdated)
        self.assertFalse(self.film.with_company(self.company_b).jingpin_price_tag_outdated, "not on display in B")
        self.assertIn(self.mat, self.env["product.template"].search([("jingpin_price_tag_outdated", "not in", [True])]))

    def test_a_partial_print_is_no_price_sheet(self):
        self.env["ir.actions.report"].with_user(self.specialist)._render_qweb_html(
            "jingpin_accessories.action_report_price_sheet", self.film.ids
        )
        self.assertFalse(self.company_a.jingpin_price_sheet_printed_on)

    def test_the_change_time_is_the_servers(self):
        with self.assertRaises(AccessError):
            self.film.with_user(self.manager).write({"jingpin_price_changed_on": fields.Datetime.now()})

    def test_check_flags_outdated_prices(self):
        check = self._weekly_checks().filtered(lambda check: check.company_id == self.company_a)
        self.assertEqual(check.outdated_product_ids, self.mat | self.film)
        self._answer_all(check)
        with self.assertRaises(UserError):
            check.with_user(self.specialist).action_done()
        check.line_ids.filtered(lambda line: line.area == "price").with_user(self.specialist).answer = "issue"
        check.with_user(self.specialist).action_done()
        self.assertEqual(check.outdated_product_ids, self.mat | self.film)
        self.mat.with_user(self.manager).jingpin_on_display = False
        self.assertEqual(check.outdated_product_ids, self.mat | self.film, "the result of a done check is kept")
