from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_targets_reports import JingpinTargetsCommon

MEASURES = ["revenue:sum", "cost:sum", "gift_cost:sum", "rebate:sum", "gross:sum"]
CAR_MEASURES = ["car_count:sum", "equipped_count:sum", "car_revenue:sum", "car_gross:sum"]


class JingpinFiguresCommon(JingpinTargetsCommon):
    """Two new cars delivered (one with accessories sold and given, one with a gift only), one sold
    but not delivered, an after-sales order, a referral with a rebate and a gift, and an order in
    the other dealership, whose currency is not the group's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.perfume = cls.env["product.template"].create(
            cls._accessory_vals("Car Perfume", cls.categ_cam, 200.0, 80.0, 0, jingpin_source="dealer")
        )
        cls.film.jingpin_source = "group"
        cls.car_product = cls.env["product.product"].create(
            {"name": "Camry 2.5G", "type": "consu", "list_price": 180000}
        )
        cls.other_currency = cls.env["res.currency"].search(
            [("id", "!=", cls.company_a.currency_id.id), ("active", "in", (True, False))], limit=1
        )
        cls.other_currency.active = True
        cls.env["res.currency.rate"].create(
            {"currency_id": cls.other_currency.id, "rate": 4.0, "name": "2000-01-01", "company_id": cls.company_a.id}
        )
        cls.company_b.currency_id = cls.other_currency
        cls.after_sales, _work_order = cls._confirmed_order(cls.mat | cls.film)
        cls.referral = cls._order(
            "referral",
            [(cls.perfume, 3, False), (cls.dashcam, 1, True)],
            rebate_partner_id=cls.customer.id,
            rebate_amount=100.0,
        )
        cls.equipped_sale = cls._car_sale("LVGBE40K8GP000001", cls.camry)
        cls.new_car = cls._order(
            "new_car",
            [(cls.perfume, 2, False), (cls.dashcam, 1, True)],
            car_sale_order_id=cls.equipped_sale.id,
            user_id=cls.consultant.id,
        )
        cls.gift_only_sale = cls._car_sale("LVGBE40K8GP000002", cls.rav4)
        cls.gift_only = cls._order(
            "new_car",
            [(cls.dashcam, 1, True)],
            car_sale_order_id=cls.gift_only_sale.id,
            user_id=cls.consultant.id,
        )
        cls._deliver(cls.equipped_sale | cls.gift_only_sale)
        cls.undelivered_sale = cls._car_sale("LVGBE40K8GP000003", cls.camry)
        cls.order_b = (
            cls.env["sale.order"]
            .with_user(cls.specialist_b)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "jingpin_channel": "walk_in",
                    "order_line": [Command.create({"product_id": cls.perfume.product_variant_id.id})],
                }
            )
        )
        cls.order_b.action_confirm()
        cls.Daily = cls.env["jingpin.figure.daily"]

    @classmethod
    def _order(cls, channel, lines, **values):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "jingpin_channel": channel,
                "order_line": [
                    Command.create({"product_id": tmpl.product_variant_id.id, "product_uom_qty": qty, "is_gift": gift})
                    for tmpl, qty, gift in lines
                ],
                **values,
            }
        )
        order.action_confirm()
        return order

    @classmethod
    def _car_sale(cls, vin, model):
        vehicle = cls.env["jingpin.vehicle"].create({"vin": vin, "model_id": model.id, "partner_id": cls.customer.id})
        car_sale = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.consultant.id,
                "vehicle_id": vehicle.id,
                "order_line": [Command.create({"product_id": cls.car_product.id})],
            }
        )
        car_sale.action_confirm()
        return car_sale

    @classmethod
    def _deliver(cls, car_sales):
        for picking in car_sales.picking_ids:
            picking.move_ids.quantity = 1
            picking.button_validate()

    def _refresh(self):
        """What the job does, after the test's changes reached the database (as at a commit)."""
        self.env.cr.flush()
        self.Daily._refresh()

    def _analysis(self, user, companies, company=None):
        return (
            self.env["jingpin.figure.analysis"]
            .with_user(user)
            .with_company(company or companies[:1])
            .with_context(allowed_company_ids=companies.ids)
        )

    def _independent_sales(self):
        """{company id: (revenue, cost, gift cost, rebate)} of the confirmed accessory lines, in the
        company's currency, straight from the sale lines."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT o.company_id,
                   SUM(CASE WHEN l.is_gift THEN 0 ELSE l.price_subtotal END / COALESCE(NULLIF(o.currency_rate, 0), 1)),
                   SUM(l.purchase_price * l.product_uom_qty / COALESCE(NULLIF(o.currency_rate, 0), 1)),
                   SUM(CASE WHEN l.is_gift THEN l.purchase_price * l.product_uom_qty ELSE 0 END
                       / COALESCE(NULLIF(o.currency_rate, 0), 1))
              FROM sale_order_line l
              JOIN sale_order o ON o.id = l.order_id
              JOIN product_product pp ON pp.id = l.product_id
              JOIN product_template t ON t.id = pp.product_tmpl_id
             WHERE o.state = 'sale' AND o.jingpin_channel IS NOT NULL AND l.display_type IS NULL
               AND t.type != 'combo'
             GROUP BY o.company_id
            """
        )
        sales = {company_id: [revenue, cost, gift] for company_id, revenue, cost, gift in self.env.cr.fetchall()}
        self.env.cr.execute(
            """SELECT company_id, SUM(rebate_amount / COALESCE(NULLIF(currency_rate, 0), 1)) FROM sale_order
                WHERE state = 'sale' AND jingpin_channel IS NOT NULL GROUP BY company_id"""
        )
        for company_id, rebate in self.env.cr.fetchall():
            sales.setdefault(company_id, [0.0, 0.0, 0.0]).append(rebate or 0.0)
        return {company_id: tuple(values) for company_id, values in sales.items()}

    def _independent_cars(self):
        """(cars delivered, cars with an accessory sold, their accessories' revenue) in dealership A."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            WITH cars AS (
                SELECT DISTINCT car.id
                  FROM sale_order car
                  JOIN sale_order_line sl ON sl.order_id = car.id
                  JOIN stock_move m ON m.sale_line_id = sl.id AND m.state = 'done'
                  JOIN stock_location dest ON dest.id = m.location_dest_id AND dest.usage = 'customer'
                 WHERE car.state = 'sale' AND car.jingpin_channel IS NULL AND car.vehicle_id IS NOT NULL
                   AND car.company_id = %(company)s
            )
            SELECT (SELECT COUNT(*) FROM cars),
                   (SELECT COUNT(DISTINCT o.car_sale_order_id)
                      FROM sale_order o JOIN sale_order_line l ON l.order_id = o.id
                     WHERE o.car_sale_order_id IN (SELECT id FROM cars) AND o.state = 'sale'
                       AND o.jingpin_channel = 'new_car' AND NOT COALESCE(l.is_gift, FALSE)
                       AND l.display_type IS NULL),
                   (SELECT COALESCE(SUM(l.price_subtotal), 0)
                      FROM sale_order o JOIN sale_order_line l ON l.order_id = o.id
                     WHERE o.car_sale_order_id IN (SELECT id FROM cars) AND o.state = 'sale'
                       AND o.jingpin_channel = 'new_car' AND NOT COALESCE(l.is_gift, FALSE))
            """,
            {"company": self.company_a.id},
        )
        return self.env.cr.fetchone()

    def _assert_figures_equal_documents(self):
        self._refresh()
        Analysis = self._analysis(self.viewer, self.company_a | self.company_b)
        rate = Analysis.env["res.currency"]._get_conversion_rate(
            self.company_b.currency_id, self.company_a.currency_id, self.company_a, fields.Date.today()
        )
        sums = {company.id: values for company, *values in Analysis._read_group([], ["company_id"], MEASURES)}
        for company_id, (revenue, cost, gift_cost, rebate) in self._independent_sales().items():
            factor = rate if company_id == self.company_b.id else 1.0
            expected = [revenue, cost, gift_cost, rebate, revenue - cost - rebate]
            for got, want in zip(sums[company_id], expected, strict=True):
                self.assertAlmostEqual(got, want * factor, places=2)
        cars, equipped, car_revenue = self._independent_cars()
        [(got_cars, got_equipped, got_revenue, _gross)] = Analysis._read_group(
            [("company_id", "=", self.company_a.id)], [], CAR_MEASURES
        )
        self.assertEqual((got_cars, got_equipped), (cars, equipped))
        self.assertAlmostEqual(got_revenue, car_revenue, places=2)


@tagged("post_install", "-at_install")
class TestFigures(JingpinFiguresCommon):
    """Issue 23: each figure equals an independent count of the documents, after every change."""

    def test_figures_equal_documents(self):
        self._assert_figures_equal_documents()
        self.assertEqual(self._independent_cars()[:2], (2, 1), "two cars delivered, one with accessories sold")
        Analysis = self._analysis(self.manager, self.company_a)
        [(penetration_cars, equipped, revenue, gross)] = Analysis._read_group([], [], CAR_MEASURES)
        sold = self.new_car.order_line.filtered(lambda line: not line.is_gift)
        self.assertAlmostEqual(revenue, sum(sold.mapped("price_subtotal")))
        self.assertAlmostEqual(
            gross,
            revenue
            - sum(line.purchase_price * line.product_uom_qty for line in self.new_car.order_line)
            - sum(line.purchase_price * line.product_uom_qty for line in self.gift_only.order_line),
            msg="gross per car counts the gifts at cost",
        )
        by_model = {model: values for model, *values in Analysis._read_group([], ["vehicle_model_id"], CAR_MEASURES)}
        self.assertEqual(by_model[self.camry][:2], [1, 1])
        self.assertEqual(by_model[self.rav4][:2], [1, 0], "a car with a gift only is not equipped")
        [row] = Analysis.search([("vehicle_model_id", "=", self.rav4.id), ("car_count", "=", 1)])
        self.assertEqual((row.penetration, row.revenue_per_car), (0.0, 0.0))
        by_consultant = dict(Analysis._read_group([("car_count", ">", 0)], ["user_id"], ["car_count:sum"]))
        self.assertEqual(by_consultant, {self.consultant: 2})
        by_source = dict(Analysis._read_group([], ["source"], ["revenue:sum"]))
        self.assertAlmostEqual(
            by_source["dealer"],
            sum(
                (self.referral | self.new_car)
                .order_line.filtered(lambda line: not line.is_gift)
                .mapped("price_subtotal")
            ),
        )
        self.assertAlmostEqual(
            by_source["group"],
            self.after_sales.order_line.filtered(
                lambda line: line.product_id.product_tmpl_id == self.film
            ).price_subtotal,
        )

    def test_changes_are_counted_once_refreshed(self):
        self._refresh()
        refreshed = self.company_a.jingpin_figures_refreshed_at
        self.assertTrue(refreshed, "the freshness is shown")
        # a line sold on a confirmed order changes (a return of one unit), an order is cancelled,
        # a gift becomes a sale, a car is delivered, a product changes source
        self.new_car.order_line.filtered(lambda line: not line.is_gift).product_uom_qty = 1
        self.referral.with_user(self.manager)._action_cancel()
        self.gift_only.order_line.is_gift = False
        self._deliver(self.undelivered_sale)
        self.perfume.jingpin_source = "oem"
        self.env.cr.flush()
        self.assertTrue(self.env["jingpin.figure.stale"].search_count([]), "the changed days are marked")
        self._assert_figures_equal_documents()
        self.assertFalse(self.env["jingpin.figure.stale"].search_count([]), "the job consumed the marks")
        self.assertEqual(self._independent_cars()[:2], (3, 2))
        Analysis = self._analysis(self.manager, self.company_a)
        self.assertFalse(Analysis.search_count([("source", "=", "dealer")]), "the new source is counted")

    def test_order_moved_to_another_day(self):
        self._refresh()
        self.after_sales._jingpin_server().date_order = fields.Datetime.subtract(self.after_sales.date_order, days=40)
        self._assert_figures_equal_documents()
        day = self.Daily.search([("company_id", "=", self.company_a.id)], order="day", limit=1).day
        self.assertLess(day, fields.Date.today(), "the order counts on its new day only")

    def test_time_zone_change_moves_days(self):
        """A dealership's days are those of its time zone: changing it moves its figures to the
        days of the new one once the job ran (an order at 18:00 UTC is the next day in Shanghai)."""
        self.after_sales._jingpin_server().date_order = fields.Datetime.to_datetime("2026-03-10 18:00:00")
        self._refresh()

        def march_days():
            rows = self.Daily.search([("company_id", "=", self.company_a.id), ("revenue", "!=", 0)])
            return set(rows.filtered(lambda row: row.day.month == 3).mapped("day"))

        self.assertEqual(march_days(), {fields.Date.to_date("2026-03-11")})
        self.company_a.partner_id.tz = "America/New_York"
        self.env.cr.flush()
        self.assertTrue(self.env["jingpin.figure.stale"].search_count([("company_id", "=", self.company_a.id)]))
        self.assertFalse(
            self.env["jingpin.figure.stale"].search_count([("company_id", "=", self.company_b.id)]),
            "the other dealership's days stay",
        )
        self._assert_figures_equal_documents()
        self.assertEqual(march_days(), {fields.Date.to_date("2026-03-10")}, "the day in New York")
        self.assertEqual(
            self.Daily.search_count([("company_id", "=", self.company_a.id), ("day", "=", "2026-03-11")]),
            0,
            "no row is left on the day of the old time zone",
        )


@tagged("post_install", "-at_install")
class TestFiguresAccess(JingpinFiguresCommon):
    """Each dealership sees its own figures, the group all; nobody but the server writes them."""

    def test_record_rules(self):
        self._refresh()
        own = self._analysis(self.specialist_b, self.company_b)
        self.assertEqual(own.search([]).company_id, self.company_b)
        self.assertEqual(self.Daily.with_user(self.specialist_b).search([]).company_id, self.company_b)
        with self.assertRaises(AccessError):
            self._analysis(self.specialist, self.company_a | self.company_b).search([])
        group = self._analysis(self.viewer, self.company_a | self.company_b)
        self.assertEqual(group.search([]).company_id, self.company_a | self.company_b)
        for user in (self.technician, self.consultant):
            with self.assertRaises(AccessError):
                self._analysis(user, self.company_a).search([])
        for user in (self.viewer, self.manager):
            with self.assertRaises(AccessError):
                self.Daily.with_user(user).create({"company_id": self.company_a.id, "day": fields.Date.today()})
            with self.assertRaises(AccessError):
                self.Daily.with_user(user).search([], limit=1).write({"revenue": 1.0})
            with self.assertRaises(AccessError):
                self.env["jingpin.figure.stale"].with_user(user).search([])

    def test_group_currency(self):
        self._refresh()
        revenue_b = self._independent_sales()[self.company_b.id][0]
        group = self._analysis(self.viewer, self.company_a | self.company_b)
        converted = dict(group._read_group([("company_id", "=", self.company_b.id)], ["company_id"], ["revenue:sum"]))
        self.assertAlmostEqual(converted[self.company_b], revenue_b / 4.0, places=2, msg="in the group's currency")
        self.assertEqual(group.search([], limit=1).currency_id, self.company_a.currency_id)
        own = self._analysis(self.specialist_b, self.company_b)
        [(revenue,)] = own._read_group([], [], ["revenue:sum"])
        self.assertAlmostEqual(revenue, revenue_b, places=2, msg="a dealership reads its own currency")


@tagged("post_install", "-at_install")
class TestFiguresQueryCount(JingpinFiguresCommon):
    """The dashboard's read costs the same whatever the number of orders behind it."""

    def _read_dashboard(self):
        group = self._analysis(self.viewer, self.company_a | self.company_b)
        group._read_group([], ["company_id"], MEASURES + CAR_MEASURES)
        group._read_group([], ["user_id"], CAR_MEASURES)
        group._read_group([], ["source"], ["revenue:sum"])

    def test_dashboard_read_bounded(self):
        counts = []
        for number in (10, 100):
            orders = self.env["sale.order"].create(
                [
                    {
                        "partner_id": self.customer.id,
                        "jingpin_channel": "walk_in",
                        "order_line": [Command.create({"product_id": self.perfume.product_variant_id.id})],
                    }
                    for _index in range(number - len(counts) * 10)
                ]
            )
            orders.action_confirm()
            self._refresh()
            self._read_dashboard()  # warm the caches (access rules, fields)
            self.env.invalidate_all()
            # the currency table of two currencies (as sale.report), then one query per grouping
            with self.assertQueryCount(15):
                self._read_dashboard()
            counts.append(number)
