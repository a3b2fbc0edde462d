from odoo import api, fields, models


class ReportPriceSheet(models.AbstractModel):
    _name = "report.jingpin_accessories.report_price_sheet"
    _description = "Accessory Price Sheet Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        templates = self.env["product.template"].browse(docids).filtered("is_accessory")
        accessories = templates.filtered(lambda t: t.type != "combo").sorted(
            lambda t: (t.categ_id.complete_name or "", t.default_code or "", t.name)
        )
        printed_on = fields.Datetime.now()
        listed = self.env["product.template"].search(self.env["product.template"]._price_sheet_domain())
        if not listed - templates:
            # The dealership's latest full price sheet, which its price tags are checked against
            # (the salesman who prints it cannot edit the company).
            self.env.company.sudo().jingpin_price_sheet_printed_on = printed_on
        return {
            "doc_ids": docids,
            "doc_model": "product.template",
            "docs": templates,
            "company": self.env.company,
            "printed_on": printed_on,
            "categories": list(accessories.grouped("categ_id").items()),
            "packages": templates.filtered(lambda t: t.type == "combo").sorted("name"),
        }
