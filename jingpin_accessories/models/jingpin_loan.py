from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import clean_context

SPECIALIST_GROUP = "jingpin_accessories.group_jingpin_specialist"
MANAGER_GROUP = "jingpin_accessories.group_jingpin_manager"
# What the loan is about: chosen while it is a draft, then fixed.
SUBJECT_FIELDS = frozenset({"borrower_kind", "borrower", "partner_id", "purpose", "date_due", "line_ids"})


class JingpinLoan(models.Model):
    """Accessories lent out (外借精品登记, R30) to a department, a person or a customer's trial.

    Lending moves the accessories from the dealership's stock to its loan location (an internal
    location, so the stock value does not change) through an internal transfer the server
    validates; returning moves them back, in parts if need be. ``state``, the transfers, the
    returned quantities, the dates and the audit are the server's (``jingpin.guard``); they change
    only through:

    ======== ======== ============================================== ===================
    From     To       Guard, and what it does                        Who
    ======== ======== ============================================== ===================
    draft    lent     lines with positive quantities, all in stock:  specialist
                      transfer stock → loan location, done
    lent     lent     some items back: transfer loan location →      specialist
                      stock, done, returned quantities grow
    lent     returned every item back (same transfer)                specialist
    returned audited  the manager checked the register; he did not   accessories manager
                      register, lend or take back the loan himself
    (late)   lent     due date passed: the specialist and the        the daily job
                      manager get an activity, once
    ======== ======== ============================================== ===================

    A loan is never copied, and deleted only as a draft.
    """

    _name = "jingpin.loan"
    _description = "Accessory Loan"
    _inherit = ["mail.thread", "mail.activity.mixin", "jingpin.guard"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(readonly=True, required=True, copy=False, default=lambda self: self.env._("New"))
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    borrower_kind = fields.Selection(
        [("department", "Department"), ("person", "Person"), ("customer", "Customer Trial")],
        string="Lent To",
        required=True,
        default="department",
    )
    borrower = fields.Char(required=True, help="The department or the person who has the accessories.")
    partner_id = fields.Many2one("res.partner", string="Customer", check_company=True)
    purpose = fields.Text(required=True)
    date_due = fields.Date(string="Due Back", required=True, tracking=True)
    line_ids = fields.One2many("jingpin.loan.line", "loan_id", string="Accessories")
    user_id = fields.Many2one(
        "res.users", string="Specialist", readonly=True, index=True, default=lambda self: self.env.user
    )
    state = fields.Selection(
        [("draft", "Draft"), ("lent", "Lent"), ("returned", "Returned"), ("audited", "Audited")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
        index=True,
    )
    date_lent = fields.Date(readonly=True, copy=False)
    date_returned = fields.Date(readonly=True, copy=False)
    picking_ids = fields.Many2many("stock.picking", string="Transfers", readonly=True, copy=False)
    overdue_notified_on = fields.Datetime(readonly=True, copy=False)
    audited_by_id = fields.Many2one("res.users", string="Audited By", readonly=True, copy=False)
    audited_on = fields.Datetime(readonly=True, copy=False)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")

    @api.depends("state", "date_due")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for loan in self:
            loan.is_overdue = loan.state == "lent" and loan.date_due < today

    def _search_is_overdue(self, operator, value):
        if operator != "in":
            return NotImplemented
        overdue = [("state", "=", "lent"), ("date_due", "<", fields.Date.context_today(self))]
        return overdue if True in value else ["!", "&", *overdue]

    # === CRUD === #
    def _jingpin_refused_fields(self, vals):
        refused = super()._jingpin_refused_fields(vals)
        if not self:
            return refused
        refused |= vals.keys() & {"company_id"}
        if self.filtered(lambda loan: loan.state != "draft"):
            refused |= vals.keys() & SUBJECT_FIELDS
        return refused

    @api.model_create_multi
    def create(self, vals_list):
        loans = super().create(vals_list)
        loans._check_specialist()
        for loan in loans:
            loan._jingpin_server().name = self.env["ir.sequence"].next_by_code("jingpin.loan") or loan.name
        return loans

    def copy_data(self, default=None):
        raise UserError(self.env._("A loan is not copied: register a new one."))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_lent(self):
        if self.filtered(lambda loan: loan.state != "draft"):
            raise UserError(self.env._("Only a draft loan is deleted: the register keeps every loan made."))

    # === ACTIONS === #
    def action_lend(self):
        """The accessories leave the stock for the loan location."""
        self._check_specialist()
        for loan in self:
            loan._check_state(("draft",))
            if not loan.line_ids:
                raise UserError(self.env._("Add the accessories lent on %s.", loan.name))
            if loan.borrower_kind == "customer" and not loan.partner_id:
                raise UserError(self.env._("Name the customer trying the accessories of %s.", loan.name))
            warehouse = loan._warehouse()
            loan._transfer(
                warehouse.lot_stock_id,
                loan.company_id._jingpin_loan_location(),
                [(line.product_id, line.quantity) for line in loan.line_ids],
            )
            loan._jingpin_server().write({"state": "lent", "date_lent": fields.Date.context_today(loan)})
        return True

    def action_return(self):
        """Everything still out comes back."""
        for loan in self:
            loan.action_return_items([(line.id, line.quantity - line.quantity_returned) for line in loan.line_ids])
        return True

    def action_return_items(self, returns):
        """Items come back (``returns``: pairs of loan line id and quantity). The loan is returned
        once every item is back."""
        self.ensure_one()
        self._check_specialist()
        self._check_state(("lent",))
        lines = {line.id: line for line in self.line_ids}
        # a line named twice in one call comes back once, with both quantities
        totals = {}
        for line_id, quantity in returns:
            if line_id not in lines:
                raise UserError(self.env._("Return only the accessories of loan %s.", self.name))
            if lines[line_id].product_id.uom_id.compare(quantity, 0) < 0:
                raise UserError(
                    self.env._("Say how many of each accessory come back on %s: no negative quantity.", self.name)
                )
            totals[line_id] = totals.get(line_id, 0.0) + quantity
        moves = []
        for line_id, quantity in totals.items():
            line = lines[line_id]
            if line.product_id.uom_id.compare(quantity, 0) < 0 or (
                line.product_id.uom_id.compare(line.quantity_returned + quantity, line.quantity) > 0
            ):
                raise UserError(
                    self.env._(
                        "%(quantity)s × %(product)s cannot come back on %(loan)s: %(out)s are out.",
                        quantity=quantity,
                        product=line.product_id.display_name,
                        loan=self.name,
                        out=line.quantity - line.quantity_returned,
                    )
                )
            if line.product_id.uom_id.compare(quantity, 0) > 0:
                moves.append((line, quantity))
        if not moves:
            raise UserError(self.env._("Say which accessories of %s come back.", self.name))
        self._transfer(
            self.company_id._jingpin_loan_location(),
            self._warehouse().lot_stock_id,
            [(line.product_id, quantity) for line, quantity in moves],
        )
        for line, quantity in moves:
            line._jingpin_server().quantity_returned = line.quantity_returned + quantity
        if all(line.product_id.uom_id.compare(line.quantity_returned, line.quantity) >= 0 for line in self.line_ids):
            self._jingpin_server().write({"state": "returned", "date_returned": fields.Date.context_today(self)})
            self._jingpin_server().activity_feedback(["mail.mail_activity_data_todo"], only_automated=False)
        return True

    def action_audit(self):
        """The accessories manager checked the register: returned loans are audited."""
        self.check_access("write")
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("The accessories manager audits the loans register."))
        for loan in self:
            loan._check_state(("returned",))
            if self.env.user in loan._jingpin_handlers():
                raise AccessError(
                    self.env._(
                        "You registered, lent or took back loan %s: another accessories manager audits it.",
                        loan.name,
                    )
                )
        self._jingpin_server().write(
            {"state": "audited", "audited_by_id": self.env.user.id, "audited_on": fields.Datetime.now()}
        )
        return True

    # === BUSINESS METHODS === #
    def _jingpin_handlers(self):
        """Who registered the loan or moved its accessories: none of them audits it."""
        self.ensure_one()
        return self.user_id | self.create_uid | self.sudo().picking_ids.create_uid

    def _check_specialist(self):
        self.check_access("write")
        if not self.env.user.has_group(SPECIALIST_GROUP):
            raise AccessError(self.env._("The accessories specialist or manager registers loans."))

    def _check_state(self, states):
        if self.state not in states:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Loan %(loan)s is “%(state)s”: this cannot be done now.", loan=self.name, state=labels[self.state]
                )
            )

    def _warehouse(self):
        warehouse = self.env["stock.warehouse"].sudo().search([("company_id", "=", self.company_id.id)], limit=1)
        if not warehouse:
            raise UserError(self.env._("%s has no warehouse to lend accessories from.", self.company_id.name))
        return warehouse

    def _transfer(self, source, destination, quantities):
        """An internal transfer of ``quantities`` (product, quantity pairs), validated now: it is
        refused if the stock is not there."""
        picking_type = self._warehouse().int_type_id
        # the transfer takes only the values chosen here: no default_* key of the caller
        Picking = self.env["stock.picking"].with_context(clean_context(self.env.context))  # pylint: disable=context-overridden
        picking = Picking.create(
            {
                "picking_type_id": picking_type.id,
                "company_id": self.company_id.id,
                "partner_id": self.partner_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "origin": f"{self.name} · {self.borrower}",
                "move_ids": [
                    fields.Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                            "company_id": self.company_id.id,
                        }
                    )
                    for product, quantity in quantities
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        short = picking.move_ids.filtered(
            lambda move: move.product_uom.compare(move.quantity, move.product_uom_qty) < 0
        )
        if short:
            raise UserError(
                self.env._(
                    "Not enough in %(location)s for %(loan)s: %(products)s.",
                    location=source.display_name,
                    loan=self.name,
                    products=", ".join(short.product_id.mapped("display_name")),
                )
            )
        picking.move_ids.picked = True
        # linked first: the transfer is validated against the loan it is for
        self._jingpin_server().picking_ids = [fields.Command.link(picking.id)]
        picking._action_done()
        return picking

    @api.model
    def _cron_notify_overdue(self):
        """Loans not back by their due date: the specialist and the manager get an activity, once."""
        today = fields.Date.context_today(self)
        overdue = self.search(
            [("is_overdue", "=", True), ("overdue_notified_on", "=", False), ("company_id.jingpin_enabled", "=", True)]
        )
        for loan in overdue:
            env = loan._in_company_lang()
            for user in loan.user_id | loan.company_id.jingpin_manager_id:
                loan.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=today,
                    user_id=user.id,
                    summary=env._("Loan %s is overdue", loan.name),
                    note=env._(
                        "%(borrower)s was to return the accessories by %(due)s.",
                        borrower=loan.borrower,
                        due=fields.Date.to_string(loan.date_due),
                    ),
                )
        overdue._jingpin_server().overdue_notified_on = fields.Datetime.now()
        return overdue


class JingpinLoanLine(models.Model):
    """An accessory lent, and how many came back (the server's)."""

    _name = "jingpin.loan.line"
    _description = "Accessory Loan Line"
    _inherit = ["jingpin.guard"]
    _check_company_auto = True

    loan_id = fields.Many2one("jingpin.loan", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="loan_id.company_id", store=True, index=True)
    product_id = fields.Many2one(
        "product.product",
        string="Accessory",
        required=True,
        check_company=True,
        domain=[("is_accessory", "=", True), ("is_storable", "=", True)],
    )
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit")
    quantity_returned = fields.Float(string="Returned", readonly=True, digits="Product Unit", copy=False)

    _quantity_positive = models.Constraint("CHECK(quantity > 0)", "The quantity lent must be positive.")

    def _jingpin_refused_fields(self, vals):
        refused = super()._jingpin_refused_fields(vals)
        if self.loan_id.filtered(lambda loan: loan.state != "draft"):
            refused |= vals.keys()
        if self:
            refused |= vals.keys() & {"loan_id"}
        return refused

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self._jingpin_is_server() and lines.loan_id.filtered(lambda loan: loan.state != "draft"):
            raise UserError(self.env._("Accessories are added to a loan only while it is a draft."))
        return lines

    @api.ondelete(at_uninstall=False)
    def _unlink_except_lent(self):
        if self.loan_id.filtered(lambda loan: loan.state != "draft"):
            raise UserError(self.env._("The accessories of a loan made stay on it."))
