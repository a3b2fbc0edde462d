import re
from datetime import date, datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import JingpinWorkOrderCommon

MONDAY = "2026-03-02 07:00:00"


@tagged("post_install", "-at_install")
class TestPlanning(JingpinWorkOrderCommon):
    """Times are UTC: the technicians work 08:30-17:30 UTC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.technician | cls.technician_2).write({"tz": "UTC"})
        cls.env["hr.employee"].create(
            [
                {"name": "Technician One", "user_id": cls.technician.id, "company_id": cls.company_a.id},
            ]
        )
        cls.slot = cls.env["jingpin.key.slot"].create({"name": "P-01", "company_id": cls.company_a.id})

    def _work_order(self, products=None, **values):
        """A dispatched work order of 255 minutes (floor mats and window film) unless told otherwise."""
        _order, work_order = self._confirmed_order(products)
        if values:
            work_order.with_user(self.specialist).write(values)
        return work_order.with_user(self.specialist)

    def _late_activities(self, work_order):
        return work_order.activity_ids.filtered(lambda a: "late" in a.summary)

    # --- balanced scheduling ---

    @freeze_time(MONDAY)
    def test_proposal_takes_the_free_technician(self):
        self._work_order(
            self.film | self.dashcam,
            technician_id=self.technician.id,
            planned_start="2026-03-02 08:30:00",
        )
        work_order = self._work_order(promised_datetime="2026-03-02 17:00:00")
        work_order.action_propose_slot()
        self.assertEqual(work_order.technician_id, self.technician_2)
        self.assertEqual(work_order.planned_start, datetime(2026, 3, 2, 8, 30))
        self.assertEqual(work_order.planned_end, datetime(2026, 3, 2, 12, 45))

    @freeze_time(MONDAY)
    def test_proposal_moves_to_the_next_day_within_the_promise(self):
        for technician in self.technician | self.technician_2:
            self._work_order(
                self.film | self.dashcam,
                technician_id=technician.id,
                planned_start="2026-03-02 08:30:00",
            )
        work_order = self._work_order(promised_datetime="2026-03-03 17:00:00")
        work_order.action_propose_slot()
        self.assertEqual(work_order.technician_id, self.technician)
        self.assertEqual(work_order.planned_start, datetime(2026, 3, 3, 8, 30))

    @freeze_time(MONDAY)
    def test_proposal_refused_when_no_slot_keeps_the_promise(self):
        work_order = self._work_order(promised_datetime="2026-03-02 11:00:00")
        with self.assertRaisesRegex(UserError, "No technician can finish the 255 minutes"):
            work_order.action_propose_slot()
        self.assertFalse(work_order.technician_id)

    @freeze_time(MONDAY)
    def test_overbooking_refused_with_its_figures(self):
        self._work_order(
            self.film | self.dashcam, technician_id=self.technician.id, planned_start="2026-03-02 08:30:00"
        )
        work_order = self._work_order()
        message = f"{self.technician.name} is overbooked on 2026-03-02: 555 planned minutes for a capacity of 480"
        with Form(work_order, view="jingpin_accessories.project_task_view_form_work_order") as form:
            form.technician_id = self.technician
            form.planned_start = datetime(2026, 3, 2, 13, 45)
            self.assertIn(message, form.overbooking_warning)
            form.planned_start = datetime(2026, 3, 3, 8, 30)
            self.assertFalse(form.overbooking_warning)
        with self.assertRaisesRegex(ValidationError, re.escape(message)):
            work_order.planned_start = datetime(2026, 3, 2, 13, 45)
        self.technician.jingpin_daily_capacity = 600
        work_order.planned_start = datetime(2026, 3, 2, 13, 45)
        self.assertEqual(work_order.technician_id, self.technician)

    @freeze_time(MONDAY)
    def test_proposal_queries_do_not_grow_with_technicians_or_days(self):
        """Proposing a slot reads every technician's days at once: 2 or 20 technicians, each with
        3 or 21 days to look through before the promise, cost the same queries."""
        technicians = self.technician | self.technician_2
        for count in (2, 20):
            technicians |= self._new_technicians(count - len(technicians), f"jp_tech_{count}", tz="UTC")
            technicians.jingpin_daily_capacity = 240  # less than the 255 minutes: no day has room
            promise = datetime(2026, 3, 2 + count, 17, 0)
            first, second = (self._work_order(promised_datetime=promise) for _twice in range(2))
            self.assertEqual(first._get_slot_candidates(), technicians)
            # The first of each call warms the caches that creating users cleared.
            with self.assertRaisesRegex(UserError, "No technician can finish"):
                first.action_propose_slot()
            with self.assertQueryCount(__system__=13), self.assertRaisesRegex(UserError, "No technician can finish"):
                second.action_propose_slot()
            newcomer = technicians[-1]
            newcomer.jingpin_daily_capacity = 480
            first.action_propose_slot()
            self.assertEqual((first.technician_id, first.planned_start), (newcomer, datetime(2026, 3, 2, 8, 30)))
            with self.assertQueryCount(__system__=58):
                second.action_propose_slot()
            # Monday's 255 minutes of the first leave no room in his 480 for the second's 255.
            self.assertEqual((second.technician_id, second.planned_start), (newcomer, datetime(2026, 3, 3, 8, 30)))

    def test_capacity_defaults_to_a_working_day(self):
        self.assertEqual(self.technician.jingpin_daily_capacity, 480)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.technician.jingpin_daily_capacity = -60
            self.env.flush_all()

    @freeze_time(MONDAY)
    def test_load_report(self):
        self._work_order(
            self.film | self.dashcam, technician_id=self.technician.id, planned_start="2026-03-02 08:30:00"
        )
        self._work_order(self.mat, technician_id=self.technician.id, planned_start="2026-03-02 14:00:00")
        self._work_order(self.mat | self.film, technician_id=self.technician_2.id, planned_start="2026-03-03 08:30:00")
        self.technician_2.jingpin_daily_capacity = 300
        self.env.flush_all()
        rows = (
            self.env["jingpin.workshop.load"]
            .with_user(self.specialist)
            ._read_group(
                [("technician_id", "in", (self.technician | self.technician_2).ids)],
                ["technician_id", "day:day"],
                ["work_order_count:sum", "planned_minutes:sum", "capacity:max", "load_percent:max"],
                order="day:day",
            )
        )
        self.assertEqual(
            rows,
            [
                (self.technician, date(2026, 3, 2), 2, 315, 480, 65.625),
                (self.technician_2, date(2026, 3, 3), 1, 255, 300, 85.0),
            ],
        )

    # --- lateness ---

    @freeze_time(MONDAY)
    def test_late_plan_tells_the_specialist_once_per_promise(self):
        work_order = self._work_order(promised_datetime="2026-03-02 12:00:00")
        work_order.write({"technician_id": self.technician.id, "planned_start": "2026-03-02 08:30:00"})
        activity = self._late_activities(work_order)
        self.assertEqual(activity.user_id, self.specialist)
        self.assertTrue(work_order.message_ids.filtered(lambda m: "Late" in m.body))
        work_order.planned_start = "2026-03-02 08:40:00"
        self.assertEqual(len(self._late_activities(work_order)), 1, "told once per promise")
        work_order.promised_datetime = "2026-03-02 12:30:00"
        self.assertEqual(len(self._late_activities(work_order)), 2, "a new promise is told again")
        self.env["project.task"]._cron_check_lateness()
        self.assertEqual(len(self._late_activities(work_order)), 2)

    @freeze_time(MONDAY)
    def test_added_item_making_the_plan_late_is_told(self):
        work_order = self._work_order(promised_datetime="2026-03-02 13:00:00")
        work_order.write({"technician_id": self.technician.id, "planned_start": "2026-03-02 08:30:00"})
        self.assertFalse(self._late_activities(work_order))
        # the customer buys a dashcam too: the specialist adds it to the order, then to the work
        work_order.accessory_order_id.with_user(self.specialist).order_line = [
            Command.create({"product_id": self.dashcam.product_variant_id.id, "product_uom_qty": 1})
        ]
        self.env["jingpin.work.item"].with_user(self.specialist).create(
            {
                "task_id": work_order.id,
                "product_id": self.dashcam.product_variant_id.id,
            }
        )
        self.assertEqual(work_order.planned_end, datetime(2026, 3, 2, 13, 45))
        self.assertEqual(len(self._late_activities(work_order)), 1)

    def test_plan_in_time_tells_nobody(self):
        with freeze_time(MONDAY):
            work_order = self._work_order(promised_datetime="2026-03-02 13:00:00")
            work_order.write({"technician_id": self.technician.id, "planned_start": "2026-03-02 08:30:00"})
            self.env["project.task"]._cron_check_lateness()
        self.assertFalse(self._late_activities(work_order))

    def test_late_start_tells_the_specialist(self):
        with freeze_time(MONDAY):
            work_order = self._work_order(promised_datetime="2026-03-02 13:00:00")
            work_order.write({"technician_id": self.technician.id, "planned_start": "2026-03-02 08:30:00"})
            work_order.with_user(self.technician).action_confirm_protective_set()
            work_order.with_user(self.technician).action_key_check_in(self.slot)
        with freeze_time("2026-03-02 09:00:00"):
            self.assertFalse(self._late_activities(work_order))
        with freeze_time("2026-03-02 10:00:00"):
            work_order.with_user(self.technician).action_start()
            self.assertEqual(work_order.expected_end, datetime(2026, 3, 2, 14, 15))
        self.assertEqual(len(self._late_activities(work_order)), 1)

    def test_cron_tells_when_progress_runs_late(self):
        with freeze_time(MONDAY):
            work_order = self._work_order(promised_datetime="2026-03-02 14:00:00")
            work_order.write({"technician_id": self.technician.id, "planned_start": "2026-03-02 08:30:00"})
            work_order.with_user(self.technician).action_confirm_protective_set()
            work_order.with_user(self.technician).action_key_check_in(self.slot)
        with freeze_time("2026-03-02 08:30:00"):
            work_order.with_user(self.technician).action_start()
        self.env["account.analytic.line"].with_user(self.technician).create(
            {
                "task_id": work_order.id,
                "project_id": work_order.project_id.id,
                "name": "Film",
                "unit_amount": 1.0,
                "work_item_id": work_order.work_item_ids[1].id,
            }
        )
        with freeze_time("2026-03-02 10:00:00"):
            # 195 minutes to go from 10:00: 13:15, still in time
            self.env["project.task"]._cron_check_lateness()
            self.assertFalse(self._late_activities(work_order))
        with freeze_time("2026-03-02 11:00:00"):
            # 195 minutes to go from 11:00: 14:15, after the promise
            self.env["project.task"]._cron_check_lateness()
            self.env["project.task"]._cron_check_lateness()
        self.assertEqual(len(self._late_activities(work_order)), 1)

    # --- actual against standard labour ---

    def test_labour_analysis_per_technician_and_accessory(self):
        work_order = self._work_order(technician_id=self.technician.id)
        mat_item, film_item = work_order.work_item_ids
        Line = self.env["account.analytic.line"].with_user(self.technician)
        Line.create(
            [
                {
                    "task_id": work_order.id,
                    "project_id": work_order.project_id.id,
                    "name": "Mats",
                    "unit_amount": 0.5,
                    "work_item_id": mat_item.id,
                },
                {
                    "task_id": work_order.id,
                    "project_id": work_order.project_id.id,
                    "name": "Film",
                    "unit_amount": 3.5,
                    "work_item_id": film_item.id,
                },
            ]
        )
        self.env.flush_all()
        Report = self.env["jingpin.labour.report"].with_user(self.specialist)
        domain = [("task_id", "=", work_order.id)]
        by_product = Report._read_group(domain, ["product_id"], ["standard_minutes:sum", "actual_minutes:sum"])
        self.assertEqual(
            sorted(by_product, key=lambda row: row[0].id),
            sorted(
                [
                    (self.mat.product_variant_id, 15.0, 30.0),
                    (self.film.product_variant_id, 240.0, 210.0),
                ],
                key=lambda row: row[0].id,
            ),
        )
        self.assertEqual(
            Report._read_group(
                domain, ["technician_id"], ["standard_minutes:sum", "actual_minutes:sum", "variance_minutes:sum"]
            ),
            [(self.technician, 255.0, 240.0, -15.0)],
        )

    def test_time_only_on_the_work_orders_own_items(self):
        work_order = self._work_order(technician_id=self.technician.id)
        other = self._work_order(technician_id=self.technician.id)
        with self.assertRaisesRegex(ValidationError, "is not an item of work order"):
            self.env["account.analytic.line"].with_user(self.technician).create(
                {
                    "task_id": work_order.id,
                    "project_id": work_order.project_id.id,
                    "name": "Mats",
                    "unit_amount": 1.0,
                    "work_item_id": other.work_item_ids[0].id,
                }
            )

    def test_technician_without_employee_is_told(self):
        work_order = self._work_order(technician_id=self.technician_2.id)
        with self.assertRaisesRegex(UserError, "is not an employee of .* Ask HR"):
            self.env["account.analytic.line"].with_user(self.technician_2).create(
                {
                    "task_id": work_order.id,
                    "project_id": work_order.project_id.id,
                    "name": "Mats",
                    "unit_amount": 1.0,
                }
            )

    def test_load_reports_follow_roles_and_companies(self):
        self._work_order(technician_id=self.technician.id, planned_start="2026-03-02 08:30:00")
        self.env.flush_all()
        self.assertTrue(self.env["jingpin.workshop.load"].with_user(self.viewer).search([]))
        self.assertFalse(self.env["jingpin.workshop.load"].with_user(self.specialist_b).search([]))
        self.assertFalse(self.env["jingpin.labour.report"].with_user(self.specialist_b).search([]))
