from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import JingpinWorkOrderCommon


@tagged("post_install", "-at_install")
class TestClientFields(JingpinWorkOrderCommon):
    """The guard fails closed on the department's documents: a client writes only the fields the
    model opens (``_jingpin_client_fields``); Odoo's own fields, and a field added later by another
    module or by hand, are refused until a model opens them, as each role. Each refusal reads the
    data back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order, cls.work_order = cls._confirmed_order()
        cls.work_order.with_user(cls.specialist).technician_id = cls.technician

    def _add_field(self, model):
        """A field another module (here: Settings › Technical › Fields) adds to ``model`` later."""
        field = self.env["ir.model.fields"].create(
            {"model_id": self.env["ir.model"]._get_id(model), "name": "x_jingpin_later", "ttype": "char"}
        )
        # removed from the registry before the test's rollback, so no later test meets it
        self.addCleanup(field.unlink)

    def assertRefused(self, record, vals):
        before = record.sudo().read(list(vals))
        with self.subTest(user=record.env.user.login, vals=vals), self.assertRaises(AccessError):
            record.write(vals)
        record.invalidate_recordset()
        self.assertEqual(record.sudo().read(list(vals)), before)

    def test_work_order_opens_only_its_list(self):
        wo = self.work_order
        tag = self.env["project.tags"].create({"name": "VIP"})
        odoo_fields = {
            "allocated_hours": 12.0,
            "sequence": 1,
            "priority": "1",
            "date_deadline": "2030-01-01 00:00:00",
            "tag_ids": [Command.set(tag.ids)],
            "email_cc": "someone@example.com",
            "partner_id": self.env["res.partner"].create({"name": "Someone else"}).id,
            "milestone_id": False,
        }
        for user in (self.technician, self.specialist, self.manager):
            for name, value in odoo_fields.items():
                self.assertRefused(wo.with_user(user), {name: value})
        for user in (self.specialist, self.manager):
            wo.with_user(user).write(
                {"name": f"{wo.name} ·", "promised_datetime": fields.Datetime.now(), "description": "<p>Trim</p>"}
            )
        wo.with_user(self.technician).write({"description": "<p>Care with the trim</p>"})
        for vals in ({"name": "Mine"}, {"planned_start": fields.Datetime.now()}, {"specialist_id": False}):
            self.assertRefused(wo.with_user(self.technician), vals)

    def test_a_field_added_later_is_closed(self):
        self._add_field("project.task")
        self._add_field("sale.order")
        self._add_field("jingpin.work.exception")
        exception = (
            self.env["jingpin.work.exception"]
            .with_user(self.specialist)
            .create({"task_id": self.work_order.id, "exception_type": "parts_missing", "description": "No clips"})
        )
        for user in (self.specialist, self.manager):
            for record in (self.work_order, self.order, exception):
                self.assertRefused(record.with_user(user), {"x_jingpin_later": "set by a client"})
        with self.assertRaises(AccessError):
            self.env["jingpin.work.exception"].with_user(self.specialist).create(
                {
                    "task_id": self.work_order.id,
                    "exception_type": "parts_missing",
                    "description": "Again",
                    "x_jingpin_later": "at create",
                }
            )
        # the server opens what it decides
        self.work_order._jingpin_server().x_jingpin_later = "the server's"
        self.assertEqual(self.work_order.x_jingpin_later, "the server's")
        # a plain task of another project keeps Odoo's rules
        task = self.env["project.task"].create(
            {"name": "Body shop", "project_id": self.env["project.project"].create({"name": "Body"}).id}
        )
        task.with_user(self.manager).write({"x_jingpin_later": "free", "sequence": 3, "allocated_hours": 2.0})

    def test_an_addon_document_takes_its_own_editable_fields_only(self):
        exception = (
            self.env["jingpin.work.exception"]
            .with_user(self.specialist)
            .create({"task_id": self.work_order.id, "exception_type": "parts_missing", "description": "No clips"})
        )
        exception.with_user(self.specialist).description = "No clips in stock"
        # followers change through message_subscribe (which checks them), not a write of the field
        self.assertRefused(
            exception.with_user(self.specialist),
            {"message_follower_ids": [Command.create({"partner_id": self.customer.id})]},
        )

    def test_confirmed_accessory_order_opens_only_its_list(self):
        order = self.order
        terms = self.env["account.payment.term"].search([], limit=1)
        for user in (self.specialist, self.manager):
            order.with_user(user).write(
                {
                    "note": "<p>Fit before Friday</p>",
                    "client_order_ref": "PO-7",
                    "commitment_date": fields.Datetime.now(),
                }
            )
            for vals in (
                {"user_id": self.consultant.id},
                {"team_id": False},
                {"payment_term_id": terms.id},
                {"validity_date": "2030-01-01"},
                {"partner_invoice_id": self.specialist.partner_id.id},
                {"origin": "rewritten"},
            ):
                self.assertRefused(order.with_user(user), vals)
        # a quotation is edited as in Odoo
        quotation = order.copy()
        quotation.with_user(self.specialist).write({"payment_term_id": terms.id, "origin": "Walk-in"})
        self.assertEqual(quotation.payment_term_id, terms)

    def test_confirmed_accessory_order_lines_open_only_their_list(self):
        line = self.order.order_line[:1]
        analytic_plan = self.env["account.analytic.plan"].create({"name": "Stores"})
        analytic = self.env["account.analytic.account"].create({"name": "Chaoyang", "plan_id": analytic_plan.id})
        self._add_field("sale.order.line")
        for user in (self.specialist, self.manager):
            line.with_user(user).write({"name": "Floor mats, beige", "product_uom_qty": 2})
            for vals in (
                {"x_jingpin_later": "set by a client"},
                # delivered by the stock move, not typed in
                {"qty_delivered": 2},
                {"is_downpayment": True},
                {"is_expense": True},
                {"order_id": self.order.copy().id},
            ):
                self.assertRefused(line.with_user(user), vals)
        self.assertRecordValues(line, [{"name": "Floor mats, beige", "product_uom_qty": 2}])
        line.with_user(self.specialist).analytic_distribution = {str(analytic.id): 100}
        # a quotation's lines are edited as in Odoo
        quotation_line = self.order.copy().order_line[:1]
        quotation_line.with_user(self.specialist).write({"x_jingpin_later": "free", "is_expense": True})
        self.assertEqual(quotation_line.x_jingpin_later, "free")

    def test_cars_and_key_slots_take_their_own_editable_fields_only(self):
        slot = self._free_key_slot(self.company_a)
        self._add_field("jingpin.vehicle")
        self._add_field("jingpin.key.slot")
        for user in (self.specialist, self.manager):
            self.car.with_user(user).license_plate = "京A54321"
            self.assertRefused(self.car.with_user(user), {"x_jingpin_later": "set by a client"})
            # an order names its car; a car does not take another's orders
            self.assertRefused(self.car.with_user(user), {"sale_order_ids": [Command.link(self.order.copy().id)]})
        slot.with_user(self.manager).name = "B-07"
        self.assertRefused(slot.with_user(self.manager), {"x_jingpin_later": "set by a client"})
        self.assertEqual(self.car.license_plate, "京A54321")
