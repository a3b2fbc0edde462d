from .common import RoleDayCase

# What the group's viewer could change if a door were open: none of it is his after his day.
DOCUMENTS = ["sale.order", "project.task", "jingpin.daily.report", "jingpin.complaint", "jingpin.loan", "mail.message"]


class TestDayGroup(RoleDayCase):
    """The dealer group's day (集团精品管理部, jp_group) on the demo: he lands on both dealerships,
    reads the group dashboard, the sales analysis, an order and the operations reports of both,
    and is offered nothing that changes a record; then nothing is found changed by him."""

    def test_group_reads_both_dealerships(self):
        """The demo gives the group the reports and the figures of both dealerships, up to date."""
        dealerships = self.env["res.company"].search([("jingpin_enabled", "=", True)])
        self.assertEqual(
            set(self.env["jingpin.daily.report"].search([]).company_id.ids),
            set(dealerships.ids),
            "the group receives the reports of both dealerships",
        )
        self.assertFalse(self.env["jingpin.figure.stale"].search([]), "the group's figures are up to date")
        revenue = self.env["jingpin.plan.achievement.report"].with_context(allowed_company_ids=dealerships.ids)
        by_company = dict(revenue._read_group([], ["company_id"], ["revenue:sum"]))
        sales = dict(
            self.env["jingpin.accessory.report"]._read_group(
                [("company_id", "in", dealerships.ids)], ["company_id"], ["revenue:sum"]
            )
        )
        for company in dealerships:
            self.assertAlmostEqual(by_company.get(company, 0), sales.get(company, 0), places=2, msg=company.name)

    def test_group_day(self):
        viewer = self.env["res.users"].search([("login", "=", "jp_group")])
        dealerships = self.env["res.company"].search([("jingpin_enabled", "=", True)])
        self.assertEqual(len(dealerships), 2)
        self.assertEqual(viewer.company_ids & dealerships, dealerships)

        self.walk("jp_group", "jingpin_day_group_tour")

        for model in DOCUMENTS:
            # (OdooBot greets him in his private chat at his first login: Odoo's, not his)
            domain = [("model", "!=", "discuss.channel")] if model == "mail.message" else []
            self.assertFalse(
                self.env[model].search([*domain, "|", ("create_uid", "=", viewer.id), ("write_uid", "=", viewer.id)]),
                f"{model}: nothing is the group viewer's doing",
            )
        # his dashboard shows every dealership he is given, not one
        cards = self.env["jingpin.dashboard"].with_user(viewer).with_context(allowed_company_ids=dealerships.ids)
        self.assertEqual(cards.search([("metric", "=", "sales")]).company_id, dealerships)
