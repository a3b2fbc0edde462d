from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..figures import ACCESSORY_LINES, ACCESSORY_LINES_WHERE, GIFT_COST, REVENUE, in_company_currency, local_date
from .jingpin_figure_stale import LINE_FIGURE_FIELDS

# Odoo's fields a client may still write on a line of a confirmed accessory order (``jingpin.guard``
# refuses every other one, and any field another module adds): what is sold, how many, at what price
# and with which taxes, each checked where it becomes real (stock at delivery, money when the invoice
# is posted, the concession against the approved version), its description and place on the order,
# and what Odoo writes as it prices a line (its reference price) or links a package's component.
# The fields Odoo computes from these pass too (see ``_jingpin_refused_fields``).
CONFIRMED_LINE_CLIENT_FIELDS = frozenset(
    {
        "name",
        "sequence",
        "product_id",
        "product_template_id",
        "product_uom_qty",
        "product_uom_id",
        "price_unit",
        "technical_price_unit",
        "discount",
        "tax_ids",
        "customer_lead",
        "analytic_distribution",
        "product_no_variant_attribute_value_ids",
        "product_custom_attribute_value_ids",
        "combo_item_id",
        "linked_line_id",
        "selected_combo_items",
    }
)


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "jingpin.guard"]

    is_gift = fields.Boolean(
        string="Gift",
        help="Given free to the customer (赠送): delivered from stock and valued as any other line, "
        "its cost is charged to the car sale or consultant who gave it.",
    )
    jingpin_provenance = fields.Selection(related="product_id.product_tmpl_id.jingpin_provenance")
    jingpin_producer = fields.Char(related="product_id.product_tmpl_id.jingpin_producer")
    jingpin_reference_price = fields.Float(
        string="Approved Price",
        digits="Product Price",
        compute="_compute_jingpin_concession",
        store=True,
        help="The unit price the price list gives on the order date, running promotions included.",
    )
    jingpin_concession = fields.Monetary(
        string="Concession",
        compute="_compute_jingpin_concession",
        store=True,
        help="Value given below the approved price: manual discounts, price cuts and gifts.",
    )
    jingpin_rebate_share = fields.Monetary(
        string="Rebate Share",
        compute="_compute_jingpin_rebate_share",
        store=True,
        help="This line's part of its order's rebate, in proportion to its revenue (evenly when the "
        "order has none): what the sales analysis charges the accessory with.",
    )

    @api.depends(
        "is_gift",
        "product_id",
        "product_uom_id",
        "product_uom_qty",
        "price_unit",
        "technical_price_unit",
        "discount",
        "order_id.pricelist_id",
        "order_id.date_order",
        "order_id.jingpin_channel",
    )
    def _compute_jingpin_concession(self):
        for line in self:
            # Only accessory orders (those with a sales channel) are under the department's authority.
            reference = line._jingpin_reference_price_unit() if line.order_id.jingpin_channel else 0.0
            charged = line.price_unit * (1 - line.discount / 100)
            line.jingpin_reference_price = reference
            # Never negative: a price above the approved one offsets no concession elsewhere.
            line.jingpin_concession = (
                max((reference - charged) * line.product_uom_qty, 0.0) if line.order_id.jingpin_channel else 0.0
            )

    @api.depends(
        "order_id.rebate_amount",
        "order_id.order_line.price_subtotal",
        "order_id.order_line.is_gift",
        "order_id.order_line.display_type",
        "order_id.order_line.product_id",
    )
    def _compute_jingpin_rebate_share(self):
        """Spread each order's rebate over its goods lines (packages count through their
        components), rounded to the currency; the line with the most revenue takes the rounding
        remainder, so the shares add up to the rebate exactly and a gift never bears any."""
        shares = {}
        for order in self.order_id.filtered("rebate_amount"):
            lines = order.order_line.filtered(lambda line: not line.display_type and line.product_type != "combo")
            if not lines:
                continue
            revenues = {line: 0.0 if line.is_gift else line.price_subtotal for line in lines}
            total = sum(revenues.values())
            for line in lines:
                weight = revenues[line] / total if total else 1 / len(lines)
                shares[line] = order.currency_id.round(order.rebate_amount * weight)
            largest = max(lines, key=revenues.get)
            shares[largest] = order.currency_id.round(
                shares[largest] + order.rebate_amount - sum(shares[line] for line in lines)
            )
        for line in self:
            line.jingpin_rebate_share = shares.get(line, 0.0)

    def _jingpin_reference_price_unit(self):
        """Unit price the line would carry without manual changes, in the price_unit convention."""
        self.ensure_one()
        if self.display_type or not self.product_id or self.product_type == "combo" or self.is_downpayment:
            return 0.0
        line = self.with_company(self.company_id)
        if self.combo_item_id:
            price = line._get_combo_item_display_price()
            package_line = line._get_linked_line()
            if package_line.pricelist_item_id._show_discount():
                base = package_line._get_pricelist_price_before_discount()
                price *= package_line._get_pricelist_price() / base if base else 1.0
        else:
            price = line._get_pricelist_price()
        return self.product_id._get_tax_included_unit_price_from_price(
            price,
            product_taxes=self.product_id.taxes_id._filter_taxes_by_company(self.company_id),
            fiscal_position=self.order_id.fiscal_position_id,
        )

    @api.depends("order_id.date_order")
    def _compute_pricelist_item_id(self):
        """The price rule of the order's date: moving the date looks its promotions up again, and
        with them the approved prices and concessions."""
        return super()._compute_pricelist_item_id()

    @api.depends("is_gift")
    def _compute_price_unit(self):  # pylint: disable=missing-return
        gifts = self.filtered("is_gift")
        gifts.with_context(sale_write_from_compute=True).price_unit = 0.0
        # A line that stops being a gift goes back to its price list price.
        ungifted = (self - gifts).filtered(lambda line: not line.price_unit and line.technical_price_unit)
        super(SaleOrderLine, self - gifts - ungifted)._compute_price_unit()
        super(SaleOrderLine, ungifted.with_context(force_price_recomputation=True))._compute_price_unit()

    def _reset_price_unit(self):
        """Odoo's product onchange resets the price: a gift's stays 0."""
        if self.is_gift:
            self.with_context(sale_write_from_compute=True).price_unit = 0.0
            return
        super()._reset_price_unit()

    @api.depends("is_gift")
    def _compute_discount(self):  # pylint: disable=missing-return
        gifts = self.filtered("is_gift")
        gifts.discount = 0.0
        super(SaleOrderLine, self - gifts)._compute_discount()

    @api.constrains("is_gift", "price_unit", "discount")
    def _check_gift_is_free(self):
        for line in self.filtered("is_gift"):
            if line.price_unit or line.discount:
                raise ValidationError(
                    self.env._(
                        "“%s” is a gift: a gift is free, so its unit price is 0 and it has no discount. "
                        "Untick Gift to sell it at a price.",
                        line.product_id.display_name,
                    )
                )

    @api.constrains("product_uom_qty", "price_unit", "discount", "product_id", "order_id")
    def _check_jingpin_amounts(self):
        """Class 8: an accessory order adds up only what is sold or given; what comes back goes
        through Odoo's returns and credit notes, so nothing negative nets a concession away."""
        for line in self.filtered(
            lambda line: not line.display_type
            and not line.is_downpayment
            and (line.order_id.jingpin_channel or line.product_id.is_accessory)
        ):
            if line.product_uom_qty < 0 or line.price_unit < 0:
                raise ValidationError(
                    self.env._(
                        "“%s” has a negative quantity or price: an accessory order only sells or gives. "
                        "Take goods back with a return on the delivery and refund with a credit note.",
                        line.product_id.display_name or line.name,
                    )
                )
            if not 0 <= line.discount <= 100:
                raise ValidationError(
                    self.env._(
                        "The discount on “%s” must lie between 0 and 100%%.",
                        line.product_id.display_name or line.name,
                    )
                )

    @api.constrains("product_id", "order_id")
    def _check_fits_vehicle(self):
        self.order_id._check_accessories_fit_vehicle()

    # === CRUD === #
    def _jingpin_client_fields(self):
        """A quotation's lines are edited as in Odoo; the lines of a confirmed (or cancelled)
        accessory order take from a client only the addon's editable fields and
        :data:`CONFIRMED_LINE_CLIENT_FIELDS`."""
        confirmed = self.order_id._jingpin_department_documents().filtered(
            lambda order: order.state not in ("draft", "sent")
        )
        if not confirmed:
            return super()._jingpin_client_fields()
        return self._jingpin_editable_field_names() | CONFIRMED_LINE_CLIENT_FIELDS

    def _jingpin_refused_fields(self, vals):
        """Besides :data:`CONFIRMED_LINE_CLIENT_FIELDS`, the fields Odoo computes from them pass: its
        computes write them on other lines than the ones they compute through ``write`` (the
        quantities to invoice, the delivered quantities). A line's delivered quantity comes from its
        stock moves, except for a service delivered by hand."""
        refused = super()._jingpin_refused_fields(vals)
        derived = {
            name
            for name in refused
            if self._fields[name].compute and self._fields[name]._module != "jingpin_accessories"
        }
        if "qty_delivered" in derived and not all(line.qty_delivered_method == "manual" for line in self):
            derived.discard("qty_delivered")
        return refused - derived

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._expand_accessory_packages()
        return lines

    def _expand_accessory_packages(self):
        """Add the component lines of accessory packages entered without them.

        The web client's combo configurator sends the chosen components with the package line.
        An order entered through the API (or an import) names only the package: each of its
        combo choices then takes its first option, so the package always reaches the order with
        its components, whose prices Odoo spreads from the package price.
        """
        packages = self.filtered(
            lambda line: line.product_template_id.is_accessory_package
            and not line.linked_line_ids.filtered("combo_item_id")
        )
        if not packages:
            return
        self.create(
            [
                {
                    "order_id": line.order_id.id,
                    "product_id": combo.combo_item_ids[:1].product_id.id,
                    "combo_item_id": combo.combo_item_ids[:1].id,
                    "product_uom_qty": line.product_uom_qty,
                    "discount": line.discount,
                    "is_gift": line.is_gift,
                    "linked_line_id": line.id,
                    "sequence": line.sequence + index,
                }
                for line in packages
                for index, combo in enumerate(line.product_template_id.sudo().combo_ids, start=1)
            ]
        )

    def _create(self, data_list):
        lines = super()._create(data_list)
        self.env["jingpin.figure.stale"]._mark_orders_at_commit(lines.order_id.ids)
        return lines

    def _write_multi(self, vals_list):
        if {name for vals in vals_list for name in vals} & LINE_FIGURE_FIELDS:
            self.env["jingpin.figure.stale"]._mark_orders_at_commit(self.order_id.ids)
        return super()._write_multi(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_mark_figures(self):
        self.env["jingpin.figure.stale"]._mark_orders_at_commit(self.order_id.ids)

    @api.model
    def _jingpin_revenue_by_month(self, companies, date_from, date_to, user=None):
        """Accessory revenue per company and month, in the company's currency (R3, R4).

        Lines of confirmed orders with an accessory channel count, packages through their
        components; gifts bring no revenue and are summed apart at cost. *Confirmed* revenue is
        dated by the order date in the dealership's time zone, *invoiced* revenue by the date of the
        posted invoice (credit notes deducted). With ``user``, only what he is credited with: the
        orders he is the specialist of, and the new-car orders he sold as sales consultant.

        :return: {(company id, first day of the month): {"confirmed", "invoiced", "gift_cost"}}
        """
        if not companies:
            return {}
        for model in ("sale.order", "sale.order.line", "account.move", "account.move.line"):
            self.env[model].flush_model()
        # each dealership's time zone, given to the query as a list: PostgreSQL hashes it in
        zones = SQL(", ").join(SQL("(%s, %s)", company.id, company.partner_id.tz or "UTC") for company in companies)
        user_condition = (
            SQL(
                "AND (o.specialist_id = %(user)s OR (o.jingpin_channel = 'new_car' AND o.user_id = %(user)s))",
                user=user.id,
            )
            if user
            else SQL()
        )
        self.env.cr.execute(
            SQL(
                """
            SELECT o.company_id,
                   date_trunc('month', %(local_date)s)::date,
                   SUM(%(revenue)s),
                   SUM(%(gift_cost)s)
              FROM %(lines)s
              JOIN (VALUES %(zones)s) AS zone (company_id, tz) ON zone.company_id = o.company_id
             WHERE %(lines_where)s AND o.company_id IN %(companies)s
               AND %(local_date)s BETWEEN %(start)s AND %(end)s
               AND o.date_order >= %(utc_start)s AND o.date_order < %(utc_end)s
               %(user_condition)s
             GROUP BY 1, 2
            """,
                revenue=in_company_currency(REVENUE),
                gift_cost=in_company_currency(GIFT_COST),
                lines=ACCESSORY_LINES,
                lines_where=ACCESSORY_LINES_WHERE,
                # date_order is naive UTC: to UTC, then to the dealership's wall clock
                local_date=local_date(SQL("o.date_order"), SQL("zone.tz")),
                zones=zones,
                companies=tuple(companies.ids),
                start=date_from,
                end=date_to,
                # the same days in UTC, widened by any time zone's offset: lets the index on the
                # order date narrow the scan before each order's local date is computed
                utc_start=datetime.combine(date_from, time.min) - timedelta(days=1),
                utc_end=datetime.combine(date_to, time.min) + timedelta(days=2),
                user_condition=user_condition,
            )
        )
        result = {}
        for company_id, month, confirmed, gift_cost in self.env.cr.fetchall():
            result[company_id, month] = {"confirmed": confirmed or 0.0, "invoiced": 0.0, "gift_cost": gift_cost or 0.0}
        self.env.cr.execute(
            SQL(
                """
            SELECT m.company_id, date_trunc('month', m.invoice_date)::date, SUM(-aml.balance)
              FROM account_move_line aml
              JOIN account_move m ON m.id = aml.move_id
             WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
               AND aml.display_type = 'product' AND m.company_id IN %(companies)s
               AND m.invoice_date BETWEEN %(start)s AND %(end)s
               AND EXISTS (
                   SELECT 1
                     FROM sale_order_line_invoice_rel r
                     JOIN sale_order_line l ON l.id = r.order_line_id
                     JOIN sale_order o ON o.id = l.order_id
                    WHERE r.invoice_line_id = aml.id AND o.jingpin_channel IS NOT NULL
                      AND NOT COALESCE(l.is_gift, FALSE) %(user_condition)s)
             GROUP BY 1, 2
            """,
                companies=tuple(companies.ids),
                start=date_from,
                end=date_to,
                user_condition=user_condition,
            )
        )
        for company_id, month, invoiced in self.env.cr.fetchall():
            figures = result.setdefault((company_id, month), {"confirmed": 0.0, "invoiced": 0.0, "gift_cost": 0.0})
            figures["invoiced"] = invoiced or 0.0
        return result
