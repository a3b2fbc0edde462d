from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    jingpin_promotion_opt_out = fields.Boolean(
        string="No Promotion Messages",
        tracking=True,
        help="The customer asked not to receive promotion, product or event messages from the "
        "accessories department, by email or SMS.",
    )

    def _jingpin_promotion_exclusions(self, channel):
        """Split off who may not or cannot receive a promotion message on this channel.

        :param str channel: 'email' or 'sms'
        :return: (partners who refused: opt-out or blacklisted, partners without a usable address)
        """
        refused = self.filtered("jingpin_promotion_opt_out")
        if channel == "email":
            refused |= self.filtered("is_blacklisted")
            unreachable = self.filtered(lambda p: not p.email_normalized)
        else:
            refused |= self.filtered("phone_sanitized_blacklisted")
            unreachable = self.filtered(lambda p: not p.phone_sanitized)
        return refused, unreachable - refused
