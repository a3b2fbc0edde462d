from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import JingpinWorkOrderCommon

VIEW_TYPES = ("list", "kanban", "form", "calendar", "pivot", "graph")


@tagged("post_install", "-at_install")
class TestRoleForms(JingpinWorkOrderCommon):
    """What the click bot cannot open: each record of each menu of the 精品 app, read as each role
    exactly as the web client reads it (every field of every view the role is given, with the
    fields of its sub-lists), so that no role meets "Failed to read field" behind a screen it is
    shown."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        order, work_order = cls._confirmed_order()
        cls._start_work(work_order)
        work_order.with_user(cls.technician).action_sign_completion()
        cls._pass_inspection(work_order)
        cls._hand_over(work_order)
        cls._confirmed_order(cls.dashcam)
        # the consultant's own order: he reads its work order (an exception, late work)
        cls._confirmed_order(cls.film, user=cls.consultant)

    def _menu_actions(self, user):
        root = self.env.ref("jingpin_accessories.menu_jingpin_root")
        visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        menus = (
            self.env["ir.ui.menu"]
            .browse(visible)
            .filtered(
                lambda menu: menu.parent_path.startswith(root.parent_path)
                and menu.action
                and all(int(ancestor) in visible for ancestor in menu.parent_path.split("/")[:-1])
            )
        )
        actions = [menu.action for menu in menus if menu.action._name == "ir.actions.act_window"]
        # the department's orders in Odoo's Sales app, for those who read them
        if self.env["sale.order"].with_user(user).has_access("read"):
            actions.append(self.env.ref("sale.action_orders"))
        return actions

    @staticmethod
    def _field_nodes(node):
        """The field nodes of a view (or of a field's sub-view) that belong to it, not to a sub-view."""
        owner = node if node.tag == "field" else None
        for child in node.iter("field"):
            if child is not node and next(child.iterancestors("field"), None) is owner:
                yield child

    def _spec(self, node, model, fields_by_model):
        """The web client's read specification of a view: every field it shows, the display name of
        a relation, and for a sub-list the fields of its own sub-view."""
        spec = {}
        for child in self._field_nodes(node):
            name = child.get("name")
            description = fields_by_model[model]["fields"].get(name)
            if not description:
                continue
            if description["type"] == "many2one":
                spec[name] = {"fields": {"display_name": {}}}
            elif description["type"] in ("one2many", "many2many"):
                sub = self._spec(child, description["relation"], fields_by_model) if len(child) else {}
                spec[name] = {"fields": sub} if sub else {}
            else:
                spec[name] = {}
        return spec

    def _read_every_screen(self, user):
        opened, refused = 0, []
        for action in self._menu_actions(user):
            Model = self.env[action.res_model].with_user(user).with_context(bin_size=True)
            domain = safe_eval(action.domain or "[]", {"uid": user.id})
            records = Model.search(domain, limit=5)
            action_views = [(view_id, vt) for view_id, vt in action.views if vt in VIEW_TYPES]
            view_types = [vt for _view_id, vt in action_views]
            views = Model.get_views(action_views)
            for view_type in view_types:
                arch = etree.fromstring(views["views"][view_type]["arch"])
                try:
                    records.web_read(self._spec(arch, Model._name, views["models"]))
                except AccessError as error:
                    refused.append(f"{action.name} ({view_type}): {error}")
                opened += 1
        self.assertTrue(opened)
        self.assertFalse(refused, "\n".join(refused))

    def test_technician(self):
        self._read_every_screen(self.technician)

    def test_specialist(self):
        self._read_every_screen(self.specialist)

    def test_manager(self):
        self._read_every_screen(self.manager)

    def test_general_manager(self):
        self._read_every_screen(self.gm)

    def test_group_viewer(self):
        self._read_every_screen(self.viewer)

    def test_sales_consultant(self):
        self._read_every_screen(self.consultant)
