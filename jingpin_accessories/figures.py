"""The figures the dealer group ranks on, each defined once (issue 21, 23).

Every report, the appraisal, the sales plans, the pre-aggregated daily figures and the benchmarks
build their SQL from these parts, so a figure means the same wherever it is read. The parts read
the aliases of ``ACCESSORY_LINES``: ``l`` (sale_order_line), ``o`` (sale_order), ``t``
(product_template).

* *Revenue* (产值): the line's untaxed amount; a gift brings none.
* *Cost*: the line's cost (``purchase_price``) times its quantity, gifts included.
* *Gift cost*: the cost of the gifted lines (part of *Cost*).
* *Rebate*: the line's share of its order's rebate (``jingpin_rebate_share``).
* *Gross* (精品毛利): revenue minus cost (gift cost included) minus rebates.

Amounts of an order are in its currency: divided by the order's rate they are in its company's
(``in_company_currency``). A dealer group adds dealerships up in the current company's currency,
converting through ``res.currency._get_simple_currency_table`` as ``sale.report`` does
(``group_currency_table``, ``GROUP_RATE``).
"""

from odoo.tools import SQL

# The order's amounts are in its currency; divided by its rate, in its company's.
ORDER_RATE = SQL("COALESCE(NULLIF(o.currency_rate, 0), 1)")
REVENUE = SQL("CASE WHEN l.is_gift THEN 0 ELSE l.price_subtotal END")
COST = SQL("l.purchase_price * l.product_uom_qty")
GIFT_COST = SQL("CASE WHEN l.is_gift THEN l.purchase_price * l.product_uom_qty ELSE 0 END")
REBATE = SQL("COALESCE(l.jingpin_rebate_share, 0)")
GROSS = SQL("(%s - %s - %s)", REVENUE, COST, REBATE)
# The accessory lines that count: lines of confirmed orders with an accessory channel, packages
# through their components (the package line itself is a combo and carries no amount).
ACCESSORY_LINES = SQL(
    """sale_order_line l
       JOIN sale_order o ON o.id = l.order_id
       JOIN product_product pp ON pp.id = l.product_id
       JOIN product_template t ON t.id = pp.product_tmpl_id"""
)
ACCESSORY_LINES_WHERE = SQL(
    """o.state = 'sale' AND o.jingpin_channel IS NOT NULL
       AND l.display_type IS NULL AND t.type != 'combo'"""
)
# The rate of a company's currency to the group's, from ``group_currency_table`` (as sale.report).
GROUP_RATE = SQL("COALESCE(NULLIF(account_currency_table.rate, 0), 1)")


def in_company_currency(amount):
    """``amount`` of an order (in its currency) in the currency of the order's company."""
    return SQL("%s / %s", amount, ORDER_RATE)


# A dealership's time zone: its partner's, aliased ``p`` in the figures' queries.
PARTNER_TZ = SQL("p.tz")


def local_date(column, tz=PARTNER_TZ):
    """The date of a naive UTC datetime ``column`` in a dealership's time zone (``tz``, by
    default its partner's, aliased ``p``)."""
    return SQL("(%s AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(NULLIF(%s, ''), 'UTC'))::date", column, tz)


def local_month(column, tz=PARTNER_TZ):
    """The first day of the month of ``column`` in a dealership's time zone (see ``local_date``)."""
    return SQL(
        "date_trunc('month', %s AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(NULLIF(%s, ''), 'UTC'))::date", column, tz
    )


def group_currency_table(env):
    """The currency table converting the amounts of the user's companies into the current
    company's currency (one rate per company, as ``sale.report``): join it ``ON
    account_currency_table.company_id = <company column>`` and multiply by ``GROUP_RATE``."""
    return env["res.currency"]._get_simple_currency_table(env.companies)
