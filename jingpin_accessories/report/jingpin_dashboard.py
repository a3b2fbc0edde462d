from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..models.project_task_type import OPEN_WORK_STATES, WORK_STATES

# The cards of the dashboard, in their order.
METRICS = [
    ("today", "Today's Work"),
    ("workshop", "Cars in the Workshop"),
    ("keys_out", "Keys Out"),
    ("late", "Late Work"),
    ("approvals", "Approvals Waiting for Me"),
    ("due_bills", "Open Due Bills"),
    ("sales", "This Month's Sales"),
]
# Who sees money on the dashboard: not a technician who only installs.
MONEY_GROUPS = "sales_team.group_sale_salesman,jingpin_accessories.group_jingpin_group_viewer"
DAY_STATES = [state for state, _label in WORK_STATES if state != "cancelled"]


class JingpinDashboard(models.Model):
    """The accessories department at a glance (精品看板): one card per figure and dealership.

    The cards a user gets depend on what he may read; every figure is counted as the user, so
    record rules hold, and each opens the records it counts.
    """

    _name = "jingpin.dashboard"
    _description = "Accessories Dashboard"
    _auto = False
    _order = "company_id, sequence"

    # === FIELDS === #
    metric = fields.Selection(METRICS, string="Card", readonly=True)
    sequence = fields.Integer(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    value = fields.Integer(string="Count", compute="_compute_values")
    dispatched_count = fields.Integer(string="Dispatched", compute="_compute_values")
    in_progress_count = fields.Integer(string="In Progress", compute="_compute_values")
    inspection_count = fields.Integer(string="Final Inspection", compute="_compute_values")
    ready_count = fields.Integer(string="Ready for Handover", compute="_compute_values")
    handed_over_count = fields.Integer(string="Handed Over", compute="_compute_values")
    key_in_count = fields.Integer(string="Keys in the Key Box", compute="_compute_values")
    key_out_count = fields.Integer(string="Keys Taken Out", compute="_compute_values")
    holder_ids = fields.Many2many("res.users", string="Key Holders", compute="_compute_values")
    order_approval_count = fields.Integer(string="Concessions to Approve", compute="_compute_values")
    promotion_approval_count = fields.Integer(string="Promotions to Approve", compute="_compute_values")
    overdue_count = fields.Integer(string="Past Their Fitting Date", compute="_compute_values")
    sales_amount = fields.Monetary(
        string="Sales",
        compute="_compute_values",
        groups=MONEY_GROUPS,
        help="Untaxed amount of the accessory orders confirmed this month.",
    )
    sales_plan_amount = fields.Monetary(
        string="Sales Plan",
        compute="_compute_values",
        groups=MONEY_GROUPS,
        help="This month's sales plan, where a plan exists.",
    )

    @property
    def _table_query(self):
        group_by = self._group_by()
        group_by = SQL(" GROUP BY %s", group_by) if group_by else SQL()
        return SQL("SELECT %s FROM %s WHERE %s%s", self._select(), self._from(), self._where(), group_by)

    def _select(self):
        return SQL(
            """company.id * 100 + metric.sequence AS id,
               company.id AS company_id,
               metric.code AS metric,
               metric.sequence AS sequence"""
        )

    def _from(self):
        """Each active dealership with the cards the current user may see."""
        metrics = self._get_visible_metrics()
        values = SQL(", ").join(
            SQL("(%s, %s)", code, sequence) for sequence, (code, _label) in enumerate(METRICS, 1) if code in metrics
        ) or SQL("(NULL, NULL)")
        return SQL("res_company company CROSS JOIN (VALUES %s) AS metric(code, sequence)", values)

    def _where(self):
        return SQL("company.active AND metric.code IS NOT NULL")

    def _group_by(self):
        """One row per dealership and card: no grouping."""
        return SQL()

    @api.model
    def _get_visible_metrics(self):
        """The cards the current user may see: those whose records he may read."""
        env = self.env
        user = env.user
        metrics = set()
        works_in_workshop = user.has_group("jingpin_accessories.group_jingpin_technician") or user.has_group(
            "jingpin_accessories.group_jingpin_group_viewer"
        )
        if works_in_workshop and env["project.task"].has_access("read"):
            metrics |= {"today", "workshop", "late"}
        if env["jingpin.key.board"].has_access("read"):
            metrics.add("keys_out")
        if user.has_group("jingpin_accessories.group_jingpin_manager"):
            metrics.add("approvals")
        if env["jingpin.due.bill"].has_access("read"):
            metrics.add("due_bills")
        if env["sale.order"].has_access("read") and (env.su or not user._is_jingpin_technician_only()):
            metrics.add("sales")
        return metrics

    # === COMPUTES === #
    def _compute_values(self):
        numbers = [
            name
            for name, field in self._fields.items()
            if field.compute == "_compute_values" and field.type in ("integer", "monetary")
        ]
        for dashboard in self:
            dashboard.update(dict.fromkeys(numbers, 0))
            dashboard.holder_ids = False
        for metric in {dashboard.metric for dashboard in self}:
            cards = self.filtered(lambda dashboard, metric=metric: dashboard.metric == metric)
            getattr(cards, f"_compute_{metric}")()

    def _compute_today(self):
        counts = self.env["project.task"]._read_group(
            self._today_domain(),
            ["company_id", "work_state"],
            ["__count"],
        )
        for company, state, count in counts:
            card = self.filtered(lambda dashboard, company=company: dashboard.company_id == company)
            if card and state in DAY_STATES:
                card[f"{state}_count"] = count
                card.value += count

    def _compute_workshop(self):
        for card in self:
            keys = self._keys_in_workshop(card.company_id)
            # cars, not work orders: a car with two open work orders is one car in the workshop
            counts = {
                action: len(
                    self.env["project.task"]._read_group(
                        self._open_work_order_domain(card.company_id) & Domain("vehicle_id", "in", vehicles.ids),
                        ["vehicle_id"],
                    )
                )
                if vehicles
                else 0
                for action, vehicles in keys.items()
            }
            card.key_in_count = counts["check_in"]
            card.key_out_count = counts["check_out"]
            card.value = counts["check_in"] + counts["check_out"]

    def _compute_keys_out(self):
        groups = self.env["jingpin.key.board"]._read_group(
            [("company_id", "in", self.company_id.ids)],
            ["company_id"],
            ["__count", "holder_id:recordset"],
        )
        for company, count, holders in groups:
            card = self.filtered(lambda dashboard, company=company: dashboard.company_id == company)
            card.value = count
            card.holder_ids = holders

    def _compute_late(self):
        late = self._late_work_orders()
        for card in self:
            card.value = len(late.filtered(lambda task, card=card: task.company_id == card.company_id))

    def _compute_approvals(self):
        orders = dict(
            self.env["sale.order"]._read_group(
                self._approval_domain(),
                ["company_id"],
                ["__count"],
            )
        )
        promotions = (
            dict(
                self.env["jingpin.promotion"]._read_group(
                    self._promotion_approval_domain(),
                    ["company_id"],
                    ["__count"],
                )
            )
            if self.env.user.has_group("jingpin_accessories.group_jingpin_gm")
            else {}
        )
        for card in self:
            card.order_approval_count = orders.get(card.company_id, 0)
            card.promotion_approval_count = promotions.get(card.company_id, 0)
            card.value = card.order_approval_count + card.promotion_approval_count

    def _compute_due_bills(self):
        DueBill = self.env["jingpin.due.bill"]
        open_bills = dict(DueBill._read_group(self._due_bill_domain(), ["company_id"], ["__count"]))
        overdue = dict(DueBill._read_group(self._due_bill_domain(overdue=True), ["company_id"], ["__count"]))
        for card in self:
            card.value = open_bills.get(card.company_id, 0)
            card.overdue_count = overdue.get(card.company_id, 0)

    def _compute_sales(self):
        sales = {
            company: (count, amount)
            for company, count, amount in self.env["sale.order"]._read_group(
                self._sales_domain(),
                ["company_id"],
                ["__count", "amount_untaxed:sum"],
            )
        }
        plans = self._get_sales_plan_amounts(self._today().replace(day=1))
        for card in self:
            card.value, card.sales_amount = sales.get(card.company_id, (0, 0.0))
            card.sales_plan_amount = plans.get(card.company_id, 0.0)

    # === DOMAINS: what each card counts === #
    def _user_tz(self):
        return pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")

    def _local_midnight(self, day):
        """The UTC moment (naive, as stored) at which ``day`` starts in the user's time zone."""
        return self._user_tz().localize(datetime.combine(day, time.min)).astimezone(pytz.UTC).replace(tzinfo=None)

    def _today(self):
        return fields.Datetime.now().replace(tzinfo=pytz.UTC).astimezone(self._user_tz()).date()

    def _month_start(self):
        return self._local_midnight(self._today().replace(day=1))

    def _work_order_domain(self):
        return Domain("is_work_order", "=", True) & Domain("company_id", "in", self.company_id.ids)

    def _open_work_order_domain(self, company=None):
        domain = Domain("is_work_order", "=", True) & Domain("work_state", "in", OPEN_WORK_STATES)
        return domain & Domain("company_id", "in", (company or self.company_id).ids)

    def _today_domain(self):
        """Work planned up to today that is still open, and today's planned work already done."""
        today = self._today()
        start, end = self._local_midnight(today), self._local_midnight(today + timedelta(days=1))
        planned = Domain("planned_start", "<", end) & Domain("work_state", "in", DAY_STATES)
        return (
            self._work_order_domain()
            & planned
            & (Domain("work_state", "in", OPEN_WORK_STATES) | Domain("planned_start", ">=", start))
        )

    def _keys_in_workshop(self, company):
        """The cars of ``company`` whose key is in the key box, and those whose key is out."""
        logs = self.env["jingpin.key.log"]._get_current_logs(company_id=company.id)
        return {
            action: logs.filtered(lambda log, action=action: log.action == action).vehicle_id
            for action in ("check_in", "check_out")
        }

    def _late_work_orders(self, company=None):
        """Open work orders past their promised completion, or expected to end after it."""
        now = fields.Datetime.now()
        tasks = self.env["project.task"].search(
            self._open_work_order_domain(company) & Domain("promised_datetime", "!=", False),
        )
        return tasks.filtered(
            lambda task: task.promised_datetime < now
            or (task.expected_end and task.expected_end > task.promised_datetime)
        )

    def _approval_domain(self):
        """Orders waiting for the current user's level: the general manager's, or the manager's."""
        state = "to_approve_gm" if self.env.user.has_group("jingpin_accessories.group_jingpin_gm") else "to_approve"
        return (
            Domain("jingpin_approval_state", "=", state)
            & Domain("jingpin_can_decide", "=", True)
            & Domain("company_id", "in", self.company_id.ids)
        )

    def _promotion_approval_domain(self):
        """Submitted promotions the general manager may approve: not those he created, submitted or runs."""
        return self.env["jingpin.promotion"]._approval_decidable_domain() & Domain(
            "company_id", "in", self.company_id.ids
        )

    def _due_bill_domain(self, overdue=False):
        domain = Domain("company_id", "in", self.company_id.ids)
        if overdue:
            return domain & Domain("state", "=", "signed") & Domain("promised_date", "<", self._today())
        return domain & Domain("state", "in", ("draft", "signed"))

    def _sales_domain(self):
        return (
            Domain("jingpin_channel", "!=", False)
            & Domain("state", "=", "sale")
            & Domain("date_order", ">=", self._month_start())
            & Domain("company_id", "in", self.company_id.ids)
        )

    @api.model
    def _get_sales_plan_amounts(self, month):
        """{company: planned amount} for the month starting on ``month``, from the approved sales
        plans (R3)."""
        return self.env["jingpin.sales.plan"].sudo()._get_plan_amounts(month)

    # === ACTIONS === #
    def _window_action(self, xml_id, domain, name=None, views_first=None):
        action = self.env["ir.actions.act_window"]._for_xml_id(xml_id)
        metrics = dict(self._fields["metric"]._description_selection(self.env))
        name = name or metrics[self.metric]
        action.update(domain=list(domain), context={}, name=name, display_name=name)
        if views_first:
            action["views"] = sorted(action["views"], key=lambda view: view[1] != views_first)
        return action

    def _work_order_action(self, domain, name=None):
        return self._window_action(
            "jingpin_accessories.project_task_action_work_order",
            domain,
            name=name,
            views_first="list",
        )

    @api.readonly
    def action_open(self):
        """Open the records the card counts."""
        self.ensure_one()
        if self.metric == "today":
            return self._work_order_action(self._today_domain())
        if self.metric == "workshop":
            keys = self._keys_in_workshop(self.company_id)
            vehicles = keys["check_in"] | keys["check_out"]
            return self._work_order_action(self._open_work_order_domain() & Domain("vehicle_id", "in", vehicles.ids))
        if self.metric == "keys_out":
            return self._window_action(
                "jingpin_accessories.jingpin_key_board_action",
                Domain("company_id", "=", self.company_id.id),
            )
        if self.metric == "late":
            return self._work_order_action(Domain("id", "in", self._late_work_orders().ids))
        if self.metric == "approvals":
            return self._window_action("jingpin_accessories.sale_order_action_to_approve", self._approval_domain())
        if self.metric == "due_bills":
            return self._window_action("jingpin_accessories.jingpin_due_bill_action", self._due_bill_domain())
        return self._window_action("jingpin_accessories.sale_order_action_accessory", self._sales_domain())

    @api.readonly
    def action_open_work_state(self):
        """Open today's work orders in one step (the step comes with the button's context)."""
        self.ensure_one()
        state = self.env.context.get("work_state")
        if state not in DAY_STATES:
            return self.action_open()
        states = dict(self.env["project.task"]._fields["work_state"]._description_selection(self.env))
        return self._work_order_action(self._today_domain() & Domain("work_state", "=", state), name=states[state])

    @api.readonly
    def action_open_promotions(self):
        self.ensure_one()
        return self._window_action(
            "jingpin_accessories.jingpin_promotion_action",
            self._promotion_approval_domain(),
        )

    @api.readonly
    def action_open_overdue(self):
        self.ensure_one()
        return self._window_action("jingpin_accessories.jingpin_due_bill_action", self._due_bill_domain(overdue=True))
