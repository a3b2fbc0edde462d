import json
import re
from contextlib import contextmanager

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import file_open

from .test_figures import JingpinFiguresCommon
from .test_targets_reports import JingpinTargetsCommon

DASHBOARDS = {
    "dealership": "jingpin_accessories.spreadsheet_dashboard_dealership",
    "group": "jingpin_accessories.spreadsheet_dashboard_group",
}
# Who sees which dashboard (the general manager is a manager too).
VISIBLE = {
    "technician": set(),
    "specialist": set(),
    "consultant": set(),
    "manager": {"dealership"},
    "gm": {"dealership"},
    "viewer": {"dealership", "group"},
}
# The formulas that read a pivot: PIVOT.VALUE(id,"measure",...) and PIVOT.HEADER(id,"#field",...).
PIVOT_VALUE = re.compile(r'PIVOT\.VALUE\((\d+),"(\w+)"(?:,"#?(\w+)")?')
PIVOT_HEADER = re.compile(r'PIVOT\.HEADER\((\d+),"#(\w+)"')
# The formulas that read a list: ODOO.LIST(id,row,"field").
LIST_VALUE = re.compile(r'ODOO\.LIST\((\d+),\d+,"(\w+)"')


class JingpinSpreadsheetDashboardCommon(JingpinTargetsCommon):
    """An approved plan in each dealership, an accessory order in each, and the two dashboards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan_a = cls._approved_plan(amount=10000.0)
        cls.plan_b = cls._approved_plan(company=cls.company_b, amount=20000.0)
        cls.order_a, _work_order = cls._confirmed_order(cls.mat | cls.film)
        cls.order_b = (
            cls.env["sale.order"]
            .with_user(cls.specialist_b)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "jingpin_channel": "walk_in",
                    "order_line": [Command.create({"product_id": cls.dashcam.product_variant_id.id})],
                }
            )
        )
        cls.order_b.action_confirm()
        # the dashboards read the daily figures: the job brings them up to date
        cls.env.cr.flush()
        cls.env["jingpin.figure.daily"]._refresh()
        cls.dashboards = {key: cls.env.ref(xmlid) for key, xmlid in DASHBOARDS.items()}
        cls.both = (cls.company_a | cls.company_b).ids

    def _as(self, role, model):
        """``model`` as the role's user, with all his dealerships selected."""
        user = getattr(self, role)
        return self.env[model].with_user(user).with_context(allowed_company_ids=user.company_ids.ids)

    def _data(self, key):
        return json.loads(self.dashboards[key].spreadsheet_data)


@tagged("post_install", "-at_install")
class TestSpreadsheetDashboard(JingpinSpreadsheetDashboardCommon):
    """B6: the dashboards are Odoo spreadsheet dashboards, in the 精品 group of the Dashboards app."""

    def test_json_loads_in_odoo_format(self):
        with file_open("spreadsheet_dashboard_sale/data/files/sales_dashboard.json") as sale:
            version = json.load(sale)["version"]
        for key, dashboard in self.dashboards.items():
            with self.subTest(dashboard=key):
                data = self._data(key)
                self.assertEqual(data["version"], version, "the JSON is in the format of Odoo's own dashboards")
                self.assertEqual(
                    dashboard.dashboard_group_id,
                    self.env.ref("jingpin_accessories.spreadsheet_dashboard_group_jingpin"),
                )
                self.assertTrue(data["sheets"][0]["figures"], "the dashboard shows figures")
                filters = {f["id"] for f in data["globalFilters"]}
                for source in [*data["pivots"].values(), *self._odoo_charts(data)]:
                    self.assertLessEqual(set(source["fieldMatching"]), filters)
                # The web client gets it as Odoo serves any dashboard.
                served = json.loads(dashboard.with_user(self.viewer)._get_serialized_readonly_dashboard())
                self.assertEqual(served["translation_namespace"], "jingpin_accessories")

    @staticmethod
    def _odoo_charts(data):
        return [
            figure["data"]
            for sheet in data["sheets"]
            for figure in sheet["figures"]
            if figure["data"].get("type", "").startswith("odoo_")
        ]

    def _check_field(self, model, name, key):
        field = self.env[model]._fields.get(name.split(":")[0])
        self.assertTrue(field, f"{key}: {model} has no field {name}")
        self.assertTrue(field.store or field.column_type, f"{key}: {model}.{name} cannot be grouped")
        return field

    def test_sources_exist_and_each_viewer_may_read_them(self):
        """Every pivot, chart and formula names models, fields and measures that exist, and every
        role that sees the dashboard reads them (Odoo's own grouped read, record rules applied)."""
        for key in DASHBOARDS:
            data = self._data(key)
            pivots = data["pivots"]
            sources = [
                (
                    p["model"],
                    p["domain"],
                    [r["fieldName"] for r in p["rows"]],
                    [m["fieldName"] for m in p["measures"]],
                    p["fieldMatching"],
                )
                for p in pivots.values()
            ] + [
                (
                    c["metaData"]["resModel"],
                    c["searchParams"]["domain"],
                    c["metaData"]["groupBy"],
                    [c["metaData"]["measure"]],
                    c["fieldMatching"],
                )
                for c in self._odoo_charts(data)
            ]
            for model, domain, group_by, measures, matching in sources:
                self.assertIn(model, self.env)
                for name in group_by:
                    self._check_field(model, name, key)
                aggregates = []
                for measure in measures:
                    if measure == "__count":
                        aggregates.append("__count")
                        continue
                    field = self._check_field(model, measure, key)
                    self.assertTrue(field.aggregator, f"{key}: {model}.{measure} is no measure")
                    aggregates.append(f"{measure}:{field.aggregator}")
                for match in matching.values():
                    field = self._check_field(model, match["chain"], key)
                    self.assertEqual(field.type, match["type"], f"{key}: {model}.{match['chain']}")
                for role, keys in VISIBLE.items():
                    if key in keys:
                        with self.subTest(dashboard=key, model=model, role=role):
                            self._as(role, model).formatted_read_group(domain, group_by, aggregates)
            for sheet in data["sheets"]:
                for cell in sheet["cells"].values():
                    for pivot_id, measure, field in PIVOT_VALUE.findall(cell):
                        self.assertIn(measure, [m["fieldName"] for m in pivots[pivot_id]["measures"]], cell)
                        if field:
                            self.assertIn(field, [r["fieldName"] for r in pivots[pivot_id]["rows"]], cell)
                    for pivot_id, field in PIVOT_HEADER.findall(cell):
                        self.assertIn(field, [r["fieldName"] for r in pivots[pivot_id]["rows"]], cell)

    def test_lists_exist_and_each_viewer_may_read_them(self):
        """Every list (the freshness of the figures) names a model, fields and filters that exist,
        every formula reading it one of its columns, and every role that sees it reads it."""
        for key in DASHBOARDS:
            data = self._data(key)
            for listing in data["lists"].values():
                self.assertLessEqual(set(listing["fieldMatching"]), {f["id"] for f in data["globalFilters"]})
                for name in listing["columns"] + [order["name"] for order in listing["orderBy"]]:
                    self.assertIn(name, self.env[listing["model"]]._fields, f"{key}: {listing['model']}.{name}")
                for match in listing["fieldMatching"].values():
                    self._check_field(listing["model"], match["chain"], key)
                for role in (role for role, keys in VISIBLE.items() if key in keys):
                    with self.subTest(dashboard=key, list=listing["model"], role=role):
                        self._as(role, listing["model"]).web_search_read(
                            listing["domain"], {name: {} for name in listing["columns"]}
                        )
            for sheet in data["sheets"]:
                for cell in sheet["cells"].values():
                    for list_id, field in LIST_VALUE.findall(cell):
                        self.assertIn(field, data["lists"][list_id]["columns"], cell)

    def test_filter_labels_in_the_readers_language(self):
        """The facet of an active filter shows its label as served: in Chinese for a Chinese reader."""
        self.env["res.lang"]._activate_lang("zh_CN")

        def labels(lang):
            dashboard = self.dashboards["group"].with_user(self.viewer).with_context(lang=lang)
            served = json.loads(dashboard._get_serialized_readonly_dashboard())
            return [global_filter["label"] for global_filter in served["snapshot"]["globalFilters"]]

        self.assertEqual(labels("zh_CN"), ["月份", "趋势期间", "门店"])
        self.assertEqual(labels("en_US"), ["Month", "Trend Period", "Dealership"])

    def test_dashboards_per_role(self):
        ours = self.env["spreadsheet.dashboard"].browse([d.id for d in self.dashboards.values()])
        for role, keys in VISIBLE.items():
            with self.subTest(role=role):
                seen = self._as(role, "spreadsheet.dashboard").search([("id", "in", ours.ids)])
                expected = self.env["spreadsheet.dashboard"].union(*(self.dashboards[key] for key in keys))
                self.assertEqual(seen, expected)
        # The menus of 精品 › Reporting follow the same roles.
        menus = self.env["ir.ui.menu"]
        dealership_menu = self.env.ref("jingpin_accessories.menu_jingpin_dealership_dashboard")
        group_menu = self.env.ref("jingpin_accessories.menu_jingpin_group_dashboard")
        for role, keys in VISIBLE.items():
            with self.subTest(menu_role=role):
                visible = menus.with_user(getattr(self, role))._visible_menu_ids()
                self.assertEqual(dealership_menu.id in visible, "dealership" in keys)
                self.assertEqual(group_menu.id in visible, "group" in keys)


@tagged("post_install", "-at_install")
class TestPlanAchievementReport(JingpinSpreadsheetDashboardCommon):
    """The figures behind the dashboards: revenue and approved plan per dealership and month."""

    def _figures(self, role, company_ids=None):
        Report = self._as(role, "jingpin.plan.achievement.report")
        if company_ids:
            Report = Report.with_context(allowed_company_ids=company_ids)
        month = self._local_month(self.order_a)
        return {
            company: (revenue, plan)
            for company, revenue, plan in Report._read_group(
                [("date", "=", month)], ["company_id"], ["revenue:sum", "plan_amount:sum"]
            )
        }

    def test_revenue_and_plan_per_dealership(self):
        month = self._local_month(self.order_a)
        figures = self._figures("viewer")
        self.assertEqual(set(figures), {self.company_a, self.company_b}, "the group sees every dealership")
        self.assertAlmostEqual(figures[self.company_a][0], self._revenue(self.order_a))
        self.assertAlmostEqual(figures[self.company_b][0], self._revenue(self.order_b))
        self.assertAlmostEqual(figures[self.company_a][1], 10000.0 + month.month)
        self.assertAlmostEqual(figures[self.company_b][1], 20000.0 + month.month)
        # The plan's own achievement counts the same revenue.
        self.assertAlmostEqual(
            sum(
                r.revenue
                for r in self._as("viewer", "jingpin.plan.achievement.report").search(
                    [("company_id", "=", self.company_a.id)]
                )
            ),
            self.plan_a.achieved_confirmed,
        )

    def test_each_dealership_sees_itself(self):
        self.assertEqual(set(self._figures("manager")), {self.company_a})
        self.assertEqual(set(self._figures("gm")), {self.company_a})
        self.assertEqual(set(self._figures("viewer", self.company_b.ids)), {self.company_b})
        with self.assertRaises(AccessError):  # no money for technicians
            self._figures("technician")

    def test_only_approved_plans_count(self):
        draft = self._plan(year=self.year + 1)
        self.assertFalse(
            self._as("manager", "jingpin.plan.achievement.report").search(
                [("date", ">=", f"{draft.year}-01-01"), ("plan_amount", ">", 0)]
            )
        )


@tagged("post_install", "-at_install")
class TestSpreadsheetDashboardTour(HttpCase, JingpinSpreadsheetDashboardCommon):
    """The dealer group opens its dashboard in the web client and the figures render."""

    def test_group_dashboard_renders(self):
        self.start_tour(
            "/odoo/accessory-group-dashboard",
            "jingpin_group_dashboard_tour",
            login="jp_group",
            cookies={"cids": "-".join(map(str, self.both))},
        )


@tagged("post_install", "-at_install")
class TestDashboardFigures(JingpinFiguresCommon):
    """Issue 23: the dashboards read the daily figures; what they show equals an independent
    count of the documents, and reading them costs the same whatever the number of lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a car delivered in dealership B with an accessory sold: B ranks first on penetration
        cls.car_b = (
            cls.env["sale.order"]
            .with_company(cls.company_b)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.company_b.id,
                    "vehicle_id": cls.env["jingpin.vehicle"]
                    .with_company(cls.company_b)
                    .create({"vin": "LVGBE40K8GP000009", "model_id": cls.camry.id, "partner_id": cls.customer.id})
                    .id,
                    "order_line": [Command.create({"product_id": cls.car_product.id})],
                }
            )
        )
        cls.car_b.action_confirm()
        cls.new_car_b = (
            cls.env["sale.order"]
            .with_user(cls.specialist_b)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "jingpin_channel": "new_car",
                    "car_sale_order_id": cls.car_b.id,
                    "order_line": [Command.create({"product_id": cls.perfume.product_variant_id.id})],
                }
            )
        )
        cls.new_car_b.action_confirm()
        cls._deliver(cls.car_b)
        cls.dashboards = {key: cls.env.ref(xmlid) for key, xmlid in DASHBOARDS.items()}
        cls.group = cls.dashboards["group"]

    def _pivots(self, data, user, companies):
        """Each pivot of a dashboard (its ``data``) as the spreadsheet reads it (one grouped read of its rows
        and measures, with the fields' aggregators), sorted as its ``sortedColumn`` says:
        {pivot id: [(row value, {measure: value})]}."""
        result = {}
        for pivot_id, pivot in data["pivots"].items():
            Model = self.env[pivot["model"]].with_user(user).with_context(allowed_company_ids=companies.ids)
            measures = [m["fieldName"] for m in pivot["measures"]]
            specs = [m if m == "__count" else f"{m}:{Model._fields[m].aggregator}" for m in measures]
            rows = [r["fieldName"] for r in pivot["rows"]]
            groups = Model.formatted_read_group(pivot["domain"], rows, specs)
            values = [
                (
                    group[rows[0]][0] if rows and group[rows[0]] else None,
                    dict(zip(measures, map(group.get, specs), strict=True)),
                )
                for group in groups
            ]
            if sort := pivot.get("sortedColumn"):
                values.sort(key=lambda row, m=sort["measure"]: row[1][m], reverse=sort["order"] == "desc")
            result[pivot_id] = values
        return result

    def _independent_per_car(self):
        """{company id: (penetration, gross per car, revenue per car)} of the delivered new cars,
        in the company's currency, straight from the documents."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            WITH cars AS (
                SELECT DISTINCT car.id, car.company_id
                  FROM sale_order car
                  JOIN sale_order_line sl ON sl.order_id = car.id
                  JOIN stock_move m ON m.sale_line_id = sl.id AND m.state = 'done'
                  JOIN stock_location dest ON dest.id = m.location_dest_id AND dest.usage = 'customer'
                 WHERE car.state = 'sale' AND car.jingpin_channel IS NULL AND car.vehicle_id IS NOT NULL
            ), accessories AS (
                SELECT o.car_sale_order_id AS car_id,
                       BOOL_OR(NOT COALESCE(l.is_gift, FALSE)) AS equipped,
                       SUM(CASE WHEN l.is_gift THEN 0 ELSE l.price_subtotal END / o.currency_rate) AS revenue,
                       SUM(l.purchase_price * l.product_uom_qty / o.currency_rate) AS cost
                  FROM sale_order o JOIN sale_order_line l ON l.order_id = o.id
                 WHERE o.state = 'sale' AND o.jingpin_channel = 'new_car' AND l.display_type IS NULL
                 GROUP BY o.car_sale_order_id
            )
            SELECT cars.company_id, COUNT(*), COUNT(*) FILTER (WHERE a.equipped),
                   COALESCE(SUM(a.revenue), 0), COALESCE(SUM(a.cost), 0)
              FROM cars LEFT JOIN accessories a ON a.car_id = cars.id
             GROUP BY cars.company_id
            """
        )
        return {
            company_id: (100.0 * equipped / cars, (revenue - cost) / cars, revenue / cars)
            for company_id, cars, equipped, revenue, cost in self.env.cr.fetchall()
        }

    def test_group_dashboard_equals_documents(self):
        self._refresh()
        companies = self.company_a | self.company_b
        data = json.loads(self.group.spreadsheet_data)
        pivots = self._pivots(data, self.viewer, companies)
        rate = self.env["res.currency"]._get_conversion_rate(
            self.company_b.currency_id, self.company_a.currency_id, self.company_a, fields.Date.today()
        )
        expected = self._independent_per_car()
        self.assertEqual(set(expected), set(companies.ids), "both dealerships delivered cars")
        # the dealerships ranked: B (its only car equipped) before A (one car of two)
        ranking = pivots["5"]
        self.assertEqual([company for company, _values in ranking], [self.company_b.id, self.company_a.id])
        for company_id, values in ranking:
            factor = rate if company_id == self.company_b.id else 1.0
            penetration, gross, revenue = expected[company_id]
            self.assertAlmostEqual(values["penetration"], penetration, places=2)
            self.assertAlmostEqual(values["gross_per_car"], gross * factor, places=2)
            self.assertAlmostEqual(values["revenue_per_car"], revenue * factor, places=2)
        self.assertEqual(ranking[1][1]["penetration"], 50.0)
        # the consultants: the one who sold dealership A's cars, and B's (the creator of its car sale)
        consultants = dict(pivots["8"])
        self.assertAlmostEqual(consultants[self.consultant.id]["penetration"], expected[self.company_a.id][0])
        self.assertAlmostEqual(consultants[self.consultant.id]["revenue_per_car"], expected[self.company_a.id][2])
        # the group's scorecards: every car of the group
        [(_none, totals)] = pivots["3"]
        self.assertEqual(totals["car_count"], 3)
        self.assertAlmostEqual(totals["penetration"], 200.0 / 3)
        # the freshness: when each dealership's figures were refreshed, as the list reads it
        [listing] = data["lists"].values()
        rows = (
            self.env[listing["model"]]
            .with_user(self.viewer)
            .with_context(allowed_company_ids=companies.ids)
            .web_search_read(listing["domain"], {name: {} for name in listing["columns"]})["records"]
        )
        self.assertEqual({row["id"] for row in rows}, set(companies.ids))
        for row in rows:
            refreshed = self.env["res.company"].browse(row["id"]).jingpin_figures_refreshed_at
            self.assertTrue(refreshed)
            self.assertEqual(row["jingpin_figures_refreshed_at"], refreshed)

    def test_reading_costs_the_same_whatever_the_lines(self):
        """The dashboards' reads make as many queries with 10 as with 200 more order lines, and
        none of them reads a sale line."""
        companies = self.company_a | self.company_b
        dashboards = [json.loads(dashboard.spreadsheet_data) for dashboard in self.dashboards.values()]
        counts = []
        for lines in (10, 200):
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "jingpin_channel": "new_car",
                    "car_sale_order_id": self.equipped_sale.id,
                    "order_line": [
                        Command.create({"product_id": self.perfume.product_variant_id.id}) for _index in range(lines)
                    ],
                }
            )
            order.action_confirm()
            self._refresh()
            for data in dashboards:
                self._pivots(data, self.viewer, companies)  # fill the caches (access rules, fields)
            queries = []
            with contextmanager(self._patchExecute)(queries):
                for data in dashboards:
                    self._pivots(data, self.viewer, companies)
            counts.append(len(queries))
            self.assertFalse([query for query in queries if "sale_order_line" in query], "no sale line is read")
        self.assertEqual(counts[0], counts[1])
