from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time
from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SIGNATURE_PNG, JingpinWorkOrderCommon


class JingpinAfterSalesCommon(JingpinWorkOrderCommon):
    """Work orders handed over to the customer, and the complaints about them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.write(
            {
                "jingpin_followup_days": 3,
                "jingpin_followup_retries": 2,
                "jingpin_followup_retry_days": 1,
                "jingpin_complaint_days": 2,
            }
        )
        cls.tag_price, cls.tag_fitting = cls.env["jingpin.feedback.tag"].create(
            [{"name": "Price"}, {"name": "Fitting"}]
        )

    @classmethod
    def _handed_over(cls, products=None, technician=None, deliver=False, undelivered=False):
        """An order whose work order is done and handed over; returns (order, work order).

        ``undelivered``: handed over with its accessories still in stock, as work orders were
        before the handover required the parts issued (what the reconciliation still finds)."""
        order, work_order = cls._confirmed_order(products)
        if deliver:
            cls._validate(order.picking_ids)
        if undelivered:
            with patch.object(type(work_order), "_check_parts_issued", lambda task: None):
                cls._finish(work_order, technician, issue_parts=False)
        else:
            cls._finish(work_order, technician)
        return order, work_order

    @classmethod
    def _finish(cls, work_order, technician=None, issue_parts=True):
        cls._start_work(work_order, technician)
        work_order.with_user(work_order.technician_id).action_sign_completion()
        cls._pass_inspection(work_order)
        cls._hand_over(work_order, issue_parts=issue_parts)

    @classmethod
    def _validate(cls, pickings):
        for picking in pickings:
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
            picking.with_user(cls.specialist).with_context(skip_backorder=True, skip_sms=True).button_validate()

    def _complaint(self, user=None, **values):
        return (
            self.env["jingpin.complaint"]
            .with_user(user or self.specialist)
            .create({"description": "The film peels at the edges", **values})
        )

    def _close(self, complaint):
        if complaint.state != "resolved":
            complaint.with_user(self.specialist).resolution = "Done again, customer satisfied"
            complaint.with_user(self.specialist).action_resolve()
        complaint.with_user(self.specialist).write(
            {"customer_signer": "Customer Li", "customer_signature": SIGNATURE_PNG}
        )
        complaint.with_user(self.specialist).action_customer_confirm()


@tagged("post_install", "-at_install")
class TestFollowup(JingpinAfterSalesCommon):
    def test_handover_schedules_the_followup_for_the_specialist(self):
        _order, work_order = self._handed_over()
        followup = self.env["jingpin.followup"].search([("task_id", "=", work_order.id)])
        today = fields.Date.context_today(followup)
        self.assertRecordValues(
            followup,
            [{"state": "scheduled", "user_id": self.specialist.id, "date_scheduled": today + timedelta(days=3)}],
        )
        activity = followup.activity_ids
        self.assertEqual(activity.activity_type_id, self.env.ref("jingpin_accessories.mail_activity_type_followup"))
        self.assertEqual(activity.user_id, self.specialist)
        self.assertEqual(activity.date_deadline, today + timedelta(days=3))

        followup.with_user(self.specialist).action_record_result(
            True,
            satisfaction="4",
            comments="Would like a roof box",
            problems="A mat slips",
            tag_ids=self.tag_fitting.ids,
        )
        self.assertRecordValues(followup, [{"state": "done", "satisfaction": "4", "score": 4, "attempt_count": 1}])
        # a problem raised goes to the manager at once
        self.assertEqual(followup.activity_ids.user_id, self.manager)
        self.assertIn("A mat slips", followup.activity_ids.note)
        self.assertEqual(
            sorted(followup.feedback_ids.mapped("kind")),
            ["opinion", "problem"],
        )
        self.assertEqual(followup.feedback_ids.tag_ids, self.tag_fitting)
        with self.assertRaises(UserError):
            followup.with_user(self.specialist).action_record_result(True, satisfaction="5")

    def test_followup_is_written_in_the_dealerships_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["jingpin_accessories"], ["zh_CN"], overwrite=True)
        self.company_a.partner_id.lang = "zh_CN"
        self.assertEqual(self.specialist.lang, "en_US")
        _order, work_order = self._handed_over()
        followup = self.env["jingpin.followup"].search([("task_id", "=", work_order.id)])
        self.assertIn("回访", followup.name)
        self.assertIn("回访", followup.activity_ids.summary)

    def test_satisfied_customer_troubles_nobody_unhappy_one_reaches_the_manager(self):
        (_order, happy), (_order, unhappy) = self._handed_over(), self._handed_over(self.dashcam)
        Followup = self.env["jingpin.followup"].with_user(self.specialist)
        Followup.search([("task_id", "=", happy.id)]).action_record_result(True, satisfaction="5")
        self.assertFalse(Followup.search([("task_id", "=", happy.id)]).activity_ids)
        Followup.search([("task_id", "=", unhappy.id)]).action_record_result(True, satisfaction="2")
        self.assertEqual(Followup.search([("task_id", "=", unhappy.id)]).activity_ids.user_id, self.manager)

    def test_unreached_customer_is_called_again_then_closed(self):
        _order, work_order = self._handed_over()
        followup = self.env["jingpin.followup"].search([("task_id", "=", work_order.id)]).with_user(self.specialist)
        today = fields.Date.context_today(followup)
        for attempt in (1, 2):
            followup.action_record_result(False)
            self.assertRecordValues(
                followup,
                [{"state": "scheduled", "attempt_count": attempt, "date_scheduled": today + timedelta(days=1)}],
            )
            self.assertEqual(len(followup.activity_ids), 1)
        followup.action_record_result(False)
        self.assertRecordValues(followup, [{"state": "unreachable", "attempt_count": 3}])
        self.assertFalse(followup.activity_ids)

    def test_overdue_followups_are_shown_to_the_manager(self):
        _order, work_order = self._handed_over()
        followup = self.env["jingpin.followup"].search([("task_id", "=", work_order.id)])
        action = self.env.ref("jingpin_accessories.jingpin_followup_action_overdue")
        self.assertIn("search_default_overdue", action.context)
        overdue = [("state", "=", "scheduled"), ("date_scheduled", "<", fields.Date.today() + timedelta(days=5))]
        with freeze_time(fields.Date.today() + timedelta(days=5)):
            self.assertEqual(self.env["jingpin.followup"].with_user(self.manager).search(overdue), followup)
        self.assertFalse(self.env["jingpin.followup"].with_user(self.technician).has_access("read"))


@tagged("post_install", "-at_install")
class TestComplaint(JingpinAfterSalesCommon):
    def test_installation_complaint_is_reworked_at_no_charge(self):
        order, work_order = self._handed_over()
        total, lines = order.amount_total, order.order_line
        # recorded from the work order (Record Complaint)
        action = work_order.with_user(self.specialist).action_record_complaint()
        complaint = self.env["jingpin.complaint"].with_user(self.specialist).with_context(**action["context"])
        complaint = complaint.create({"description": "The film peels at the edges"})
        self.assertRecordValues(
            complaint,
            [
                {
                    "state": "new",
                    "partner_id": self.customer.id,
                    "vehicle_id": self.car.id,
                    "order_id": order.id,
                    "technician_id": self.technician.id,
                    "user_id": self.specialist.id,
                    "date_deadline": fields.Date.context_today(complaint) + timedelta(days=2),
                }
            ],
        )
        self.assertEqual(complaint.feedback_ids.kind, "complaint")
        with self.assertRaises(UserError):
            complaint.with_user(self.specialist).action_resolve()

        complaint.with_user(self.specialist).action_start()
        rework = complaint.rework_task_id
        self.assertRecordValues(
            rework,
            [
                {
                    "rework_of_id": work_order.id,
                    "work_state": "dispatched",
                    "vehicle_id": self.car.id,
                    "is_work_order": True,
                }
            ],
        )
        self.assertEqual(
            [(item.product_id, item.quantity) for item in rework.work_item_ids],
            [(item.product_id, item.quantity) for item in work_order.work_item_ids],
        )
        self.assertFalse(rework.work_item_ids.sale_line_id, "a rework is not sold again")
        self.assertEqual(order.order_line, lines)
        self.assertEqual(order.amount_total, total)

        complaint.with_user(self.specialist).resolution = "Film laid again"
        with self.assertRaises(UserError, msg="the rework is not handed over yet"):
            complaint.with_user(self.specialist).action_resolve()
        # the same sign-off chain: the technician signs his own rework, another specialist inspects
        self._finish(rework, self.technician_2)
        self.assertEqual(rework.signature_ids.mapped("role"), ["completion", "inspection", "handover"])
        self.assertEqual(order.amount_total, total)
        self._close(complaint)
        self.assertEqual(complaint.state, "closed")
        self.assertTrue(complaint.confirmed_on)
        # the customer's confirmation stays as he signed it, through every door
        with self.assertRaises(AccessError):
            complaint.with_user(self.specialist).write({"customer_signature": False})
        signature = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "jingpin.complaint"),
                ("res_id", "=", complaint.id),
                ("res_field", "=", "customer_signature"),
            ]
        )
        self.assertTrue(signature)
        with self.assertRaises(UserError):
            signature.with_user(self.specialist).unlink()
        with self.assertRaises(UserError):
            signature.with_user(self.specialist).write({"datas": SIGNATURE_PNG})

    def test_faulty_accessory_is_replaced_through_stock_moves(self):
        order, work_order = self._handed_over(self.mat | self.film, deliver=True)
        delivered = order.picking_ids.move_ids.filtered(lambda m: m.product_id == self.film.product_variant_id)
        stock = self.warehouse_a.lot_stock_id
        film = self.film.product_variant_id
        on_hand = film.with_context(location=stock.id).qty_available
        complaint = self._complaint(
            complaint_type="product", task_id=work_order.id, product_id=film.id, disposition="stock"
        )
        complaint.with_user(self.specialist).action_start()
        returned, replacement = complaint.return_picking_id, complaint.replacement_picking_id
        self.assertEqual(returned.move_ids.origin_returned_move_id, delivered)
        self.assertEqual(replacement.work_order_id, complaint.rework_task_id)
        self.assertEqual(complaint.rework_task_id.work_item_ids.product_id, film)
        self._validate(returned | replacement)
        self.assertEqual((returned | replacement).mapped("state"), ["done", "done"])
        self.assertEqual(returned.location_dest_id, stock)
        self.assertEqual(replacement.location_id, stock)
        # valued as it left the stock: the film's cost (1,200) comes back, the new one leaves at cost
        self.assertAlmostEqual(returned.move_ids.value, delivered.value)
        self.assertAlmostEqual(returned.move_ids.value, 1200.0)
        self.assertAlmostEqual(replacement.move_ids.value, 1200.0)
        self.assertTrue(returned.move_ids.is_in and replacement.move_ids.is_out)
        self.assertEqual(film.with_context(location=stock.id).qty_available, on_hand)
        self.assertAlmostEqual(film.standard_price, 1200.0)

        with self.assertRaises(UserError, msg="the new film is not fitted yet"):
            complaint.with_user(self.specialist).write({"resolution": "New film"})
            complaint.with_user(self.specialist).action_resolve()
        self._finish(complaint.rework_task_id, self.technician)
        self._close(complaint)
        self.assertEqual(complaint.state, "closed")

    def test_scrapping_the_faulty_accessory_takes_the_manager(self):
        perfume = self.env["product.template"].create(
            self._accessory_vals("Car Perfume", self.categ_cam, 200.0, 80.0, 0)
        )
        self._receive_stock(perfume, 5)
        variant = perfume.product_variant_id
        # only what the customer got is replaced: he bought the perfume
        sold = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "jingpin_channel": "walk_in",
                "order_line": [Command.create({"product_id": variant.id, "product_uom_qty": 1})],
            }
        )
        sold.action_confirm()
        self._validate(sold.picking_ids)
        complaint = self._complaint(
            complaint_type="product", partner_id=self.customer.id, product_id=variant.id, disposition="scrap"
        )
        with self.assertRaises(AccessError):
            complaint.with_user(self.specialist).action_start()
        complaint.with_user(self.manager).action_start()
        self.assertFalse(complaint.rework_task_id, "nothing to fit")
        returned, replacement = complaint.return_picking_id, complaint.replacement_picking_id
        self.assertEqual(returned.location_dest_id.usage, "inventory")
        self._validate(returned | replacement)
        self.assertFalse(returned.move_ids.is_in, "a scrapped item never enters the valued stock")
        self.assertAlmostEqual(replacement.move_ids.value, 80.0)
        self.assertEqual(variant.with_context(location=self.warehouse_a.lot_stock_id.id).qty_available, 3)
        self._close(complaint)

    def test_manager_hands_a_complaint_to_another_specialist(self):
        _order, work_order = self._handed_over()
        complaint = self._complaint(complaint_type="service", task_id=work_order.id)
        other = self.env["res.users"].create(
            {
                "name": "Specialist Two",
                "login": "jp_spec2",
                "group_ids": [Command.set(self.env.ref("jingpin_accessories.group_jingpin_specialist").ids)],
            }
        )
        with self.assertRaises(AccessError):
            complaint.with_user(self.specialist).action_assign(other.id)
        with self.assertRaises(UserError):
            complaint.with_user(self.manager).action_assign(self.technician.id)
        with self.assertRaises(UserError):
            complaint.with_user(self.manager).action_assign(self.specialist_b.id)
        with self.assertRaises(UserError):
            complaint.with_user(self.manager).action_assign(self.env.ref("base.user_admin").id)
        wizard = self.env["jingpin.complaint.assign.wizard"].with_user(self.manager)
        offered = wizard.new({"complaint_id": complaint.id}).allowed_user_ids._origin
        self.assertIn(other, offered)
        self.assertFalse(offered & (self.specialist_b | self.technician | self.env.ref("base.user_admin")))
        self.assertFalse(offered.filtered(lambda user: self.company_a not in user.company_ids))
        wizard.create({"complaint_id": complaint.id, "user_id": other.id}).action_confirm()
        self.assertEqual(complaint.user_id, other)
        self.assertEqual(complaint.activity_ids.user_id, other)

    def test_late_complaint_is_escalated_to_the_manager_once(self):
        _order, work_order = self._handed_over()
        complaint = self._complaint(complaint_type="service", task_id=work_order.id)
        Complaint = self.env["jingpin.complaint"]
        self.assertFalse(Complaint._cron_escalate_late())
        with freeze_time(fields.Date.today() + timedelta(days=3)):
            self.assertEqual(Complaint._cron_escalate_late(), complaint)
            self.assertFalse(Complaint._cron_escalate_late())
        self.assertTrue(complaint.escalated_on)
        escalation = complaint.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertEqual(len(escalation), 1)
        self.assertIn(complaint.name, escalation.summary)
        complaint.with_user(self.specialist).resolution = "Done again"
        complaint.with_user(self.specialist).action_resolve()
        self.assertFalse(escalation.exists(), "resolving ends the manager's late-complaint to-do")
        self._close(complaint)
        self.assertFalse(complaint.activity_ids)


@tagged("post_install", "-at_install")
class TestAfterSalesAccess(JingpinAfterSalesCommon):
    def test_technician_sees_only_complaints_about_his_work(self):
        _order, mine = self._handed_over(self.mat)
        _order, theirs = self._handed_over(self.dashcam, technician=self.technician_2)
        own = self._complaint(complaint_type="installation", task_id=mine.id)
        other = self._complaint(complaint_type="installation", task_id=theirs.id)
        Complaint = self.env["jingpin.complaint"]
        self.assertEqual(Complaint.with_user(self.technician).search([]), own)
        self.assertEqual(Complaint.with_user(self.technician_2).search([]), other)
        self.assertEqual(Complaint.with_user(self.specialist).search([]), own | other)
        with self.assertRaises(AccessError):
            other.with_user(self.technician).read(["description"])
        # he opens it: every field his form shows reads
        as_technician = own.with_user(self.technician)
        arch = etree.fromstring(as_technician.get_views([(False, "form")])["views"]["form"]["arch"])
        fields_shown = {node.get("name") for node in arch.iter("field")}
        self.assertNotIn("feedback_ids", fields_shown)
        as_technician.web_read(
            {
                name: {"fields": {"display_name": {}}} if as_technician._fields[name].type == "many2one" else {}
                for name in fields_shown
            }
        )
        for action in ("action_start", "action_resolve", "action_customer_confirm", "action_cancel"):
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(own.with_user(self.technician), action)()
        with self.assertRaises(AccessError):
            self._complaint(user=self.technician, complaint_type="service", partner_id=self.customer.id)

    def test_group_viewer_reads_every_dealership_and_writes_nothing(self):
        _order, work_order = self._handed_over()
        complaint_a = self._complaint(complaint_type="installation", task_id=work_order.id)
        customer_b = self.env["res.partner"].create({"name": "Customer B"})
        complaint_b = self._complaint(
            user=self.specialist_b, complaint_type="service", partner_id=customer_b.id, company_id=self.company_b.id
        )
        viewer = self.env(user=self.viewer, context={"allowed_company_ids": (self.company_a | self.company_b).ids})
        self.assertEqual(viewer["jingpin.complaint"].search([]), complaint_a | complaint_b)
        self.assertTrue(viewer["jingpin.followup"].search([]))
        self.assertTrue(viewer["jingpin.satisfaction.report"].search([]))
        self.assertFalse(
            self.env["jingpin.complaint"].with_user(self.specialist_b).search([("id", "=", complaint_a.id)])
        )
        for records, vals in (
            (viewer["jingpin.complaint"].browse(complaint_a.id), {"resolution": "x"}),
            (
                viewer["jingpin.feedback"].browse(complaint_a.feedback_ids.id),
                {"tag_ids": [Command.link(self.tag_price.id)]},
            ),
        ):
            with self.subTest(model=records._name), self.assertRaises(AccessError):
                records.write(vals)
        with self.assertRaises(AccessError):
            viewer["jingpin.complaint"].create(
                {"complaint_type": "service", "partner_id": self.customer.id, "description": "x"}
            )
        with self.assertRaises(AccessError):
            viewer["jingpin.complaint"].browse(complaint_a.id).action_resolve()


@tagged("post_install", "-at_install")
class TestAfterSalesGuard(JingpinAfterSalesCommon):
    def test_clients_do_not_write_state_result_or_confirmation(self):
        _order, work_order = self._handed_over()
        followup = self.env["jingpin.followup"].search([("task_id", "=", work_order.id)])
        complaint = self._complaint(complaint_type="installation", task_id=work_order.id)
        for user in (self.specialist, self.manager, self.gm):
            for records, vals in (
                (followup, {"state": "done"}),
                (followup, {"satisfaction": "5"}),
                (followup, {"date_scheduled": fields.Date.today()}),
                (followup, {"user_id": self.manager.id}),
                (complaint, {"state": "closed"}),
                (complaint, {"confirmed_on": fields.Datetime.now()}),
                (complaint, {"user_id": self.manager.id}),
                (complaint, {"date_deadline": fields.Date.today() + timedelta(days=30)}),
                (complaint, {"escalated_on": False}),
                (complaint, {"rework_task_id": work_order.id}),
                (complaint, {"task_id": False}),
                (complaint.feedback_ids, {"complaint_id": False}),
            ):
                with self.subTest(user=user.login, model=records._name, vals=vals), self.assertRaises(AccessError):
                    records.with_user(user).with_context(jingpin_server=True).write(vals)
        self.assertEqual(followup.state, "scheduled")
        self.assertEqual(complaint.state, "new")
        # create is checked like write, context defaults included
        Complaint = self.env["jingpin.complaint"].with_user(self.specialist)
        values = {"complaint_type": "service", "partner_id": self.customer.id, "description": "x"}
        for extra in ({"state": "closed"}, {"confirmed_on": fields.Datetime.now()}, {"user_id": self.manager.id}):
            with self.subTest(extra=extra), self.assertRaises(AccessError):
                Complaint.create({**values, **extra})
        with self.assertRaises(AccessError):
            Complaint.with_context(default_state="resolved").create(values)
        # the customer confirms only a resolved complaint, nobody writes his signature before
        with self.assertRaises(AccessError):
            complaint.with_user(self.specialist).write({"customer_signature": SIGNATURE_PNG})
        # never deleted, never copied
        with self.assertRaises(UserError):
            complaint.sudo().unlink()
        with self.assertRaises(UserError):
            followup.sudo().unlink()
        with self.assertRaises(UserError):
            complaint.with_user(self.specialist).copy()

    def test_subject_of_a_started_complaint_stays(self):
        _order, work_order = self._handed_over()
        complaint = self._complaint(complaint_type="installation", task_id=work_order.id)
        complaint.with_user(self.specialist).action_start()
        with self.assertRaises(AccessError):
            complaint.with_user(self.specialist).write({"complaint_type": "service"})
        with self.assertRaises(UserError):
            complaint.with_user(self.specialist).action_start()
        with self.assertRaises(UserError):
            self._complaint(complaint_type="installation", partner_id=self.customer.id)


@tagged("post_install", "-at_install")
class TestSatisfactionReport(JingpinAfterSalesCommon):
    def test_figures_equal_independent_sums(self):
        _order, first = self._handed_over(self.mat | self.film)
        _order, second = self._handed_over(self.dashcam, technician=self.technician_2)
        _order, third = self._handed_over(self.film)
        scores = {first: "5", second: "2"}
        for task, score in scores.items():
            followup = self.env["jingpin.followup"].search([("task_id", "=", task.id)])
            followup.with_user(self.specialist).action_record_result(True, satisfaction=score)
        reworked = self._complaint(complaint_type="installation", task_id=second.id)
        reworked.with_user(self.specialist).action_start()
        # a complaint about the rework counts against the work it redoes
        self._complaint(complaint_type="service", task_id=reworked.rework_task_id.id)
        self._complaint(complaint_type="product", task_id=first.id, product_id=self.film.product_variant_id.id)
        Report = self.env["jingpin.satisfaction.report"].with_user(self.manager)
        tasks = first | second | third
        domain = [("task_id", "in", tasks.ids)]

        items = tasks.work_item_ids
        self.assertEqual(Report.search_count(domain), len(items))
        rows = Report._read_group(domain, ["technician_id"], ["item_count:sum", "score:avg", "complaint_count:sum"])
        figures = {technician: (count, score, complaints) for technician, count, score, complaints in rows}
        for technician in (self.technician, self.technician_2):
            own = items.filtered(lambda item, technician=technician: item.task_id.technician_id == technician)
            scored = [int(scores[item.task_id]) for item in own if item.task_id in scores]
            complaints = self.env["jingpin.complaint"].search(
                ["|", ("task_id", "in", own.task_id.ids), ("task_id.rework_of_id", "in", own.task_id.ids)]
            )
            expected_complaints = sum(
                len(
                    complaints.filtered(
                        lambda c, item=item: item.task_id in (c.task_id | c.task_id.rework_of_id)
                        and (not c.product_id or c.product_id == item.product_id)
                    )
                )
                for item in own
            )
            count, score, complaint_count = figures[technician]
            self.assertEqual(count, len(own))
            self.assertAlmostEqual(score, sum(scored) / len(scored))
            self.assertEqual(complaint_count, expected_complaints)
        # technician 1: 3 items (mat, film, film), one complained about (the first film): 33.3 %
        [(rate,)] = Report._read_group(
            domain + [("technician_id", "=", self.technician.id)], [], ["complaint_rate:avg"]
        )
        self.assertAlmostEqual(rate, 100.0 / 3)
        [(rate,)] = Report._read_group(
            domain + [("product_id", "=", self.film.product_variant_id.id)], [], ["complaint_rate:avg"]
        )
        self.assertAlmostEqual(rate, 50.0)
