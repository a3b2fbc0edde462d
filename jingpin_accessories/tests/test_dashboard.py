from datetime import datetime, time, timedelta

import pytz

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import SIGNATURE_PNG, JingpinWorkOrderCommon

TZ = "Asia/Shanghai"


@tagged("post_install", "-at_install")
class TestDashboard(JingpinWorkOrderCommon):
    """The 精品 dashboard counts what each role may read, per dealership, and opens what it counts.

    Dealership B is new in the test, so its figures are exact: two work orders in the workshop
    (one started and late, with its key in the box; one dispatched yesterday whose key is out),
    a third car owed a due bill, a concession waiting for the manager, one for the general manager
    and a promotion submitted to him.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_b = cls.company_b

        def user_b(login, groups):
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                company_id=company_b.id,
                company_ids=[Command.set(company_b.ids)],
                tz=TZ,
            )

        cls.technician_b = user_b("jp_tech_b", "jingpin_accessories.group_jingpin_technician")
        cls.technician_b2 = user_b("jp_tech_b2", "jingpin_accessories.group_jingpin_technician")
        cls.manager_b = user_b("jp_mgr_b", "jingpin_accessories.group_jingpin_manager")
        cls.gm_b = user_b("jp_gm_b", "jingpin_accessories.group_jingpin_gm")
        (cls.specialist_b | cls.viewer).tz = TZ
        company_b.write({"jingpin_manager_id": cls.manager_b.id, "jingpin_gm_id": cls.gm_b.id})
        cls._receive_stock(cls.mat | cls.film | cls.dashcam, 20, warehouse=cls.warehouse_b)
        cls.car_b1, cls.car_b2, cls.car_b3 = cls.env["jingpin.vehicle"].create(
            [
                {
                    "vin": f"LVGBE40K8GP00000{index}",
                    "license_plate": f"京B0000{index}",
                    "model_id": cls.camry.id,
                    "partner_id": cls.customer.id,
                    "company_id": company_b.id,
                }
                for index in (1, 2, 3)
            ]
        )
        cls.slot_b1, cls.slot_b2, cls.slot_b3 = cls.env["jingpin.key.slot"].create(
            [{"name": name, "company_id": company_b.id} for name in ("S-1", "S-2", "S-3")]
        )

        tz = pytz.timezone(TZ)
        today = datetime.now(tz).date()

        def local(day, hour):
            return tz.localize(datetime.combine(day, time(hour))).astimezone(pytz.UTC).replace(tzinfo=None)

        # Started this morning, key in the box, promised an hour ago: late.
        cls.order_b1, cls.work_b1 = cls._order_b(cls.car_b1, cls.mat)
        cls.work_b1.with_user(cls.specialist_b).write(
            {
                "technician_id": cls.technician_b.id,
                "planned_start": local(today, 1),
                "promised_datetime": fields.Datetime.now() - timedelta(hours=1),
            }
        )
        technician = cls.work_b1.with_user(cls.technician_b)
        technician.action_confirm_protective_set()
        technician.action_key_check_in(cls.slot_b1)
        technician.action_start()
        # Dispatched for yesterday and not started: still today's work; its key is out.
        cls.order_b2, cls.work_b2 = cls._order_b(cls.car_b2, cls.dashcam)
        cls.work_b2.with_user(cls.specialist_b).write(
            {
                "technician_id": cls.technician_b2.id,
                "planned_start": local(today - timedelta(days=1), 1),
            }
        )
        cls.work_b2.with_user(cls.specialist_b).action_key_check_in(cls.slot_b2)
        cls.work_b2.with_user(cls.specialist_b).action_key_check_out(cls.technician_b2)
        # Not planned, no key; the customer signed a due bill that is past its date.
        cls.order_b3, cls.work_b3 = cls._order_b(cls.car_b3, cls.mat)
        cls.due_bill = (
            cls.env["jingpin.due.bill"]
            .with_user(cls.specialist_b)
            .create(
                {
                    "vehicle_id": cls.car_b3.id,
                    "partner_id": cls.customer.id,
                    "work_order_ids": [Command.set(cls.work_b3.ids)],
                    "promised_date": today - timedelta(days=1),
                    "signature": SIGNATURE_PNG,
                }
            )
        )
        cls.due_bill.action_sign()
        # Concessions: a small discount for the manager, a large one the manager passed to the GM.
        cls.quote_manager = cls._quotation_b(5.0)
        cls.quote_gm = cls._quotation_b(50.0)
        cls.env["jingpin.approval.wizard"].with_user(cls.manager_b).create(
            {
                "order_id": cls.quote_gm.id,
                "comment": "Fleet customer",
            }
        ).action_approve()
        cls.promotion_b = (
            cls.env["jingpin.promotion"]
            .with_user(cls.manager_b)
            .create(
                {
                    "name": "Film Week",
                    "company_id": company_b.id,
                    "date_from": today,
                    "date_to": today + timedelta(days=7),
                    "line_ids": [Command.create({"product_tmpl_id": cls.film.id, "promotion_price": 2400.0})],
                }
            )
        )
        cls.promotion_b.action_submit()

        # Dealership A: a car in its workshop that B must never count.
        _order, cls.work_a = cls._confirmed_order()
        cls._start_work(cls.work_a)

    @classmethod
    def _order_b(cls, vehicle, product):
        order = (
            cls.env["sale.order"]
            .with_user(cls.specialist_b)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.company_b.id,
                    "jingpin_channel": "after_sales",
                    "vehicle_id": vehicle.id,
                    "order_line": [Command.create({"product_id": product.product_variant_id.id, "product_uom_qty": 1})],
                }
            )
        )
        order.action_confirm()
        return order, order.work_order_ids

    @classmethod
    def _quotation_b(cls, discount):
        return (
            cls.env["sale.order"]
            .with_user(cls.specialist_b)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.company_b.id,
                    "jingpin_channel": "walk_in",
                    "order_line": [
                        Command.create({"product_id": cls.dashcam.product_variant_id.id, "discount": discount})
                    ],
                }
            )
        )

    def _cards(self, user, company=None):
        cards = self.env["jingpin.dashboard"].with_user(user).search([])
        cards = cards.filtered(lambda card: card.company_id == (company or self.company_b))
        return {card.metric: card for card in cards}

    def _open(self, card, method="action_open", **context):
        action = getattr(card.with_context(**context), method)()
        return self.env[action["res_model"]].with_user(card.env.user).search(action["domain"])

    def test_manager_figures(self):
        cards = self._cards(self.manager_b)
        self.assertEqual(set(cards), {"today", "workshop", "keys_out", "late", "approvals", "due_bills", "sales"})
        self.assertRecordValues(
            cards["today"],
            [
                {
                    "value": 2,
                    "dispatched_count": 1,
                    "in_progress_count": 1,
                    "inspection_count": 0,
                    "handed_over_count": 0,
                }
            ],
        )
        self.assertRecordValues(cards["workshop"], [{"value": 2, "key_in_count": 1, "key_out_count": 1}])
        self.assertRecordValues(cards["keys_out"], [{"value": 1, "holder_ids": self.technician_b2.ids}])
        self.assertEqual(cards["late"].value, 1)
        self.assertRecordValues(cards["approvals"], [{"order_approval_count": 1, "promotion_approval_count": 0}])
        self.assertRecordValues(cards["due_bills"], [{"value": 1, "overdue_count": 1}])
        orders = self.order_b1 | self.order_b2 | self.order_b3
        self.assertEqual(cards["sales"].value, 3)
        self.assertAlmostEqual(cards["sales"].sales_amount, sum(orders.mapped("amount_untaxed")))
        self.assertFalse(cards["sales"].sales_plan_amount, "no sales plan exists yet")

    def test_general_manager_approves_his_level_and_promotions(self):
        cards = self._cards(self.gm_b)
        self.assertRecordValues(
            cards["approvals"], [{"value": 2, "order_approval_count": 1, "promotion_approval_count": 1}]
        )
        self.assertEqual(self._open(cards["approvals"]), self.quote_gm)
        self.assertEqual(self._open(cards["approvals"], "action_open_promotions"), self.promotion_b)
        self.assertEqual(self._open(self._cards(self.manager_b)["approvals"]), self.quote_manager)

    def test_technician_sees_the_workshop_and_no_money(self):
        cards = self._cards(self.technician_b)
        self.assertEqual(set(cards), {"today", "workshop", "keys_out", "late"})
        self.assertEqual(cards["keys_out"].value, 1)
        self.assertEqual(cards["today"].in_progress_count, 1, "his own started work")
        dashboard = self.env["jingpin.dashboard"].with_user(self.technician_b)
        self.assertNotIn("sales_amount", dashboard.fields_get())
        with self.assertRaises(AccessError):
            cards["today"].read(["sales_amount"])
        arch = dashboard.get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        self.assertNotIn("sales_amount", arch)

    def test_dealerships_are_isolated(self):
        self.assertFalse(self._cards(self.specialist, company=self.company_b), "A sees nothing of B")
        a_cards = self._cards(self.specialist, company=self.company_a)
        self.assertIn(self.work_a, self._open(a_cards["workshop"]))
        self.assertNotIn(self.work_a, self._open(self._cards(self.manager_b)["workshop"]))
        b_card = self._cards(self.manager_b)["workshop"]
        with self.assertRaises(AccessError):
            self.env["jingpin.dashboard"].with_user(self.specialist).browse(b_card.id).action_open()
        # The group sees both dealerships, each with its own figures.
        viewer_cards = self.env["jingpin.dashboard"].with_user(self.viewer).search([])
        self.assertEqual(viewer_cards.company_id, self.company_a | self.company_b)
        viewer_b = self._cards(self.viewer)
        self.assertRecordValues(viewer_b["workshop"], [{"value": 2, "key_in_count": 1, "key_out_count": 1}])
        self.assertEqual(viewer_b["late"].value, 1)

    def test_cards_open_what_they_count(self):
        cards = self._cards(self.manager_b)
        self.assertEqual(self._open(cards["today"]), self.work_b1 | self.work_b2)
        self.assertEqual(
            self._open(cards["today"], "action_open_work_state", work_state="in_progress"),
            self.work_b1,
        )
        self.assertEqual(self._open(cards["workshop"]), self.work_b1 | self.work_b2)
        self.assertEqual(self._open(cards["late"]), self.work_b1)
        self.assertEqual(self._open(cards["keys_out"]).vehicle_id, self.car_b2)
        self.assertEqual(self._open(cards["due_bills"]), self.due_bill)
        self.assertEqual(self._open(cards["due_bills"], "action_open_overdue"), self.due_bill)
        self.assertEqual(self._open(cards["sales"]), self.order_b1 | self.order_b2 | self.order_b3)
        action = cards["late"].action_open()
        self.assertEqual(action["res_model"], "project.task")
        self.assertEqual(action["views"][0][1], "list", "a drill-down opens the list first")

    def test_key_box_picture(self):
        slots = (
            self.env["jingpin.key.slot"]
            .with_user(self.technician_b)
            .browse(
                (self.slot_b1 | self.slot_b2 | self.slot_b3).ids,
            )
        )
        self.assertRecordValues(
            slots,
            [
                {"slot_state": "occupied", "vehicle_id": self.car_b1.id, "out_vehicle_id": False, "holder_id": False},
                {
                    "slot_state": "out",
                    "vehicle_id": False,
                    "out_vehicle_id": self.car_b2.id,
                    "holder_id": self.technician_b2.id,
                },
                {"slot_state": "free", "vehicle_id": False, "out_vehicle_id": False, "holder_id": False},
            ],
        )
        self.assertTrue(slots[1].out_since)

    def test_kanban_shows_every_work_step(self):
        # the kanban asks for empty groups (read_group_expand); the work-order actions add their key
        Task = self.env["project.task"].with_user(self.manager_b).with_context(read_group_expand=True)
        domain = [("is_work_order", "=", True), ("work_state", "=", "dispatched")]
        plain = Task.formatted_read_group(domain, ["stage_id"], ["__count"])
        self.assertEqual(len(plain), 1)
        groups = Task.with_context(jingpin_work_step_columns=1).formatted_read_group(domain, ["stage_id"], ["__count"])
        stages = self.env["project.task.type"].browse([group["stage_id"][0] for group in groups])
        self.assertEqual(
            stages.mapped("work_state"),
            ["dispatched", "in_progress", "inspection", "ready", "handed_over"],
        )

    def test_home_of_each_role(self):
        queue = self.env.ref("jingpin_accessories.project_task_action_my_work_orders")
        dashboard = self.env.ref("jingpin_accessories.jingpin_dashboard_action")
        self.assertEqual(self.technician_b.action_id.id, queue.id)
        self.assertEqual((self.manager_b | self.gm_b | self.specialist_b | self.viewer).action_id.ids, dashboard.ids)
        self.assertFalse(self.consultant.action_id, "not a role of the department")
        for xml_id, action in [("user_technician_demo", queue), ("user_manager_demo", dashboard)]:
            demo_user = self.env.ref(f"jingpin_accessories_demo.{xml_id}", raise_if_not_found=False)
            if demo_user:
                self.assertEqual(demo_user.action_id.id, action.id)
        queue_domain = [("technician_id", "=", self.technician_b.id), ("is_work_order", "=", True)]
        self.assertEqual(self.env["project.task"].with_user(self.technician_b).search(queue_domain), self.work_b1)

    def test_new_views_open_for_every_role(self):
        views = [
            ("jingpin.dashboard", "jingpin_accessories.jingpin_dashboard_view_kanban", "kanban"),
            ("project.task", "jingpin_accessories.project_task_view_kanban_work_order", "kanban"),
            ("project.task", "jingpin_accessories.project_task_view_calendar_work_order", "calendar"),
            ("project.task", "jingpin_accessories.project_task_view_list_work_order", "list"),
            ("jingpin.key.slot", "jingpin_accessories.jingpin_key_slot_view_kanban", "kanban"),
        ]
        users = self.technician | self.specialist | self.manager | self.gm | self.viewer
        for user in users:
            for model, xml_id, view_type in views:
                with self.subTest(user=user.login, view=xml_id):
                    result = self.env[model].with_user(user).get_views([(self.env.ref(xml_id).id, view_type)])
                    self.assertIn(view_type, result["views"])
            with self.subTest(user=user.login, view="dashboard cards"):
                cards = self.env["jingpin.dashboard"].with_user(user).search([])
                cards.read(["metric", "value", "holder_ids"])


@tagged("post_install", "-at_install")
class TestGroupViewerLanding(HttpCase):
    """The dealer group lands on all its dealerships, not on one."""

    def test_group_viewer_opens_on_all_his_dealerships(self):
        company_b = self.env["res.company"].create({"name": "Dealership B"})
        companies = self.env.company | company_b
        new_test_user(
            self.env,
            login="jp_group_landing",
            groups="jingpin_accessories.group_jingpin_group_viewer,base.group_multi_company",
            company_id=self.env.company.id,
            company_ids=[Command.set(companies.ids)],
        )
        self.authenticate("jp_group_landing", "jp_group_landing")
        self.url_open("/odoo")
        self.assertEqual(self.opener.cookies.get("cids"), f"{self.env.company.id}-{company_b.id}")
        # a choice he makes afterwards stands
        self.opener.cookies.set("cids", str(company_b.id), domain=self.opener.cookies.list_domains()[0] or None)
        self.url_open("/odoo")
        self.assertEqual(self.opener.cookies.get("cids"), str(company_b.id))
        # the dealership's own staff keep their one company
        new_test_user(self.env, login="jp_spec_landing", groups="jingpin_accessories.group_jingpin_specialist")
        self.authenticate("jp_spec_landing", "jp_spec_landing")
        self.url_open("/odoo")
        self.assertFalse(self.opener.cookies.get("cids"))
