from odoo.tests import HttpCase, tagged

from .test_people_process import MONDAY, JingpinPeopleCommon


@tagged("post_install", "-at_install")
class TestPeopleProcessTour(HttpCase, JingpinPeopleCommon):
    """In the web client: the specialist goes through the week's display check and closes it; the
    manager reviews a growth plan."""

    def test_specialist_completes_the_weekly_display_check(self):
        check = self._weekly_checks(MONDAY).filtered(lambda c: c.company_id == self.company_a)
        self.start_tour(f"/odoo/accessory-display-checks/{check.id}", "jingpin_display_check_tour", login="jp_spec")
        self.assertEqual(check.state, "done")
        self.assertEqual(set(check.line_ids.mapped("answer")), {"ok"})
        self.assertEqual(check.done_by_id, self.specialist)

    def test_manager_reviews_a_growth_plan(self):
        self.plan.with_user(self.specialist).action_submit()
        self.start_tour(
            f"/odoo/accessory-growth-plans/{self.plan.id}", "jingpin_growth_plan_review_tour", login="jp_mgr"
        )
        self.assertEqual(self.plan.state, "reviewed")
        self.assertEqual(self.plan.rating, "3")
        self.assertEqual(self.plan.approved_by_id, self.manager)
