from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class RoleDayCase(HttpCase):
    """A role's whole day in the browser, on the demo dealer group, as that role's own user, in Chinese.

    scripts/test.sh runs these tests on the demo database before the end-to-end tests; each test's
    transaction is rolled back, so every day starts from the same demo and leaves it as it was.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.module.module"]._load_module_terms(
            ["jingpin_accessories", "jingpin_accessories_demo"], ["zh_CN"], overwrite=True
        )

    def walk(self, login, tour, url="/odoo"):
        """Runs the tour ``tour`` from ``url`` as the demo user ``login``."""
        self.start_tour(url, tour, login=login, timeout=600)
