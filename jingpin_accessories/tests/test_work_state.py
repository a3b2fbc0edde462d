import importlib.util

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import SIGNATURE_PNG, JingpinWorkOrderCommon


def _load_migration(version, name):
    """The module of migration script ``name`` of ``version`` (its folder is no Python package)."""
    path = file_path(f"jingpin_accessories/migrations/{version}/{name}")
    spec = importlib.util.spec_from_file_location(f"jingpin_migration_{name.replace('-', '_')}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestWorkState(JingpinWorkOrderCommon):
    """The work order's step is its own stored field, written only by the transitions of
    WORK_ORDER_FLOW; the stage follows it for the kanban and decides nothing."""

    def setUp(self):
        super().setUp()
        self.order, self.work_order = self._confirmed_order()
        self.stages = {
            state: self.env.ref(f"jingpin_accessories.task_type_{state}")
            for state in ("dispatched", "in_progress", "inspection", "ready", "handed_over", "cancelled")
        }

    def assertStep(self, work_order, state):
        self.assertRecordValues(work_order, [{"work_state": state, "stage_id": self.stages[state].id}])

    def test_no_role_writes_the_step(self):
        wo = self.work_order
        wo.with_user(self.specialist).technician_id = self.technician
        for user in (self.technician, self.specialist, self.manager, self.gm, self.viewer):
            for vals in ({"work_state": "handed_over"}, {"work_state": False}, {"stage_id": self.stages["ready"].id}):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    wo.with_user(user).write(vals)
        # a sudo() write of the client (no server marker) is refused too
        with self.assertRaises(AccessError):
            wo.sudo().write({"work_state": "ready"})
        self.env.invalidate_all()
        self.assertStep(wo, "dispatched")

    def test_dragging_a_card_is_refused_with_the_way_to_do_it(self):
        with self.assertRaisesRegex(AccessError, "only through its buttons"):
            self.work_order.with_user(self.specialist).write({"stage_id": self.stages["in_progress"].id})
        self.assertStep(self.work_order, "dispatched")

    def test_no_create_or_default_sets_the_step(self):
        Task = self.env["project.task"].with_user(self.manager)
        project = self.env["project.project"].create({"name": "Body Shop", "company_id": self.company_a.id})
        with self.assertRaises(AccessError):
            Task.create({"name": "Repaint", "project_id": project.id, "work_state": "handed_over"})
        with self.assertRaises(AccessError):
            Task.with_context(default_work_state="handed_over").create({"name": "Repaint", "project_id": project.id})
        # dispatch takes none of the caller's defaults: a new work order is dispatched
        order = self.order.copy()
        order.with_user(self.specialist).with_context(
            default_work_state="handed_over", default_stage_id=self.stages["ready"].id
        ).action_confirm()
        self.assertStep(order.work_order_ids, "dispatched")

    def test_moving_the_stage_changes_no_step(self):
        wo = self.work_order
        # even the server moving a card, or the stage's step changed, leaves the work order's own step
        wo._jingpin_server().write({"stage_id": self.stages["handed_over"].id})
        self.assertEqual(wo.work_state, "dispatched")
        self.stages["handed_over"].sudo().work_state = "ready"
        self.assertEqual(wo.work_state, "dispatched")
        self.assertTrue(self.env["project.task"].search_count([("id", "=", wo.id), ("work_state", "=", "dispatched")]))

    def test_every_transition_writes_the_step_and_its_stage(self):
        wo = self.work_order
        self.assertStep(wo, "dispatched")
        self._start_work(wo)
        self.assertStep(wo, "in_progress")
        wo.with_user(self.technician).action_sign_completion()
        self.assertStep(wo, "inspection")
        wo.current_inspection_line_ids.with_user(self.specialist).photo = SIGNATURE_PNG
        wo.current_inspection_line_ids[:1].with_user(self.specialist).write({"result": "fail", "note": "Bubble"})
        wo.current_inspection_line_ids[1:].with_user(self.specialist).write({"result": "pass"})
        wo.with_user(self.specialist).action_sign_inspection()
        self.assertStep(wo, "in_progress")
        wo.with_user(self.technician).action_sign_completion()
        self._pass_inspection(wo)
        self.assertStep(wo, "ready")
        self._hand_over(wo)
        self.assertStep(wo, "handed_over")
        _order, other = self._confirmed_order()
        _order.with_user(self.specialist)._action_cancel()
        self.assertStep(other, "cancelled")

    def test_the_migration_fills_the_step_from_the_stage(self):
        migration = _load_migration("19.0.1.1.0", "post-migrate.py")
        _order, other = self._confirmed_order()
        self._start_work(other)
        plain = self.env["project.task"].create(
            {"name": "Body shop job", "project_id": self.env["project.project"].create({"name": "Body"}).id}
        )
        self.env.flush_all()
        # as an upgraded database could hold them: one step missing, one not its stage's
        self.env.cr.execute("UPDATE project_task SET work_state = NULL WHERE id = %s", [self.work_order.id])
        self.env.cr.execute("UPDATE project_task SET work_state = 'ready' WHERE id = %s", [other.id])
        self.assertEqual(migration.fill_work_state_from_stage(self.env.cr), 2)
        self.env.invalidate_all()
        self.assertStep(self.work_order, "dispatched")
        self.assertStep(other, "in_progress")
        self.assertFalse(plain.work_state)
        self.assertEqual(migration.fill_work_state_from_stage(self.env.cr), 0)
