from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import JingpinCommon


@tagged("post_install", "-at_install")
class TestVehicle(JingpinCommon):
    def test_vin_is_checked_and_normalised(self):
        Vehicle = self.env["jingpin.vehicle"].with_user(self.specialist)
        car = Vehicle.create({"vin": " lvgbe40k8gp123456 ", "license_plate": "京A12345", "model_id": self.camry.id})
        self.assertEqual(car.vin, "LVGBE40K8GP123456")
        self.assertEqual(car.name, "Camry 京A12345")
        for bad in ("SHORT", "LVGBE40K8GP12345O"):
            with self.assertRaisesRegex(ValidationError, "not a valid VIN"):
                Vehicle.create({"vin": bad, "model_id": self.camry.id})

    @mute_logger("odoo.sql_db")
    def test_vin_unique_per_dealership(self):
        Vehicle = self.env["jingpin.vehicle"]
        Vehicle.create({"vin": "LVGBE40K8GP123456", "model_id": self.camry.id})
        Vehicle.create({"vin": "LVGBE40K8GP123456", "model_id": self.camry.id, "company_id": self.company_b.id})
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            Vehicle.create({"vin": "LVGBE40K8GP123456", "model_id": self.camry.id})

    def test_vehicle_access_by_role_and_company(self):
        car_b = self.env["jingpin.vehicle"].create(
            {
                "vin": "LVGBE40K8GP654321",
                "model_id": self.rav4.id,
                "company_id": self.company_b.id,
            }
        )
        with self.assertRaises(AccessError):
            self.env["jingpin.vehicle"].with_user(self.technician).create(
                {"vin": "LVGBE40K8GP111111", "model_id": self.camry.id}
            )
        with self.assertRaises(AccessError):
            car_b.with_user(self.specialist).read(["vin"])
        self.assertEqual(car_b.with_user(self.specialist_b).vin, "LVGBE40K8GP654321")
        with self.assertRaises(AccessError):
            car_b.with_user(self.specialist_b).unlink()
        with self.assertRaises(AccessError):
            car_b.with_user(self.viewer).write({"license_plate": "X"})
