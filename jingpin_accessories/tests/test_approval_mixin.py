from odoo.exceptions import UserError
from odoo.tests import tagged

from . import test_people_process, test_promotion, test_targets_reports
from .approval_common import ApprovalTable
from .common import JingpinCommon

# The approval table's document test classes, one a document that a higher role approves.
TABLES = (
    test_promotion.TestPromotionApproval,
    test_targets_reports.TestSalesPlanApproval,
    test_people_process.TestGrowthPlanApproval,
)


@tagged("post_install", "-at_install")
class TestApprovalMixin(JingpinCommon):
    """``jingpin.approval.mixin`` itself: every document using it runs the approval table, and the
    one refuse wizard refuses only such documents."""

    def test_every_approval_document_runs_the_table(self):
        mixin = self.env.registry["jingpin.approval.mixin"]
        documents = {
            name
            for name, model in self.env.registry.items()
            if not model._abstract and not model._transient and issubclass(model, mixin)
        }
        self.assertEqual(documents, {"jingpin.growth.plan", "jingpin.promotion", "jingpin.sales.plan"})
        self.assertTrue(all(issubclass(table, ApprovalTable) for table in TABLES))
        self.assertEqual({table.approval_model for table in TABLES}, documents)

    def test_refuse_wizard_refuses_other_models_and_bad_ids(self):
        Wizard = self.env["jingpin.approval.refuse.wizard"].with_user(self.gm)
        partner = self.env["res.partner"].create({"name": "Not a document"})
        for res_model, res_ids in (
            ("res.partner", partner.ids),
            ("no.such.model", [1]),
            ("jingpin.promotion", "1"),
            ("jingpin.promotion", [{"id": 1}]),
        ):
            with self.subTest(res_model=res_model, res_ids=res_ids), self.assertRaises(UserError):
                Wizard.create({"res_model": res_model, "res_ids": res_ids, "reason": "No"}).action_refuse()
