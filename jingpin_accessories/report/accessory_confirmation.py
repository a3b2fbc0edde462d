from odoo import api, models


class ReportAccessoryConfirmation(models.AbstractModel):
    """The accessory confirmation sheet (精品确认单) the customer signs for his order."""

    _name = "report.jingpin_accessories.report_accessory_confirmation"
    _description = "Accessory Confirmation Sheet Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        orders = self.env["sale.order"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "sale.order",
            "docs": orders,
            "rows_by_order": {order.id: self._confirmation_rows(order) for order in orders},
            "fitted_by": {order.id: self._fitted_by(order) for order in orders},
            "signatures": {order.id: self._customer_signature(order) for order in orders},
        }

    @api.model
    def _customer_signature(self, order):
        """The customer's signature the sheet prints: the one he gave on his phone while the order
        is still the version he signed (none once it changed), else one given on the portal."""
        if order.jingpin_customer_sign_state == "outdated":
            return None
        signed = order.jingpin_customer_signature_ids.sorted(lambda s: (s.signed_on, s.id))[-1:]
        if signed:
            signature = signed.with_context(bin_size=False)
            return {"signature": signature.signature, "name": signed.signer_name, "on": signed.signed_on}
        if order.signature:
            return {"signature": order.signature, "name": order.signed_by, "on": order.signed_on}
        return None

    @api.model
    def _confirmation_rows(self, order):
        """The order's lines as the customer reads them: each package with its components under it."""
        lines = order.order_line.filtered(lambda line: not line.display_type and not line.is_downpayment)
        rows = []
        for line in lines.filtered(lambda line: not line.combo_item_id):
            is_package = line.product_type == "combo"
            rows.append(
                {
                    "line": line,
                    "is_package": is_package,
                    "components": lines.filtered(
                        lambda item, pkg=line: item.linked_line_id == pkg and item.combo_item_id
                    )
                    if is_package
                    else lines.browse(),
                    "amount": line._get_combo_totals("price_total") if is_package else line.price_total,
                }
            )
        return rows

    @api.model
    def _fitted_by(self, order):
        """The completion promised on the order's work orders, else the order's delivery date."""
        # sudo(): the promised time of the order's own work orders, for sellers without project access.
        promised = [date for date in order.work_order_ids.sudo().mapped("promised_datetime") if date]
        return max(promised) if promised else order.commitment_date
