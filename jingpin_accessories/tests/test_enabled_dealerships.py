from freezegun import freeze_time

from odoo.tests import tagged

from .test_inventory_control import JingpinInventoryCommon


@tagged("post_install", "-at_install")
class TestEnabledDealerships(JingpinInventoryCommon):
    """The department's scheduled jobs serve only the companies set up as dealerships with an
    accessories department (*Settings › Accessories*); the other companies of the database (a
    holding, Odoo's sample companies...) get no report, no issue, no to-do."""

    def test_a_new_company_is_not_enabled(self):
        self.assertFalse(self.env["res.company"].create({"name": "Holding"}).jingpin_enabled)
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.jingpin_enabled, "the dealership of the settings")

    def test_reports_only_for_enabled_dealerships(self):
        Report = self.env["jingpin.daily.report"]
        (self.company_a | self.company_b).partner_id.tz = "Asia/Shanghai"
        self.company_b.jingpin_enabled = False
        with freeze_time("2026-03-14 09:30:00"):  # Saturday 17:30 in Beijing: the daily and weekly reports are due
            Report._cron_build_and_send()
        self.assertTrue(Report.search([("company_id", "=", self.company_a.id)]))
        self.assertFalse(Report.search([("company_id", "=", self.company_b.id)]))
        self.company_b.jingpin_enabled = True
        with freeze_time("2026-03-14 09:30:00"):
            Report._cron_build_and_send()
        self.assertTrue(Report.search([("company_id", "=", self.company_b.id)]))

    def test_reconciliation_only_for_enabled_dealerships(self):
        self._handed_over(undelivered=True)
        Issue = self.env["jingpin.reconciliation.issue"]
        self.company_a.jingpin_enabled = False
        Issue._cron_run_check()
        self.assertFalse(Issue.search([("company_id", "=", self.company_a.id)]))
        self.company_a.jingpin_enabled = True
        Issue._cron_run_check()
        self.assertTrue(Issue.search([("company_id", "=", self.company_a.id)]), "the same mismatch, now checked")

    def test_no_reminder_nor_check_for_a_company_not_enabled(self):
        Promotion = self.env["jingpin.promotion"]
        Check = self.env["jingpin.display.check"]
        self.company_a.jingpin_enabled = False
        Promotion._cron_remind_monthly_promotion()
        Check._cron_create_weekly_checks()
        self.assertFalse(Promotion.search([("company_id", "=", self.company_a.id)]), "no plan drafted")
        self.assertFalse(Check.search([("company_id", "=", self.company_a.id)]))
        self.assertFalse(self.env["mail.activity"].search([("user_id", "=", self.manager.id)]), "no to-do")
        self.assertTrue(Check.search([("company_id", "=", self.company_b.id)]), "the enabled dealership's")
        self.company_a.jingpin_enabled = True
        Promotion._cron_remind_monthly_promotion()
        self.assertTrue(self.env["mail.activity"].search([("user_id", "=", self.manager.id)]))
