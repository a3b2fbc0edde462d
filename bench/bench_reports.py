"""Time the sales reports on a year of ten dealerships, each against plain SQL over the same tables.

    PYTHONPATH=path/to/odoo python bench/bench_reports.py -c odoo.conf -d jp_bench_big [--repeat 5]

The data (made once, then reused: the script finds it by its order names ``JPB/…``):

* through the ORM: 10 dealerships (``res.company``, with their warehouse and accessory
  installation project), per dealership 3 accessories specialists, 5 sales consultants and
  3 technicians, one group viewer who sees all ten, 6 vehicle models, 8 accessory categories under
  the addon's *Accessories* category and 200 accessories in them, one car;
* in SQL (``INSERT … SELECT generate_series``): 20,000 customers and, over the year 2025,
  250,000 confirmed accessory orders with 2 to 6 lines each (1,000,000 lines): 30 % new-car
  orders, each with its car sale, vehicle and (for 90 % of them) the car's done delivery move,
  gifts on a quarter of the new-car orders, 10 % discounts on a fifth of the lines, rebates on
  the referral and external orders (each line's share of them set as the addon computes it);
  100,000 work orders (project tasks of the installation
  projects) for two orders in five, with standard labour (``planned_minutes``) and actual labour
  (``effective_hours``), handed over, cancelled or still open at the end of the year; an approved
  sales plan per dealership.

Each report is read as the web client reads it (``formatted_read_group``) by the group viewer,
with the record rules on, in the Asia/Shanghai time zone; the daily report's figures are
computed as the hourly job does, as superuser. Each is timed against one plain SQL query giving
the same figures (checked equal), ``--repeat`` times; the medians are compared and the script
fails when the ORM takes more than 1.5 times as long as plain SQL. The plans of the ORM's
slowest queries are shown with EXPLAIN (ANALYZE, BUFFERS).

The plain queries are built from the addon's definitions of the figures
(``jingpin_accessories/figures.py``). The first run also builds the daily figures
(``jingpin.figure.daily``) as the job does; (e) and (f) read them as the dashboards do, against
the plain SQL over the same daily rows and the plain SQL of the same figures over the sale lines.
The job's run after a change of one dealership's day is timed last.
"""

import statistics
import sys
import time
from contextlib import contextmanager
from datetime import date, datetime
from unittest.mock import patch

import pytz
from benchlib import argument_parser

from odoo import fields
from odoo.api import SUPERUSER_ID, Environment
from odoo.modules.registry import Registry
from odoo.sql_db import Cursor
from odoo.tools import SQL, config

ORDERS = 250_000  # accessory orders, 2 to 6 lines each: 1,000,000 lines
CUSTOMERS = 20_000
PRODUCTS = 200
COMPANIES = 10
TZ = "Asia/Shanghai"
YEAR = 2025
DAY = date(YEAR, 12, 22)  # the daily report's day
MAX_RATIO = 1.5
CATEGORIES = ["贴膜", "脚垫", "行车记录仪", "座套", "导航", "防盗", "灯光", "车载冰箱"]


# === DATA === #
def ensure_data(registry):
    """Make the benchmark's data unless it is there; returns the dealerships' ids and the viewer's."""
    with registry.cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True})
        cr.execute("SELECT count(*) FROM sale_order WHERE name LIKE 'JPB/%'")
        if not cr.fetchone()[0]:
            tic = time.perf_counter()
            _make_master_data(env)
            env.flush_all()
            _load_sql(cr)
            cr.execute(
                """SELECT count(*) FROM sale_order_line l JOIN sale_order o ON o.id = l.order_id
                    WHERE o.name LIKE 'JPB/%' AND o.jingpin_channel IS NOT NULL"""
            )
            if cr.fetchone()[0] != 4 * ORDERS:
                raise SystemExit("the accessory sale lines were not made: nothing is kept")
            cr.commit()
            print(f"data made in {time.perf_counter() - tic:.0f} s")
            cr.execute("ANALYZE")
        cr.execute("SELECT EXISTS (SELECT 1 FROM res_company WHERE jingpin_figures_refreshed_at IS NOT NULL)")
        if not cr.fetchone()[0]:
            tic = time.perf_counter()
            env["jingpin.figure.daily"]._refresh()  # what the job does the first time: the whole history
            cr.commit()
            print(f"daily figures built from the documents in {time.perf_counter() - tic:.0f} s")
            cr.execute("ANALYZE jingpin_figure_daily")
        companies = env["res.company"].search([("name", "like", "JPB dealership%")], order="id")
        viewer = env["res.users"].search([("login", "=", "jpb_viewer")])
        cr.execute(
            """SELECT (SELECT count(*) FROM sale_order_line l JOIN sale_order o ON o.id = l.order_id
                        WHERE o.name LIKE 'JPB/%' AND o.jingpin_channel IS NOT NULL),
                      (SELECT count(*) FROM project_task WHERE name LIKE 'JPB/%' AND is_work_order)"""
        )
        lines, tasks = cr.fetchone()
        print(f"data: {len(companies)} dealerships, {lines:,} accessory sale lines, {tasks:,} work orders")
        return companies.ids, viewer.id


def _make_master_data(env):
    """Dealerships, people, vehicle models, categories and accessories, through the ORM."""
    group = env.ref
    companies = env["res.company"].create([{"name": f"JPB dealership {i:02d}"} for i in range(COMPANIES)])
    companies.partner_id.write({"tz": TZ, "lang": "en_US"})
    env["stock.warehouse"].create(
        [{"name": company.name, "code": f"JPB{i}", "company_id": company.id} for i, company in enumerate(companies)]
    )
    roles = {
        "specialist": (3, [group("jingpin_accessories.group_jingpin_specialist").id]),
        "consultant": (5, [group("sales_team.group_sale_salesman").id]),
        "technician": (3, [group("jingpin_accessories.group_jingpin_technician").id]),
    }
    env["res.users"].create(
        [
            {
                "name": f"JPB {role} {i} {company.name}",
                "login": f"jpb_{role}_{company.id}_{i}",
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "group_ids": [(6, 0, groups)],
                "tz": TZ,
            }
            for company in companies
            for role, (count, groups) in roles.items()
            for i in range(count)
        ]
    )
    env["res.users"].create(
        {
            "name": "JPB group viewer",
            "login": "jpb_viewer",
            "company_id": companies[0].id,
            "company_ids": [(6, 0, companies.ids)],
            "group_ids": [(6, 0, [group("jingpin_accessories.group_jingpin_group_viewer").id])],
            "tz": TZ,
        }
    )
    brand = env["fleet.vehicle.model.brand"].create({"name": "JPB brand"})
    env["fleet.vehicle.model"].create([{"name": f"JPB model {i}", "brand_id": brand.id} for i in range(6)])
    root = group("jingpin_accessories.product_category_accessories")
    categories = env["product.category"].create([{"name": name, "parent_id": root.id} for name in CATEGORIES])
    env["product.template"].create(
        [
            {
                "name": f"JPB accessory {i:03d}",
                "is_accessory": True,
                "type": "consu",
                "is_storable": True,
                "categ_id": categories[i % len(categories)].id,
                "list_price": 100 + 10 * (i % 50),
                "standard_price": 50 + 5 * (i % 50),
                "needs_install": True,
                "labour_minutes": 15 + 5 * (i % 10),
            }
            for i in range(PRODUCTS)
        ]
    )
    env["product.template"].create({"name": "JPB car", "type": "consu", "is_storable": True, "list_price": 150000})


def _load_sql(cr):
    """Customers, orders, lines, cars, deliveries, work orders and plans, in SQL."""

    def reserve(table, count):
        """The first of ``count`` ids reserved in ``table``'s sequence, minus one."""
        cr.execute(
            f"SELECT setval('{table}_id_seq', GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}),"  # noqa: S608
            f" nextval('{table}_id_seq')) + %s) - %s",
            [count, count],
        )
        return cr.fetchone()[0]

    cr.execute(
        """
        CREATE TEMP TABLE jpb_company ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY c.id) - 1 AS ci, c.id, c.currency_id, w.id AS warehouse_id,
               w.lot_stock_id, p.id AS project_id
          FROM res_company c
          JOIN stock_warehouse w ON w.company_id = c.id
          JOIN project_project p ON p.company_id = c.id AND p.is_install_project
         WHERE c.name LIKE 'JPB dealership%';
        CREATE TEMP TABLE jpb_user ON COMMIT DROP AS
        SELECT c.ci, split_part(u.login, '_', 2) AS role, split_part(u.login, '_', 4)::int AS n, u.id
          FROM res_users u JOIN jpb_company c ON c.id = u.company_id
         WHERE u.login LIKE 'jpb\\_%\\_%\\_%';
        CREATE TEMP TABLE jpb_product ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY p.id) - 1 AS pi, p.id, t.list_price, t.name->>'en_US' AS name,
               (p.standard_price->>(SELECT id::text FROM res_company ORDER BY id LIMIT 1))::numeric AS cost
          FROM product_product p JOIN product_template t ON t.id = p.product_tmpl_id
         WHERE t.name->>'en_US' LIKE 'JPB accessory%';
        CREATE TEMP TABLE jpb_model ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY id) - 1 AS mi, id FROM fleet_vehicle_model WHERE name LIKE 'JPB model%';
        """
    )
    cr.execute("SELECT count(*) FROM jpb_product WHERE cost IS NULL")
    if cr.fetchone()[0]:  # the cost is per company in 19.0: fall back on half the price
        cr.execute("UPDATE jpb_product SET cost = list_price / 2")
    cr.execute(
        """SELECT p.id FROM product_product p JOIN product_template t ON t.id = p.product_tmpl_id
            WHERE t.name->>'en_US' = 'JPB car'"""
    )
    car_product = cr.fetchone()[0]
    cr.execute("SELECT res_id FROM ir_model_data WHERE module = 'uom' AND name = 'product_uom_unit'")
    unit = cr.fetchone()[0]
    cr.execute("SELECT res_id FROM ir_model_data WHERE module = 'stock' AND name = 'stock_location_customers'")
    customers_location = cr.fetchone()[0]
    params = {
        "orders": ORDERS,
        "customers": CUSTOMERS,
        "products": PRODUCTS,
        "car_product": car_product,
        "unit": unit,
        "customers_location": customers_location,
        "year_start": datetime(YEAR, 1, 1),
        "open_from": datetime(YEAR, 12, 20),
    }

    params["partner0"] = reserve("res_partner", CUSTOMERS)
    cr.execute(
        """
        INSERT INTO res_partner (id, name, complete_name, type, active, is_company, customer_rank,
                                 autopost_bills, group_rfq, group_on, create_uid, write_uid, create_date, write_date)
        SELECT %(partner0)s + n, 'JPB customer ' || n, 'JPB customer ' || n, 'contact', TRUE, FALSE, 1,
               'ask', 'default', 'default', 1, 1, now(), now()
          FROM generate_series(1, %(customers)s) n
        """,
        params,
    )
    # The orders: k = 1..ORDERS, dealership (k / 10) mod 10, channel by k mod 10, spread over the year
    # in the dealership's opening hours (09:00-18:00 in Shanghai).
    cr.execute(
        """
        CREATE TEMP TABLE jpb_order ON COMMIT DROP AS
        SELECT k, (k / 10) %% 10 AS ci, k %% 10 AS ch,
               (ARRAY['new_car', 'new_car', 'new_car', 'after_sales', 'after_sales', 'after_sales',
                      'walk_in', 'walk_in', 'referral', 'external'])[k %% 10 + 1] AS channel,
               %(year_start)s::timestamp + ((k - 1) * 365 / %(orders)s) * interval '1 day'
                   + interval '1 hour' + ((k * 7919) %% 32400) * interval '1 second' AS date_order,
               %(partner0)s + 1 + (k * 31) %% %(customers)s AS partner_id,
               CASE WHEN k %% 10 < 3 THEN row_number() OVER (PARTITION BY k %% 10 < 3 ORDER BY k) END AS car
          FROM generate_series(1, %(orders)s) k;
        CREATE UNIQUE INDEX ON jpb_order (k);
        ANALYZE jpb_order;
        """,
        params,
    )
    cr.execute("SELECT count(*) FROM jpb_order WHERE car IS NOT NULL")
    params["cars"] = cars = cr.fetchone()[0]
    params["order0"] = reserve("sale_order", ORDERS + cars)
    params["car0"] = params["order0"] + ORDERS
    params["vehicle0"] = reserve("jingpin_vehicle", cars)
    params["car_line0"] = reserve("sale_order_line", cars)
    cr.execute(
        """
        INSERT INTO jingpin_vehicle (id, vin, name, model_id, partner_id, company_id, active,
                                     create_uid, write_uid, create_date, write_date)
        SELECT %(vehicle0)s + o.car, 'JPBV' || lpad(o.car::text, 13, '0'), 'JPBV' || lpad(o.car::text, 13, '0'),
               m.id, o.partner_id, c.id, TRUE, 1, 1, now(), now()
          FROM jpb_order o
          JOIN jpb_company c ON c.ci = o.ci
          JOIN jpb_model m ON m.mi = o.car %% 6
         WHERE o.car IS NOT NULL;

        -- the car sales, three days before their accessory order
        INSERT INTO sale_order (id, name, state, date_order, company_id, currency_id, currency_rate, partner_id,
                                partner_invoice_id, partner_shipping_id, user_id, vehicle_id, warehouse_id,
                                picking_policy, amount_untaxed, amount_total, jingpin_approval_state,
                                create_uid, write_uid, create_date, write_date)
        SELECT %(car0)s + o.car, 'JPB/CAR/' || o.car, 'sale', o.date_order - interval '3 days', c.id, c.currency_id,
               1.0, o.partner_id, o.partner_id, o.partner_id, u.id, %(vehicle0)s + o.car, c.warehouse_id,
               'direct', 150000, 150000, 'not_needed', 1, 1, now(), now()
          FROM jpb_order o
          JOIN jpb_company c ON c.ci = o.ci
          JOIN jpb_user u ON u.ci = o.ci AND u.role = 'consultant' AND u.n = o.k %% 5
         WHERE o.car IS NOT NULL;
        INSERT INTO sale_order_line (id, order_id, name, sequence, product_id, product_uom_id, product_uom_qty,
                                     price_unit, price_subtotal, price_total, price_tax, purchase_price,
                                     customer_lead, company_id, currency_id, state, order_partner_id,
                                     create_uid, write_uid, create_date, write_date)
        SELECT %(car_line0)s + o.car, %(car0)s + o.car, 'JPB car', 1, %(car_product)s, %(unit)s, 1, 150000, 150000,
               150000, 0, 120000, 0, c.id, c.currency_id, 'sale', o.partner_id, 1, 1, now(), now()
          FROM jpb_order o JOIN jpb_company c ON c.ci = o.ci
         WHERE o.car IS NOT NULL;
        -- nine cars in ten delivered, the day before their accessory order
        INSERT INTO stock_move (company_id, product_id, product_uom, location_id, location_dest_id, procure_method,
                                product_uom_qty, quantity, state, date, sale_line_id, picked,
                                create_uid, write_uid, create_date, write_date)
        SELECT c.id, %(car_product)s, %(unit)s, c.lot_stock_id, %(customers_location)s, 'make_to_stock', 1, 1,
               'done', o.date_order - interval '1 day', %(car_line0)s + o.car, TRUE, 1, 1, now(), now()
          FROM jpb_order o JOIN jpb_company c ON c.ci = o.ci
         WHERE o.car IS NOT NULL AND o.car %% 10 <> 0;

        -- the accessory orders
        INSERT INTO sale_order (id, name, state, date_order, company_id, currency_id, currency_rate, partner_id,
                                partner_invoice_id, partner_shipping_id, user_id, specialist_id, jingpin_channel,
                                vehicle_id, car_sale_order_id, gift_given_by_id, rebate_amount, rebate_partner_id,
                                warehouse_id, picking_policy, jingpin_approval_state,
                                create_uid, write_uid, create_date, write_date)
        SELECT %(order0)s + o.k, 'JPB/' || lpad(o.k::text, 6, '0'), 'sale', o.date_order, c.id, c.currency_id, 1.0,
               o.partner_id, o.partner_id, o.partner_id, u.id, s.id, o.channel,
               %(vehicle0)s + o.car, %(car0)s + o.car, CASE WHEN o.car IS NOT NULL THEN u.id END,
               CASE WHEN o.ch >= 8 THEN 50 + (o.k %% 5) * 50 ELSE 0 END,
               CASE WHEN o.ch >= 8 THEN %(partner0)s + 1 + (o.k * 17) %% %(customers)s END,
               c.warehouse_id, 'direct',
               CASE WHEN o.k > %(orders)s - 2000 AND o.k %% 50 = 0 THEN 'to_approve' ELSE 'not_needed' END,
               1, 1, now(), now()
          FROM jpb_order o
          JOIN jpb_company c ON c.ci = o.ci
          JOIN jpb_user u ON u.ci = o.ci AND u.role = 'consultant' AND u.n = o.k %% 5
          JOIN jpb_user s ON s.ci = o.ci AND s.role = 'specialist' AND s.n = o.k %% 3;
        INSERT INTO sale_order_line (order_id, name, sequence, product_id, product_uom_id, product_uom_qty,
                                     price_unit, discount, price_subtotal, price_total, price_tax, purchase_price,
                                     is_gift, customer_lead, company_id, currency_id, state, order_partner_id,
                                     create_uid, write_uid, create_date, write_date)
        SELECT %(order0)s + o.k, p.name, j, p.id, %(unit)s, q.qty, q.price, q.discount,
               round(q.price * q.qty * (100 - q.discount) / 100, 2),
               round(q.price * q.qty * (100 - q.discount) / 100, 2), 0, p.cost,
               q.gift, 0, c.id, c.currency_id, 'sale', o.partner_id, 1, 1, now(), now()
          FROM jpb_order o
          JOIN jpb_company c ON c.ci = o.ci
          CROSS JOIN generate_series(1, 2 + o.k %% 5) j
          JOIN jpb_product p ON p.pi = (o.k * 7 + j * 37) %% %(products)s
          -- a gift is free (no price, no discount)
          CROSS JOIN LATERAL (SELECT o.car IS NOT NULL AND j = 1 AND o.k %% 4 = 0 AS gift) g
          CROSS JOIN LATERAL (SELECT g.gift, CASE WHEN (o.k + j) %% 7 = 0 THEN 2 ELSE 1 END AS qty,
                                     CASE WHEN g.gift THEN 0 ELSE p.list_price END AS price,
                                     CASE WHEN NOT g.gift AND (o.k + j) %% 5 = 0 THEN 10 ELSE 0 END AS discount) q;
        -- each line's share of its order's rebate, as the addon computes it: in proportion to the
        -- line's revenue, rounded to the cent, the line with the most revenue (the first of them in
        -- the order) taking the remainder
        WITH line AS (
            SELECT l.id, o.id AS order_id, o.rebate_amount AS rebate,
                   ROUND(o.rebate_amount * CASE WHEN SUM(r.revenue) OVER orders > 0
                                                THEN r.revenue / SUM(r.revenue) OVER orders
                                                ELSE 1.0 / COUNT(*) OVER orders END, 2) AS share,
                   ROW_NUMBER() OVER (orders ORDER BY r.revenue DESC, l.sequence, l.id) AS by_revenue
              FROM sale_order_line l
              JOIN sale_order o ON o.id = l.order_id
              CROSS JOIN LATERAL (SELECT CASE WHEN l.is_gift THEN 0 ELSE l.price_subtotal END AS revenue) r
             WHERE o.id > %(order0)s AND o.rebate_amount > 0 AND l.display_type IS NULL
            WINDOW orders AS (PARTITION BY o.id)
        ), share AS (
            SELECT id, CASE WHEN by_revenue = 1 THEN share + rebate - SUM(share) OVER (PARTITION BY order_id)
                            ELSE share END AS share
              FROM line
        )
        UPDATE sale_order_line l SET jingpin_rebate_share = share.share FROM share WHERE share.id = l.id;

        -- work orders for two orders in five: handed over (cancelled one in fifty), open at the year's end
        INSERT INTO project_task (name, project_id, company_id, stage_id, work_state, state, is_work_order, active,
                                  accessory_order_id, vehicle_id, specialist_id, consultant_id, technician_id,
                                  planned_minutes, allocated_hours, effective_hours, planned_start, planned_end,
                                  date_started, date_end, promised_datetime, priority, display_in_project,
                                  create_uid, write_uid, create_date, write_date)
        SELECT 'JPB/WO/' || o.k, c.project_id, c.id, st.id, w.state,
               CASE w.state WHEN 'handed_over' THEN '1_done' WHEN 'cancelled' THEN '1_canceled'
                            ELSE '01_in_progress' END,
               TRUE, TRUE, %(order0)s + o.k, %(vehicle0)s + o.car, s.id, u.id, t.id,
               w.minutes, w.minutes / 60.0,
               CASE WHEN w.state IN ('dispatched', 'cancelled') THEN 0
                    ELSE w.minutes * (0.8 + (o.k %% 6) * 0.1) / 60.0 END,
               o.date_order + interval '1 day', o.date_order + interval '1 day' + w.minutes * interval '1 minute',
               CASE WHEN w.state NOT IN ('dispatched', 'cancelled') THEN o.date_order + interval '1 day' END,
               CASE WHEN w.state = 'handed_over'
                    THEN o.date_order + interval '1 day' + (w.minutes + (o.k %% 7 - 3) * 10) * interval '1 minute'
               END,
               o.date_order + interval '1 day' + (w.minutes + 60) * interval '1 minute', '0', TRUE,
               1, 1, now(), now()
          FROM jpb_order o
          JOIN jpb_company c ON c.ci = o.ci
          JOIN jpb_user s ON s.ci = o.ci AND s.role = 'specialist' AND s.n = o.k %% 3
          JOIN jpb_user u ON u.ci = o.ci AND u.role = 'consultant' AND u.n = o.k %% 5
          JOIN jpb_user t ON t.ci = o.ci AND t.role = 'technician' AND t.n = o.k %% 3
          CROSS JOIN LATERAL (
              SELECT CASE WHEN o.date_order >= %(open_from)s
                          THEN (ARRAY['dispatched', 'in_progress', 'inspection', 'ready'])[o.k %% 4 + 1]
                          WHEN o.k %% 50 = 0 THEN 'cancelled' ELSE 'handed_over' END AS state,
                     30 + (o.k %% 8) * 15 AS minutes) w
          JOIN project_task_type st ON st.work_state = w.state
         WHERE o.k %% 5 < 2;

        -- an approved plan per dealership: 300,000 a month
        INSERT INTO jingpin_sales_plan (name, company_id, year, state, create_uid, write_uid, create_date, write_date)
        SELECT 'JPB plan', c.id, EXTRACT(YEAR FROM %(year_start)s)::int, 'approved', 1, 1, now(), now()
          FROM jpb_company c;
        INSERT INTO jingpin_sales_plan_line (plan_id, company_id, month, month_number, amount,
                                             create_uid, write_uid, create_date, write_date)
        SELECT p.id, p.company_id, m::text, m, 300000, 1, 1, now(), now()
          FROM jingpin_sales_plan p CROSS JOIN generate_series(1, 12) m
         WHERE p.name = 'JPB plan';
        """,
        params,
    )


# === MEASURE === #
@contextmanager
def captured_queries():
    """The queries run in the block, with their time: [(duration, query, params)]."""
    queries = []
    execute = Cursor.execute

    def timed_execute(cursor, query, params=None, log_exceptions=True):
        tic = time.perf_counter()
        try:
            return execute(cursor, query, params, log_exceptions)
        finally:
            queries.append((time.perf_counter() - tic, query, params))

    with patch.object(Cursor, "execute", timed_execute):
        yield queries


def median_ms(func, env, repeat):
    samples, result = [], None
    for _ in range(repeat):
        env.invalidate_all()
        tic = time.perf_counter()
        result = func()
        samples.append((time.perf_counter() - tic) * 1000)
    return statistics.median(samples), result


def explain(env, func, slowest=1):
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest queries ``func`` runs."""
    env.invalidate_all()
    with captured_queries() as queries:
        func()
    for duration, query, params in sorted(queries, key=lambda q: q[0], reverse=True)[:slowest]:
        if isinstance(query, SQL):
            query, params = query.code, query.params
        env.cr.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query}", params)  # noqa: S608 -- a query the ORM ran
        plan = "\n".join(f"    {row[0]}" for row in env.cr.fetchall())
        print(f"  ORM query ({duration * 1000:.1f} ms):\n    {query}\n  params: {params}\n{plan}")


def sql_rows(env, query):
    env.cr.execute(query)
    return env.cr.fetchall()


# === THE REPORTS AND THEIR PLAIN SQL === #
# The figures are those of jingpin_accessories/figures.py (one definition): the plain queries
# differ from the ORM's in how they read the rows, not in what a figure means.
def figures():
    """The addon's definitions of the figures (importable once the configuration is read)."""
    from odoo.addons.jingpin_accessories import figures as definitions  # noqa: PLC0415

    return definitions


def lines(companies):
    """FROM and WHERE of the accessory lines of ``companies`` (aliases ``l``, ``o``, ``pp``, ``t``)."""
    fig = figures()
    return SQL("FROM %s WHERE %s AND o.company_id = ANY(%s)", fig.ACCESSORY_LINES, fig.ACCESSORY_LINES_WHERE, companies)


def month_of(column):
    fig = figures()
    return SQL("to_char(%s, 'YYYY-MM')", fig.local_month(column, SQL("%s", TZ)))


# The car sales and when their car first left the stock (as the addon counts a delivered new car).
DELIVERED = SQL(
    """SELECT sl.order_id, MIN(m.date) AS date
         FROM stock_move m
         JOIN sale_order_line sl ON sl.id = m.sale_line_id
         JOIN product_product p ON p.id = m.product_id
         JOIN product_template t ON t.id = p.product_tmpl_id
         JOIN stock_location dest ON dest.id = m.location_dest_id
        WHERE m.state = 'done' AND dest.usage = 'customer' AND NOT COALESCE(t.is_accessory, FALSE)
        GROUP BY sl.order_id"""
)
CAR_SALE = SQL("car.state = 'sale' AND car.jingpin_channel IS NULL AND car.vehicle_id IS NOT NULL")


def sql_by_month(companies, **_params):
    """(a) revenue and margin by dealership and month: each line bears its share of its order's rebate."""
    fig = figures()
    return SQL(
        "SELECT o.company_id, %s, SUM(%s), SUM(%s) %s GROUP BY 1, 2 ORDER BY 1, 2",
        month_of(SQL("o.date_order")),
        fig.in_company_currency(fig.REVENUE),
        fig.in_company_currency(fig.GROSS),
        lines(companies),
    )


def sql_by_category(companies, **_params):
    """(b) revenue and margin by category."""
    fig = figures()
    return SQL(
        "SELECT t.categ_id, SUM(%s), SUM(%s) %s GROUP BY 1 ORDER BY 1",
        fig.in_company_currency(fig.REVENUE),
        fig.in_company_currency(fig.GROSS),
        lines(companies),
    )


def sql_per_car(companies, **_params):
    """(c) 单产: cars delivered, their accessory revenue and the revenue per car, by dealership and month."""
    fig = figures()
    return SQL(
        """
        WITH delivered AS (%(delivered)s), accessories AS (
            SELECT o.car_sale_order_id, SUM(%(revenue)s) AS revenue
              FROM %(lines)s
             WHERE %(lines_where)s AND o.jingpin_channel = 'new_car' AND o.car_sale_order_id IS NOT NULL
             GROUP BY o.car_sale_order_id
        )
        SELECT car.company_id, %(month)s, COUNT(*), SUM(COALESCE(a.revenue, 0)), AVG(COALESCE(a.revenue, 0))
          FROM sale_order car
          JOIN delivered d ON d.order_id = car.id
          LEFT JOIN accessories a ON a.car_sale_order_id = car.id
         WHERE %(car_sale)s AND car.company_id = ANY(%(companies)s)
         GROUP BY 1, 2 ORDER BY 1, 2
        """,
        delivered=DELIVERED,
        revenue=fig.in_company_currency(fig.REVENUE),
        lines=fig.ACCESSORY_LINES,
        lines_where=fig.ACCESSORY_LINES_WHERE,
        month=month_of(SQL("d.date")),
        car_sale=CAR_SALE,
        companies=companies,
    )


def sql_daily(companies, day, now):
    """(d) the daily report's figures of every dealership for one day."""
    fig = figures()
    return SQL(
        """
WITH bounds AS (
    SELECT c.id AS company_id,
           (%(day)s::date)::timestamp AT TIME ZONE %(tz)s AT TIME ZONE 'UTC' AS day_start,
           (%(day)s::date + 1)::timestamp AT TIME ZONE %(tz)s AT TIME ZONE 'UTC' AS day_end,
           date_trunc('month', %(day)s::date)::timestamp AT TIME ZONE %(tz)s AT TIME ZONE 'UTC' AS month_start
      FROM res_company c WHERE c.id = ANY(%(companies)s)
), sales AS (
    SELECT o.company_id,
           SUM(%(revenue)s) AS revenue_month, SUM(%(gift_cost)s) AS gift_month,
           SUM(CASE WHEN o.date_order >= b.day_start THEN %(revenue)s ELSE 0 END) AS revenue_day,
           SUM(CASE WHEN o.date_order >= b.day_start THEN %(gift_cost)s ELSE 0 END) AS gift_day
      FROM %(lines)s JOIN bounds b ON b.company_id = o.company_id
     WHERE %(lines_where)s AND o.date_order >= b.month_start AND o.date_order < b.day_end
     GROUP BY 1
), work AS (
    SELECT t.company_id,
           COUNT(*) FILTER (WHERE t.work_state = 'handed_over' AND t.date_end >= b.day_start
                                  AND t.date_end < b.day_end) AS done,
           COUNT(*) FILTER (WHERE t.work_state IN ('dispatched', 'in_progress', 'inspection', 'ready')) AS open,
           COUNT(*) FILTER (WHERE t.work_state IN ('dispatched', 'in_progress', 'inspection', 'ready')
                                  AND t.promised_datetime IS NOT NULL
                                  AND (t.promised_datetime < %(now)s OR CASE
               WHEN t.work_state = 'in_progress' AND t.date_started IS NOT NULL
               THEN GREATEST(t.date_started + t.planned_minutes * interval '1 minute', %(now)s + remaining)
               WHEN t.work_state = 'dispatched' AND t.planned_start IS NOT NULL
               THEN GREATEST(t.planned_end, %(now)s + remaining) END > t.promised_datetime)) AS late
      FROM project_task t
      JOIN bounds b ON b.company_id = t.company_id
      CROSS JOIN LATERAL (SELECT GREATEST(COALESCE(t.planned_minutes, 0)
                                          - round(COALESCE(t.effective_hours, 0) * 60), 0)
                                 * interval '1 minute' AS remaining) r
     WHERE t.is_work_order AND t.active
       AND (t.work_state IN ('dispatched', 'in_progress', 'inspection', 'ready')
            OR t.work_state = 'handed_over' AND t.date_end >= b.day_start AND t.date_end < b.day_end)
     GROUP BY 1
)
SELECT b.company_id,
       COALESCE(s.revenue_day, 0), COALESCE(s.revenue_month, 0), COALESCE(plan.amount, 0),
       COALESCE(s.gift_day, 0), COALESCE(s.gift_month, 0),
       (SELECT COUNT(*) FROM sale_order o WHERE o.company_id = b.company_id
           AND o.jingpin_approval_state IN ('to_approve', 'to_approve_gm')),
       COALESCE(w.done, 0), COALESCE(w.late, 0), COALESCE(w.open, 0),
       (SELECT COUNT(*) FROM (SELECT DISTINCT ON (vehicle_id) action FROM jingpin_key_log k
                               WHERE k.company_id = b.company_id ORDER BY vehicle_id, id DESC) last
         WHERE action = 'check_out'),
       (SELECT COUNT(*) FROM jingpin_due_bill d WHERE d.company_id = b.company_id AND d.state IN ('draft', 'signed'))
  FROM bounds b
  LEFT JOIN sales s ON s.company_id = b.company_id
  LEFT JOIN work w ON w.company_id = b.company_id
  LEFT JOIN LATERAL (SELECT SUM(pl.amount) AS amount FROM jingpin_sales_plan_line pl
                       JOIN jingpin_sales_plan p ON p.id = pl.plan_id
                      WHERE p.company_id = b.company_id AND p.state = 'approved'
                        AND p.year = EXTRACT(YEAR FROM %(day)s::date)
                        AND pl.month = EXTRACT(MONTH FROM %(day)s::date)::text
                    ) plan ON TRUE
 ORDER BY 1
""",
        day=day,
        tz=TZ,
        now=now,
        companies=companies,
        revenue=fig.in_company_currency(fig.REVENUE),
        gift_cost=fig.in_company_currency(fig.GIFT_COST),
        lines=fig.ACCESSORY_LINES,
        lines_where=fig.ACCESSORY_LINES_WHERE,
    )


def sql_daily_by_month(companies, **_params):
    """(e) revenue and gross by dealership and month, over the daily figures' rows."""
    return SQL(
        """SELECT f.company_id, to_char(f.day, 'YYYY-MM'), SUM(f.revenue), SUM(f.revenue - f.cost - f.rebate)
             FROM jingpin_figure_daily f
            WHERE f.company_id = ANY(%s)
            GROUP BY 1, 2 HAVING SUM(f.revenue) != 0 OR SUM(f.cost) != 0 ORDER BY 1, 2""",
        companies,
    )


def sql_daily_ranking(companies, **_params):
    """(f) the dealerships' 精品渗透率, 精品毛利/台 and 单产, over the daily figures' rows."""
    return SQL(
        """SELECT f.company_id, SUM(f.car_count),
                  COALESCE(100.0 * SUM(f.equipped_count) / NULLIF(SUM(f.car_count), 0), 0),
                  COALESCE(SUM(f.car_revenue - f.car_cost - f.car_rebate) / NULLIF(SUM(f.car_count), 0), 0),
                  COALESCE(SUM(f.car_revenue) / NULLIF(SUM(f.car_count), 0), 0)
             FROM jingpin_figure_daily f
            WHERE f.company_id = ANY(%s)
            GROUP BY 1 ORDER BY 1""",
        companies,
    )


def sql_lines_ranking(companies, **_params):
    """(f) the same figures from the documents: the delivered cars and every accessory line sold with them."""
    fig = figures()
    return SQL(
        """
        WITH delivered AS (%(delivered)s), accessories AS (
            SELECT o.car_sale_order_id, BOOL_OR(NOT COALESCE(l.is_gift, FALSE)) AS equipped,
                   SUM(%(revenue)s) AS revenue, SUM(%(gross)s) AS gross
              FROM %(lines)s
             WHERE %(lines_where)s AND o.jingpin_channel = 'new_car' AND o.car_sale_order_id IS NOT NULL
             GROUP BY o.car_sale_order_id
        )
        SELECT car.company_id, COUNT(*), 100.0 * COUNT(*) FILTER (WHERE a.equipped) / COUNT(*),
               SUM(COALESCE(a.gross, 0)) / COUNT(*), SUM(COALESCE(a.revenue, 0)) / COUNT(*)
          FROM sale_order car
          JOIN delivered d ON d.order_id = car.id
          LEFT JOIN accessories a ON a.car_sale_order_id = car.id
         WHERE %(car_sale)s AND car.company_id = ANY(%(companies)s)
         GROUP BY 1 ORDER BY 1
        """,
        delivered=DELIVERED,
        revenue=fig.in_company_currency(fig.REVENUE),
        gross=fig.in_company_currency(fig.GROSS),
        lines=fig.ACCESSORY_LINES,
        lines_where=fig.ACCESSORY_LINES_WHERE,
        car_sale=CAR_SALE,
        companies=companies,
    )


DAILY_FIGURES = [
    "revenue_day",
    "revenue_month",
    "plan_month",
    "gift_cost_day",
    "gift_cost_month",
    "approval_count",
    "work_done_count",
    "work_late_count",
    "work_open_count",
    "keys_out_count",
    "due_bill_count",
]


def group_month(start):
    """The month (YYYY-MM) of a date group's start, which the web client gets in UTC."""
    return pytz.utc.localize(fields.Datetime.to_datetime(start)).astimezone(pytz.timezone(TZ)).strftime("%Y-%m")


def same(orm_rows, sql_rows_):
    """Equal row by row, amounts to the cent."""
    if len(orm_rows) != len(sql_rows_):
        return False
    return all(
        all(a == b if not isinstance(a, float) else abs(a - float(b or 0)) < 0.01 for a, b in zip(x, y, strict=True))
        for x, y in zip(orm_rows, sql_rows_, strict=True)
    )


def cases(env, viewer_env, companies):
    """(label, ORM function returning comparable rows, plain SQL, the per-line plain SQL of the
    same figures or None): the first plain SQL reads the rows the ORM reads."""
    Report = viewer_env["jingpin.accessory.report"]
    PerCar = viewer_env["jingpin.car.delivery.report"]
    Figures = viewer_env["jingpin.figure.analysis"]
    Daily = env["jingpin.daily.report"]
    params = {"companies": companies.ids}

    def by_month():
        groups = Report.formatted_read_group([], ["company_id", "date:month"], ["revenue:sum", "margin:sum"])
        return [
            (g["company_id"][0], group_month(g["date:month"][0]), g["revenue:sum"], g["margin:sum"])
            for g in sorted(groups, key=lambda g: (g["company_id"][0], g["date:month"][0]))
        ]

    def by_category():
        groups = Report.formatted_read_group([], ["categ_id"], ["revenue:sum", "margin:sum"])
        return [
            (g["categ_id"][0], g["revenue:sum"], g["margin:sum"])
            for g in sorted(groups, key=lambda g: g["categ_id"][0])
        ]

    def per_car():
        groups = PerCar.formatted_read_group(
            [], ["company_id", "date:month"], ["car_count:sum", "revenue:sum", "revenue_per_car:avg"]
        )
        return [
            (
                g["company_id"][0],
                group_month(g["date:month"][0]),
                g["car_count:sum"],
                g["revenue:sum"],
                g["revenue_per_car:avg"],
            )
            for g in sorted(groups, key=lambda g: (g["company_id"][0], g["date:month"][0]))
        ]

    def daily():
        figures = Daily._figures(companies, DAY)
        return [(company.id, *(figures[company][name] for name in DAILY_FIGURES)) for company in companies]

    def figures_by_month():
        groups = Figures.formatted_read_group([], ["company_id", "day:month"], ["revenue:sum", "gross:sum", "cost:sum"])
        return [
            (g["company_id"][0], g["day:month"][0][:7], g["revenue:sum"], g["gross:sum"])
            for g in sorted(groups, key=lambda g: (g["company_id"][0], g["day:month"][0]))
            if g["revenue:sum"] or g["cost:sum"]
        ]

    def ranking():
        measures = ["car_count:sum", "penetration:avg", "gross_per_car:avg", "revenue_per_car:avg"]
        groups = Figures.formatted_read_group([], ["company_id"], measures)
        return [
            (g["company_id"][0], *(g[measure] for measure in measures))
            for g in sorted(groups, key=lambda g: g["company_id"][0])
        ]

    return [
        ("(a) analysis: dealership x month", by_month, sql_by_month(**params), None),
        ("(b) analysis: category", by_category, sql_by_category(**params), None),
        ("(c) 单产: dealership x month", per_car, sql_per_car(**params), None),
        ("(d) daily report, 10 dealerships", daily, sql_daily(**params, day=DAY, now=datetime.now()), None),
        ("(e) figures: dealership x month", figures_by_month, sql_daily_by_month(**params), sql_by_month(**params)),
        ("(f) ranking: 渗透率, 毛利/台, 单产", ranking, sql_daily_ranking(**params), sql_lines_ranking(**params)),
    ]


def time_refresh(env, companies):
    """The job's run after a change of one day in one dealership (one mark), in ms."""
    Daily = env["jingpin.figure.daily"]
    env.cr.execute("INSERT INTO jingpin_figure_stale (company_id, day) VALUES (%s, %s)", [companies[:1].id, DAY])
    tic = time.perf_counter()
    Daily._refresh()
    return (time.perf_counter() - tic) * 1000


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    config.parse_config(["-c", args.config])
    registry = Registry(args.database)
    company_ids, viewer_id = ensure_data(registry)
    failed = []
    with registry.cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {"tz": TZ})
        companies = env["res.company"].browse(company_ids)
        viewer_env = env(user=viewer_id, context={"tz": TZ, "allowed_company_ids": company_ids})
        cr.execute("SELECT count(*) FROM jingpin_figure_daily")
        print(f"daily figures: {cr.fetchone()[0]:,} rows")
        print(f"ORM as the group viewer (record rules on), the daily report as superuser; median of {args.repeat}")
        results = []
        for label, orm, query, per_line in cases(env, viewer_env, companies):
            orm()  # warm the caches and the plans
            orm_ms, orm_rows = median_ms(orm, env, args.repeat)
            sql_ms, plain_rows = median_ms(lambda query=query: sql_rows(env, query), env, args.repeat)
            ratio = orm_ms / sql_ms
            same_figures = same(orm_rows, plain_rows)
            line_ms = None
            if per_line is not None:
                line_ms, line_rows = median_ms(lambda query=per_line: sql_rows(env, query), env, args.repeat)
                same_figures = same_figures and same(orm_rows, line_rows)
            check = "same figures" if same_figures else "FIGURES DIFFER"
            results.append((label, orm_ms, sql_ms, ratio, line_ms, len(orm_rows), check))
            print(
                f"\n{label}: ORM {orm_ms:.0f} ms, SQL {sql_ms:.0f} ms, ratio {ratio:.2f}, {len(orm_rows)} rows, {check}"
                + (f"; the same from the sale lines: {line_ms:.0f} ms" if line_ms is not None else "")
            )
            explain(env, orm, slowest=1 if label[1] != "d" else 3)
            if ratio > MAX_RATIO or check != "same figures":
                failed.append(label)
        refresh_ms = statistics.median(time_refresh(env, companies) for _ in range(args.repeat))
        cr.rollback()
    print(f"\n{'report':<36} {'ORM ms':>8} {'SQL ms':>8} {'ratio':>6} {'lines ms':>9} {'rows':>5}")
    for label, orm_ms, sql_ms, ratio, line_ms, rows, check in results:
        lines_ms = f"{line_ms:9.0f}" if line_ms is not None else f"{'':9}"
        print(f"{label:<36} {orm_ms:8.0f} {sql_ms:8.0f} {ratio:6.2f} {lines_ms} {rows:5d}  {check}")
    print(f"the job after a change of one dealership's day: {refresh_ms:.0f} ms")
    if failed:
        print(f"FAILED (ratio above {MAX_RATIO} or figures differ): {', '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
