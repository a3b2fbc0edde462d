from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.service.model import call_kw
from odoo.tests import tagged

from .common import JingpinCommon


@tagged("post_install", "-at_install")
class TestPriceSheet(JingpinCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.channel = cls.env.ref("jingpin_accessories.channel_price_sheet")

    def _notices(self):
        return self.env["mail.message"].search(
            [
                ("model", "=", "discuss.channel"),
                ("res_id", "=", self.channel.id),
                ("message_type", "=", "comment"),
            ]
        )

    def test_everyone_who_sells_is_in_the_channel(self):
        members = self.channel.channel_member_ids.partner_id
        self.assertIn(self.consultant.partner_id, members)
        self.assertIn(self.specialist.partner_id, members)
        self.assertNotIn(self.technician.partner_id, members)

    def test_price_change_is_announced(self):
        before = self._notices()
        self.film.with_user(self.manager).list_price = 3280.0
        notice = self._notices() - before
        self.assertEqual(len(notice), 1)
        self.assertIn("Window Film", notice.body)
        self.assertIn("3,280.00", notice.body)

    def test_new_accessory_is_announced(self):
        before = self._notices()
        self.env["product.template"].with_user(self.manager).create(
            self._accessory_vals("Wireless Charger", self.categ_cam, 398.0, 160.0, 30)
        )
        notice = self._notices() - before
        self.assertEqual(len(notice), 1)
        self.assertIn("Wireless Charger", notice.body)

    def test_one_notice_for_many_changes_and_none_without_price_change(self):
        before = self._notices()
        (self.mat | self.film).with_user(self.manager).write({"list_price": 999.0})
        self.assertEqual(len(self._notices() - before), 1)
        before = self._notices()
        self.mat.with_user(self.manager).write({"name": "Camry TPE Floor Mats", "list_price": 999.0})
        self.assertFalse(self._notices() - before, "Unchanged price: nothing to announce")

    def test_accessory_off_the_sheet_is_not_announced(self):
        before = self._notices()
        self.mat.with_user(self.manager).write({"on_price_sheet": False})
        self.mat.with_user(self.manager).list_price = 1.0
        self.assertFalse(self._notices() - before)
        self.mat.with_user(self.manager).on_price_sheet = True
        self.assertEqual(len(self._notices() - before), 1, "Back on the sheet: announced as new")

    def _print_from_the_list(self, user, selected=()):
        """The list's header button, as the web client calls it: with the selected rows' ids."""
        return call_kw(self.env["product.template"].with_user(user), "action_print_price_sheet", [list(selected)], {})

    def test_print_button_from_the_list(self):
        for selected in ((), self.film.ids):
            action = self._print_from_the_list(self.consultant, selected)
            self.assertEqual(action["report_name"], "jingpin_accessories.report_price_sheet")
            self.assertIn(self.mat.id, action["context"]["active_ids"], "the whole sheet, whatever is selected")
        self.assertTrue(self.company_a.jingpin_price_sheet_printed_on)
        with self.assertRaises(AccessError):
            self._print_from_the_list(self.technician)

    def test_category_rows_add_up_no_prices(self):
        """The price sheet is grouped by category: a category's row shows how many accessories, not
        the sum of their prices (the web client asks for the sums of the fields with an aggregator)."""
        fields_info = self.env["product.template"].with_user(self.consultant).fields_get(["list_price"])
        self.assertFalse(fields_info["list_price"].get("aggregator"))
        groups = (
            self.env["product.template"]
            .with_user(self.consultant)
            .formatted_read_group([("on_price_sheet", "=", True)], ["categ_id"], ["__count"])
        )
        self.assertTrue(groups and all("list_price" not in group for group in groups))

    def test_print_time_in_the_dealerships_time_zone(self):
        self.company_a.partner_id.tz = "Asia/Shanghai"
        with freeze_time("2026-12-07 15:30:00"):  # 23:30 in Beijing
            html, _fmt = (
                self.env["ir.actions.report"]
                .with_user(self.consultant)
                .with_context(tz="UTC")
                ._render_qweb_html("jingpin_accessories.report_price_sheet", self.film.ids)
            )
        self.assertIn("12/07/2026 11:30 PM", html.decode())

    def test_price_sheet_lists_categories_and_packages(self):
        action = self.env["product.template"].with_user(self.consultant).action_print_price_sheet()
        self.assertEqual(action["report_name"], "jingpin_accessories.report_price_sheet")
        docids = action["context"]["active_ids"]
        self.assertTrue({self.mat.id, self.film.id, self.package.id} <= set(docids))
        html, _fmt = (
            self.env["ir.actions.report"]
            .with_user(self.consultant)
            ._render_qweb_html(
                "jingpin_accessories.report_price_sheet",
                docids,
            )
        )
        html = html.decode()
        for text in ("Floor Mats", "Window Film", "New Car Package", "Camry Floor Mats", "3,000.00"):
            self.assertIn(text, html)

    def test_technician_cannot_print_prices(self):
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.technician)._render_qweb_html(
                "jingpin_accessories.report_price_sheet",
                self.film.ids,
            )
