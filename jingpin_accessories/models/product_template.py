from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

# Fields whose change means the printed price sheet is out of date.
PRICE_SHEET_FIELDS = ("list_price", "on_price_sheet", "sale_ok", "active", "is_accessory")
# The provenance classes every part sold must be labelled with (《汽车销售管理办法》).
PROVENANCE_CLASSES = [
    ("oem", "OEM"),
    ("equivalent", "Equivalent Quality"),
    ("remanufactured", "Remanufactured"),
    ("reused", "Reused"),
]
# Where an accessory comes from (精品来源): the group splits its figures by source.
ACCESSORY_SOURCES = [
    ("oem", "OEM"),
    ("group", "Group-Purchased"),
    ("dealer", "Dealership-Sourced"),
]


class ProductTemplate(models.Model):
    _name = "product.template"
    _inherit = ["product.template", "jingpin.guard"]

    # === FIELDS === #
    # Prices of different products add up to nothing: the price sheet's category rows (and any list
    # grouped by category) showed their sum as a figure.
    list_price = fields.Float(aggregator=False)
    is_accessory = fields.Boolean(
        string="Is an Accessory",
        index=True,
        tracking=True,
        help="Sold and installed by the accessories department (精品部).",
    )
    jingpin_source = fields.Selection(
        ACCESSORY_SOURCES,
        string="Accessory Source",
        default="oem",
        tracking=True,
        help="Where the accessory comes from: the car maker (厂家), bought centrally by the dealer group "
        "(集采) or sourced by the dealership itself (自集). The group's figures are split by source.",
    )
    is_accessory_package = fields.Boolean(
        string="Is an Accessory Package",
        compute="_compute_is_accessory_package",
        search="_search_is_accessory_package",
    )
    labour_minutes = fields.Integer(
        string="Standard Labour (min)",
        tracking=True,
        help="Standard labour time (标准工时) to install one unit, in minutes.",
    )
    needs_install = fields.Boolean(
        string="Needs Installation",
        tracking=True,
        help="Installed in the workshop against a work order.",
    )
    vehicle_model_ids = fields.Many2many(
        "fleet.vehicle.model",
        string="Fits Vehicle Models",
        help="The vehicle models this accessory fits. Leave empty for a universal accessory.",
    )
    on_price_sheet = fields.Boolean(
        default=True,
        help="Listed on the price sheet given to sales consultants and the after-sales front desk.",
    )
    jingpin_on_display = fields.Boolean(
        string="On Display",
        company_dependent=True,
        help="Shown in this dealership's display area with a price tag from the price sheet.",
    )
    jingpin_price_changed_on = fields.Datetime(
        string="Price Changed On",
        readonly=True,
        copy=False,
        help="When the accessory went on the price sheet or its price last changed.",
    )
    jingpin_price_tag_outdated = fields.Boolean(
        string="Price Tag Out of Date",
        compute="_compute_jingpin_price_tag_outdated",
        search="_search_jingpin_price_tag_outdated",
        help="On display, on the price sheet, and its price changed after this dealership last printed the "
        "price sheet (or it never printed one): the tag in the display area shows an old price.",
    )

    jingpin_provenance = fields.Selection(
        PROVENANCE_CLASSES,
        string="Provenance",
        tracking=True,
        help="The provenance class the law requires on every part sold: OEM (原厂), equivalent quality "
        "(质量相当), remanufactured (再制造) or reused (回用). Required before the accessory is published "
        "on the price sheet.",
    )
    jingpin_producer = fields.Char(
        string="Producer",
        tracking=True,
        help="Who made the part (生产厂家), as labelled for the customer.",
    )

    # === CONSTRAINTS === #
    _labour_minutes_positive = models.Constraint(
        "CHECK(labour_minutes >= 0)",
        "The standard labour time cannot be negative.",
    )

    # === COMPUTES === #
    @api.depends("is_accessory", "type")
    def _compute_is_accessory_package(self):
        for template in self:
            template.is_accessory_package = template.is_accessory and template.type == "combo"

    def _search_is_accessory_package(self, operator, value):
        if operator != "in":
            return NotImplemented
        if True in value:
            return [("is_accessory", "=", True), ("type", "=", "combo")]
        return ["|", ("is_accessory", "=", False), ("type", "!=", "combo")]

    @api.depends_context("company")
    @api.depends("jingpin_on_display", "jingpin_price_changed_on", "is_accessory", "on_price_sheet", "sale_ok")
    def _compute_jingpin_price_tag_outdated(self):
        printed_on = self.env.company.jingpin_price_sheet_printed_on
        for template in self:
            changed_on = template.jingpin_price_changed_on
            template.jingpin_price_tag_outdated = (
                template.jingpin_on_display
                and template._is_on_price_sheet()
                and (not printed_on or bool(changed_on and changed_on > printed_on))
            )

    def _search_jingpin_price_tag_outdated(self, operator, value):
        if operator != "in":
            return NotImplemented
        printed_on = self.env.company.jingpin_price_sheet_printed_on
        outdated = Domain(
            [
                ("jingpin_on_display", "=", True),
                ("is_accessory", "=", True),
                ("on_price_sheet", "=", True),
                ("sale_ok", "=", True),
            ]
        )
        if printed_on:
            outdated &= Domain("jingpin_price_changed_on", ">", printed_on)
        return outdated if True in value else ~outdated

    @api.constrains("is_accessory", "categ_id")
    def _check_accessory_category(self):
        for template in self.filtered("is_accessory"):
            if not template.categ_id.is_accessory_category:
                raise ValidationError(
                    self.env._(
                        "Accessory “%(product)s” must be in an accessory category, not in “%(category)s”. "
                        "Choose a category under “Accessories”.",
                        product=template.display_name,
                        category=template.categ_id.display_name,
                    )
                )

    @api.constrains("needs_install", "labour_minutes", "type")
    def _check_install_labour(self):
        for template in self:
            if template.labour_minutes < 0:
                raise ValidationError(
                    self.env._(
                        "The standard labour time of “%s” cannot be negative.",
                        template.display_name,
                    )
                )
            if template.needs_install and template.type != "combo" and not template.labour_minutes:
                raise ValidationError(
                    self.env._(
                        "Accessory “%s” needs installation: enter its standard labour time in minutes.",
                        template.display_name,
                    )
                )

    @api.constrains("is_accessory", "type", "combo_ids")
    def _check_package_components(self):
        for template in self.filtered("is_accessory_package"):
            components = template.combo_ids.combo_item_ids.product_id.product_tmpl_id
            not_accessories = components.filtered(lambda c: not c.is_accessory)
            if not_accessories:
                raise ValidationError(
                    self.env._(
                        "Package “%(package)s” may only contain accessories. Mark these products as "
                        "accessories or remove them from the package: %(products)s",
                        package=template.display_name,
                        products=", ".join(not_accessories.mapped("display_name")),
                    )
                )

    # === CRUD === #
    @api.model_create_multi
    def create(self, vals_list):
        templates = super().create(vals_list)
        published = templates.filtered(lambda t: t._is_on_price_sheet())
        if published:
            published._jingpin_server().jingpin_price_changed_on = fields.Datetime.now()
            published._notify_price_sheet_change([(template, None, template.list_price) for template in published])
        return templates

    def write(self, vals):
        if "jingpin_source" in vals:
            self.env["jingpin.figure.stale"]._mark_products(self.ids)
        if not any(fname in vals for fname in PRICE_SHEET_FIELDS):
            return super().write(vals)
        before = {template: (template._is_on_price_sheet(), template.list_price) for template in self}
        result = super().write(vals)
        changes = []
        for template, (was_listed, old_price) in before.items():
            if not template._is_on_price_sheet():
                continue
            if not was_listed:
                changes.append((template, None, template.list_price))
            elif template.currency_id.compare_amounts(old_price, template.list_price):
                changes.append((template, old_price, template.list_price))
        if changes:
            self.browse([template.id for template, _old, _new in changes])._jingpin_server().write(
                {"jingpin_price_changed_on": fields.Datetime.now()}
            )
            self._notify_price_sheet_change(changes)
        return result

    # === BUSINESS METHODS === #
    def _is_on_price_sheet(self):
        self.ensure_one()
        return self.is_accessory and self.on_price_sheet and self.sale_ok and self.active

    @api.model
    def _notify_price_sheet_change(self, changes):
        """Tell the people who sell that the price sheet changed: one post per change set.

        :param changes: list of (template, old price or None for a new accessory, new price)
        """
        channel = self.env.ref("jingpin_accessories.channel_price_sheet", raise_if_not_found=False)
        if not channel or self.env.context.get("install_mode"):
            return
        rows = []
        for template, old, new in changes:
            if old is None:
                text = self.env._(
                    "New: %(product)s at %(price)s",
                    product=template.display_name,
                    price=template.currency_id.format(new),
                )
            else:
                text = self.env._(
                    "%(product)s: %(old)s → %(new)s",
                    product=template.display_name,
                    old=template.currency_id.format(old),
                    new=template.currency_id.format(new),
                )
            rows.append(Markup("<li>%s</li>") % text)
        body = Markup("<p>%s</p><ul>%s</ul><p>%s</p>") % (
            self.env._("The accessory price sheet has changed:"),
            Markup().join(rows),
            self.env._("Print the current price sheet from Accessories › Catalogue › Price Sheet."),
        )
        # A system notice in the department's channel, posted by OdooBot rather than by the
        # user who changed the price (who may not be a member of the channel).
        channel.sudo().message_post(
            body=body,
            subject=self.env._("Accessory price sheet updated"),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=self.env.ref("base.partner_root").id,
        )

    def action_print_price_sheet(self):
        """Print the price sheet of the current company's listed accessories and packages (the
        whole sheet, whichever rows are selected): the dealership's price tags are checked against
        this print from now on. Rendering the report alone marks nothing."""
        report = self.env.ref("jingpin_accessories.action_report_price_sheet")
        if not self.env.su and not self.env.user.has_group("sales_team.group_sale_salesman"):
            raise AccessError(self.env._("Only the sales staff print the price sheet."))
        templates = self.search(self._price_sheet_domain())
        templates._check_provenance_published()
        # The company's print date (its sales staff cannot edit the company): the user was checked above.
        self.env.company.sudo().jingpin_price_sheet_printed_on = fields.Datetime.now()
        return report.report_action(templates)

    def _check_provenance_published(self):
        """Refuse to publish accessories that are not labelled with their provenance and producer."""
        unlabelled = self.filtered(
            lambda t: t.is_accessory and t.type != "combo" and not (t.jingpin_provenance and t.jingpin_producer)
        )
        if unlabelled:
            raise UserError(
                self.env._(
                    "These accessories cannot be published on the price sheet before their provenance "
                    "(OEM, equivalent quality, remanufactured or reused) and producer are entered: %s",
                    ", ".join(unlabelled.mapped("display_name")),
                )
            )

    @api.model
    def _price_sheet_domain(self):
        return [
            ("is_accessory", "=", True),
            ("on_price_sheet", "=", True),
            ("sale_ok", "=", True),
            ("company_id", "in", [False, self.env.company.id]),
        ]
