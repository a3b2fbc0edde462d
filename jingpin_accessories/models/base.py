import ast
import re

import babel.dates
from lxml import etree

from odoo import api, models
from odoo.tools.misc import get_lang

# A field tells money when it is monetary, or when its name says price, cost, margin, amount...
# Header buttons that only read the record: the dealer group's viewer keeps them.
READ_ONLY_BUTTONS = frozenset({"action_export_xlsx", "action_preview_sale_order"})
MONEY_WORDS = frozenset(
    {
        "amount",
        "amounts",
        "concession",
        "cost",
        "costs",
        "discount",
        "lst",
        "margin",
        "price",
        "prices",
        "rebate",
        "revenue",
        "subtotal",
        "tax",
        "taxes",
        "untaxed",
        "valuation",
    }
)
# Words that tell money only on a decimal field (an integer "total" counts people or emails).
AMBIGUOUS_MONEY_WORDS = frozenset({"total", "totals", "value", "values"})
# Words that say the field measures something else (a page margin, hours, a quantity).
NOT_MONEY_WORDS = frozenset(
    {
        "bottom",
        "count",
        "days",
        "duration",
        "hour",
        "hours",
        "left",
        "minutes",
        "progress",
        "qty",
        "quantity",
        "rating",
        "right",
        "time",
        "top",
        "uom",
        "volume",
        "weight",
    }
)
# Named like money, but quantities (a timesheet's unit_amount is hours).
QUANTITY_FIELDS = frozenset({"unit_amount"})
# Field types whose values can state an amount.
MONEY_NAMED_TYPES = frozenset({"binary", "char", "float", "integer", "json", "monetary", "text"})
# View attributes holding Python expressions that the web client evaluates on the record.
EXPRESSION_ATTRIBUTES = ("invisible", "column_invisible", "readonly", "required", "context", "domain")
# View attributes listing field names, separated by commas.
FIELD_LIST_ATTRIBUTES = ("aggregated_fields",)
# Views whose nodes hold sub-views of a relational field's comodel.
SUB_VIEW_TAGS = frozenset({"field", "groupby"})
# How groups of days and months read in Chinese (the web client's group labels).
CHINESE_GROUP_FORMATS = {"day": "yyyy年M月d日", "month": "yyyy年M月"}
QWEB_RECORD_FIELD = re.compile(r"\brecord\s*(?:\.\s*(\w+)|\[\s*['\"](\w+)['\"]\s*\])")


def is_money_field(field):
    """Whether ``field`` states a price, a cost, a margin, an amount or a valuation.

    Derived from the field's type and name (and, for a related field, from the field it shows),
    so that fields added by any module are covered. Cached on the field itself: it is asked on
    every read of every field, and a field lives as long as its registry.
    """
    try:
        return field._jingpin_is_money
    except AttributeError:
        money = _classify(field)
        if not field.related or getattr(field, "related_field", None) is not None:
            # a related field is known once the registry has set it up
            field._jingpin_is_money = money
        return money


def _classify(field):
    if field.type == "monetary":
        return True
    related_field = field.related and getattr(field, "related_field", None)
    if related_field is not None and related_field is not field and is_money_field(related_field):
        return True
    if field.type not in MONEY_NAMED_TYPES or field.name in QUANTITY_FIELDS:
        return False
    words = set(field.name.split("_"))
    if words & NOT_MONEY_WORDS:
        return False
    return bool(words & MONEY_WORDS or (field.type == "float" and words & AMBIGUOUS_MONEY_WORDS))


class Base(models.AbstractModel):
    """Technicians who do not sell read no money, on any model (R1: they install, they don't price)."""

    _inherit = "base"

    @api.model
    def _has_field_access(self, field, operation):
        if is_money_field(field) and not self.env.su and self.env.user._is_jingpin_technician_only():
            return False
        return super()._has_field_access(field, operation)

    @api.model
    def _get_view_cache_key(self, view_id=None, view_type="form", **options):
        """A technician who does not sell gets views without money, the dealer group's viewer views
        without the buttons that change records (see ``_get_view_postprocessed``), cached once for
        all the users of their groups."""
        key = super()._get_view_cache_key(view_id, view_type, **options)
        return (*key, self._jingpin_view_stripped_for())

    @api.model
    def _jingpin_view_stripped_for(self):
        """The groups whose views are stripped of what they may not read or do, or None."""
        user = self.env.user
        if self.env.su or not (user._is_jingpin_technician_only() or user._is_jingpin_viewer_only()):
            return None
        return user._get_group_ids()

    @api.model
    def _get_view_postprocessed(self, view, arch, **options):
        arch, models = super()._get_view_postprocessed(view, arch, **options)
        if self._jingpin_view_stripped_for() is None:
            return arch, models
        node = etree.fromstring(arch)
        if self.env.user._is_jingpin_technician_only():
            # The web client fails on a field it has no description for: take out what this user
            # may not read, once per view and groups (the result is cached with the view).
            self._jingpin_strip_unreadable(node, self, None)
        if self.env.user._is_jingpin_viewer_only():
            self._jingpin_strip_changes(node)
        return etree.tostring(node, encoding="unicode"), models

    @api.model
    def _get_view_fields(self, view_type, models):
        models = super()._get_view_fields(view_type, models)
        if self._jingpin_view_stripped_for() is None or not self.env.user._is_jingpin_technician_only():
            return models
        return {
            model: {fname for fname in fnames if self._jingpin_can_read(self.env[model], fname)}
            for model, fnames in models.items()
        }

    @api.model
    def _jingpin_strip_changes(self, arch):
        """The dealer group's viewer changes nothing: the buttons of a form's header that act on
        the record are taken out, those that print, export or preview stay (the server refuses
        the others anyway; he is not offered them)."""
        for header in arch.iter("header"):
            for button in list(header.iter("button")):
                if not self._jingpin_button_only_reads(button):
                    button.getparent().remove(button)

    @api.model
    def _jingpin_button_only_reads(self, button):
        name = button.get("name") or ""
        if button.get("type") == "action":
            action_id = int(name) if name.isdigit() else None
            return bool(action_id) and self.env["ir.actions.actions"].sudo().browse(action_id).type == (
                "ir.actions.report"
            )
        return name in READ_ONLY_BUTTONS or name.startswith("action_print")

    @api.model
    def _jingpin_can_read(self, model, fname):
        field = model._fields.get(fname)
        return field is None or model._has_field_access(field, "read")

    @api.model
    def _jingpin_strip_unreadable(self, node, model, parent_model):
        """Remove from ``node`` (a view of ``model``) the fields the user may not read, the labels
        and filters naming them, and neutralise the expressions that use them."""
        for child in list(node):
            if not isinstance(child.tag, str):
                continue
            name = child.get("name") if child.tag in SUB_VIEW_TAGS else None
            if child.tag == "label":
                name = child.get("for")
            if name and not self._jingpin_can_read(model, name):
                node.remove(child)
                continue
            if child.tag == "filter" and self._jingpin_filter_uses_unreadable(child, model):
                node.remove(child)
                continue
            if self._jingpin_qweb_uses_unreadable(child, model):
                node.remove(child)
                continue
            self._jingpin_neutralise_expressions(child, model, parent_model)
            field = name and child.tag in SUB_VIEW_TAGS and model._fields.get(name)
            if field and field.relational:
                comodel = self.env[field.comodel_name]
                self._jingpin_strip_field_lists(child, comodel)
                self._jingpin_strip_unreadable(child, comodel, model)
            else:
                self._jingpin_strip_unreadable(child, model, parent_model)

    @api.model
    def _jingpin_strip_field_lists(self, node, comodel):
        """Drop the unreadable fields from the lists of an x2many's lines (its aggregated columns)."""
        for attribute in FIELD_LIST_ATTRIBUTES:
            if value := node.get(attribute):
                node.set(
                    attribute,
                    ",".join(fname for fname in value.split(",") if self._jingpin_can_read(comodel, fname.strip())),
                )

    @api.model
    def _jingpin_filter_uses_unreadable(self, node, model):
        names = set()
        for attribute in ("domain", "context", "date"):
            expression = node.get(attribute)
            if not expression:
                continue
            if attribute == "date":
                names.add(expression)
                continue
            try:
                tree = ast.parse(expression.strip(), mode="eval")
            except SyntaxError:
                continue
            names.update(
                re.split(r"[.:]", item.value)[0]
                for item in ast.walk(tree)
                if isinstance(item, ast.Constant) and isinstance(item.value, str)
            )
        return any(not self._jingpin_can_read(model, name) for name in names if name in model._fields)

    @api.model
    def _jingpin_qweb_uses_unreadable(self, node, model):
        for attribute, value in node.attrib.items():
            if not attribute.startswith("t-"):
                continue
            for match in QWEB_RECORD_FIELD.finditer(value):
                if not self._jingpin_can_read(model, match.group(1) or match.group(2)):
                    return True
        return False

    @api.model
    def _jingpin_neutralise_expressions(self, node, model, parent_model):
        """Evaluate the unreadable fields an expression uses as False: the client has no value for them."""
        for attribute, value in node.attrib.items():
            if attribute not in EXPRESSION_ATTRIBUTES and not attribute.startswith("decoration-"):
                continue
            try:
                tree = ast.parse(value.strip(), mode="eval")
            except SyntaxError:
                continue
            transformer = _UnreadableNames(self, model, parent_model)
            tree = transformer.visit(tree)
            if transformer.changed:
                node.set(attribute, ast.unparse(tree))

    def _web_read_group_groupby_formatter(self, groupby_spec, values):
        """Groups of days and months read in Chinese as 2026年12月7日 and 2026年12月 (Odoo's own
        labels, "dd MMM yyyy" and "MMMM yyyy", read "07 12月 2026" and "十二月 2026")."""
        formatter = super()._web_read_group_groupby_formatter(groupby_spec, values)
        field_name, _colon, granularity = groupby_spec.partition(":")
        field = self._fields.get(field_name)
        lang = get_lang(self.env).code
        if not (
            field
            and field.type in ("date", "datetime")
            and granularity in CHINESE_GROUP_FORMATS
            and lang.startswith("zh")
        ):
            return formatter

        def chinese_label(value):
            group, domain = formatter(value)
            if not value:
                return group, domain
            # the value is the group's first day or moment, in the user's time zone
            return (group[0], babel.dates.format_date(value, CHINESE_GROUP_FORMATS[granularity], locale=lang)), domain

        return chinese_label


class _UnreadableNames(ast.NodeTransformer):
    """Replaces ``fname`` and ``parent.fname`` by False where the user may not read the field."""

    def __init__(self, env_model, model, parent_model):
        self.env_model = env_model
        self.model = model
        self.parent_model = parent_model
        self.changed = False

    def _false(self, node):
        self.changed = True
        return ast.copy_location(ast.Constant(False), node)

    def visit_Name(self, node):
        if node.id in self.model._fields and not self.env_model._jingpin_can_read(self.model, node.id):
            return self._false(node)
        return node

    def visit_Attribute(self, node):
        if (
            isinstance(node.value, ast.Name)
            and node.value.id == "parent"
            and self.parent_model is not None
            and node.attr in self.parent_model._fields
            and not self.env_model._jingpin_can_read(self.parent_model, node.attr)
        ):
            return self._false(node)
        return self.generic_visit(node)
