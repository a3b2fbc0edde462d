from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class JingpinVehicle(models.Model):
    _name = "jingpin.vehicle"
    _description = "Customer Vehicle"
    _inherit = ["mail.thread", "jingpin.guard", "jingpin.scan.code"]
    _order = "id desc"
    # the key tag's QR code
    _jingpin_scan_prefix = "JPK"
    _rec_names_search = ["vin", "license_plate"]
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    vin = fields.Char(string="VIN", required=True, index="trigram", tracking=True)
    license_plate = fields.Char(index="trigram", tracking=True)
    model_id = fields.Many2one("fleet.vehicle.model", string="Vehicle Model", required=True, tracking=True)
    partner_id = fields.Many2one("res.partner", string="Customer", index=True, check_company=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    sale_order_ids = fields.One2many("sale.order", "vehicle_id", string="Orders", readonly=True)
    active = fields.Boolean(default=True)

    _vin_company_uniq = models.Constraint(
        "UNIQUE(vin, company_id)",
        "This VIN is already registered at this dealership: open the existing vehicle instead.",
    )

    @api.depends("vin", "license_plate", "model_id.name")
    def _compute_name(self):
        for vehicle in self:
            ident = vehicle.license_plate or vehicle.vin or ""
            vehicle.name = f"{vehicle.model_id.name} {ident}".strip() if vehicle.model_id else ident

    @api.constrains("vin")
    def _check_vin(self):
        for vehicle in self:
            vin = (vehicle.vin or "").strip()
            if len(vin) != 17 or not vin.isalnum() or set(vin.upper()) & set("IOQ"):
                raise ValidationError(
                    self.env._(
                        "“%s” is not a valid VIN: a VIN has 17 letters and digits, without I, O or Q.",
                        vehicle.vin,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("vin"):
                vals["vin"] = vals["vin"].strip().upper()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("vin"):
            vals["vin"] = vals["vin"].strip().upper()
        if "company_id" in vals:
            self.filtered(lambda vehicle: vehicle.company_id.id != vals["company_id"])._check_company_movable()
        return super().write(vals)

    def _write_multi(self, vals_list):
        if any("model_id" in vals for vals in vals_list):
            # the daily figures count by vehicle model (issue 23)
            orders = self.env["sale.order"].sudo().search([("vehicle_id", "in", self.ids)])
            self.env["jingpin.figure.stale"]._mark_orders_at_commit(orders.ids)
        return super()._write_multi(vals_list)

    @api.model
    def _check_scan_purpose(self, scanned):
        """A key tag scanned for a work order's key (the key dialog) is that car's key."""
        task_id = self.env.context.get("jingpin_scan_task_id")
        if task_id:
            self.env["project.task"].browse(task_id)._check_key_tag(scanned)

    def _check_company_movable(self):
        """A car stays with the dealership whose orders, work orders and key box name it: the
        other dealership registers the car in its own books (a VIN is unique per dealership)."""
        if not self:
            return
        Task = self.env["project.task"].sudo()
        used = (
            self.env["sale.order"].sudo().search([("vehicle_id", "in", self.ids)]).vehicle_id
            | Task.with_context(active_test=False).search([("vehicle_id", "in", self.ids)]).vehicle_id
            | self.env["jingpin.key.log"].sudo().search([("vehicle_id", "in", self.ids)]).vehicle_id
        )
        if used:
            raise UserError(
                self.env._(
                    "%s is named by orders, work orders or the key box of its dealership and stays "
                    "with it: register the car at the other dealership instead of moving it.",
                    ", ".join(used.mapped("display_name")),
                )
            )
