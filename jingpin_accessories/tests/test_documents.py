from lxml import html as lxml_html

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.misc import format_datetime

from .common import SIGNATURE_PNG, JingpinWorkOrderCommon

CONFIRMATION = "jingpin_accessories.report_accessory_confirmation"
INSTALLATION = "jingpin_accessories.report_installation_sheet"
PRICE_SHEET = "jingpin_accessories.report_price_sheet"


@tagged("post_install", "-at_install")
class TestDocuments(JingpinWorkOrderCommon):
    """The confirmation sheet, the installation sheet and the price sheet name the dealership in
    their body, show the car, the items and the customer's signature, and keep headings with rows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.write(
            {
                "name": "Huayuan Toyota Chaoyang",
                "street": "88 East Fourth Ring Road",
                "city": "Beijing",
                "phone": "010-8888 6001",
                "logo": SIGNATURE_PNG,
            }
        )
        cls.order = (
            cls.env["sale.order"]
            .with_user(cls.specialist)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "jingpin_channel": "after_sales",
                    "vehicle_id": cls.car.id,
                    "commitment_date": "2026-12-01 09:00:00",
                    "order_line": [
                        Command.create({"product_id": cls.film.product_variant_id.id}),
                        Command.create({"product_id": cls.dashcam.product_variant_id.id, "is_gift": True}),
                        Command.create({"product_id": cls.package.product_variant_id.id}),
                    ],
                }
            )
        )
        cls.order.action_confirm()
        # the gift leaves the stock at handover only once the manager approved it
        cls.env["jingpin.approval.wizard"].with_user(cls.manager).create(
            {"order_id": cls.order.id, "comment": "Gift for the car sale"}
        ).action_approve()
        cls.work_order = cls.order.work_order_ids

    def _render(self, report, records, user, lang=None):
        Report = self.env["ir.actions.report"].with_user(user)
        if lang:
            Report = Report.with_context(lang=lang)
        content, _fmt = Report._render_qweb_html(report, records.ids)
        return content.decode(), lxml_html.fromstring(content)

    def _assert_dealership_in_body(self, tree):
        block = tree.xpath("//div[hasclass('article')]//table[hasclass('jp_dealership')]")
        self.assertTrue(block, "the dealership heads the body: wkhtmltopdf draws no header")
        text = block[0].text_content()
        for expected in ("Huayuan Toyota Chaoyang", "88 East Fourth Ring Road", "Beijing", "010-8888 6001"):
            self.assertIn(expected, text)
        self.assertTrue(block[0].xpath(".//img[starts-with(@src, 'data:image/png;base64,')]"), "the logo")

    def _assert_car(self, tree):
        facts = tree.xpath("//table[hasclass('jp_facts')]")[0].text_content()
        for expected in ("京A12345", "LVGBE40K8GP123456", "Camry"):
            self.assertIn(expected, facts)

    def _customer_signature(self, tree):
        return tree.xpath("//div[hasclass('jp_signature_box')]/img/@src")

    def test_confirmation_sheet(self):
        # the customer signed the quotation on the portal before it was confirmed (a signature
        # written on the confirmed order by a client is refused: jingpin.guard fails closed)
        self.order._jingpin_server().write({"signature": SIGNATURE_PNG, "signed_by": "Customer Li"})
        content, tree = self._render(CONFIRMATION, self.order, self.specialist)
        self._assert_dealership_in_body(tree)
        self._assert_car(tree)
        lines = tree.xpath("//table[hasclass('jp_lines')]")[0]
        rows = {
            row.xpath("string(td[1])").split()[0]: row
            for row in lines.xpath("./tbody/tr[not(contains(@class, 'jp_component'))]")
        }
        self.assertEqual(set(rows), {"Window", "Dashcam", "New"}, "the order's lines, each once")
        package_row = lines.xpath("./tbody/tr[hasclass('jp_package')]")
        self.assertIn("New Car Package", package_row[0].text_content())
        package_line = self.order.order_line.filtered(lambda line: line.product_type == "combo")
        self.assertIn(f"{package_line._get_combo_totals('price_total'):,.2f}", package_row[0].text_content())
        components = lines.xpath("./tbody/tr[hasclass('jp_component')]")
        self.assertEqual(
            [row.xpath("string(td[1])").strip() for row in components],
            ["Camry Floor Mats", "Window Film", "Dashcam"],
            "the package's components under it",
        )
        gift = rows["Dashcam"]
        self.assertTrue(gift.xpath(".//span[hasclass('jp_gift')]"), "the gift is marked")
        self.assertIn("0.00", gift.xpath("string(td[4])"), "a gift's price is 0")
        self.assertFalse(rows["Window"].xpath(".//span[hasclass('jp_gift')]"))
        self.assertIn(format_datetime(self.env, self.work_order.promised_datetime), content, "fitted-by date")
        self.assertIn("Customer Li", tree.xpath("string(//table[hasclass('jp_signatures')])"))
        self.assertEqual(self._customer_signature(tree), [f"data:image/png;base64,{SIGNATURE_PNG}"])
        self.assertIn("max-height: 30mm", content, "the signature is shown at a legible size")

    def test_confirmation_sheet_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["jingpin_accessories"], ["zh_CN"], overwrite=True)
        content, tree = self._render(CONFIRMATION, self.order, self.specialist, lang="zh_CN")
        for text in ("精品确认单", "车牌号", "赠送", "客户签名", "套餐内含"):
            self.assertIn(text, content)
        self.assertFalse(self._customer_signature(tree), "unsigned: an empty box to sign on paper")

    def test_installation_sheet_after_handover(self):
        self.company_a.partner_id.lang = "zh_CN"
        self.env["res.lang"]._activate_lang("zh_CN")
        self._start_work(self.work_order)
        self.work_order.with_user(self.technician).action_sign_completion()
        self._pass_inspection(self.work_order)
        self._hand_over(self.work_order)
        content, tree = self._render(INSTALLATION, self.work_order, self.technician)
        self._assert_dealership_in_body(tree)
        self._assert_car(tree)
        for item in ("Camry Floor Mats", "Window Film"):
            self.assertIn(item, content)
        self.assertIn("车身、漆面和内饰与施工前一致，无损伤", content, "checkpoints in the dealership's language")
        self.assertEqual(self._customer_signature(tree), [f"data:image/png;base64,{SIGNATURE_PNG}"])
        self.assertIn("max-height: 30mm", content)

    def test_headings_stay_with_their_rows(self):
        content, tree = self._render(PRICE_SHEET, self.mat | self.film | self.dashcam | self.package, self.consultant)
        self._assert_dealership_in_body(tree)
        headings = tree.xpath("//tr[hasclass('jp_group_heading')]")
        self.assertEqual(
            [heading.text_content().strip() for heading in headings],
            [self.categ_cam.display_name, self.categ_mats.display_name, self.categ_film.display_name, "Packages"],
        )
        for heading in headings:
            self.assertEqual(heading.getparent().tag, "thead", "a heading repeats with its table on each page")
            self.assertTrue(heading.xpath("ancestor::table[1]/tbody/tr"))
            self.assertIn("jp_keep", heading.xpath("ancestor::div[1]/@class")[0])
        self.assertIn(".jp_document .jp_keep { page-break-inside: avoid; }", content)

    def test_technician_prints_his_work_order_but_no_order(self):
        self._start_work(self.work_order)
        content, _tree = self._render(INSTALLATION, self.work_order, self.technician)
        self.assertIn("LVGBE40K8GP123456", content)
        with self.assertRaises(AccessError):
            self._render(INSTALLATION, self.work_order, self.technician_2)
        with self.assertRaises(AccessError, msg="the confirmation sheet shows prices: not for technicians"):
            self._render(CONFIRMATION, self.order, self.technician)
