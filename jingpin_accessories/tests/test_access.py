from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import JingpinCommon


@tagged("post_install", "-at_install")
class TestAccess(JingpinCommon):
    """What each role may and may not do with the catalogue."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accessory_b = cls.env["product.template"].create(
            cls._accessory_vals("Dealer B Mud Flaps", cls.categ_mats, 260.0, 90.0, 20, company_id=cls.company_b.id)
        )

    def test_group_chain(self):
        self.assertTrue(self.gm.has_group("jingpin_accessories.group_jingpin_manager"))
        self.assertTrue(self.manager.has_group("jingpin_accessories.group_jingpin_specialist"))
        self.assertTrue(self.specialist.has_group("jingpin_accessories.group_jingpin_technician"))
        self.assertTrue(self.specialist.has_group("sales_team.group_sale_salesman"))
        self.assertFalse(self.technician.has_group("sales_team.group_sale_salesman"))
        self.assertFalse(self.viewer.has_group("jingpin_accessories.group_jingpin_technician"))

    def test_technician_sees_accessories_but_no_prices_or_costs(self):
        film = self.film.with_user(self.technician)
        self.assertEqual(film.name, "Window Film")
        self.assertEqual(film.labour_minutes, 240)
        for fname in ("standard_price", "list_price"):
            with self.assertRaises(AccessError):
                film.read([fname])
        with self.assertRaises(AccessError):
            film.product_variant_id.read(["lst_price"])
        fields = film.fields_get()
        self.assertNotIn("standard_price", fields)
        self.assertNotIn("list_price", fields)

    def test_technician_cannot_change_the_catalogue(self):
        with self.assertRaises(AccessError):
            self.film.with_user(self.technician).write({"name": "Cheap Film"})
        with self.assertRaises(AccessError):
            self.env["product.template"].with_user(self.technician).create({"name": "Private Install"})

    def test_specialist_and_consultant_read_prices_but_cannot_change_them(self):
        for user in (self.specialist, self.consultant):
            film = self.film.with_user(user)
            self.assertEqual(film.list_price, 3000.0)
            with self.assertRaises(AccessError):
                film.write({"list_price": 1.0})
        self.assertEqual(self.film.with_user(self.specialist).standard_price, 1200.0)

    def test_manager_and_gm_keep_the_catalogue_but_cannot_delete(self):
        for user in (self.manager, self.gm):
            Template = self.env["product.template"].with_user(user)
            new = Template.create(self._accessory_vals(f"Mats by {user.login}", self.categ_mats, 500.0, 200.0, 10))
            new.list_price = 550.0
            self.categ_mats.with_user(user).name = "Floor Mats"
            with self.assertRaises(AccessError):
                new.unlink()

    def test_group_viewer_reads_every_dealership_and_changes_nothing(self):
        Template = (
            self.env["product.template"]
            .with_user(self.viewer)
            .with_context(allowed_company_ids=(self.company_a | self.company_b).ids)
        )
        found = Template.search([("is_accessory", "=", True)])
        self.assertIn(self.accessory_b, found)
        self.assertIn(self.film, found)
        self.assertEqual(self.film.with_user(self.viewer).list_price, 3000.0)
        with self.assertRaises(AccessError):
            self.film.with_user(self.viewer).write({"list_price": 1.0})
        with self.assertRaises(AccessError):
            Template.create({"name": "Viewer product"})

    def test_group_viewer_reads_accessory_orders_only(self):
        SaleOrder = self.env["sale.order"]
        accessory_a, accessory_b, car_sale = SaleOrder.create(
            [
                {"partner_id": self.viewer.partner_id.id, "jingpin_channel": "walk_in"},
                {
                    "partner_id": self.viewer.partner_id.id,
                    "jingpin_channel": "walk_in",
                    "company_id": self.company_b.id,
                },
                {"partner_id": self.viewer.partner_id.id},
            ]
        )
        orders = SaleOrder.with_user(self.viewer).with_context(
            allowed_company_ids=(self.company_a | self.company_b).ids
        )
        self.assertEqual(
            orders.search([("id", "in", (accessory_a | accessory_b | car_sale).ids)]), accessory_a | accessory_b
        )
        with self.assertRaises(AccessError):
            accessory_a.with_user(self.viewer).write({"note": "seen"})
        with self.assertRaises(AccessError):
            orders.create({"partner_id": self.viewer.partner_id.id, "jingpin_channel": "walk_in"})

    def test_group_viewer_is_offered_no_button_that_changes_things(self):
        """The order's header shows the viewer what he may do: print, preview, not invoice, send,
        cancel or ask for an approval; the operations report keeps its export."""
        arch = self.env["sale.order"].with_user(self.viewer).get_views([(False, "form")])["views"]["form"]["arch"]
        header = etree.fromstring(arch).find(".//header")
        names = {button.get("name") for button in header.iter("button")}
        for changing in ("action_quotation_send", "action_cancel", "action_jingpin_request_approval", "action_confirm"):
            self.assertNotIn(changing, names)
        confirmation = self.env.ref("jingpin_accessories.action_report_accessory_confirmation")
        self.assertIn(str(confirmation.id), names, "the confirmation sheet is printed")
        self.assertIn("action_preview_sale_order", names)
        manager_arch = (
            self.env["sale.order"].with_user(self.manager).get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="action_cancel"', manager_arch)
        report_arch = (
            self.env["jingpin.daily.report"]
            .with_user(self.viewer)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="action_export_xlsx"', report_arch)

    def test_group_viewer_opens_an_accessory_order(self):
        """The order's form reads its projects (Odoo's sale_project looks them up by a field only
        salesmen read): the dealer group's viewer opens the order all the same."""
        order = self.env["sale.order"].create({"partner_id": self.viewer.partner_id.id, "jingpin_channel": "walk_in"})
        # the milestones feature (on in Odoo's demo, as on the demo dealer group) shows the projects
        self.viewer.group_ids += self.env.ref("project.group_project_milestone")
        values = order.with_user(self.viewer).web_read({"name": {}, "project_ids": {}})
        self.assertEqual(values[0]["name"], order.name)
        self.assertEqual(values[0]["project_ids"], [])

    def test_dealerships_are_isolated(self):
        found = self.env["product.template"].with_user(self.specialist).search([("is_accessory", "=", True)])
        self.assertNotIn(self.accessory_b, found)
        self.assertIn(self.film, found, "Accessories without a company are shared by the group")
        with self.assertRaises(AccessError):
            self.accessory_b.with_user(self.specialist).read(["name"])
        found_b = self.env["product.template"].with_user(self.specialist_b).search([("is_accessory", "=", True)])
        self.assertIn(self.accessory_b, found_b)

    def test_vehicle_models_readable_by_department_only_manager_edits(self):
        self.assertEqual(self.camry.with_user(self.technician).name, "Camry")
        self.camry.with_user(self.manager).name = "Camry 2026"
        with self.assertRaises(AccessError):
            self.camry.with_user(self.specialist).write({"name": "Camry X"})
