import math

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

MANAGER_GROUP = "jingpin_accessories.group_jingpin_manager"
# Sales velocity: the average month of the last three full months.
VELOCITY_MONTHS = 3
# The order of the month must be confirmed (sent to the group) by this day of the month (R32).
CONFIRM_BY_DAY = 5
# All a client may change on the month's group purchase order: as its accessories manager, while it is
# a draft (its lines, within what purchase_order_line.DRAFT_FIELDS allows, its terms, its arrival date).
DRAFT_FIELDS = frozenset({"order_line", "note", "date_planned"})


class PurchaseOrder(models.Model):
    """The monthly accessory purchase order to the dealer group (R32, B9).

    On the 1st of each month the job drafts, for each dealership with a group supplier, one request
    for quotation to that supplier (the *suggestion*); the accessories manager can also draft it on
    demand. A partial unique index keeps it to one per dealership and month. Its lines are the
    accessories to buy, each with its quantity explained (:meth:`_jingpin_suggested_lines`). Only the
    accessories manager changes and confirms it; if it is not confirmed by the 5th he gets a to-do,
    once.
    """

    _name = "purchase.order"
    _inherit = ["purchase.order", "jingpin.guard"]

    jingpin_suggestion_month = fields.Date(
        string="Group Purchase of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The first day of the month this suggested group purchase order is for.",
    )
    jingpin_reminder_sent = fields.Boolean(string="Reminder Sent", readonly=True, copy=False)

    _jingpin_one_suggestion_per_month = models.UniqueIndex(
        "(company_id, jingpin_suggestion_month) WHERE jingpin_suggestion_month IS NOT NULL",
        "A dealership has one suggested group purchase order per month.",
    )

    def _jingpin_department_documents(self):
        return self.filtered("jingpin_suggestion_month")

    def write(self, vals):
        self.filtered("jingpin_suggestion_month")._jingpin_check_draft_change(vals.keys(), DRAFT_FIELDS)
        return super().write(vals)

    def _jingpin_state_documents(self):
        """The group purchase orders, and any purchase order of accessories."""
        return self.filtered(
            lambda order: order.jingpin_suggestion_month or any(order.order_line.product_id.mapped("is_accessory"))
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_suggestion(self):
        if self.filtered("jingpin_suggestion_month"):
            raise UserError(self.env._("The month's group purchase order is cancelled, not deleted."))

    # === ACTIONS === #
    # Odoo's own actions: the only writers of the order's state (the suggestion's, its manager's).
    def button_confirm(self):
        self.filtered("jingpin_suggestion_month")._jingpin_check_manager()
        return super(PurchaseOrder, self._jingpin_action()).button_confirm()

    def button_approve(self, force=False):
        self.filtered("jingpin_suggestion_month")._jingpin_check_manager()
        return super(PurchaseOrder, self._jingpin_action()).button_approve(force=force)

    def button_cancel(self):
        self.filtered("jingpin_suggestion_month")._jingpin_check_manager()
        return super(PurchaseOrder, self._jingpin_action()).button_cancel()

    def button_draft(self):
        self.filtered("jingpin_suggestion_month")._jingpin_check_manager()
        return super(PurchaseOrder, self._jingpin_action()).button_draft()

    def button_lock(self):
        self.filtered("jingpin_suggestion_month")._jingpin_check_manager()
        return super(PurchaseOrder, self._jingpin_action()).button_lock()

    def button_unlock(self):
        self.filtered("jingpin_suggestion_month")._jingpin_check_manager()
        return super(PurchaseOrder, self._jingpin_action()).button_unlock()

    def print_quotation(self):
        return super(PurchaseOrder, self._jingpin_action()).print_quotation()

    def message_post(self, **kwargs):
        # Odoo marks a request for quotation sent when it is mailed with this key
        orders = self._jingpin_action() if self.env.context.get("mark_rfq_as_sent") else self
        return super(PurchaseOrder, orders).message_post(**kwargs)

    @api.model
    def action_jingpin_suggest_group_purchase(self):
        """The manager drafts this month's group purchase order of his dealerships now (the job does
        it on the 1st), and opens them; a dealership without a group supplier is named in a warning."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("The accessories manager drafts the group purchase order."))
        companies = self.env.companies
        missing = companies.filtered(lambda company: not company.jingpin_group_supplier_id)
        month = fields.Date.context_today(self).replace(day=1)
        orders = self.sudo()._jingpin_suggest(companies - missing, month)
        action = self.env["ir.actions.act_window"]._for_xml_id("jingpin_accessories.purchase_order_group_action")
        action["domain"] = [("id", "in", orders.ids)]
        if not missing:
            return action
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "message": self.env._(
                    "Set the group's supplier of %s first (Settings › Accessories › Group Supplier).",
                    ", ".join(missing.mapped("name")),
                ),
                "next": action,
            },
        }

    # === THE MONTH'S SUGGESTION === #
    @api.model
    def _cron_jingpin_group_purchase(self):
        """Daily: the month's suggestion of every dealership with a group supplier, made once; from the
        5th, a to-do to the manager for each one not confirmed yet, once."""
        # the job's user need not work in every dealership
        orders = self.sudo()
        today = fields.Date.context_today(orders)
        companies = orders.env["res.company"]._jingpin_enabled_companies().filtered("jingpin_group_supplier_id")
        orders._jingpin_suggest(companies, today.replace(day=1))
        if today.day >= CONFIRM_BY_DAY:
            orders._jingpin_remind(today.replace(day=1))

    @api.model
    def _jingpin_suggest(self, companies, month):
        """The suggestions of ``companies`` for ``month``: the existing ones, and new ones drafted for
        the dealerships that have none."""
        existing = self.search([("company_id", "in", companies.ids), ("jingpin_suggestion_month", "=", month)])
        orders = existing
        for company in companies - existing.company_id:
            lines = self._jingpin_suggested_lines(company, month)
            orders |= (
                self.with_company(company)
                ._jingpin_server()
                .create(
                    {
                        "partner_id": company.jingpin_group_supplier_id.id,
                        "company_id": company.id,
                        "user_id": company.jingpin_manager_id.id,
                        "jingpin_suggestion_month": month,
                        "origin": self.with_context(lang=company.partner_id.lang or "en_US").env._(
                            "Group purchase %s", month.strftime("%Y-%m")
                        ),
                        "order_line": [
                            fields.Command.create(
                                {"product_id": product_id, "product_qty": quantity, "jingpin_velocity_note": note}
                            )
                            for product_id, quantity, note in lines
                        ],
                    }
                )
            )
        return orders

    @api.model
    def _jingpin_remind(self, month):
        """A to-do to the accessories manager on each suggestion of ``month`` not confirmed yet (once)."""
        late = self.search(
            [
                ("jingpin_suggestion_month", "=", month),
                ("state", "in", ("draft", "sent")),
                ("jingpin_reminder_sent", "=", False),
                ("company_id.jingpin_enabled", "=", True),
            ]
        )
        for order in late:
            env = order._in_company_lang()
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=(order.company_id.jingpin_manager_id or order.user_id or self.env.user).id,
                summary=env._("Confirm the group purchase order %s", order.name),
                note=env._(
                    "The month's accessory purchase order to the group must be confirmed by day %(day)s of "
                    "the month. Review the quantities of %(order)s and confirm it.",
                    day=CONFIRM_BY_DAY,
                    order=order.name,
                ),
            )
        late._jingpin_server().write({"jingpin_reminder_sent": True})
        return late

    @api.model
    def _jingpin_suggested_lines(self, company, month):
        """The accessories to buy for ``month``: [(product id, quantity, explanation)].

        For each stored accessory of the dealership, the need of the month is the average month of
        what went to customers in the last three full months (returns deducted), scaled by the
        month's approved sales plan against the average accessory revenue of those three months:

            need = sold / 3 × plan of the month / (revenue of the 3 months / 3)   (factor 1 without plan
            or revenue)
            quantity = ⌈need − available − incoming⌉, when positive

        *available* is the stock of the dealership's internal locations except the loan location
        (what is lent out is not for sale), *incoming* what confirmed purchase orders still have to
        deliver. Odoo's reordering rules are not used: their minimum and maximum are fixed per
        product, while this order follows the month's sales and plan.
        """
        start = month - relativedelta(months=VELOCITY_MONTHS)
        factor, plan, revenue = self._jingpin_plan_factor(company, month, start)
        for model in ("stock.move", "stock.quant", "purchase.order.line", "product.product"):
            self.env[model].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH accessory AS (
                    SELECT pp.id AS product_id
                      FROM product_product pp
                      JOIN product_template pt ON pt.id = pp.product_tmpl_id
                     WHERE pt.is_accessory AND pt.is_storable AND pt.active AND pp.active
                       AND pt.purchase_ok AND (pt.company_id IS NULL OR pt.company_id = %(company)s)
                ), sold AS (
                    SELECT m.product_id,
                           SUM(CASE WHEN dest.usage = 'customer' THEN m.product_qty ELSE -m.product_qty END) AS qty
                      FROM stock_move m
                      JOIN stock_location src ON src.id = m.location_id
                      JOIN stock_location dest ON dest.id = m.location_dest_id
                     WHERE m.state = 'done' AND m.company_id = %(company)s
                       AND m.date >= %(start)s AND m.date < %(month)s
                       AND (dest.usage = 'customer') != (src.usage = 'customer')
                     GROUP BY m.product_id
                ), stock AS (
                    SELECT q.product_id,
                           SUM(q.quantity) FILTER (WHERE q.location_id != %(loan)s) AS available,
                           SUM(q.quantity) FILTER (WHERE q.location_id = %(loan)s) AS lent
                      FROM stock_quant q
                      JOIN stock_location l ON l.id = q.location_id AND l.usage = 'internal'
                     WHERE q.company_id = %(company)s
                     GROUP BY q.product_id
                ), incoming AS (
                    SELECT pol.product_id, SUM(pol.product_qty - pol.qty_received) AS qty
                      FROM purchase_order_line pol
                      JOIN purchase_order po ON po.id = pol.order_id
                     WHERE po.company_id = %(company)s AND po.state IN ('to approve', 'purchase')
                       AND pol.product_qty > pol.qty_received
                     GROUP BY pol.product_id
                )
                SELECT a.product_id, COALESCE(sold.qty, 0), COALESCE(stock.available, 0),
                       COALESCE(stock.lent, 0), COALESCE(incoming.qty, 0)
                  FROM accessory a
                  JOIN sold ON sold.product_id = a.product_id
                  LEFT JOIN stock ON stock.product_id = a.product_id
                  LEFT JOIN incoming ON incoming.product_id = a.product_id
                 WHERE sold.qty > 0
                 ORDER BY a.product_id
                """,
                company=company.id,
                start=start,
                month=month,
                loan=company.jingpin_loan_location_id.id or 0,
            )
        )
        env = self.with_context(lang=company.partner_id.lang or "en_US").env
        lines = []
        for product_id, sold, available, lent, incoming in self.env.cr.fetchall():
            need = sold / VELOCITY_MONTHS * factor
            quantity = math.ceil(round(need - available - incoming, 6))
            if quantity <= 0:
                continue
            lines.append(
                (
                    product_id,
                    quantity,
                    env._(
                        "Sold %(sold)s in %(months)s months (%(velocity).1f a month) × plan factor %(factor).2f "
                        "(plan %(plan).0f / average revenue %(revenue).0f) = %(need).1f needed; available "
                        "%(available)s (%(lent)s lent out, not counted), incoming %(incoming)s.",
                        sold=sold,
                        months=VELOCITY_MONTHS,
                        velocity=sold / VELOCITY_MONTHS,
                        factor=factor,
                        plan=plan,
                        revenue=revenue,
                        need=need,
                        available=available,
                        lent=lent,
                        incoming=incoming,
                    ),
                )
            )
        return lines

    @api.model
    def _jingpin_plan_factor(self, company, month, start):
        """(factor, planned revenue of ``month``, average monthly revenue since ``start``): the
        factor is the month's approved plan against the average, to the hundredth; 1 when either is
        missing."""
        plan_lines = (
            self.env["jingpin.sales.plan.line"]
            .sudo()
            .search(
                [
                    ("plan_id.state", "=", "approved"),
                    ("company_id", "=", company.id),
                    ("plan_id.year", "=", month.year),
                    ("month_number", "=", month.month),
                ]
            )
        )
        plan = sum(plan_lines.mapped("amount"))
        figures = (
            self.env["sale.order.line"].sudo()._jingpin_revenue_by_month(company, start, month - relativedelta(days=1))
        )
        revenue = sum(figure["confirmed"] for figure in figures.values()) / VELOCITY_MONTHS
        factor = round(plan / revenue, 2) if plan > 0 and revenue > 0 else 1.0
        return factor, plan, revenue

    def _jingpin_check_manager(self):
        if not self or self.env.su:
            return
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only the accessories manager changes and confirms the month's group purchase order.")
            )
        foreign = self.company_id - self.env.user.company_ids
        if foreign:
            raise AccessError(
                self.env._(
                    "The group purchase order of %s is not one of your dealerships': its own manager reviews it.",
                    ", ".join(foreign.mapped("name")),
                )
            )

    def _jingpin_check_draft_change(self, names, allowed, model=None):
        """A client changes the month's group purchase order (``self``) as its accessories manager,
        while it is a draft, and only ``allowed`` of it (``names``: what he changes); the order's own
        actions, the addon's jobs and Odoo's procurement (as superuser) are not clients. ``names``
        are fields of ``model`` (the order's by default)."""
        if not self or self._jingpin_is_server() or self._jingpin_in_action() or self.env.su:
            return
        self._jingpin_check_manager()
        confirmed = self.filtered(lambda order: order.state not in ("draft", "sent"))
        if confirmed:
            raise UserError(
                self.env._(
                    "The group purchase order %s is no draft any more: nothing of it changes. Cancel it and "
                    "set it back to draft to review it again.",
                    ", ".join(confirmed.mapped("name")),
                )
            )
        refused = set(names) - allowed
        if refused:
            fields_of = (model or self)._fields
            labels = sorted(
                fields_of[name]._description_string(self.env) if name in fields_of else name for name in refused
            )
            raise AccessError(
                self.env._(
                    "%(fields)s of the group purchase order are not reviewed by hand: the manager changes the "
                    "quantities of its lines, adds or removes accessories, and its terms and arrival date.",
                    fields=", ".join(f"“{label}”" for label in labels),
                )
            )
