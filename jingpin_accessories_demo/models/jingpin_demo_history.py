import base64
import io
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from unittest.mock import patch

import pytz
from freezegun import freeze_time
from PIL import Image, ImageDraw

from odoo import Command, api, fields, models

X = "jingpin_accessories."
D = "jingpin_accessories_demo."
DEMO_TZ = pytz.timezone("Asia/Shanghai")
APPROVAL_ACTIVITY = "jingpin_accessories.mail_activity_type_concession_approval"

# The people of each dealership, by role: xml ids of the demo users.
STAFF = {
    "cy": {
        "company": "base.main_company",
        "manager": D + "user_manager_demo",
        "specialist": D + "user_specialist_demo",
        "gm": D + "user_gm_demo",
        "consultant": D + "user_consultant_demo",
        "frontdesk": D + "user_frontdesk_demo",
        "tech1": D + "user_technician_demo",
        "tech2": D + "user_technician2_demo",
        "slots": [D + "key_slot_chaoyang_a01_demo", D + "key_slot_chaoyang_a02_demo", D + "key_slot_chaoyang_a03_demo"],
    },
    "hd": {
        "company": D + "company_haidian_demo",
        "manager": D + "user_manager_haidian_demo",
        "specialist": D + "user_specialist_haidian_demo",
        "gm": D + "user_gm_haidian_demo",
        "consultant": D + "user_manager_haidian_demo",
        "frontdesk": D + "user_specialist_haidian_demo",
        "tech1": D + "user_technician_haidian_demo",
        "slots": [D + "key_slot_haidian_b01_demo", D + "key_slot_haidian_b02_demo"],
    },
}
TECHNICIANS = (
    ("cy", "tech1", "张伟"),
    ("cy", "tech2", "刘洋"),
    ("hd", "tech1", "郑强"),
)
# Referrers and external partners who are paid rebates.
REBATE_PARTNERS = {
    "ref_cy": ("钱志明", "135 0101 2201"),
    "ext_cy": ("北京安途汽车俱乐部", "010-6501 3320"),
    "ref_hd": ("冯晓燕", "139 1102 3302"),
    "ext_hd": ("中关村车友会", "010-6253 8817"),
}

# One accessory order per line, in the order it happened. Fields:
#   co: dealership; days: days before today the order was taken (negative: still to come);
#   customer: (name, phone, vehicle model, plate, VIN); ch: sales channel; by: who sells;
#   lines: (product, quantity, discount %, gift); step: where its work order stands today;
#   tech: who installs; pace: actual labour against the standard; extra: what else happened.
ORDERS = [
    # --- 朝阳: three months ago, the closed work of the quarter ---
    dict(
        co="cy",
        days=86,
        customer=("黄立新", "138 1011 0001", "camry", "京A·5N812", "LVGBE40K1NP200101"),
        ch="new_car",
        by="consultant",
        car=True,
        lines=[("pkg_new_car_basic", 1, 0, False)],
        step="handed_over",
        tech="tech1",
        pace=1.1,
    ),
    dict(
        co="cy",
        days=77,
        customer=("高建军", "137 1011 0003", "highlander", "京Q·2C661", "5TDKZRFH1NS200103"),
        ch="walk_in",
        by="specialist",
        lines=[("roof_rack", 1, 0, False), ("dashcam_4g", 1, 0, False)],
        step="handed_over",
        tech="tech1",
        pace=1.25,
    ),
    dict(
        co="cy",
        days=71,
        customer=("林晓雯", "136 1011 0004", "corolla", "京E·9P130", "LVGBE40K3NP200104"),
        ch="referral",
        by="specialist",
        rebate=("ref_cy", 200),
        lines=[("film_llumar", 1, 0, False), ("radar_front_rear", 1, 0, False), ("seat_wheel_cover", 1, 0, True)],
        step="handed_over",
        tech="tech2",
        pace=1.0,
        approvals=[("manager", "manager", "老客户钱先生介绍，返利和赠品在权限内，同意。")],
    ),
    dict(
        co="cy",
        days=64,
        customer=("周海峰", "135 1011 0005", "camry", "京A·3R778", "LVGBE40K5NP200105"),
        ch="external",
        by="specialist",
        rebate=("ext_cy", 1200),
        lines=[("radar_360", 1, 0, False), ("film_3m_full", 1, 5, False)],
        step="handed_over",
        tech="tech1",
        pace=1.05,
        rework=True,
        approvals=[
            ("manager", "manager", "车友会团购，返利超出我的权限，转总经理。"),
            ("gm", "gm", "车友会是长期渠道，同意本单返利。"),
        ],
    ),
    # --- 朝阳: last month, the 国庆自驾游 promotion (closed since) ---
    dict(
        co="cy",
        days="promo1",
        customer=("孙志刚", "138 1011 0006", "rav4", "京N·1K526", "JTMBFREV7ND200106"),
        ch="walk_in",
        by="specialist",
        lines=[("roof_rack", 1, 0, False), ("tpms", 1, 0, False)],
        step="handed_over",
        tech="tech2",
        pace=0.9,
    ),
    dict(
        co="cy",
        days="promo2",
        customer=("郭敏", "139 1011 0007", "wildlander", "京Q·6D903", "JTMBFREV9ND200107"),
        ch="after_sales",
        by="frontdesk",
        lines=[("dashcam_4g", 1, 0, False), ("tpms", 1, 0, False)],
        step="handed_over",
        tech="tech1",
        pace=1.15,
    ),
    dict(
        co="cy",
        days="promo3",
        customer=("何文斌", "137 1011 0008", "highlander", "京A·8M417", "5TDKZRFH3NS200108"),
        ch="new_car",
        by="consultant",
        car=True,
        lines=[("roof_rack", 1, 0, False), ("ambient_light", 1, 0, False), ("emergency_kit", 1, 0, True)],
        step="handed_over",
        tech="tech2",
        pace=1.1,
        due_bill=True,
        approvals=[("manager", "manager", "新车赠送应急救援包，同意。")],
        # the gift was out of stock at the handover: its delivery still waits (the check finds it)
        held_back="emergency_kit",
    ),
    dict(
        co="cy",
        days=38,
        customer=("罗静怡", "136 1011 0009", "camry", "京E·4F250", "LVGBE40K7NP200109"),
        ch="after_sales",
        by="frontdesk",
        lines=[("hud", 1, 0, False), ("charger_wireless", 1, 0, False)],
        step="cancelled",
        tech="tech1",
        extra="客户改为下次保养时再装，本单取消。",
    ),
    # --- 朝阳: this month, the 贴膜节 promotion is running ---
    dict(
        co="cy",
        days=12,
        customer=("梁宇航", "135 1011 0010", "camry", "京A·7T096", "LVGBE40K9NP200110"),
        ch="new_car",
        by="consultant",
        car=True,
        lines=[("film_3m_full", 1, 0, False), ("dashcam_70mai", 1, 0, False)],
        step="handed_over",
        tech="tech1",
        pace=1.0,
    ),
    # --- 朝阳: in the workshop today ---
    dict(
        co="cy",
        days=2,
        customer=("谢志远", "139 1011 0012", "camry", "京A·2W571", "LVGBE40K2NP200112"),
        ch="new_car",
        by="consultant",
        car=True,
        lines=[("pkg_safety", 1, 0, False)],
        step="in_progress",
        tech="tech1",
        pace=0.5,
        key="out_tech",
        promise=1,
    ),
    dict(
        co="cy",
        days=3,
        customer=("韩冬梅", "137 1011 0013", "rav4", "京Q·9B842", "JTMBFREV4ND200113"),
        ch="after_sales",
        by="frontdesk",
        lines=[("underbody_std", 1, 0, False), ("cavity_wax", 1, 0, False)],
        step="in_progress",
        tech="tech2",
        pace=0.7,
        key="in_box",
        promise=-1,
        exception=("parts_missing", "空腔蜡库存只剩一罐，不够整车施工，已向供应商催货，预计明天到。"),
    ),
    dict(
        co="cy",
        days=2,
        customer=("唐浩然", "136 1011 0014", "corolla", "京E·3X615", "LVGBE40K4NP200114"),
        ch="walk_in",
        by="specialist",
        lines=[("film_front", 1, 0, False), ("sill_plate", 1, 0, False)],
        step="inspection",
        tech="tech2",
        pace=1.0,
        key="in_box",
        promise=1,
    ),
    dict(
        co="cy",
        days=1,
        customer=("冯雪", "135 1011 0015", "highlander", "京A·6Y203", "5TDKZRFH5NS200115"),
        ch="referral",
        by="consultant",
        rebate=("ref_cy", 200),
        lines=[("hud", 1, 0, False), ("mat_leather", 1, 0, False)],
        step="ready",
        tech="tech1",
        pace=0.9,
        key="out_specialist",
        promise=1,
        approvals=[("manager", "manager", "介绍返利200元，同意。")],
    ),
    # --- 朝阳: dispatched and planned for the coming days ---
    dict(
        co="cy",
        days=1,
        customer=("曹俊", "138 1011 0016", "camry", "京A·1Z498", "LVGBE40K6NP200116"),
        ch="new_car",
        by="consultant",
        car=True,
        lines=[("seat_leather", 1, 0, False), ("seat_wheel_cover", 1, 0, True)],
        step="dispatched",
        tech="tech2",
        plan=1,
        promise=2,
        due_bill=True,
        approvals=[("manager", "manager", "新车赠送方向盘套，同意。")],
    ),
    dict(
        co="cy",
        days=0,
        customer=("邓丽君", "139 1011 0017", "rav4", "京N·8A736", "JTMBFREV6ND200117"),
        ch="walk_in",
        by="specialist",
        lines=[("film_3m_full", 1, 8, False), ("dashcam_hidden", 1, 0, False)],
        step="dispatched",
        tech="tech1",
        plan=2,
        promise=3,
    ),
    dict(
        co="cy",
        days=0,
        customer=("彭国栋", "137 1011 0018", "highlander", "京Q·4E159", "5TDKZRFH7NS200118"),
        ch="referral",
        by="specialist",
        rebate=("ref_cy", 1500),
        lines=[("ambient_light", 1, 0, False), ("roof_rack", 1, 0, False), ("trunk_organizer", 1, 0, True)],
        step="dispatched",
        tech="tech2",
        plan=2,
        promise=3,
        deliver=True,
        approvals=[("manager", "manager", "返利超出我的权限，先出库安装，请总经理审批。")],
    ),
    # --- 海淀 ---
    dict(
        co="hd",
        days=84,
        customer=("陆振华", "138 2022 0001", "camry", "京A·6G331", "LVGBE40K8NP200201"),
        ch="new_car",
        by="consultant",
        car=True,
        lines=[("pkg_comfort", 1, 0, False)],
        step="handed_over",
        tech="tech1",
        pace=1.1,
    ),
    dict(
        co="hd",
        days=55,
        customer=("秦朗", "137 2022 0003", "corolla", "京Q·5S620", "LVGBE40K0NP200203"),
        ch="referral",
        by="frontdesk",
        rebate=("ref_hd", 200),
        lines=[("film_llumar", 1, 0, False)],
        step="handed_over",
        tech="tech1",
        pace=1.2,
        approvals=[("manager", "manager", "老客户介绍，同意返利。")],
    ),
    dict(
        co="hd",
        days=41,
        customer=("许文静", "136 2022 0004", "camry", "京E·7V185", "LVGBE40K1NP200204"),
        ch="external",
        by="frontdesk",
        rebate=("ext_hd", 200),
        lines=[("radar_front_rear", 1, 0, False), ("camera_rear", 1, 0, False)],
        step="handed_over",
        tech="tech1",
        pace=1.0,
        approvals=[("manager", "manager", "车友会渠道，返利在权限内。")],
    ),
    dict(
        co="hd",
        days=20,
        customer=("蒋涛", "135 2022 0005", "highlander", "京A·3U946", "5TDKZRFH9NS200205"),
        ch="walk_in",
        by="frontdesk",
        lines=[("dashcam_4g", 1, 0, False), ("tpms", 1, 0, False)],
        step="handed_over",
        tech="tech1",
        pace=0.85,
    ),
    dict(
        co="hd",
        days=2,
        customer=("吕梦瑶", "138 2022 0006", "rav4", "京N·4R072", "JTMBFREV1ND200206"),
        ch="after_sales",
        by="frontdesk",
        lines=[("film_front", 1, 0, False), ("charger_wireless", 1, 0, False)],
        step="in_progress",
        tech="tech1",
        pace=0.6,
        key="in_box",
        promise=1,
    ),
    dict(
        co="hd",
        days=1,
        customer=("田志强", "139 2022 0007", "camry", "京A·9H518", "LVGBE40K3NP200207"),
        ch="new_car",
        by="consultant",
        car=True,
        lines=[("dashcam_70mai", 1, 0, False), ("mat_leather", 1, 0, False)],
        step="ready",
        tech="tech1",
        pace=1.0,
        key="in_box",
        promise=1,
    ),
    dict(
        co="hd",
        days=0,
        customer=("袁芳", "137 2022 0008", "corolla", "京E·1C734", "LVGBE40K5NP200208"),
        ch="referral",
        by="frontdesk",
        rebate=("ref_hd", 1500),
        lines=[("seat_leather", 1, 6, False), ("sill_plate", 1, 0, False)],
        step="dispatched",
        tech="tech1",
        plan=1,
        promise=2,
        approvals=[("manager", "manager", "介绍返利超出我的权限，请总经理审批。")],
    ),
]
# What the customers said when called back, oldest handover first: (satisfaction, or None when not
# reached, then how many calls; comment; problem; feedback tags).
FOLLOWUP_RESULTS = [
    ("5", "贴膜隔热效果明显，很满意", "", ["installation"]),
    ("4", "希望保养时能顺便检查一下行李架", "", ["wish"]),
    ("5", "", "", []),
    ("3", "", "等车时间比约定的长了半小时", ["waiting"]),
    (None, 3, "", []),
    ("2", "", "脚垫边缘翘起，踩油门时会卡住", ["installation"]),
    ("4", "价格比外面的店贵一些，但安装放心", "", ["price"]),
    (None, 1, "", []),
    ("5", "想了解有没有适合自驾游的车顶箱", "", ["wish"]),
]
# How long ago each accessory's opening stock came in (days), by product: see _receive_opening_stock.
RECEIPT_AGES = (40, 75, 130, 200, 300, 420)
PROMOTION_DAYS = {"promo1": 0, "promo2": 1, "promo3": 2}  # days into last month's promotion
MODELS = {
    "camry": D + "vehicle_model_camry_demo",
    "corolla": D + "vehicle_model_corolla_demo",
    "rav4": D + "vehicle_model_rav4_demo",
    "highlander": D + "vehicle_model_highlander_demo",
    "wildlander": D + "vehicle_model_wildlander_demo",
}
CARS = {
    "camry": ("凯美瑞 2.0G 豪华版", 179800),
    "rav4": ("RAV4荣放 2.0L 四驱风尚版", 199800),
    "highlander": ("汉兰达 2.0T 四驱豪华版", 289800),
    "corolla": ("卡罗拉 1.5L 先锋版", 119800),
    "wildlander": ("威兰达 2.0L 两驱领先版", 189800),
}


class JingpinDemoHistory(models.AbstractModel):
    """Builds the demo dealer group's history. Demo data only: nothing else calls it.

    Three months of both dealerships' accessory business, made through the addon's own actions
    as the people who do them in a dealership (``with_user``): orders are entered and confirmed by
    their salespeople, approved by the manager or general manager, work orders are planned by the
    specialist, started, timed and signed by their technician, inspected and handed over by the
    specialist with the customer's signature, keys move through the key box register.

    The actions stamp the server's time, so each is played at the moment it happened: the clock
    is moved back to that moment (:meth:`_at`) and the action stamps it as it would have then
    (order confirmations, approvals, key movements, start and handover of the work, deliveries,
    signatures and their seals, follow-up calls, complaints, messages). Nothing is written around
    the addon's rules afterwards.
    """

    _name = "jingpin.demo.history"
    _description = "Demo History of the Dealer Group"

    @contextmanager
    def _at(self, moment):
        """Plays what runs inside at ``moment`` (a naive UTC datetime), never later than now: the
        server's clock (``fields.Datetime.now``, ``fields.Date.today``, ``context_today``) and the
        transaction's timestamp (``cr.now()``, which Odoo stamps on ``create_date`` and
        ``write_date``) read ``moment``. What was done before is written first, under its own time."""
        moment = min(moment, fields.Datetime.now())
        self.env.flush_all()
        with freeze_time(moment), patch.object(self.env.cr, "now", return_value=moment):
            yield
            self.env.flush_all()

    @api.model
    def _in_dealership_lang(self):
        """The demo's records are written in the dealerships' language (their chatter, activities
        and names), not in the server's, whatever language the database is installed in."""
        return self.with_context(lang=self.env.ref(STAFF["cy"]["company"]).partner_id.lang or "en_US")

    @api.model
    def _jingpin_dealer_group_world(self):
        """The demo is the dealer group's own world: no sample person, customer or car of Odoo's
        demo data in the department's screens. The administrator is the group's system
        administrator; Odoo's sample users are archived, with the sample contacts (those of
        Odoo's demo data that are neither a company's nor an active user's) and fleet's sample
        car models."""
        admin = self.env.ref("base.user_admin")
        admin.partner_id.name = "系统管理员"
        samples = {
            model: self.env[model].browse(res_ids).exists()
            for model, res_ids in self.env["ir.model.data"]._read_group(
                [
                    ("module", "not in", ["jingpin_accessories", "jingpin_accessories_demo", "__export__"]),
                    ("model", "in", ["res.users", "res.partner", "fleet.vehicle.model"]),
                ],
                ["model"],
                ["res_id:array_agg"],
            )
        }
        users = samples.get("res.users", self.env["res.users"])
        users.filtered(lambda user: user.active and user != admin).active = False
        kept = (
            self.env["res.company"].with_context(active_test=False).search([]).partner_id  # pylint: disable=no-search-all
            | self.env["res.users"].search([("active", "=", True)]).partner_id
            | self.env.ref("base.partner_root")
        )
        (samples.get("res.partner", self.env["res.partner"]) - kept).filtered("active").active = False
        samples.get("fleet.vehicle.model", self.env["fleet.vehicle.model"]).active = False

    @api.model
    def _jingpin_generate_demo_history(self):
        self._in_dealership_lang()._generate_history()

    @api.model
    def _generate_history(self):
        today = fields.Date.context_today(self.with_context(tz=DEMO_TZ.zone))
        staff = {
            code: {
                role: self.env.ref(xmlid) if isinstance(xmlid, str) else [self.env.ref(x) for x in xmlid]
                for role, xmlid in roles.items()
            }
            for code, roles in STAFF.items()
        }
        self._create_employees(staff)
        rebate_partners = {
            key: self.env["res.partner"].create({"name": name, "phone": phone})
            for key, (name, phone) in REBATE_PARTNERS.items()
        }
        self._approve_running_promotion(staff["cy"])
        promotion = self._create_closed_promotion(staff["cy"], today)
        agenda = {}
        for spec in ORDERS:
            self._play_order(spec, staff[spec["co"]], rebate_partners, promotion, today, agenda)
        self._plan_open_demo_orders(staff["cy"])
        self._post_promotion_result(staff["cy"], promotion)
        self._play_after_sales(staff["cy"], today)
        self._play_inventory_control(staff["cy"], today)

    # === PEOPLE === #
    @api.model
    def _create_employees(self, staff):
        """Technicians log their time as employees of their dealership."""
        self.env["hr.employee"].create(
            [
                {
                    "name": name,
                    "user_id": staff[code][role].id,
                    "company_id": staff[code]["company"].id,
                    "job_title": "精品美容技师",
                }
                for code, role, name in TECHNICIANS
            ]
        )

    # === PROMOTIONS === #
    @api.model
    def _approve_running_promotion(self, people):
        """This month's promotion: the manager submits it, the general manager approves it and it
        runs at once (its period has begun)."""
        promotion = self.env.ref(D + "promotion_this_month_demo")
        promotion.with_user(people["manager"]).action_submit()
        promotion.with_user(people["gm"]).action_approve()

    @api.model
    def _create_closed_promotion(self, people, today):
        """Last month's promotion: drafted and submitted by the manager, approved by the general
        manager, run, and closed by the manager at its end."""
        manager, gm = people["manager"], people["gm"]
        first = today + timedelta(days=-today.day + 1)
        last_month = (first - timedelta(days=1)).replace(day=1)
        ref = self.env.ref
        # drafted a week before its period, approved on its first morning (it runs at once)
        with self._at(self._local(last_month - timedelta(days=7), time(10, 0))):
            promotion = (
                self.env["jingpin.promotion"]
                .with_user(manager)
                .with_company(people["company"])
                .create(
                    {
                        "name": "国庆自驾游装备节",
                        "company_id": people["company"].id,
                        "user_id": manager.id,
                        "date_from": last_month,
                        "date_to": first - timedelta(days=1),
                        "target_customers": "both",
                        "vehicle_model_ids": [
                            fields.Command.set(
                                [self.env.ref(MODELS[m]).id for m in ("rav4", "highlander", "wildlander")]
                            )
                        ],
                        "customer_segment": "准备长假自驾出游的SUV车主，以及近三个月提车的新车客户",
                        "budget": 6000,
                        "expected_revenue": 30000,
                        "expected_result": "行李架、胎压监测和4G记录仪三款自驾装备各销售10套以上",
                        "line_ids": [
                            fields.Command.create(
                                {
                                    "product_tmpl_id": self.env.ref(D + "product_roof_rack_demo").id,
                                    "promotion_price": 1480,
                                }
                            ),
                            fields.Command.create(
                                {"product_tmpl_id": ref(D + "product_tpms_demo").id, "promotion_price": 580}
                            ),
                            fields.Command.create(
                                {
                                    "product_tmpl_id": self.env.ref(D + "product_dashcam_4g_demo").id,
                                    "promotion_price": 1680,
                                }
                            ),
                        ],
                    }
                )
            )
            promotion.action_submit()
        with self._at(self._local(last_month, time(8, 30))):
            promotion.with_user(gm).action_approve()
        return promotion

    @api.model
    def _post_promotion_result(self, people, promotion):
        """On the first morning after it, the manager closes last month's promotion and writes down
        what it brought."""
        first = fields.Date.context_today(self.with_context(tz=DEMO_TZ.zone)).replace(day=1)
        with self._at(self._local(first, time(9, 0))):
            self._close_promotion(people, promotion)

    @api.model
    def _close_promotion(self, people, promotion):
        promotion = promotion.with_user(people["manager"])
        promotion.action_close()
        start, end = promotion._period_bounds()
        lines = self.env["sale.order.line"].search(
            [
                ("order_id.state", "=", "sale"),
                ("order_id.company_id", "=", promotion.company_id.id),
                ("order_id.date_order", ">=", start),
                ("order_id.date_order", "<=", end),
                ("product_template_id", "in", promotion.line_ids.product_tmpl_id.ids),
            ]
        )
        revenue = sum(lines.mapped("price_subtotal"))
        quantity = int(sum(lines.mapped("product_uom_qty")))
        promotion.message_post(  # pylint: disable=translation-required
            body=(
                f"活动总结：活动期间促销产品共成交 {len(lines.order_id)} 单、{quantity} 件，"
                f"促销产品收入 ¥{revenue:,.0f}（预期 ¥{promotion.expected_revenue:,.0f}）。"
                "行李架最受欢迎，胎压监测多为搭配销售；下次活动提前一周通知售后前台邀约老客户。"
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    # === ONE ORDER'S STORY === #
    @api.model
    def _play_order(self, spec, people, rebate_partners, promotion, today, agenda):
        """Take one order from the customer's visit to where its work order stands today, each step
        at the time it happened: the sale and its approvals on the order's day, the work of a handed
        over car on its planned slot; what stands open today is done now."""
        specialist = people["specialist"]
        order_day = self._order_day(spec, today)
        ordered_at = self._local(order_day, time(10, 30))
        with self._at(ordered_at):
            order = self._take_order(spec, people, rebate_partners, today, ordered_at)
        with self._at(ordered_at + timedelta(hours=2)):
            for _level, approver, comment in spec.get("approvals", ()):
                order.with_user(people[approver])._jingpin_decide(True, comment)
        task = order.sudo().work_order_ids[:1].with_user(specialist)
        technician = people[spec["tech"]]
        step = spec["step"]
        if step == "cancelled":
            task.technician_id = technician
            order.action_cancel()
            order.message_post(body=spec["extra"], message_type="comment", subtype_xmlid="mail.mt_note")
            return
        if step == "dispatched":
            work_day = today + timedelta(days=spec["plan"])
        else:
            work_day = order_day + timedelta(days=1) if step == "handed_over" and spec["days"] != 0 else today
            work_day = min(work_day, today)
        with self._at(ordered_at + timedelta(hours=2, minutes=30)):
            task.write({"technician_id": technician.id, "planned_start": self._next_slot(agenda, task, work_day)})
        if spec.get("due_bill"):
            with self._at(ordered_at + timedelta(hours=3)):
                self._sign_due_bill(task, people, order)
        if step == "handed_over":
            self._play_handed_over(task, spec, people, technician)
            return
        if step != "dispatched":
            self._do_the_work(task, spec, people, technician)
        if spec.get("exception"):
            kind, description = spec["exception"]
            self.env["jingpin.work.exception"].with_user(specialist).create(
                {
                    "task_id": task.id,
                    "exception_type": kind,
                    "description": description,
                }
            )
        if spec.get("deliver"):
            self._deliver(order.picking_ids, specialist)

    @api.model
    def _take_order(self, spec, people, rebate_partners, today, ordered_at):
        """The customer's visit: his contact and car, the new car's sale, the accessory order entered
        and confirmed by its salesperson (confirmation stamps the order with the time of the visit)."""
        company = people["company"]
        seller = people[spec["by"]]
        customer, vehicle = self._create_customer(spec, company)
        values = {
            "partner_id": customer.id,
            "vehicle_id": vehicle.id,
            "jingpin_channel": spec["ch"],
            "user_id": seller.id,
            "specialist_id": people["specialist"].id,
            "company_id": company.id,
        }
        if spec.get("car"):
            values["car_sale_order_id"] = self._create_car_sale(spec, people, customer, vehicle).id
        if spec.get("rebate"):
            partner_key, amount = spec["rebate"]
            values.update(rebate_partner_id=rebate_partners[partner_key].id, rebate_amount=amount)
        if "promise" in spec:
            values["commitment_date"] = self._local(today + timedelta(days=spec["promise"]), time(17, 0))
        order = self.env["sale.order"].with_user(seller).with_company(company).create(values)
        order.write(
            {
                "order_line": [
                    fields.Command.create(
                        {
                            "product_id": self.env.ref(f"{D}product_{product}_demo").product_variant_id.id,
                            "product_uom_qty": quantity,
                            **({"discount": discount} if discount else {}),
                            **({"is_gift": True} if gift else {}),
                        }
                    )
                    for product, quantity, discount, gift in spec["lines"]
                ]
            }
        )
        order.action_confirm()
        return order

    @api.model
    def _play_handed_over(self, task, spec, people, technician):
        """A car whose work is done: the key goes into the box a quarter of an hour before its slot,
        the work starts on the slot and takes about its standard time (most work is done within
        it, some runs over); at its end the technician and the specialist sign, the accessories
        leave the stock and the customer takes the car back and signs."""
        specialist, order = people["specialist"], task.sudo().accessory_order_id
        start = task.planned_start
        end = start + timedelta(minutes=round(task.planned_minutes * (0.85, 0.95, 1.2)[task.id % 3]))
        with self._at(start - timedelta(minutes=15)):
            self._check_key_in(task, people)
        with self._at(start):
            self._start(task, spec, technician)
        with self._at(end - timedelta(minutes=10)):
            self._finish(task, spec, people, technician)
        with self._at(end):
            held_back = spec.get("held_back") and self.env.ref(f"{D}product_{spec['held_back']}_demo")
            self._deliver(order.picking_ids, specialist, held_back=held_back)
            self.env["jingpin.handover.wizard"].with_user(specialist).create(
                {
                    "task_id": task.id,
                    "signature": self._signature_image(order.partner_id.name),
                }
            ).action_confirm()
            if order.car_sale_order_id:
                self._deliver(order.car_sale_order_id.picking_ids, specialist)

    @api.model
    def _next_slot(self, agenda, task, day):
        """The technician's next free time on ``day``, from 9:00, one work order after the other."""
        key = (task.technician_id.id, day)
        start = agenda.get(key) or self._local(day, time(9, 0))
        agenda[key] = start + timedelta(minutes=task.planned_minutes + 15)
        return start

    @api.model
    def _do_the_work(self, task, spec, people, technician):
        """Today's work, as far as the order's step: key into the box, protective set, start,
        timesheets, completion and final inspection."""
        self._check_key_in(task, people)
        self._start(task, spec, technician)
        if spec["step"] == "in_progress":
            if spec.get("key") == "out_tech":
                task.with_user(technician).action_key_check_out(technician)
            return
        self._finish(task, spec, people, technician)

    @api.model
    def _check_key_in(self, task, people):
        slots = self.env["jingpin.key.slot"].browse([slot.id for slot in people["slots"]])
        task.action_key_check_in((slots - slots.filtered("is_occupied"))[:1])

    @api.model
    def _start(self, task, spec, technician):
        """The technician checks the protective set, starts and logs his time."""
        as_technician = task.with_user(technician)
        as_technician.protective_set_photo = self._photo("三件套")
        as_technician.action_confirm_protective_set()
        as_technician.condition_before_photo = self._photo("施工前")
        as_technician.action_start()
        self._log_time(as_technician, technician, spec)

    @api.model
    def _finish(self, task, spec, people, technician):
        """The technician signs his work done, the specialist inspects it (a failed inspection sends
        it back once, for a rework)."""
        as_technician = task.with_user(technician)
        as_technician.condition_after_photo = self._photo("施工后")
        as_technician.action_sign_completion()
        if spec.get("rework"):
            lines = task.current_inspection_line_ids
            self._photograph_checkpoints(lines)
            lines[:-1].write({"result": "pass"})
            lines[-1:].write({"result": "fail", "note": "后排车窗膜边缘有气泡，需重新施工"})
            task.action_sign_inspection()
            as_technician.activity_ids.filtered(lambda a: a.user_id == technician).action_feedback("已重新施工")
            as_technician.action_sign_completion()
        if spec["step"] == "inspection":
            return
        self._photograph_checkpoints(task.current_inspection_line_ids)
        task.action_inspection_all_pass()
        task.action_sign_inspection()
        if spec.get("key") == "out_specialist":
            task.action_key_check_out(people["specialist"])

    @api.model
    def _log_time(self, task, technician, spec):
        """The technician's timesheets on each item: the standard labour times his pace."""
        pace = spec.get("pace", 1.0)
        employee = self.env["hr.employee"].search([("user_id", "=", technician.id)], limit=1)
        self.env["account.analytic.line"].with_user(technician).with_company(task.company_id).create(
            [
                {
                    "name": f"安装{item.product_id.name}",
                    "task_id": task.id,
                    "project_id": task.project_id.id,
                    "employee_id": employee.id,
                    "work_item_id": item.id,
                    "unit_amount": round(item.labour_minutes * pace / 60, 2) or 0.25,
                }
                for item in task.work_item_ids
            ]
        )

    @api.model
    def _sign_due_bill(self, task, people, order):
        """The customer takes the new car before the accessories are fitted and signs for them;
        then the car is delivered."""
        bill = (
            self.env["jingpin.due.bill"]
            .with_user(people["specialist"])
            .with_company(task.company_id)
            .create(
                {
                    "company_id": task.company_id.id,
                    "vehicle_id": task.vehicle_id.id,
                    "partner_id": task.partner_id.id,
                    "work_order_ids": [fields.Command.set(task.ids)],
                    "promised_date": fields.Date.to_date(task.planned_start) + timedelta(days=1),
                    "signature": self._signature_image(task.partner_id.name),
                }
            )
        )
        bill.action_sign()
        self._deliver(order.car_sale_order_id.picking_ids, people["specialist"])

    @api.model
    def _deliver(self, pickings, user, held_back=None):
        """The specialist issues the goods (出库): everything the transfer holds, but the accessory
        ``held_back`` (a template), which stays on a backorder."""
        for picking in pickings.filtered(lambda p: p.state not in ("done", "cancel")).with_user(user):
            issued = picking.move_ids.filtered(lambda move: move.product_id.product_tmpl_id != held_back)
            for move in issued:
                move.quantity = move.product_uom_qty
            issued.picked = True
            (picking.move_ids - issued).write({"quantity": 0, "picked": False})
            picking.with_context(skip_backorder=True, skip_sms=True).button_validate()

    # === AFTER THE SALE === #
    @api.model
    def _play_after_sales(self, people, today):
        """Follow-up calls and complaints after the handovers (R24-R27): the calls of the quarter
        made by the specialist (one left overdue, customers not reached called again or closed as
        unreachable), and complaints in every state: a rework under way, a faulty accessory being
        replaced, one closed with the customer's confirmation, one late and escalated."""
        specialist, manager = people["specialist"], people["manager"]
        # each handover scheduled its call some days after it
        followups = self.env["jingpin.followup"].search([("company_id", "=", people["company"].id)])
        past = followups.filtered(lambda f: f.date_scheduled < today).sorted("date_scheduled")[:-1]
        for followup, (satisfaction, comment, problem, tags) in zip(past, FOLLOWUP_RESULTS, strict=False):
            as_specialist = followup.with_user(specialist)
            tag_ids = [self.env.ref(f"{X}feedback_tag_{tag}").id for tag in tags]
            if satisfaction is None:
                # not reached: called again on each day the retry is scheduled
                for _call in range(comment):
                    with self._at(self._local(followup.date_scheduled, time(10, 0))):
                        as_specialist.action_record_result(False)
                continue
            with self._at(self._local(followup.date_scheduled, time(10, 0))):
                as_specialist.action_record_result(True, satisfaction, comment, problem, tag_ids)
        done = past.filtered(lambda f: f.state == "done")
        unhappy = done.filtered(lambda f: f.satisfaction == "2")[:1]
        Complaint = self.env["jingpin.complaint"].with_user(specialist).with_company(people["company"])
        rework = Complaint.create(
            {
                "complaint_type": "installation",
                "task_id": unhappy.task_id.id,
                "description": unhappy.problems,
            }
        )
        rework.action_start()
        film = done.task_id.work_item_ids.filtered(lambda item: item.product_id.labour_minutes >= 90)[:1]
        replacement = Complaint.create(
            {
                "complaint_type": "product",
                "task_id": film.task_id.id,
                "product_id": film.product_id.id,
                "disposition": "scrap",
                "description": f"{film.product_id.name}使用不到一个月出现故障，客户要求更换",
            }
        )
        replacement.with_user(manager).action_start()
        closed = Complaint.create(
            {
                "complaint_type": "service",
                "task_id": done[:1].task_id.id,
                "description": "交车时车内留有施工碎屑，客户不满意",
            }
        )
        closed.resolution = "上门为客户免费清洁车内，并向客户致歉"
        closed.action_resolve()
        closed.write({"customer_signer": closed.partner_id.name, "customer_signature": self._signature_image("确认")})
        closed.action_customer_confirm()
        # a complaint that came in days ago, after its call, and is now past its deadline
        filed_on = today - timedelta(days=people["company"].jingpin_complaint_days + 1)
        with self._at(self._local(filed_on, time(15, 0))):
            Complaint.create(
                {
                    "complaint_type": "service",
                    "task_id": done.filtered(lambda f: f.date_done <= filed_on)[-1:].task_id.id,
                    "description": "客户反映回访电话太多，打扰工作",
                }
            )
        self.env["jingpin.complaint"]._cron_escalate_late()

    # === INVENTORY CONTROL === #
    @api.model
    def _play_inventory_control(self, people, today):
        """The loans register and the daily check (R29, R30): a dashcam lent to the sales department
        for the showroom and not back by its due date (the specialist and the manager are told), a
        window film lent for a person and returned. The loans agree with the loan location; the day's
        check finds what is really amiss: the emergency kit given with 何文斌's car, out of stock at
        the handover, is sold and not delivered yet."""
        Loan = self.env["jingpin.loan"].with_user(people["specialist"]).with_company(people["company"])
        # registered ten days ago, when the dashcam went out
        with self._at(self._local(today - timedelta(days=10), time(10, 0))):
            overdue, returned = Loan.create(
                [
                    {
                        "borrower_kind": "department",
                        "borrower": "销售部",
                        "purpose": "新车发布会展厅陈列",
                        "date_due": today - timedelta(days=3),
                        "line_ids": [
                            Command.create(
                                {"product_id": self.env.ref(f"{D}product_dashcam_70mai_demo").product_variant_id.id}
                            )
                        ],
                    },
                    {
                        "borrower_kind": "person",
                        "borrower": "市场部 刘洋",
                        "purpose": "车展样品",
                        "date_due": today + timedelta(days=7),
                        "line_ids": [
                            Command.create(
                                {"product_id": self.env.ref(f"{D}product_film_3m_full_demo").product_variant_id.id}
                            )
                        ],
                    },
                ]
            )
            overdue.action_lend()
        # the film lent the day before and back this morning
        with self._at(self._local(today - timedelta(days=1), time(9, 30))):
            returned.action_lend()
        with self._at(self._local(today, time(9, 0))):
            returned.action_return()
        Loan._cron_notify_overdue()
        self.env["jingpin.reconciliation.issue"]._run_check(people["company"])

    # === STOCK AGE === #
    @api.model
    def _jingpin_receive_opening_stock(self):
        """The opening stock came in months ago, before the quarter's sales: each accessory's count
        (the demo's quants) is applied on a day between 40 days and over a year ago, and always a
        week before the history first sells it. What came in long ago and was not sold since is a
        slow mover in the stock ageing report."""
        today = fields.Date.context_today(self.with_context(tz=DEMO_TZ.zone))
        first_sold = {}
        for spec in ORDERS:
            day = self._order_day(spec, today)
            for product, *_sale in spec["lines"]:
                template = self.env.ref(f"{D}product_{product}_demo")
                for variant in template.product_variant_id | template.combo_ids.combo_item_ids.product_id:
                    first_sold[variant] = min(first_sold.get(variant, day), day)
        quants = self.env["stock.quant"].browse(
            self.env["ir.model.data"]
            .search([("module", "=", "jingpin_accessories_demo"), ("model", "=", "stock.quant")])
            .mapped("res_id")
        )
        now = fields.Datetime.now()
        for product in quants.product_id:
            received = now - timedelta(days=RECEIPT_AGES[product.id % len(RECEIPT_AGES)])
            if product in first_sold:
                received = min(received, self._local(first_sold[product] - timedelta(days=7), time(9, 0)))
            with self._at(received):
                quants.filtered(lambda quant, product=product: quant.product_id == product).action_apply_inventory()

    # === HELPERS === #
    @api.model
    def _order_day(self, spec, today):
        """The day the order was taken; those of last month's promotion are taken in its period,
        which is last month."""
        if spec["days"] in PROMOTION_DAYS:
            last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
            return last_month + timedelta(days=PROMOTION_DAYS[spec["days"]] * 9 + 2)
        return today - timedelta(days=spec["days"])

    @api.model
    def _local(self, day, at):
        """``day`` at ``at`` in Beijing, as the naive UTC datetime Odoo stores."""
        return DEMO_TZ.localize(datetime.combine(day, at)).astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _create_customer(self, spec, company):
        name, phone, model, plate, vin = spec["customer"]
        customer = self.env["res.partner"].create({"name": name, "phone": phone})
        vehicle = self.env["jingpin.vehicle"].create(
            {
                "vin": vin,
                "license_plate": plate,
                "model_id": self.env.ref(MODELS[model]).id,
                "partner_id": customer.id,
                "company_id": company.id,
            }
        )
        return customer, vehicle

    @api.model
    def _create_car_sale(self, spec, people, customer, vehicle):
        """The new car, sold by the sales consultant; the accessory order belongs to it."""
        model = spec["customer"][2]
        name, price = CARS[model]
        product = self.env["product.product"].search([("name", "=", name)], limit=1) or self.env[
            "product.product"
        ].create({"name": name, "type": "consu", "list_price": price, "standard_price": round(price * 0.92)})
        car_sale = (
            self.env["sale.order"]
            .with_user(people["consultant"])
            .with_company(people["company"])
            .create(
                {
                    "partner_id": customer.id,
                    "vehicle_id": vehicle.id,
                    "user_id": people["consultant"].id,
                    "company_id": people["company"].id,
                    "order_line": [fields.Command.create({"product_id": product.id})],
                }
            )
        )
        car_sale.action_confirm()
        return car_sale

    @api.model
    def _plan_open_demo_orders(self, people):
        """王先生's work order, dispatched by the demo, gets its slot on the day it is promised, if
        his technician's day has room for it."""
        task = self.env["project.task"].search(
            [
                ("accessory_order_id", "=", self.env.ref(D + "sale_order_wang_demo").id),
            ],
            limit=1,
        )
        start = task.promised_datetime and task.promised_datetime - timedelta(hours=7)
        if not start or start < fields.Datetime.now():
            return
        day = task._local_day(task.technician_id, start)
        if (
            task._get_technician_day_load(task.technician_id, day) + task.planned_minutes
            <= task.technician_id.jingpin_daily_capacity
        ):
            task.with_user(people["specialist"]).planned_start = start

    @api.model
    def _photograph_checkpoints(self, lines):
        """The specialist photographs each checkpoint: the final inspection is signed with them."""
        for line in lines:
            line.photo = self._photo(line.name)

    @api.model
    def _photo(self, subject):
        """A photo of ``subject`` taken on the phone (a small JPEG, the same for the same subject)."""
        seed = sum(ord(char) for char in subject)
        image = Image.new("RGB", (160, 120), (90 + seed % 120, 110 + seed % 90, 130 + seed % 70))
        ImageDraw.Draw(image).rectangle([(30, 40), (130, 90)], outline="white", width=3)
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG")
        return base64.b64encode(buffer.getvalue())

    @api.model
    def _signature_image(self, name):
        """A drawn signature (PNG), the same for the same name."""
        image = Image.new("RGB", (360, 120), "white")
        draw = ImageDraw.Draw(image)
        seed = sum(ord(char) for char in name)
        points = [(20 + step * 20, 60 + ((seed * (step + 3)) % 50) - 25) for step in range(17)]
        draw.line(points, fill="black", width=3)
        draw.line([(40, 95), (320, 88)], fill="black", width=2)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return base64.b64encode(buffer.getvalue())

    # === THE GROUP'S FIGURES === #
    @api.model
    def _jingpin_refresh_figures_demo(self):
        """The group's figures are those of the whole demo at once, not after the 5-minute job: the
        changes' marks (left when the transaction commits) are written first, then refreshed."""
        self.env.cr.flush()
        self.env["jingpin.figure.daily"]._refresh()

    # === TARGETS AND REPORTS === #
    @api.model
    def _jingpin_generate_targets_demo(self):
        self._in_dealership_lang()._generate_targets()

    @api.model
    def _generate_targets(self):
        """This year's sales plan of each dealership: its manager submits it, its general manager
        approves it."""
        for code, plan in (("cy", "sales_plan_chaoyang_demo"), ("hd", "sales_plan_haidian_demo")):
            plan = self.env.ref(D + plan)
            plan.with_user(self.env.ref(STAFF[code]["manager"])).action_submit()
            plan.with_user(self.env.ref(STAFF[code]["gm"])).action_approve()
        # Yesterday's daily report and last month's monthly report of both dealerships (the group
        # receives both), built and sent as the hourly job does.
        yesterday = fields.Date.context_today(self.with_context(tz=DEMO_TZ.zone)) - timedelta(days=1)
        Report = self.env["jingpin.daily.report"]
        companies = self.env.ref(STAFF["cy"]["company"]) | self.env.ref(STAFF["hd"]["company"])
        Report._build(companies, yesterday)._send()
        Report._build(companies, yesterday.replace(day=1) - timedelta(days=1), "monthly")._send()

    # === PEOPLE AND PROCESS === #
    @api.model
    def _jingpin_generate_people_demo(self):
        self._in_dealership_lang()._generate_people()

    @api.model
    def _generate_people(self):
        """Last month's training is recorded as held by the manager; the specialist submits her
        growth plan for review; the weekly job makes last week's and this week's display checks,
        and the specialist did last week's: its price points show the 3M film's tag out of date
        (its price went up after the price sheet was last printed)."""
        people = {role: self.env.ref(xmlid) for role, xmlid in STAFF["cy"].items() if isinstance(xmlid, str)}
        self.env.ref(D + "training_film_last_month_demo").with_user(people["manager"]).action_held()
        self.env.ref(D + "growth_plan_specialist_demo").with_user(people["specialist"]).action_submit()

        today = fields.Date.context_today(self.with_context(tz=DEMO_TZ.zone))
        company = people["company"]
        # The catalogue was priced when the demo came in; the specialist printed the price sheet
        # after it, and then the film's price went up: its tag is out of date.
        Template = self.env["product.template"]
        printed_on = max(
            Template.search([("jingpin_price_changed_on", "!=", False)]).mapped("jingpin_price_changed_on")
        )
        with self._at(printed_on + timedelta(seconds=1)):
            Template.with_user(people["specialist"]).with_company(company).action_print_price_sheet()
        film = self.env.ref(D + "product_film_3m_full_demo")
        with self._at(printed_on + timedelta(seconds=2)):
            film.with_user(people["manager"]).list_price += 200

        Check = self.env["jingpin.display.check"]
        Check._cron_create_weekly_checks(today - timedelta(days=7))
        Check._cron_create_weekly_checks(today)
        last_week = Check.search([("company_id", "=", company.id)], order="week_start", limit=1)
        specialist = people["specialist"]
        for line in last_week.line_ids.with_user(specialist):
            if line.area == "price":
                line.write({"answer": "issue", "note": "3M晶锐全车太阳膜调价后价签未更新，已通知重新打印价格表"})
            else:
                line.answer = "ok"
        last_week.with_user(specialist).write({"note": "展台灯带一处不亮，已报修"})
        last_week.with_user(specialist).action_done()
