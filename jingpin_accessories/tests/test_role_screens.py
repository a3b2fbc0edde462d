from odoo.tests import HttpCase, tagged

from .common import JingpinWorkOrderCommon

CLICKBOT = (
    "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
    ".startClickEverywhere('jingpin_accessories.menu_jingpin_root');"
)


@tagged("post_install", "-at_install")
class TestRoleScreens(HttpCase, JingpinWorkOrderCommon):
    """Every screen of the 精品 app opens without a client error for every role: Odoo's click bot
    opens each menu the role is shown, each view of it, and each filter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _order, work_order = cls._confirmed_order()
        cls._start_work(work_order)
        _order, cls.dispatched = cls._confirmed_order(cls.dashcam)

    def _click_everywhere(self, user):
        self.browser_js(
            "/odoo",
            CLICKBOT,
            "odoo.isReady === true",
            login=user.login,
            timeout=600,
            success_signal="clickbot test succeeded",
        )

    def test_technician(self):
        self._click_everywhere(self.technician)

    def test_specialist(self):
        self._click_everywhere(self.specialist)

    def test_manager(self):
        self._click_everywhere(self.manager)

    def test_general_manager(self):
        self._click_everywhere(self.gm)

    def test_group_viewer(self):
        self._click_everywhere(self.viewer)

    def test_sales_consultant(self):
        self._click_everywhere(self.consultant)
