import hashlib
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .jingpin_robot_message import ROBOT_CONFIG_GROUPS, ROBOT_KINDS


class ResCompany(models.Model):
    _inherit = "res.company"

    jingpin_enabled = fields.Boolean(
        string="Accessories Department Enabled",
        help="This company is a dealership that runs an accessories department (精品部): the department's "
        "jobs (reports, reconciliation, reminders, checks, purchase orders) run for it. Other companies of "
        "the database (holding, finance, after-sales only...) are left alone.",
    )
    jingpin_figures_refreshed_at = fields.Datetime(
        string="Figures Refreshed At",
        readonly=True,
        help="When the dealership's daily figures (the dashboards' source) were last brought up to date: "
        "they count every change committed before then.",
    )
    jingpin_manager_limit_amount = fields.Monetary(
        string="Manager's Authority (Amount)",
        default=2000.0,
        help="The concessions (discounts, gifts and rebates) the accessories manager may grant on one "
        "order. Beyond this amount the general manager must approve before settlement.",
    )
    jingpin_manager_limit_percent = fields.Float(
        string="Manager's Authority (%)",
        default=10.0,
        help="The concessions the accessories manager may grant on one order, as a share of the order "
        "at approved prices. Beyond it the general manager must approve before settlement.",
    )
    jingpin_manager_id = fields.Many2one(
        "res.users",
        string="Accessories Manager",
        help="Receives the approval requests for concessions and is charged with value given beyond "
        "his authority without approval.",
    )
    jingpin_gm_id = fields.Many2one(
        "res.users",
        string="General Manager",
        help="Receives the approval requests for concessions beyond the manager's authority.",
    )
    jingpin_followup_days = fields.Integer(
        string="Follow-up After (Days)",
        default=3,
        help="Days after the handover on which the specialist calls the customer back (回访).",
    )
    jingpin_followup_retries = fields.Integer(
        string="Follow-up Retries",
        default=2,
        help="How many more times an unreached customer is called before the follow-up is closed as unreachable.",
    )
    jingpin_followup_retry_days = fields.Integer(
        string="Retry After (Days)",
        default=1,
        help="Days between two calls to a customer who was not reached.",
    )
    jingpin_complaint_days = fields.Integer(
        string="Complaint Deadline (Days)",
        default=3,
        help="Days to resolve a complaint; a late complaint is escalated to the accessories manager.",
    )
    jingpin_customer_sms_code = fields.Boolean(
        string="SMS Code Before the Customer Signs",
        help="A customer signing on his own phone first enters a code sent to his mobile by SMS.",
    )

    _jingpin_followup_days_positive = models.Constraint(
        "CHECK(jingpin_followup_days >= 0 AND jingpin_followup_retries >= 0 "
        "AND jingpin_followup_retry_days > 0 AND jingpin_complaint_days > 0)",
        "Follow-up and complaint delays cannot be negative; retries and complaints need at least a day.",
    )

    jingpin_daily_report_partner_ids = fields.Many2many(
        "res.partner",
        "res_company_jingpin_daily_report_partner_rel",
        string="Operations Report Recipients",
        help="Who at the dealer group receives the daily, weekly and monthly operations reports (精品营运日报表), "
        "besides the accessories manager.",
    )

    jingpin_price_sheet_printed_on = fields.Datetime(
        string="Price Sheet Printed On",
        readonly=True,
        help="When this dealership last printed the accessory price sheet: accessories on display whose "
        "price changed since then have out-of-date price tags.",
    )
    jingpin_stocktake_days = fields.Integer(
        string="Stocktake Every (Days)",
        default=90,
        help="How often the accessory stock is counted (每季度盘点): the inventory frequency of the "
        "dealership's stock locations. The manager is reminded a week before a count is due.",
    )
    jingpin_loan_location_id = fields.Many2one(
        "stock.location",
        string="Loan Location",
        readonly=True,
        help="Where accessories lent out (外借) are kept in the books until they come back: an internal "
        "location, so a loan does not change the stock value.",
    )

    jingpin_group_supplier_id = fields.Many2one(
        "res.partner",
        string="Group Supplier",
        help="The dealer group's purchasing company, to which the monthly accessory purchase order is sent "
        "(drafted on the 1st, confirmed by the 5th).",
    )

    # The group robot (R/B19): the webhook carries the robot's key and the secret signs DingTalk
    # posts, both credentials: read by the accessories manager and the administrator only.
    jingpin_robot_kind = fields.Selection(
        ROBOT_KINDS,
        string="Group Robot",
        help="The WeCom (企业微信) or DingTalk (钉钉) group robot that posts approvals waiting, late work "
        "orders, keys out at day end, escalated complaints and the daily report to the dealership's group.",
    )
    jingpin_robot_webhook = fields.Char(
        string="Robot Webhook URL",
        groups=ROBOT_CONFIG_GROUPS,
        help="The robot's webhook address as the group's robot settings show it "
        "(https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… or https://oapi.dingtalk.com/robot/send?access_token=…).",
    )
    jingpin_robot_secret = fields.Char(
        string="DingTalk Signing Secret",
        groups=ROBOT_CONFIG_GROUPS,
        help="The robot's 加签 secret (SEC…): each post is signed with it (HMAC-SHA256).",
    )

    _jingpin_stocktake_days_positive = models.Constraint(
        "CHECK(jingpin_stocktake_days > 0)", "The stocktake needs at least a day between two counts."
    )

    @api.constrains("jingpin_robot_kind", "jingpin_robot_webhook")
    def _check_jingpin_robot_webhook(self):
        for company in self.sudo():
            url = company.jingpin_robot_webhook
            if company.jingpin_robot_kind and not url:
                raise ValidationError(self.env._("Enter the robot's webhook URL, or choose no robot."))
            if url and (urlsplit(url).scheme not in ("https", "http") or not urlsplit(url).netloc):
                raise ValidationError(
                    self.env._(
                        "The robot's webhook URL must be a web address (https://…): copy it from the robot's settings."
                    )
                )

    def _jingpin_robot_env(self):
        """The environment robot messages are written in: the dealership's language."""
        self.ensure_one()
        return self.with_context(lang=self.partner_id.lang or "en_US").env

    def _jingpin_robot_key(self):
        """A digest naming the robot's webhook (the limit is per webhook); '' without a robot."""
        self.ensure_one()
        url = self.sudo().jingpin_robot_webhook
        return hashlib.sha256(url.encode()).hexdigest()[:32] if self.jingpin_robot_kind and url else ""

    def write(self, vals):
        result = super().write(vals)
        if "jingpin_stocktake_days" in vals:
            self._jingpin_sync_stocktake_frequency()
        return result

    @api.model
    def _jingpin_enabled_companies(self):
        """The dealerships whose accessories department the scheduled jobs serve."""
        return self.sudo().search([("jingpin_enabled", "=", True)])

    def _jingpin_stocktake_locations(self):
        """The stock locations of the dealerships' warehouses, where accessories are counted."""
        warehouses = self.env["stock.warehouse"].sudo().search([("company_id", "in", self.ids)])
        return (
            self.env["stock.location"]
            .sudo()
            .search([("id", "child_of", warehouses.lot_stock_id.ids), ("usage", "=", "internal")])
        )

    def _jingpin_sync_stocktake_frequency(self):
        """Odoo's cyclic count does the stocktake: each stock location is counted every
        ``jingpin_stocktake_days`` of its dealership."""
        for company in self:
            company._jingpin_stocktake_locations().filtered(
                lambda location, days=company.jingpin_stocktake_days: location.cyclic_inventory_frequency != days
            ).cyclic_inventory_frequency = company.jingpin_stocktake_days

    def _jingpin_loan_location(self):
        """The dealership's loan location, made the first time it lends."""
        self.ensure_one()
        if not self.sudo().jingpin_loan_location_id:
            warehouse = self.env["stock.warehouse"].sudo().search([("company_id", "=", self.id)], limit=1)
            location = (
                self.env["stock.location"]
                .sudo()
                .create(
                    {
                        "name": self.with_context(lang=self.partner_id.lang or "en_US").env._("Loaned Out"),
                        "usage": "internal",
                        "location_id": warehouse.view_location_id.id,
                        "company_id": self.id,
                    }
                )
            )
            self.sudo().jingpin_loan_location_id = location
        return self.sudo().jingpin_loan_location_id

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["project.project"]._create_install_projects(companies)
        return companies
