from dateutil.relativedelta import MO, relativedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError

SPECIALIST_GROUP = "jingpin_accessories.group_jingpin_specialist"
MANAGER_GROUP = "jingpin_accessories.group_jingpin_manager"
DISPLAY, PRICES, FIVE_S = "display", "price", "5s"
CHECK_AREAS = [
    (DISPLAY, "Display Area"),
    (PRICES, "Prices"),
    (FIVE_S, "5S"),
]


def checklist_points(env):
    """The weekly checklist (R39), in the language of ``env``: (area, point) pairs."""
    return [
        (DISPLAY, env._("Display area clean: shelves, counters and samples dusted")),
        (DISPLAY, env._("Every displayed accessory in its place, samples complete and working")),
        (DISPLAY, env._("Price tags on every displayed accessory")),
        (PRICES, env._("Displayed prices match the current price sheet (no accessory flagged out of date)")),
        (FIVE_S, env._("Sort (整理): nothing that does not belong in the display area")),
        (FIVE_S, env._("Set in order (整顿): tools and materials in their marked places")),
        (FIVE_S, env._("Shine (清扫): floor, windows and lighting clean")),
        (FIVE_S, env._("Standardize (清洁): last week's issues fixed")),
        (FIVE_S, env._("Sustain (素养): staff follow the display rules")),
    ]


class JingpinDisplayCheck(models.Model):
    """The week's check of a dealership's display area and displayed prices (R39, R7), made by the
    weekly job for each dealership with its checklist and a to-do for its specialists.

    ``state``, ``done_by_id``, ``done_on`` and the out-of-date accessories change only through these
    actions (``jingpin.guard``); checks are created by the weekly job only, one per dealership and week
    (a unique index):

    ===== ===== ============================================================ ==================
    From  To    Guard                                                        Who
    ===== ===== ============================================================ ==================
    open  done  every point answered; prices are not “OK” while a displayed  specialist, manager
                accessory's price is out of date
    ===== ===== ============================================================ ==================

    A done check keeps its answers: its lines are read-only for good.
    """

    _name = "jingpin.display.check"
    _description = "Display and Price Check"
    _inherit = ["mail.thread", "mail.activity.mixin", "jingpin.activity.request", "jingpin.guard"]
    _order = "week_start desc, company_id"
    _check_company_auto = True

    name = fields.Char(readonly=True, required=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    week_start = fields.Date(string="Week Of", required=True, readonly=True)
    line_ids = fields.One2many("jingpin.display.check.line", "check_id", string="Checklist")
    outdated_product_ids = fields.Many2many(
        "product.template",
        string="Prices Out of Date",
        readonly=True,
        help="The displayed accessories whose price changed after the price sheet was last printed: as "
        "found when the check was made, then when it was done.",
    )
    issue_count = fields.Integer(compute="_compute_issue_count", string="Issues")
    note = fields.Text(string="Improvements")
    done_by_id = fields.Many2one("res.users", string="Done By", readonly=True, copy=False)
    done_on = fields.Datetime(readonly=True, copy=False)
    state = fields.Selection(
        [("open", "To Do"), ("done", "Done")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
        index=True,
    )

    _company_week_uniq = models.UniqueIndex("(company_id, week_start)")

    @api.depends("line_ids.answer")
    def _compute_issue_count(self):
        for check in self:
            check.issue_count = len(check.line_ids.filtered(lambda line: line.answer == "issue"))

    @api.model_create_multi
    def create(self, vals_list):
        # copy() included: a check is the job's, for its dealership and week
        if not self._jingpin_is_server():
            raise AccessError(self.env._("Display checks are made by the weekly job, one per dealership and week."))
        return super().create(vals_list)

    def write(self, vals):
        if not self._jingpin_is_server() and self.filtered(lambda check: check.state == "done"):
            raise UserError(self.env._("A done display check keeps its results."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if self.filtered(lambda check: check.state == "done"):
            raise UserError(self.env._("A done display check keeps its results."))

    def action_done(self):
        self.check_access("write")
        if not self.env.su and not self.env.user.has_group(SPECIALIST_GROUP):
            raise AccessError(self.env._("The accessories specialist does the display check."))
        for check in self:
            if check.state != "open":
                raise UserError(self.env._("%s is already done.", check.name))
            unanswered = check.line_ids.filtered(lambda line: not line.answer)
            if unanswered:
                raise UserError(
                    self.env._(
                        "Answer every point of %(check)s: %(points)s", check=check.name, points=unanswered[0].name
                    )
                )
            outdated = check._outdated_products()
            if outdated and check.line_ids.filtered(lambda line: line.area == PRICES and line.answer == "ok"):
                raise UserError(
                    self.env._(
                        "The price tags of these displayed accessories are out of date: %s. Print the price "
                        "sheet and replace their tags, or answer the price points with an issue.",
                        ", ".join(outdated.mapped("display_name")),
                    )
                )
        for check in self:
            check._jingpin_server().write(
                {
                    "state": "done",
                    "done_by_id": self.env.user.id,
                    "done_on": fields.Datetime.now(),
                    "outdated_product_ids": [fields.Command.set(check._outdated_products().ids)],
                }
            )
        self._jingpin_server().activity_feedback(["mail.mail_activity_data_todo"], only_automated=False)
        return True

    def _outdated_products(self):
        self.ensure_one()
        return (
            self.env["product.template"]
            .with_company(self.company_id)
            .search([("jingpin_price_tag_outdated", "=", True), ("company_id", "in", [False, self.company_id.id])])
        )

    @api.model
    def _cron_create_weekly_checks(self, day=None):
        """Weekly: each dealership gets the check of the week of ``day`` (today by default), once,
        with a to-do for its specialists."""
        week_start = (day or fields.Date.context_today(self)) + relativedelta(weekday=MO(-1))
        companies = self.env["res.company"]._jingpin_enabled_companies()
        done = self.search([("week_start", "=", week_start)]).company_id
        for company in companies - done:
            env = self.with_context(lang=company.partner_id.lang or "en_US").env
            check = (
                self.with_env(env)
                ._jingpin_server()
                .create(
                    {
                        "name": env._("Display check, week of %s", week_start),
                        "company_id": company.id,
                        "week_start": week_start,
                        "line_ids": [
                            fields.Command.create({"sequence": sequence, "area": area, "name": point})
                            for sequence, (area, point) in enumerate(checklist_points(env))
                        ],
                    }
                )
            )
            check._jingpin_server().outdated_product_ids = check._outdated_products()
            check._jingpin_request_activity(
                "mail.mail_activity_data_todo",
                check._specialists(),
                date_deadline=week_start + relativedelta(days=5),
                summary=lambda user_env: user_env._("Check the display area and displayed prices"),
                note=lambda user_env: user_env._(
                    "Walk the display area with this week's checklist, answer every point and mark the check done."
                ),
            )

    def _specialists(self):
        """The dealership's specialists (not its managers), or its managers when it has none."""
        self.ensure_one()
        users = self.env["res.users"].search(
            [
                ("all_group_ids", "in", self.env.ref(SPECIALIST_GROUP).id),
                ("company_ids", "in", self.company_id.id),
                ("share", "=", False),
                ("id", "!=", SUPERUSER_ID),
            ]
        )
        manager_group = self.env.ref(MANAGER_GROUP)
        return users.filtered(lambda user: manager_group not in user.all_group_ids) or users


class JingpinDisplayCheckLine(models.Model):
    _name = "jingpin.display.check.line"
    _description = "Display Check Point"
    _inherit = ["jingpin.guard"]
    _order = "check_id, sequence, id"
    _check_company_auto = True

    check_id = fields.Many2one("jingpin.display.check", required=True, index=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="check_id.company_id", store=True, index=True)
    sequence = fields.Integer(readonly=True)
    area = fields.Selection(CHECK_AREAS, required=True, readonly=True)
    name = fields.Char(string="Point", required=True, readonly=True)
    answer = fields.Selection([("ok", "OK"), ("issue", "Issue")])
    note = fields.Char(string="Finding")

    @api.model_create_multi
    def create(self, vals_list):
        if not self._jingpin_is_server():
            raise AccessError(self.env._("The checklist comes with the weekly display check."))
        return super().create(vals_list)

    def write(self, vals):
        if not self._jingpin_is_server() and self.filtered(lambda line: line.check_id.state == "done"):
            raise UserError(self.env._("A done display check keeps its results."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_checklist(self):
        if not self._jingpin_is_server():
            raise UserError(self.env._("The checklist of a display check stays complete."))
