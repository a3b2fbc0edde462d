from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    jingpin_promotion_opt_out = fields.Boolean(
        string="No Promotion Messages",
        tracking=True,
        help="The customer asked not to receive promotion, product or event messages from the "
        "accessories department, by email or SMS.",
    )

    def write(self, vals):
        if "tz" in vals:
            # a dealership's days are those of its partner's time zone: its figures move
            rezoned = self.filtered(lambda partner: partner.tz != vals["tz"])
            companies = rezoned and self.env["res.company"].sudo().search([("partner_id", "in", rezoned.ids)])
            if companies:
                self.env["jingpin.figure.stale"].sudo()._mark_companies_rezoned(companies.ids)
        return super().write(vals)

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

    def _jingpin_letterhead_address(self):
        """The address on one line, as a letterhead prints it. A Chinese address reads from the
        largest place to the smallest, run together: 省/市, 市, 区 and street (北京市朝阳区东四环北路88号),
        then the postcode; a city said by its province (北京 after 北京市) is said once. Any other
        address follows its country's format."""
        self.ensure_one()
        if self.country_id.code != "CN":
            address = self._display_address(without_company=True)
            return " ".join(line.strip() for line in address.splitlines() if line.strip())
        province, city = (self.state_id.name or "").strip(), (self.city or "").strip()
        if province and city and province.startswith(city):
            city = ""
        place = "".join(part for part in (province, city, self.street or "", self.street2 or "") if part.strip())
        return " ".join(part for part in (place.strip(), (self.zip or "").strip()) if part)
