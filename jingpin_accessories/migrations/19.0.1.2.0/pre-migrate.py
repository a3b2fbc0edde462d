"""Growth plans take their review from the one approval mixin: ``reviewed_by_id`` and ``reviewed_on``
become ``approved_by_id`` and ``approved_on`` (the column, its field and its xml id keep their data)."""

from odoo.tools.sql import column_exists, rename_column

RENAMED_FIELDS = {"reviewed_by_id": "approved_by_id", "reviewed_on": "approved_on"}


def migrate(cr, version):
    for old, new in RENAMED_FIELDS.items():
        if not column_exists(cr, "jingpin_growth_plan", old):
            continue
        rename_column(cr, "jingpin_growth_plan", old, new)
        cr.execute(
            "UPDATE ir_model_fields SET name = %s WHERE model = 'jingpin.growth.plan' AND name = %s",
            [new, old],
        )
        cr.execute(
            """
            UPDATE ir_model_data SET name = %s
             WHERE module = 'jingpin_accessories' AND model = 'ir.model.fields' AND name = %s
            """,
            [f"field_jingpin_growth_plan__{new}", f"field_jingpin_growth_plan__{old}"],
        )
