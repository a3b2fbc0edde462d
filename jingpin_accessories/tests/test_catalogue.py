from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import JingpinCommon


@tagged("post_install", "-at_install")
class TestCatalogue(JingpinCommon):
    def test_subcategory_of_accessory_category_is_accessory_category(self):
        sub = self.env["product.category"].create({"name": "TPE Mats", "parent_id": self.categ_mats.id})
        self.assertTrue(sub.is_accessory_category)
        other = self.env["product.category"].create({"name": "Spare Parts"})
        self.assertFalse(other.is_accessory_category)

    def test_accessory_must_be_in_accessory_category(self):
        other = self.env["product.category"].create({"name": "Spare Parts"})
        with self.assertRaisesRegex(ValidationError, "accessory category"):
            self.env["product.template"].create(self._accessory_vals("Oil Filter", other, 100.0, 50.0, 0))
        with self.assertRaisesRegex(ValidationError, "accessory category"):
            self.mat.categ_id = other

    def test_installed_accessory_needs_standard_labour(self):
        with self.assertRaisesRegex(ValidationError, "standard labour"):
            self.env["product.template"].create(
                self._accessory_vals("Roof Rack", self.categ_mats, 1600.0, 700.0, 0, needs_install=True)
            )
        with self.assertRaisesRegex(ValidationError, "standard labour"):
            self.film.labour_minutes = 0

    def test_negative_labour_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.mat.write({"needs_install": False, "labour_minutes": -5})

    def test_package_only_holds_accessories(self):
        oil = self.env["product.product"].create({"name": "Engine Oil", "type": "consu"})
        combo = self.env["product.combo"].create(
            {
                "name": "Oil",
                "combo_item_ids": [(0, 0, {"product_id": oil.id})],
            }
        )
        with self.assertRaisesRegex(ValidationError, "only contain accessories"):
            self.package.combo_ids |= combo

    def test_find_accessories_by_category_and_vehicle_model(self):
        Template = self.env["product.template"]
        self.assertEqual(
            Template.search([("is_accessory", "=", True), ("categ_id", "child_of", self.categ_mats.id)]),
            self.mat,
        )
        self.assertIn(self.mat, Template.search([("vehicle_model_ids", "in", self.camry.ids)]))
        self.assertNotIn(self.mat, Template.search([("vehicle_model_ids", "in", self.rav4.ids)]))

    def test_package_flag(self):
        self.assertTrue(self.package.is_accessory_package)
        self.assertFalse(self.mat.is_accessory_package)
        packages = self.env["product.template"].search([("is_accessory_package", "=", True)])
        self.assertIn(self.package, packages)
        self.assertNotIn(self.mat, packages)
