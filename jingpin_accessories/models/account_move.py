from odoo import models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "jingpin.guard"]

    def _jingpin_state_documents(self):
        """The department's entries: those with an accessory, or a line of an accessory order."""
        return self.filtered(
            lambda move: any(move.sudo().line_ids.product_id.mapped("is_accessory"))
            or move.sudo().line_ids.sale_line_ids.order_id.filtered("jingpin_channel")
        )

    def _post(self, soft=True):
        # Settlement (结算) of accessory orders is the posting of their customer invoice.
        for move in self.filtered(lambda m: m.move_type == "out_invoice"):
            move._jingpin_check_invoiced_as_approved()
            sale_lines = move.invoice_line_ids.sale_line_ids
            sale_lines.order_id._jingpin_check_settlement(sale_lines)
        self.filtered(lambda m: m.move_type == "out_refund")._jingpin_check_refunded_as_invoiced()
        return super(AccountMove, self._jingpin_action())._post(soft=soft)

    def button_draft(self):
        return super(AccountMove, self._jingpin_action()).button_draft()

    def button_cancel(self):
        return super(AccountMove, self._jingpin_action()).button_cancel()

    def _jingpin_check_invoiced_as_approved(self):
        """What an invoice of an accessory order posts is what the order's approval covers: each
        of its lines is a line of an order, invoiced at no lower price (discount included), in the
        order's currency and with the order line's taxes; an accessory is invoiced only from an
        accessory order. The order's own approval is checked by ``_jingpin_check_settlement``."""
        self.ensure_one()
        lines = self.sudo().invoice_line_ids.filtered(lambda line: line.display_type == "product")
        accessory_lines = lines.filtered(
            lambda line: line.product_id.is_accessory or line.sale_line_ids.order_id.filtered("jingpin_channel")
        )
        if not accessory_lines:
            return
        for line in lines:
            label = line.product_id.display_name or line.name or ""
            order_lines = line.sale_line_ids
            accessory_order_lines = order_lines.filtered(lambda sale_line: sale_line.order_id.jingpin_channel)
            if not order_lines or (line.product_id.is_accessory and not accessory_order_lines):
                raise UserError(
                    self.env._(
                        "Invoice %(invoice)s settles an accessory order, but “%(line)s” is on no accessory order: "
                        "remove it from the invoice, or add it to the order (where its price is approved) and "
                        "invoice it from there.",
                        invoice=self.display_name,
                        line=label,
                    )
                )
            for order_line in accessory_order_lines.filtered(lambda sale_line: not sale_line.is_downpayment):
                self._jingpin_check_line_as_ordered(line, order_line, label)

    def _jingpin_check_refunded_as_invoiced(self):
        """Money goes back to a customer of an accessory order only for what he was invoiced: each
        accessory line of a credit note refunds a line of an accessory order, at no higher price than
        the order's (discount included), and no more of it than its posted invoices hold, less what
        earlier credit notes refunded."""
        for move in self:
            lines = move.sudo().invoice_line_ids.filtered(
                lambda line: line.display_type == "product"
                and (line.product_id.is_accessory or line.sale_line_ids.order_id.filtered("jingpin_channel"))
            )
            refunded = {}
            for line in lines:
                label = line.product_id.display_name or line.name or ""
                order_lines = line.sale_line_ids.filtered(lambda sale_line: sale_line.order_id.jingpin_channel)
                if not order_lines:
                    raise UserError(
                        self.env._(
                            "Credit note %(refund)s refunds “%(line)s”, which is on no accessory order: refund "
                            "an accessory from the invoice of its order (Credit Note on the invoice).",
                            refund=move.display_name,
                            line=label,
                        )
                    )
                for order_line in order_lines.filtered(lambda sale_line: not sale_line.is_downpayment):
                    move._jingpin_check_refund_price(line, order_line, label)
                    refunded[order_line] = refunded.get(order_line, 0.0) + line.product_uom_id._compute_quantity(
                        line.quantity, order_line.product_uom_id
                    )
            for order_line, quantity in refunded.items():
                refundable = sum(
                    other.product_uom_id._compute_quantity(other.quantity, order_line.product_uom_id)
                    * (1 if other.move_id.move_type == "out_invoice" else -1)
                    for other in order_line.sudo().invoice_lines
                    if other.parent_state == "posted" and other.move_id != move
                )
                if order_line.product_uom_id.compare(quantity, refundable) > 0:
                    raise UserError(
                        self.env._(
                            "Credit note %(refund)s refunds %(quantity)s of “%(line)s” of order %(order)s, but "
                            "only %(refundable)s of it is invoiced and not yet refunded: lower the quantity.",
                            refund=move.display_name,
                            quantity=quantity,
                            line=order_line.product_id.display_name,
                            order=order_line.order_id.name,
                            refundable=refundable,
                        )
                    )

    def _jingpin_check_refund_price(self, line, order_line, label):
        order = order_line.order_id
        refunded = line._jingpin_unit_price_in(order_line.product_uom_id)
        # what he was charged: the order's price, or the higher price an invoice posted
        ordered = max(
            [order_line.price_unit * (1 - order_line.discount / 100)]
            + [
                invoiced._jingpin_unit_price_in(order_line.product_uom_id)
                for invoiced in order_line.sudo().invoice_lines
                if invoiced.parent_state == "posted" and invoiced.move_id.move_type == "out_invoice"
            ]
        )
        if self.currency_id != order.currency_id or order.currency_id.compare_amounts(refunded, ordered) > 0:
            raise UserError(
                self.env._(
                    "Credit note %(refund)s refunds “%(line)s” at %(refunded)s a unit, more than order %(order)s "
                    "charged (%(ordered)s, in %(currency)s): refund at most what the customer was charged.",
                    refund=self.display_name,
                    line=label,
                    refunded=self.currency_id.format(refunded),
                    order=order.name,
                    ordered=order.currency_id.format(ordered),
                    currency=order.currency_id.name,
                )
            )

    def _jingpin_check_line_as_ordered(self, line, order_line, label):
        order = order_line.order_id
        invoiced = line._jingpin_unit_price_in(order_line.product_uom_id)
        ordered = order_line.price_unit * (1 - order_line.discount / 100)
        differences = []
        if line.product_id != order_line.product_id:
            differences.append(self.env._("the product is %s", order_line.product_id.display_name))
        if self.currency_id != order.currency_id:
            differences.append(self.env._("the currency is %s", order.currency_id.name))
        elif order.currency_id.compare_amounts(invoiced, ordered) < 0:
            differences.append(
                self.env._(
                    "the unit price after discount is %(ordered)s, not %(invoiced)s",
                    ordered=order.currency_id.format(ordered),
                    invoiced=order.currency_id.format(invoiced),
                )
            )
        if line.tax_ids != order_line.tax_ids:
            differences.append(
                self.env._("the taxes are %s", ", ".join(order_line.tax_ids.mapped("name")) or self.env._("none"))
            )
        if differences:
            raise UserError(
                self.env._(
                    "Invoice %(invoice)s does not invoice “%(line)s” as order %(order)s, whose concessions were "
                    "approved: on the order %(differences)s. Give the invoice line the order's values, or change "
                    "the order (its concessions are then approved again) and invoice it again.",
                    invoice=self.display_name,
                    line=label,
                    order=order.name,
                    differences="; ".join(differences),
                )
            )
