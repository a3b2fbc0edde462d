from odoo.tests import TransactionCase, tagged

from ..models.project_task_type import OPEN_WORK_STATES, WORK_STATES
from ..models.sale_order import JINGPIN_CHANNELS


@tagged("post_install", "-at_install")
class TestDemoHistory(TransactionCase):
    """The demo dealer group has something to show on every screen (issue 9, part 5).

    Reads the demo as installed (``create_database <db> demo``); skipped on a database without it.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cy = cls.env.ref("base.main_company")
        cls.hd = cls.env.ref("jingpin_accessories.company_haidian_demo", raise_if_not_found=False)

    def setUp(self):
        super().setUp()
        if not self.hd:
            self.skipTest("the database has no demo data")

    def test_orders_in_every_channel_at_both_dealerships(self):
        orders = self.env["sale.order"].search([("jingpin_channel", "!=", False), ("state", "=", "sale")])
        self.assertEqual(set(orders.mapped("jingpin_channel")), {code for code, _label in JINGPIN_CHANNELS})
        self.assertEqual(orders.company_id, self.cy | self.hd)
        self.assertTrue(
            orders.filtered("car_sale_order_id")
            and orders.filtered("rebate_amount")
            and orders.order_line.filtered("is_gift")
        )
        self.assertTrue(orders.order_line.filtered(lambda line: line.product_template_id.is_accessory_package))
        oldest = min(orders.mapped("date_order"))
        self.assertGreater((max(orders.mapped("date_order")) - oldest).days, 75, "three months of history")

    def test_work_orders_in_every_step_planned_timed_and_sealed(self):
        tasks = self.env["project.task"].search([("is_work_order", "=", True)])
        self.assertEqual(set(tasks.mapped("work_state")), {code for code, _label in WORK_STATES})
        open_tasks = tasks.filtered(lambda task: task.work_state in OPEN_WORK_STATES)
        self.assertTrue(open_tasks.filtered("planned_start"))
        self.assertTrue(self.env["jingpin.workshop.load"].search_count([]))
        signed = tasks.filtered("signature_ids")
        self.assertTrue(signed)
        self.assertEqual(set(signed.mapped("seal_state")), {"intact"})
        timesheets = self.env["account.analytic.line"].search([("task_id", "in", tasks.ids)])
        self.assertTrue(timesheets and all(timesheets.mapped("employee_id")))
        labour = self.env["jingpin.labour.report"].search([("actual_minutes", ">", 0)])
        self.assertTrue(labour.technician_id)

    def test_keys_due_bills_exceptions_approvals_and_charges(self):
        tasks = self.env["project.task"].search([("is_work_order", "=", True)])
        self.assertTrue({"in_box", "out", "returned"} <= set(tasks.mapped("key_state")))
        bills = self.env["jingpin.due.bill"].search([])
        self.assertTrue({"signed", "fitted"} <= set(bills.mapped("state")))
        self.assertTrue(self.env["jingpin.work.exception"].search_count([("state", "=", "open")]))
        states = set(self.env["sale.order"].search([("jingpin_channel", "!=", False)]).mapped("jingpin_approval_state"))
        self.assertTrue({"to_approve", "to_approve_gm", "approved"} <= states)
        self.assertTrue(self.env["jingpin.manager.charge"].search_count([("state", "=", "open")]))

    def test_promotions_closed_and_running(self):
        promotions = self.env["jingpin.promotion"].search([])
        self.assertTrue({"closed", "running"} <= set(promotions.mapped("state")))
