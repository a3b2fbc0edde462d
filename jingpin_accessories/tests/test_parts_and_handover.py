from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SIGNATURE_PNG, JingpinWorkOrderCommon


@tagged("post_install", "-at_install")
class TestPartsAndHandover(JingpinWorkOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.new_car = cls.env["product.product"].create(
            {
                "name": "Camry 2.0G",
                "type": "consu",
                "is_storable": True,
                "list_price": 179800.0,
                "standard_price": 165000.0,
            }
        )
        cls.env["stock.quant"].with_context(inventory_mode=True).create(
            {
                "product_id": cls.new_car.id,
                "location_id": cls.warehouse_a.lot_stock_id.id,
                "inventory_quantity": 1,
            }
        ).action_apply_inventory()

    def _validate(self, picking):
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        return picking.with_user(self.specialist).button_validate()

    def _car_sale(self):
        order = (
            self.env["sale.order"]
            .with_user(self.consultant)
            .create(
                {
                    "partner_id": self.customer.id,
                    "vehicle_id": self.car.id,
                    "order_line": [Command.create({"product_id": self.new_car.id})],
                }
            )
        )
        order.action_confirm()
        return order

    def test_accessories_are_issued_against_their_work_order(self):
        order, work_order = self._confirmed_order()
        self.assertEqual(work_order.picking_ids, order.picking_ids)
        self._validate(order.picking_ids)
        self.assertEqual(order.picking_ids.state, "done")
        self.assertTrue(all(move.value > 0 for move in order.picking_ids.move_ids))

    def test_no_issue_without_a_work_order(self):
        picking = (
            self.env["stock.picking"]
            .with_user(self.specialist)
            .create(
                {
                    "picking_type_id": self.warehouse_a.out_type_id.id,
                    "partner_id": self.customer.id,
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": self.film.product_variant_id.id,
                                "product_uom_qty": 1,
                                "location_id": self.warehouse_a.lot_stock_id.id,
                                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        with self.assertRaisesRegex(UserError, "only against a work order"):
            self._validate(picking)
        _order, work_order = self._confirmed_order()
        picking.work_order_id = work_order
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertIn(picking, work_order.picking_ids)

    def test_line_added_after_dispatch_is_not_issued_privately(self):
        order, _work_order = self._confirmed_order(self.mat)
        order.with_user(self.specialist).order_line = [
            Command.create({"product_id": self.dashcam.product_variant_id.id})
        ]
        with self.assertRaisesRegex(UserError, "Dashcam"):
            self._validate(order.picking_ids)

    def test_car_is_not_handed_over_with_open_accessory_work(self):
        _order, work_order = self._confirmed_order()
        car_sale = self._car_sale()
        with self.assertRaisesRegex(UserError, "cannot be handed over"):
            self._validate(car_sale.picking_ids)
        bill = (
            self.env["jingpin.due.bill"]
            .with_user(self.specialist)
            .create(
                {
                    "vehicle_id": self.car.id,
                    "partner_id": self.customer.id,
                    "work_order_ids": [Command.set(work_order.ids)],
                }
            )
        )
        self.assertIn("Window Film", bill.owed_description)
        with self.assertRaisesRegex(UserError, "must sign"):
            bill.action_sign()
        bill.signature = SIGNATURE_PNG
        bill.action_sign()
        self.assertEqual(bill.state, "signed")
        self.assertEqual(bill.signer_name, "Customer Li")
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            bill.owed_description = "nothing"
        self._validate(car_sale.picking_ids)
        self.assertEqual(car_sale.picking_ids.state, "done")
        # The owed work is fitted later: the due bill closes at its handover.
        self._start_work(work_order)
        work_order.with_user(self.technician).action_sign_completion()
        self._pass_inspection(work_order)
        self._hand_over(work_order)
        self.assertEqual(bill.state, "fitted")

    def test_car_goes_once_its_accessory_work_is_handed_over(self):
        _order, work_order = self._confirmed_order(self.mat)
        self._start_work(work_order)
        work_order.with_user(self.technician).action_sign_completion()
        self._pass_inspection(work_order)
        self._hand_over(work_order)
        car_sale = self._car_sale()
        self._validate(car_sale.picking_ids)
        self.assertEqual(car_sale.picking_ids.state, "done")

    def test_exception_tells_the_sales_consultant(self):
        order, work_order = self._confirmed_order(user=self.consultant)
        self.assertEqual(work_order.consultant_id, self.consultant)
        self.env["jingpin.work.exception"].with_user(self.specialist).create(
            {
                "task_id": work_order.id,
                "exception_type": "parts_missing",
                "description": "Window film out of stock until Friday",
            }
        )
        activity = work_order.activity_ids.filtered(lambda a: a.user_id == self.consultant)
        self.assertEqual(len(activity), 1)
        self.assertIn("Parts Missing", activity.summary)
        self.assertIn(self.consultant.partner_id, work_order.message_ids[0].partner_ids)
        with self.assertRaises(UserError):
            self.env["jingpin.work.exception"].with_user(self.technician).create(
                {
                    "task_id": work_order.id,
                    "exception_type": "other",
                    "description": "x",
                }
            )

    def test_due_bill_is_signed_only_by_its_action(self):
        _order, work_order = self._confirmed_order()
        Bill = self.env["jingpin.due.bill"].with_user(self.specialist)
        vals = {
            "vehicle_id": self.car.id,
            "partner_id": self.customer.id,
            "signature": SIGNATURE_PNG,
            "work_order_ids": [Command.set(work_order.ids)],
        }
        # Created like written: never already signed, back-dated or numbered by the client.
        for extra in (
            {"state": "signed"},
            {"signed_on": "2020-01-01 00:00:00"},
            {"state": "fitted"},
            {"name": "DB-FAKE"},
        ):
            with self.subTest(extra=extra), self.assertRaises(AccessError):
                Bill.create({**vals, **extra})
        with self.assertRaises(AccessError):
            Bill.with_context(default_state="signed").create(vals)
        self.assertFalse(self.env["jingpin.due.bill"].search([]))
        bill = Bill.create(vals)
        self.assertNotEqual(bill.name, "New", "numbered by the server")
        for changes in ({"state": "signed"}, {"signed_on": "2020-01-01 00:00:00"}):
            with self.subTest(changes=changes), self.assertRaisesRegex(AccessError, "change only"):
                bill.write(changes)
        bill.invalidate_recordset()
        self.assertRecordValues(bill, [{"state": "draft", "signed_on": False}])
        bill.action_sign()
        self.assertEqual(bill.state, "signed")
        self.assertAlmostEqual(bill.signed_on, fields.Datetime.now(), delta=timedelta(minutes=1))
        with self.assertRaisesRegex(UserError, "signed due bill cannot be changed"):
            bill.write({"signed_on": "2020-01-01 00:00:00"})
        with self.assertRaises(AccessError):
            bill.write({"state": "fitted"})
        bill.invalidate_recordset()
        self.assertEqual(bill.state, "signed")
        copy = bill.copy()
        self.assertRecordValues(copy, [{"state": "draft", "signed_on": False, "signature": False}])

    def test_signed_due_bill_is_cancelled_by_the_manager_with_a_reason(self):
        _order, work_order = self._confirmed_order()
        bill = (
            self.env["jingpin.due.bill"]
            .with_user(self.specialist)
            .create(
                {
                    "vehicle_id": self.car.id,
                    "partner_id": self.customer.id,
                    "signature": SIGNATURE_PNG,
                    "work_order_ids": [Command.set(work_order.ids)],
                }
            )
        )
        bill.action_sign()
        with self.assertRaisesRegex(AccessError, "only the accessories manager"):
            bill.with_user(self.specialist).action_cancel()
        with self.assertRaises(AccessError):
            bill.with_user(self.technician).action_cancel()
        with self.assertRaisesRegex(UserError, "Say why"):
            bill.with_user(self.manager).action_cancel()
        self.assertEqual(bill.state, "signed")
        bill.with_user(self.manager).cancel_reason = "The customer chose a refund instead."
        bill.with_user(self.manager).action_cancel()
        self.assertEqual(bill.state, "cancel")
        with self.assertRaises(AccessError):
            bill.with_user(self.manager).cancel_reason = "Rewritten"
        draft = bill.copy()
        draft.with_user(self.specialist).action_cancel()
        self.assertEqual(draft.state, "cancel")
