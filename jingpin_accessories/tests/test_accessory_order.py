from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import JingpinCommon


@tagged("post_install", "-at_install")
class TestAccessoryOrder(JingpinCommon):
    """Order entry (入单) by every selling role, the vehicle fit (B15), gifts (赠送, B4) and rebates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._receive_stock(cls.mat | cls.film | cls.dashcam, 10)
        cls.camry_car, cls.rav4_car = cls.env["jingpin.vehicle"].create(
            [
                {"vin": "LVGBE40K8GP200001", "model_id": cls.camry.id, "partner_id": cls.customer.id},
                {"vin": "LVGBE40K8GP200002", "model_id": cls.rav4.id, "partner_id": cls.customer.id},
            ]
        )
        cls.car_product = cls.env["product.product"].create(
            {
                "name": "Camry 2.0G",
                "type": "consu",
                "list_price": 179800.0,
                "standard_price": 165000.0,
            }
        )
        cls.car_sale = (
            cls.env["sale.order"]
            .with_user(cls.consultant)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "order_line": [Command.create({"product_id": cls.car_product.id})],
                }
            )
        )

    def _order(self, user=None, channel="new_car", vehicle=None, lines=None, **values):
        return (
            self.env["sale.order"]
            .with_user(user or self.specialist)
            .create(
                {
                    "partner_id": self.customer.id,
                    "jingpin_channel": channel,
                    "vehicle_id": (vehicle or self.camry_car).id,
                    "order_line": [
                        Command.create(line) for line in lines or [{"product_id": self.film.product_variant_id.id}]
                    ],
                    **values,
                }
            )
        )

    def test_every_selling_role_enters_orders(self):
        for user in (self.specialist, self.consultant, self.manager):
            order = self._order(user=user)
            self.assertEqual(order.user_id, user)
        self.assertEqual(
            self._order(user=self.specialist).specialist_id,
            self.specialist,
            "the specialist who enters an order is credited with it",
        )
        self.assertFalse(self._order(user=self.consultant).specialist_id)
        with self.assertRaises(AccessError):
            self._order(user=self.technician)

    def test_work_order_goes_to_the_credited_specialist(self):
        order = self._order(user=self.consultant, specialist_id=self.specialist.id)
        order.action_confirm()
        self.assertEqual(order.work_order_ids.specialist_id, self.specialist)

    def test_channel_is_required_to_confirm(self):
        order = self._order(channel=False)
        with self.assertRaisesRegex(UserError, "sales channel"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        order.jingpin_channel = "walk_in"
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_accessory_for_another_model_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "do not fit.*RAV4.*Camry Floor Mats"):
            self._order(vehicle=self.rav4_car, lines=[{"product_id": self.mat.product_variant_id.id}])
        order = self._order(vehicle=self.camry_car, lines=[{"product_id": self.mat.product_variant_id.id}])
        with self.assertRaisesRegex(ValidationError, "do not fit"):
            order.vehicle_id = self.rav4_car
        # Universal accessories fit every model.
        self._order(vehicle=self.rav4_car, lines=[{"product_id": self.dashcam.product_variant_id.id}])

    def test_package_component_is_checked_for_fit(self):
        with self.assertRaisesRegex(ValidationError, "Camry Floor Mats"):
            self._order(vehicle=self.rav4_car, lines=[{"product_id": self.package.product_variant_id.id}])

    def test_rebate_belongs_to_referral_and_external_orders(self):
        with self.assertRaisesRegex(ValidationError, "only referral and external-business"):
            self._order(channel="walk_in", rebate_amount=300.0, rebate_partner_id=self.customer.id)
        with self.assertRaisesRegex(ValidationError, "who receives it"):
            self._order(channel="referral", rebate_amount=300.0)
        order = self._order(channel="referral", rebate_amount=300.0, rebate_partner_id=self.customer.id)
        self.assertEqual(order.jingpin_concession_amount, 300.0)

    def test_gift_is_free_and_counted_apart(self):
        order = self._order(
            user=self.consultant,
            car_sale_order_id=self.car_sale.id,
            lines=[
                {"product_id": self.film.product_variant_id.id},
                {"product_id": self.mat.product_variant_id.id, "is_gift": True},
            ],
        )
        gift = order.order_line.filtered("is_gift")
        self.assertEqual(gift.price_unit, 0.0)
        self.assertEqual(gift.price_subtotal, 0.0)
        self.assertEqual(order.amount_untaxed, 3000.0)
        self.assertEqual(order.jingpin_gift_amount, 800.0, "gift value at the approved price")
        self.assertEqual(order.gift_given_by_id, self.consultant, "the car sale's consultant gives the gift")
        gift.is_gift = False
        self.assertEqual(gift.price_unit, 800.0, "a line that stops being a gift gets its price back")
        gift.is_gift = True
        self.assertEqual(gift.price_unit, 0.0)
        with self.assertRaisesRegex(ValidationError, "gift is free"):
            gift.price_unit = 100.0

    def test_ticking_gift_in_the_form_makes_the_line_free(self):
        """In the web client, ticking Gift on a priced, discounted line sets its price and discount
        to 0 at once, and the order saves."""
        self.env.ref("base.group_user").implied_ids += self.env.ref("sale.group_discount_per_so_line")
        order = self._order(
            user=self.specialist,
            lines=[{"product_id": self.mat.product_variant_id.id, "discount": 10.0}],
            car_sale_order_id=self.car_sale.id,
        )
        with Form(order.with_user(self.specialist)) as form, form.order_line.edit(0) as line:
            self.assertEqual(line.price_unit, 800.0)
            line.is_gift = True
            self.assertEqual((line.price_unit, line.discount), (0.0, 0.0))
        self.assertEqual((order.order_line.price_unit, order.order_line.discount), (0.0, 0.0))
        with Form(order.with_user(self.specialist)) as form, form.order_line.edit(0) as line:
            line.is_gift = False
            self.assertEqual(line.price_unit, 800.0, "a line that stops being a gift gets its price back")
        self.assertFalse(order.order_line.is_gift)

    def test_a_gift_stays_free_when_its_product_is_chosen(self):
        """Gift ticked first, product chosen (or changed) after: Odoo's product onchange resets the
        price, and a gift's price stays 0, so the order saves."""
        order = self._order(user=self.specialist, car_sale_order_id=self.car_sale.id)
        with Form(order.with_user(self.specialist)) as form:
            with form.order_line.new() as line:
                line.is_gift = True
                line.product_id = self.mat.product_variant_id
                self.assertEqual(line.price_unit, 0.0)
            with form.order_line.edit(1) as line:
                line.product_id = self.dashcam.product_variant_id
                self.assertEqual(line.price_unit, 0.0)
        gift = order.order_line.filtered("is_gift")
        self.assertRecordValues(gift, [{"product_id": self.dashcam.product_variant_id.id, "price_unit": 0.0}])

    def test_consultant_reads_the_gifts_charged_to_him(self):
        """The specialist sells the order; its gifts are charged to the car sale's consultant, who
        finds them under My Gifts and may read, not change, the order."""
        order = self._order(
            user=self.specialist,
            lines=[
                {"product_id": self.film.product_variant_id.id},
                {"product_id": self.mat.product_variant_id.id, "is_gift": True},
            ],
            car_sale_order_id=self.car_sale.id,
        )
        order.action_confirm()
        self.assertEqual((order.user_id, order.gift_given_by_id), (self.specialist, self.consultant))
        action = self.env["ir.actions.act_window"]._for_xml_id("jingpin_accessories.sale_order_line_action_my_gifts")
        context = safe_eval(action["context"])
        self.assertTrue(context.get("search_default_my_gifts"))
        Line = self.env["sale.order.line"].with_user(self.consultant)
        gifts = Line.search(safe_eval(action["domain"]) + [("order_id.gift_given_by_id", "=", self.consultant.id)])
        self.assertEqual(gifts, order.order_line.filtered("is_gift"))
        self.assertRecordValues(gifts, [{"product_uom_qty": 1.0, "jingpin_concession": 800.0}])
        self.assertEqual(order.with_user(self.consultant).jingpin_gift_amount, 800.0)
        with self.assertRaises(AccessError):
            order.with_user(self.consultant).write({"note": "mine"})
        with self.assertRaises(AccessError):
            gifts.write({"name": "mine"})
        other = self.env["res.users"].create(
            {
                "name": "Consultant Two",
                "login": "jp_sc2",
                "group_ids": [Command.set(self.env.ref("sales_team.group_sale_salesman").ids)],
            }
        )
        self.assertFalse(Line.with_user(other).search([("id", "in", gifts.ids)]), "not his gifts")

    def test_my_gifts_opens_on_mine_and_confirmed(self):
        """*My Gifts* opens with two filters that must both hold: in one group of a search view the
        web client joins filters with OR (the facet read “我的赠送 或 已确认订单”), which showed a specialist,
        who reads every order of his dealership, the confirmed gifts charged to everyone."""
        action = self.env.ref("jingpin_accessories.sale_order_line_action_my_gifts")
        arch = self.env["sale.order.line"].get_views([(action.search_view_id.id, "search")])["views"]["search"]["arch"]
        search = etree.fromstring(arch)
        defaults = [
            name[len("search_default_") :] for name in safe_eval(action.context) if name.startswith("search_default_")
        ]
        self.assertEqual(sorted(defaults), ["confirmed", "my_gifts"])
        groups, group = [], set()
        for node in search:
            if node.tag == "separator":
                groups.append(group)
                group = set()
            elif node.tag == "filter":
                group.add(node.get("name"))
        groups.append(group)
        self.assertFalse([group for group in groups if {"my_gifts", "confirmed"} <= group], "the two filters are ANDed")

    def test_gift_needs_someone_to_charge(self):
        order = self._order(lines=[{"product_id": self.mat.product_variant_id.id, "is_gift": True}])
        order.user_id = False
        with self.assertRaisesRegex(UserError, "who gives them"):
            order.action_confirm()

    def test_gift_is_delivered_at_cost_and_charged_to_the_car_sale(self):
        self.company_a.jingpin_manager_limit_amount = 5000.0
        order = self._order(
            user=self.consultant,
            car_sale_order_id=self.car_sale.id,
            lines=[
                {"product_id": self.dashcam.product_variant_id.id},
                {"product_id": self.mat.product_variant_id.id, "is_gift": True},
            ],
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        picking.work_order_id = order.work_order_ids
        with self.assertRaisesRegex(UserError, "No document covers"):
            picking.with_user(self.specialist).button_validate()
        # the gift leaves once the manager approved it
        self.env["jingpin.approval.wizard"].with_user(self.manager).create(
            {"order_id": order.id, "comment": "Gift for the car sale"}
        ).action_approve()
        picking.with_user(self.specialist).button_validate()
        gift_move = picking.move_ids.filtered(lambda m: m.product_id == self.mat.product_variant_id)
        self.assertEqual(gift_move.state, "done")
        self.assertAlmostEqual(gift_move.value, 400.0, msg="the gift leaves the stock valued at cost")
        self.assertEqual(self.mat.qty_available, 9)

        self.env.flush_all()
        Report = self.env["jingpin.sale.margin.report"].with_user(self.manager)
        totals = Report._read_group(
            [("order_id", "=", order.id)],
            ["car_sale_order_id", "gift_given_by_id"],
            ["revenue:sum", "cost:sum", "gift_cost:sum", "margin:sum"],
        )
        self.assertEqual(len(totals), 1)
        car_sale, consultant, revenue, cost, gift_cost, margin = totals[0]
        self.assertEqual((car_sale, consultant), (self.car_sale, self.consultant))
        self.assertAlmostEqual(revenue, 1200.0, msg="the gift brings no revenue")
        self.assertAlmostEqual(gift_cost, 400.0)
        self.assertAlmostEqual(cost, 1000.0)
        self.assertAlmostEqual(margin, 200.0)
        gifts = Report.search([("order_id", "=", order.id), ("is_gift", "=", True)])
        self.assertEqual(gifts.product_id, self.mat.product_variant_id)

    def test_rebate_reduces_the_margin(self):
        self.company_a.jingpin_manager_limit_amount = 5000.0
        order = self._order(
            channel="external",
            rebate_amount=250.0,
            rebate_partner_id=self.customer.id,
            lines=[{"product_id": self.dashcam.product_variant_id.id}],
        )
        order.action_confirm()
        self.env.flush_all()
        [(rebate, margin)] = self.env["jingpin.sale.margin.report"]._read_group(
            [("order_id", "=", order.id)], [], ["rebate:sum", "margin:sum"]
        )
        self.assertAlmostEqual(rebate, 250.0)
        self.assertAlmostEqual(margin, 1200.0 - 600.0 - 250.0)

    def test_rebate_is_shared_over_the_lines_to_the_cent(self):
        """The analysis charges each accessory its share of the order's rebate: by revenue, gifts
        none, rounded to the fen with the remainder on the line with the most revenue, so the shares
        add up."""
        self.company_a.jingpin_manager_limit_amount = 5000.0
        dashcam = self.dashcam.product_variant_id.id
        order = self._order(
            channel="external",
            rebate_amount=100.0,
            rebate_partner_id=self.customer.id,
            lines=[{"product_id": dashcam}, {"product_id": dashcam}, {"product_id": dashcam}],
        )
        self.assertEqual(order.order_line.mapped("jingpin_rebate_share"), [33.34, 33.33, 33.33])
        order.order_line[0].product_uom_qty = 2
        order.order_line = [Command.create({"product_id": self.mat.product_variant_id.id, "is_gift": True})]
        self.assertEqual(order.order_line.mapped("jingpin_rebate_share"), [50.0, 25.0, 25.0, 0.0])
        with self.assertRaises(UserError):
            order.order_line[3].with_user(self.specialist).jingpin_rebate_share = 100.0
        order.action_confirm()
        self.env.flush_all()
        rebates = dict(
            self.env["jingpin.accessory.report"]._read_group([("order_id", "=", order.id)], ["is_gift"], ["rebate:sum"])
        )
        self.assertEqual(rebates, {False: 100.0, True: 0.0})

    def test_margin_report_is_per_company(self):
        order = self._order(lines=[{"product_id": self.dashcam.product_variant_id.id}])
        order.action_confirm()
        self.env.flush_all()
        self.assertTrue(self.env["jingpin.sale.margin.report"].with_user(self.manager).search_count([]))
        self.assertFalse(self.env["jingpin.sale.margin.report"].with_user(self.specialist_b).search_count([]))
        with self.assertRaises(AccessError):
            self.env["jingpin.sale.margin.report"].with_user(self.technician).search([])
