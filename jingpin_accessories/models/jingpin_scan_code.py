import base64
import re

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.image import image_data_uri


class JingpinScanCode(models.AbstractModel):
    """The code a record's QR code carries (printed on the installation sheet, on the key tag).

    A phone's barcode scanner puts it into a many2one field: Odoo looks it up with ``name_search``,
    which finds the record by its code. A scan made for a purpose (``jingpin_scan`` in the field's
    context) that finds nothing the user may read says why in Chinese instead of finding nothing;
    what the scan then does checks the record again on the server.
    """

    _name = "jingpin.scan.code"
    _description = "Scannable Code"
    # each model that inherits the mixin sets its own prefix
    _jingpin_scan_prefix = None

    scan_code = fields.Char(
        string="QR Code",
        compute="_compute_scan_code",
        help="What the QR code of this record says: scanned with the phone, it finds this record.",
    )

    scan_qr = fields.Char(
        string="QR Code Image",
        compute="_compute_scan_code",
        help="The QR code as an image the printed documents embed (the PDF is rendered without a server to ask).",
    )

    def _compute_scan_code(self):
        for record in self:
            record.scan_code = record.id and f"{self._jingpin_scan_prefix}{record.id:08d}"
            record.scan_qr = record.id and image_data_uri(
                base64.b64encode(self.env["ir.actions.report"].barcode("QR", record.scan_code, width=240, height=240))
            )

    @api.model
    def _parse_scan_code(self, value):
        """The id a scanned code names, or None when ``value`` is not a code of this model."""
        match = isinstance(value, str) and re.fullmatch(
            rf"{re.escape(self._jingpin_scan_prefix)}(\d{{8}})", value.strip()
        )
        return int(match.group(1)) if match else None

    @api.model
    def _search_display_name(self, operator, value):
        record_id = self._parse_scan_code(value)
        if record_id and operator in ("ilike", "=", "=ilike", "like", "=like"):
            return Domain("id", "=", record_id)
        return super()._search_display_name(operator, value)

    @api.model
    def name_search(self, name="", domain=None, operator="ilike", limit=100):
        result = super().name_search(name=name, domain=domain, operator=operator, limit=limit)
        record_id = self._parse_scan_code(name)
        if record_id and self.env.context.get("jingpin_scan"):
            scanned = self.sudo().browse(record_id).exists()
            if not scanned:
                raise UserError(self.env._("The QR code %s names nothing known here: scan the code again.", name))
            self._check_scanned(scanned)
            if not result:
                raise UserError(self.env._("The QR code %s is not yours to use here.", name))
        return result

    @api.model
    def _check_scanned(self, scanned):
        """Refuse, with the reason, a record found by its code (read as superuser) that is not for
        here: another dealership's, or one the scan's purpose does not accept."""
        if scanned.company_id not in self.env.user.company_ids:
            raise UserError(
                self.env._(
                    "The QR code %(code)s belongs to another dealership (%(company)s): it is not used here.",
                    code=scanned.scan_code,
                    company=scanned.company_id.name,
                )
            )
        self._check_scan_purpose(scanned)

    @api.model
    def _check_scan_purpose(self, scanned):
        """Each model refuses here what its scans (told by the context) do not accept."""
