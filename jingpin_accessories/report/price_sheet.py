from odoo import api, fields, models


class ReportPriceSheet(models.AbstractModel):
    """The price sheet as it is now. Rendering writes nothing: the sheet counts as printed (the
    price tags current) only through ``product.template.action_print_price_sheet``."""

    _name = "report.jingpin_accessories.report_price_sheet"
    _description = "Accessory Price Sheet Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        templates = self.env["product.template"].browse(docids).filtered("is_accessory")
        templates._check_provenance_published()
        accessories = templates.filtered(lambda t: t.type != "combo").sorted(
            lambda t: (t.categ_id.complete_name or "", t.default_code or "", t.name)
        )
        company = self.env.company
        return {
            "doc_ids": docids,
            "doc_model": "product.template",
            "docs": templates,
            "company": company,
            "printed_on": fields.Datetime.now(),
            # the dealership's time, whoever prints and wherever the server runs
            "dealership_tz": company.partner_id.tz or "UTC",
            "categories": list(accessories.grouped("categ_id").items()),
            "packages": templates.filtered(lambda t: t.type == "combo").sorted("name"),
        }
