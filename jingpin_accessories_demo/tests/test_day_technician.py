from .common import RoleDayCase


class TestDayTechnician(RoleDayCase):
    """The technician's day at his desk (张伟, jp_technician) on the demo: his queue without money,
    a work order started with the protective set and the key in the box, the key out and back to
    its own slot, hours logged, his completion signed, and the other car's key back at day end;
    then the records are read back."""

    def task(self, order_name):
        return self.env["project.task"].search(
            [("accessory_order_id.name", "=", order_name), ("is_work_order", "=", True)]
        )

    def test_technician_day(self):
        technician = self.env["res.users"].search([("login", "=", "jp_technician")])
        camry, other = self.task("S00032"), self.task("S00049")
        self.assertRecordValues(
            camry | other,
            [
                {"technician_id": technician.id, "work_state": "dispatched"},
                {"technician_id": technician.id, "work_state": "in_progress"},
            ],
        )
        self.assertEqual(other.key_holder_id, technician)

        self.walk("jp_technician", "jingpin_day_technician_tour")

        free_slot = self.env["jingpin.key.slot"].search(
            [("company_id", "=", camry.company_id.id), ("name", "=", "A-04")]
        )
        self.assertRecordValues(
            camry,
            [{"work_state": "inspection", "key_state": "in_box", "key_slot_id": free_slot.id}],
        )
        self.assertEqual(camry.key_log_ids.mapped("action"), ["check_in", "check_out", "check_in"])
        self.assertEqual(camry.key_log_ids.mapped("slot_id"), free_slot)
        self.assertEqual(set(camry.key_log_ids.mapped("done_by_id")), {technician})
        signature = camry.signature_ids.filtered(lambda sign: sign.user_id == technician)
        self.assertEqual(len(signature), 1)
        self.assertEqual(camry.seal_state, "intact")
        hours = camry.timesheet_ids
        self.assertRecordValues(hours, [{"unit_amount": 2.5, "name": "全车贴膜"}])
        self.assertEqual(hours.user_id, technician)
        self.assertRecordValues(other, [{"work_state": "in_progress", "key_state": "in_box"}])
        self.assertEqual(other.key_log_ids[:1].done_by_id, technician)
