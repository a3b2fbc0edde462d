from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

SPECIALIST_GROUP = "jingpin_accessories.group_jingpin_specialist"
ISSUE_KINDS = [
    ("sale_delivery", "Sold, Not Delivered"),
    ("work_order_issue", "Installed, Not Issued"),
    ("loan_stock", "Loans Do Not Match the Loan Location"),
    ("negative_stock", "Negative Stock"),
    ("over_issue", "Issued Beyond Its Document"),
]
# An accessory line of a confirmed order, or an item of a work order, counts only for stored
# accessories (not packages or services).
ACCESSORY_PRODUCT = SQL(
    """JOIN product_product pp ON pp.id = %s
       JOIN product_template pt ON pt.id = pp.product_tmpl_id AND pt.is_accessory AND pt.is_storable""",
    SQL.identifier("line", "product_id"),
)


class JingpinReconciliationIssue(models.Model):
    """A mismatch found by the daily check (R29) that the business documents and the stock agree.

    The check runs each day (the job) and on demand; one query per kind, for every dealership at once.
    An issue stays open until an accessories specialist resolves it, saying what was done; a new run
    does not repeat an open issue (a unique index on dealership, kind and reference). Issues are made
    by the check only; ``state`` and who resolved it are the server's (``jingpin.guard``):

    ====== ======== =================================== ===================
    From   To       Guard                               Who
    ====== ======== =================================== ===================
    (run)  open     the mismatch is found, not yet open the check
    open   resolved a note saying what was done         specialist, manager
    ====== ======== =================================== ===================
    """

    _name = "jingpin.reconciliation.issue"
    _description = "Reconciliation Issue"
    _inherit = ["mail.thread", "jingpin.guard"]
    _order = "state, detected_on desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Mismatch", readonly=True, required=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    kind = fields.Selection(ISSUE_KINDS, required=True, readonly=True)
    reference = fields.Char(required=True, readonly=True, help="What the mismatch is about (model, record ids).")
    document_ref = fields.Reference(
        [
            ("sale.order", "Order"),
            ("project.task", "Work Order"),
            ("stock.location", "Location"),
            ("stock.picking", "Transfer"),
        ],
        string="Document",
        compute="_compute_document_ref",
        help="The order, work order, location or transfer the mismatch is found on.",
    )
    product_id = fields.Many2one("product.product", string="Accessory", readonly=True)
    expected_qty = fields.Float(string="Expected", readonly=True, digits="Product Unit")
    found_qty = fields.Float(string="Found", readonly=True, digits="Product Unit")
    detected_on = fields.Datetime(readonly=True, required=True, default=fields.Datetime.now)
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved")],
        default="open",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    resolution = fields.Text(tracking=True)
    resolved_by_id = fields.Many2one("res.users", string="Resolved By", readonly=True)
    resolved_on = fields.Datetime(readonly=True)

    _open_issue_uniq = models.UniqueIndex("(company_id, kind, reference) WHERE state = 'open'")

    # === COMPUTES === #
    @api.depends("reference")
    def _compute_document_ref(self):
        for issue in self:
            document = issue._document()
            issue.document_ref = f"{document._name},{document.id}" if document else False

    def _document(self):
        """The document a member of staff opens for this issue (the reference names an order line,
        a product or a move, which he does not open by itself), or None."""
        self.ensure_one()
        model, res_id = self.reference.split(",")[:2]
        record = self.env[model].sudo().browse(int(res_id)).exists()
        if not record:
            return None
        documents = {
            "sale.order.line": lambda: record.order_id,
            "project.task": lambda: record,
            "stock.location": lambda: record,
            "product.product": lambda: self.company_id.jingpin_loan_location_id,
            "stock.move": lambda: record.picking_id,
        }
        return documents[model]() or None

    @api.model_create_multi
    def create(self, vals_list):
        if not self._jingpin_is_server():
            raise AccessError(self.env._("Reconciliation issues are found by the daily check only."))
        return super().create(vals_list)

    def _jingpin_refused_fields(self, vals):
        refused = super()._jingpin_refused_fields(vals)
        if self.filtered(lambda issue: issue.state != "open"):
            refused |= vals.keys() & {"resolution"}
        return refused

    def copy_data(self, default=None):
        raise UserError(self.env._("Reconciliation issues are found by the daily check only."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A reconciliation issue is resolved, with a note, not deleted."))

    # === ACTIONS === #
    def action_resolve(self):
        self.check_access("write")
        if not self.env.user.has_group(SPECIALIST_GROUP):
            raise AccessError(self.env._("The accessories specialist resolves reconciliation issues."))
        for issue in self:
            if issue.state != "open":
                raise UserError(self.env._("“%s” is already resolved.", issue.name))
            if not (issue.resolution or "").strip():
                raise UserError(self.env._("Say what was done about “%s” (Resolution).", issue.name))
        self._jingpin_server().write(
            {"state": "resolved", "resolved_by_id": self.env.user.id, "resolved_on": fields.Datetime.now()}
        )
        return True

    @api.model
    def action_run_check(self):
        """The check, now, for the dealerships the user works in; opens their open issues."""
        if not self.env.user.has_group(SPECIALIST_GROUP):
            raise AccessError(self.env._("The accessories specialist runs the reconciliation check."))
        self.sudo()._run_check(self.env.companies)
        return self.env["ir.actions.act_window"]._for_xml_id("jingpin_accessories.jingpin_reconciliation_issue_action")

    # === THE CHECK === #
    @api.model
    def _cron_run_check(self):
        return self._run_check(self.env["res.company"]._jingpin_enabled_companies())

    @api.model
    def _run_check(self, companies):
        """Finds the mismatches of ``companies`` and opens an issue for each one not already open;
        returns the new issues."""
        found = []
        for kind, query in self._check_queries(tuple(companies.ids)).items():
            self.env.flush_all()
            self.env.cr.execute(query)
            found += [(kind, *row) for row in self.env.cr.fetchall()]
        if not found:
            return self.browse()
        open_keys = {
            (issue.company_id.id, issue.kind, issue.reference)
            for issue in self.search([("state", "=", "open"), ("company_id", "in", companies.ids)])
        }
        products = self.env["product.product"].browse({row[3] for row in found})
        vals_list = []
        for kind, company_id, reference, product_id, expected, found_qty in found:
            if (company_id, kind, reference) in open_keys:
                continue
            company = self.env["res.company"].browse(company_id)
            env = self.with_context(lang=company.partner_id.lang or "en_US").env
            vals_list.append(
                {
                    "name": self._describe(
                        env, kind, company, reference, products.browse(product_id), expected, found_qty
                    ),
                    "company_id": company_id,
                    "kind": kind,
                    "reference": reference,
                    "product_id": product_id,
                    "expected_qty": expected,
                    "found_qty": found_qty,
                }
            )
        return self._jingpin_server().create(vals_list)

    @api.model
    def _check_queries(self, company_ids):
        """One query per kind; each row: company, reference, product, expected and found quantity."""
        return {
            # R29: what the confirmed orders sold is delivered once their work orders are handed over
            "sale_delivery": SQL(
                """
                SELECT so.company_id, 'sale.order.line,' || line.id, line.product_id,
                       line.product_uom_qty, line.qty_delivered
                  FROM sale_order_line line
                  JOIN sale_order so ON so.id = line.order_id
                  %(accessory)s
                 WHERE so.state = 'sale' AND so.company_id IN %(companies)s
                   AND line.qty_delivered < line.product_uom_qty
                   AND EXISTS (SELECT 1 FROM project_task t
                                WHERE t.accessory_order_id = so.id AND t.work_state = 'handed_over')
                   AND NOT EXISTS (SELECT 1 FROM project_task t
                                    WHERE t.accessory_order_id = so.id
                                      AND t.work_state NOT IN ('handed_over', 'cancelled'))
                """,
                accessory=ACCESSORY_PRODUCT,
                companies=company_ids,
            ),
            # what a handed-over work order installed left the stock against it or its order lines:
            # the work orders' items, and the done deliveries to customers found either way (a
            # delivery found both ways counts once), joined in bulk rather than per work order
            "work_order_issue": SQL(
                """
                WITH installed AS (
                    SELECT t.company_id, t.id AS task_id, line.product_id, SUM(line.quantity) AS quantity
                      FROM project_task t
                      JOIN jingpin_work_item line ON line.task_id = t.id
                      %(accessory)s
                     WHERE t.work_state = 'handed_over' AND t.company_id IN %(companies)s
                     GROUP BY t.company_id, t.id, line.product_id
                ), delivered AS (
                    SELECT p.work_order_id AS task_id, m.id, m.product_id, m.quantity
                      FROM stock_picking p
                      JOIN stock_move m ON m.picking_id = p.id AND m.state = 'done'
                     WHERE p.work_order_id IN (SELECT task_id FROM installed)
                     UNION
                    SELECT item.task_id, m.id, m.product_id, m.quantity
                      FROM jingpin_work_item item
                      JOIN stock_move m ON m.sale_line_id = item.sale_line_id AND m.state = 'done'
                     WHERE item.task_id IN (SELECT task_id FROM installed)
                ), issued AS (
                    SELECT delivered.task_id, delivered.product_id, SUM(delivered.quantity) AS quantity
                      FROM delivered
                      JOIN stock_move m ON m.id = delivered.id
                      JOIN stock_location dest ON dest.id = m.location_dest_id AND dest.usage = 'customer'
                     GROUP BY delivered.task_id, delivered.product_id
                )
                SELECT installed.company_id, 'project.task,' || installed.task_id || ',' || installed.product_id,
                       installed.product_id, installed.quantity, COALESCE(issued.quantity, 0)
                  FROM installed
                  LEFT JOIN issued ON issued.task_id = installed.task_id AND issued.product_id = installed.product_id
                 WHERE COALESCE(issued.quantity, 0) < installed.quantity
                """,
                accessory=ACCESSORY_PRODUCT,
                companies=company_ids,
            ),
            # the loans out are what the loan location holds
            "loan_stock": SQL(
                """
                WITH lent AS (
                    SELECT loan.company_id, line.product_id,
                           SUM(line.quantity - COALESCE(line.quantity_returned, 0)) AS quantity
                      FROM jingpin_loan_line line
                      JOIN jingpin_loan loan ON loan.id = line.loan_id
                     WHERE loan.state = 'lent' AND loan.company_id IN %(companies)s
                     GROUP BY loan.company_id, line.product_id
                ), held AS (
                    SELECT company.id AS company_id, quant.product_id, SUM(quant.quantity) AS quantity
                      FROM res_company company
                      JOIN stock_quant quant ON quant.location_id = company.jingpin_loan_location_id
                     WHERE company.id IN %(companies)s
                     GROUP BY company.id, quant.product_id
                )
                SELECT COALESCE(lent.company_id, held.company_id),
                       'product.product,' || COALESCE(lent.product_id, held.product_id),
                       COALESCE(lent.product_id, held.product_id),
                       COALESCE(lent.quantity, 0), COALESCE(held.quantity, 0)
                  FROM lent
                  FULL JOIN held ON held.company_id = lent.company_id AND held.product_id = lent.product_id
                 WHERE ABS(COALESCE(lent.quantity, 0) - COALESCE(held.quantity, 0)) > 0.00001
                """,
                companies=company_ids,
            ),
            # no accessory below zero in any stock location of the dealership
            "negative_stock": SQL(
                """
                SELECT line.company_id, 'stock.location,' || line.location_id || ',' || line.product_id,
                       line.product_id, 0, SUM(line.quantity)
                  FROM stock_quant line
                  JOIN stock_location location ON location.id = line.location_id AND location.usage = 'internal'
                  %(accessory)s
                 WHERE line.company_id IN %(companies)s
                 GROUP BY line.company_id, line.location_id, line.product_id
                HAVING SUM(line.quantity) < 0
                """,
                accessory=ACCESSORY_PRODUCT,
                companies=company_ids,
            ),
            # nothing left the stock beyond its document: an order line (a cancelled order's, none),
            # a work order's own transfers beyond its items, a delivery naming no document at all
            "over_issue": SQL(
                """
                SELECT so.company_id, 'sale.order.line,' || line.id, line.product_id,
                       CASE WHEN so.state = 'sale' THEN line.product_uom_qty ELSE 0 END, line.qty_delivered
                  FROM sale_order_line line
                  JOIN sale_order so ON so.id = line.order_id
                  %(accessory)s
                 WHERE so.state IN ('sale', 'cancel') AND so.company_id IN %(companies)s
                   AND line.qty_delivered > CASE WHEN so.state = 'sale' THEN line.product_uom_qty ELSE 0 END
                 UNION ALL
                SELECT issued.company_id, 'project.task,' || issued.task_id || ',' || issued.product_id,
                       issued.product_id, COALESCE(items.quantity, 0), issued.quantity
                  FROM (SELECT t.company_id, t.id AS task_id, line.product_id, SUM(line.quantity) AS quantity
                          FROM stock_move line
                          JOIN stock_picking p ON p.id = line.picking_id
                          JOIN project_task t ON t.id = p.work_order_id
                          JOIN stock_location dest ON dest.id = line.location_dest_id AND dest.usage = 'customer'
                          %(accessory)s
                         WHERE line.state = 'done' AND t.company_id IN %(companies)s
                         GROUP BY t.company_id, t.id, line.product_id) issued
                  LEFT JOIN (SELECT item.task_id, item.product_id, SUM(item.quantity) AS quantity
                               FROM jingpin_work_item item
                              GROUP BY item.task_id, item.product_id) items
                         ON items.task_id = issued.task_id AND items.product_id = issued.product_id
                 WHERE issued.quantity > COALESCE(items.quantity, 0)
                 UNION ALL
                SELECT line.company_id, 'stock.move,' || line.id, line.product_id, 0, line.quantity
                  FROM stock_move line
                  JOIN stock_location src ON src.id = line.location_id AND src.usage = 'internal'
                  JOIN stock_location dest ON dest.id = line.location_dest_id AND dest.usage = 'customer'
                  LEFT JOIN stock_picking p ON p.id = line.picking_id
                  %(accessory)s
                 WHERE line.state = 'done' AND line.company_id IN %(companies)s
                   AND line.sale_line_id IS NULL AND p.work_order_id IS NULL
                   AND NOT EXISTS (SELECT 1 FROM jingpin_complaint c WHERE c.replacement_picking_id = line.picking_id)
                """,
                accessory=ACCESSORY_PRODUCT,
                companies=company_ids,
            ),
        }

    @api.model
    def _describe(self, env, kind, company, reference, product, expected, actual):
        model, res_id = reference.split(",")[:2]
        record = env[model].sudo().browse(int(res_id))
        names = {
            "sale_delivery": lambda: record.order_id.name,
            "work_order_issue": lambda: record.name,
            "loan_stock": lambda: company.jingpin_loan_location_id.display_name,
            "negative_stock": lambda: record.display_name,
            "over_issue": lambda: record.display_name,
        }
        kinds = dict(self._fields["kind"]._description_selection(env))
        return env._(
            "%(kind)s: %(document)s, %(product)s: %(expected)s expected, %(found)s found",
            kind=kinds[kind],
            document=names[kind](),
            product=product.display_name,
            expected=expected,
            found=actual,
        )

    @api.model
    def _open_counts(self):
        """The open issues of each dealership, for the daily report: {company id: count}."""
        groups = self.sudo()._read_group([("state", "=", "open")], ["company_id"], ["__count"])
        return {company.id: count for company, count in groups}
