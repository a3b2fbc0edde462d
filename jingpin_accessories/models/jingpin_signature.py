import hashlib
import json

from odoo import api, fields, models
from odoo.exceptions import UserError

DIGEST_FIELDS = (
    "content", "role", "round", "result", "user_id", "signer_name", "signed_on", "signature",
    "previous_digest",
)
SIGN_ROLES = [
    ("completion", "Technician Completion"),
    ("inspection", "Final Inspection"),
    ("handover", "Customer Handover"),
]


class JingpinSignature(models.Model):
    """A sign-off on a work order (B1): who signed what, at the server's time, sealed by a digest.

    Signatures are created only by the work order's workflow methods, never edited, never deleted.
    Each digest covers the signed content and the previous signature's digest, so the chain of a
    work order shows any later change to what was signed.
    """

    _name = "jingpin.signature"
    _description = "Work Order Signature"
    _order = "task_id, signed_on, id"
    _check_company_auto = True

    task_id = fields.Many2one("project.task", string="Work Order", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="task_id.company_id", store=True, index=True)
    role = fields.Selection(SIGN_ROLES, required=True)
    round = fields.Integer(help="0 for the first pass; one more after each failed final inspection.")
    result = fields.Selection([("pass", "Passed"), ("fail", "Failed")])
    user_id = fields.Many2one("res.users", string="Signed By", required=True,
                              help="The user who signed, or who presented the screen to the customer.")
    signer_name = fields.Char(required=True, help="The name the signature is given under.")
    partner_id = fields.Many2one("res.partner", string="Customer")
    signed_on = fields.Datetime(required=True, help="The server's time of signing.")
    signature = fields.Binary(attachment=True, help="The drawn signature, kept exactly as given.")
    content = fields.Text(string="Signed Content", required=True)
    previous_digest = fields.Char()
    digest = fields.Char(required=True, index=True)
    seal_ok = fields.Boolean(string="Seal Intact", compute="_compute_seal_ok")

    @api.depends("content", "digest")
    def _compute_seal_ok(self):
        for signature in self:
            current = signature.task_id._signature_content(signature.role, signature.round)
            signature.seal_ok = (
                self._make_digest(signature._digest_values()) == signature.digest
                and json.loads(signature.content) == current
            )

    def _digest_values(self):
        self.ensure_one()
        return {fname: self[fname] for fname in DIGEST_FIELDS} | {"user_id": self.user_id.id}

    @api.model
    def _make_digest(self, values):
        """SHA-256 over what was signed, by whom, when, and the previous signature's digest."""
        payload = {fname: values.get(fname) or "" for fname in DIGEST_FIELDS}
        payload["signed_on"] = fields.Datetime.to_string(values["signed_on"])
        payload["signature"] = hashlib.sha256(values.get("signature") or b"").hexdigest()
        payload["content"] = json.loads(values["content"])
        return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("jingpin_sign"):
            raise UserError(self.env._("Signatures are given with the work order's buttons."))
        now = fields.Datetime.now()
        for vals in vals_list:
            vals["signed_on"] = now  # the server's time, whatever was sent
            if isinstance(vals.get("signature"), str):
                vals["signature"] = vals["signature"].encode()
            vals["digest"] = self._make_digest(vals)
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(self.env._(
                "A signature cannot be changed: it is the record of who signed what, and when.",
            ))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A signature cannot be deleted."))
