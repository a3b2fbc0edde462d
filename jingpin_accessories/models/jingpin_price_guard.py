from odoo import models

# Non-monetary fields that still tell a price or a cost.
PRICE_FIELDS = frozenset({
    "standard_price", "list_price", "lst_price", "price_extra", "avg_cost", "total_value",
    "price_unit", "technical_price_unit", "discount", "purchase_price", "margin_percent",
})


class JingpinPriceGuard(models.AbstractModel):
    """Hides prices and costs from technicians who do not sell (R1: they install, they don't price).

    Mixed into the models a technician reaches from his work orders (products, orders).
    """

    _name = "jingpin.price.guard"
    _description = "Hide prices and costs from technicians"

    def _has_field_access(self, field, operation):
        if (
            (field.type == "monetary" or field.name in PRICE_FIELDS)
            and not self.env.su
            and self.env.user._is_jingpin_technician_only()
        ):
            return False
        return super()._has_field_access(field, operation)
