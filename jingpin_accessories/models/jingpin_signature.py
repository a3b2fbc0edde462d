import contextlib
import hashlib
import hmac
import json
import os
import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import config

DIGEST_FIELDS = (
    "content",
    "role",
    "round",
    "result",
    "user_id",
    "signer_name",
    "signed_on",
    "signature",
    "previous_digest",
)
SIGN_ROLES = [
    ("completion", "Technician Completion"),
    ("inspection", "Final Inspection"),
    ("handover", "Customer Handover"),
    ("confirmation", "Customer Accessory Confirmation"),
    ("owed", "Customer Due Bill or Nothing Owed"),
]


class JingpinSignature(models.Model):
    """A sign-off on a work order (B1): who signed what, at the server's time, sealed by a digest.

    Signatures are created only by the work order's workflow methods, never edited, never deleted.
    Each digest covers the signed content and the previous signature's digest, so the chain of a
    work order shows any later change to what was signed.
    """

    _name = "jingpin.signature"
    _inherit = ["jingpin.guard"]
    _description = "Work Order Signature"
    _order = "task_id, signed_on, id"
    _check_company_auto = True

    task_id = fields.Many2one("project.task", string="Work Order", index=True, ondelete="restrict")
    order_id = fields.Many2one(
        "sale.order",
        string="Accessory Order",
        index="btree_not_null",
        ondelete="restrict",
        help="The order whose accessory confirmation the customer signed (a work order's signatures have none).",
    )
    company_id = fields.Many2one("res.company", compute="_compute_company_id", store=True, index=True, precompute=True)
    role = fields.Selection(SIGN_ROLES, required=True)
    round = fields.Integer(help="0 for the first pass; one more after each failed final inspection.")
    result = fields.Selection([("pass", "Passed"), ("fail", "Failed")])
    user_id = fields.Many2one(
        "res.users",
        string="Signed By",
        required=True,
        help="The user who signed, or who presented the screen to the customer.",
    )
    signer_name = fields.Char(required=True, help="The name the signature is given under.")
    partner_id = fields.Many2one("res.partner", string="Customer")
    signed_on = fields.Datetime(required=True, help="The server's time of signing.")
    signature = fields.Binary(attachment=True, help="The drawn signature, kept exactly as given.")
    content = fields.Text(string="Signed Content", required=True)
    previous_digest = fields.Char()
    digest = fields.Char(required=True, index=True)

    _one_per_role_and_round = models.UniqueIndex(
        "(task_id, round, role)",
        "This step of the work order is already signed: nobody signs it twice.",
    )
    _task_or_order = models.Constraint(
        "CHECK((task_id IS NULL) != (order_id IS NULL))",
        "A signature is given on one work order or on one accessory order.",
    )
    seal_ok = fields.Boolean(string="Seal Intact", compute="_compute_seal_ok")

    @api.depends("task_id.company_id", "order_id.company_id")
    def _compute_company_id(self):
        for signature in self:
            signature.company_id = (signature.task_id or signature.order_id).company_id

    @api.depends("content", "digest")
    def _compute_seal_ok(self):
        for signature in self:
            signed = json.loads(signature.content)
            if signature.order_id:
                # the customer's confirmation seals the version he saw; a later version of the order
                # makes it out of date (sale.order.jingpin_customer_sign_state), not broken
                signature.seal_ok = hmac.compare_digest(self._make_digest(signature._digest_values()), signature.digest)
                continue
            if signature.role == "owed":
                # what is owed is checked against the due bills he signed (never changed once signed)
                current = signature.task_id._jingpin_owed_content(signature._owed_bills())
            else:
                # a seal made before the snapshot covered more is checked against what it covered then
                current = signature.task_id._signature_content(
                    signature.role, signature.round, signed.get("version", 1)
                )
            signature.seal_ok = (
                hmac.compare_digest(self._make_digest(signature._digest_values()), signature.digest)
                and signed == current
            )

    def _owed_bills(self):
        """The due bills the customer signed with an ``owed`` signature (none: nothing owed)."""
        bills = self.env["jingpin.due.bill"].sudo()
        for signature in self.filtered(lambda s: s.role == "owed"):
            bills |= bills.browse(bill["id"] for bill in json.loads(signature.content)["due_bills"]).exists()
        return bills

    def _digest_values(self):
        self.ensure_one()
        values = {fname: self[fname] for fname in DIGEST_FIELDS} | {"user_id": self.user_id.id}
        # the drawn signature itself, never the size the web client asks for (bin_size)
        values["signature"] = self.with_context(bin_size=False).signature
        return values

    @api.model
    def _seal_key(self):
        """The secret that keys the seals. It is kept outside the database: the server's
        configuration (``jingpin_seal_key``), else a key file made once in the data directory."""
        configured = config.get("jingpin_seal_key")
        if configured:
            return configured.encode()
        path = os.path.join(config["data_dir"], "jingpin_seal.key")
        if not os.path.exists(path):
            os.makedirs(config["data_dir"], exist_ok=True)
            # another worker may make it at the same moment: the first one's key is kept
            with (
                contextlib.suppress(FileExistsError),
                open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8") as key_file,
            ):
                key_file.write(secrets.token_hex(32))
        with open(path, encoding="utf-8") as key_file:
            return key_file.read().strip().encode()

    @api.model
    def _make_digest(self, values):
        """HMAC-SHA256, keyed outside the database, over what was signed, by whom, when, and the
        previous signature's digest."""
        payload = {fname: values.get(fname) or "" for fname in DIGEST_FIELDS}
        payload["signed_on"] = fields.Datetime.to_string(values["signed_on"])
        payload["signature"] = hashlib.sha256(values.get("signature") or b"").hexdigest()
        payload["content"] = json.loads(values["content"])
        message = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        return hmac.new(self._seal_key(), message, hashlib.sha256).hexdigest()

    def _verify_chain(self):
        """Whether these signatures (of one work order) are each intact and chained link by link."""
        previous = ""
        for signature in self.sorted(lambda s: (s.signed_on, s.id)):
            if not signature.seal_ok or (signature.previous_digest or "") != previous:
                return False
            previous = signature.digest
        return True

    @api.model
    def _create_signature(self, task, vals):
        """Sign ``task`` as the current user; time, signer and chain are the server's."""
        previous = task.signature_ids.sorted(lambda s: (s.signed_on, s.id))[-1:]
        # One signature per role and round: a second click at the same moment fails on the index.
        return (
            self.sudo()
            ._jingpin_server()
            .create(
                {
                    **vals,
                    "task_id": task.id,
                    "user_id": self.env.uid,
                    "previous_digest": previous.digest,
                }
            )
            .with_env(self.env)
        )

    @api.model
    def _create_order_signature(self, order, vals):
        """The customer's signature of ``order``'s confirmation, chained after the order's earlier ones."""
        previous = order.jingpin_customer_signature_ids.sorted(lambda s: (s.signed_on, s.id))[-1:]
        return (
            self.sudo()
            ._jingpin_server()
            .create({**vals, "order_id": order.id, "user_id": self.env.uid, "previous_digest": previous.digest})
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._jingpin_is_server():
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
            raise UserError(
                self.env._(
                    "A signature cannot be changed: it is the record of who signed what, and when.",
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A signature cannot be deleted."))
