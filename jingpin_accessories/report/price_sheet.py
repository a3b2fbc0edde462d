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
        return {
            "doc_ids": docids,
            "doc_model": "product.template",
            "docs": templates,
            "company": self.env.company,
            "printed_on": fields.Datetime.now(),
            "categories": list(accessories.grouped("categ_id").items()),
            "packages": templates.filtered(lambda t: t.type == "combo").sorted("name"),
        }
