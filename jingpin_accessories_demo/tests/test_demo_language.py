from odoo.tests import TransactionCase, tagged

# What the demo's data files make, besides the records they name: the month's purchase order to the
# dealer group's purchasing centre, drafted by the job.
MADE_BY_JOBS = {"purchase.order": [("partner_id", "=", "jingpin_accessories_demo.partner_group_purchasing_demo")]}


@tagged("post_install", "-at_install")
class TestDemoLanguage(TransactionCase):
    """The demo dealer group works in Chinese: its records are made in the dealerships' language."""

    def _demo_records(self):
        records = {}
        for data in self.env["ir.model.data"].search([("module", "=", "jingpin_accessories_demo")]):
            records.setdefault(data.model, set()).add(data.res_id)
        for model, [(fname, operator, xmlid)] in MADE_BY_JOBS.items():
            found = self.env[model].search([(fname, operator, self.env.ref(xmlid).id)])
            self.assertTrue(found, f"the demo made no {model}")
            records.setdefault(model, set()).update(found.ids)
        for model, ids in records.items():
            Model = self.env[model].with_context(active_test=False)
            if "message_ids" in Model._fields:
                yield Model.browse(sorted(ids)).exists()

    def test_first_chatter_message_names_the_document_in_chinese(self):
        """Each demo record's chatter begins with "<document> 创建", the document named in Chinese."""
        checked = set()
        for records in self._demo_records():
            english = self.env["ir.model"]._get(records._name).with_context(lang="en_US").name
            for record in records:
                first = record.message_ids.sorted("id")[:1]
                if not first:
                    continue
                checked.add(records._name)
                with self.subTest(record=record.display_name):
                    self.assertNotIn(english, str(first.body), f"{records._name} {record.id}")
        self.assertLessEqual(
            {"jingpin.vehicle", "jingpin.training", "purchase.order", "sale.order", "product.template"}, checked
        )
