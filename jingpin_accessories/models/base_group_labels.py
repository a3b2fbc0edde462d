import babel.dates

from odoo import models
from odoo.tools.misc import get_lang

# How a group of days or months reads in Chinese: 2026年12月7日, 2026年12月 (Odoo's own labels,
# "dd MMM yyyy" and "MMMM yyyy", read "07 12月 2026" and "十二月 2026").
CHINESE_GROUP_FORMATS = {"day": "yyyy年M月d日", "month": "yyyy年M月"}


class Base(models.AbstractModel):
    _inherit = "base"

    def _web_read_group_groupby_formatter(self, groupby_spec, values):
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
