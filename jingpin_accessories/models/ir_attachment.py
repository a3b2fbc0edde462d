import base64

from odoo import api, models
from odoo.exceptions import UserError

from .mail_thread import deleting_threads, department_document_ids

# Records whose files are evidence once signed, done or confirmed (see _jingpin_check_not_sealed).
SEALED_MODELS = frozenset(
    {"project.task", "jingpin.inspection.line", "jingpin.signature", "jingpin.display.check", "jingpin.complaint"}
)

# What makes a file a record's file.
OWNER_FIELDS = frozenset({"res_model", "res_id", "res_field"})


class IrAttachment(models.Model):
    """Signed evidence stays as signed (B1, B12): the photos, checkpoint photos, signatures and
    the archived installation sheet of a signed work order, the photos of a done display check
    (R39), which keeps its results, and the files of a complaint the customer confirmed closed (his
    signature) are never replaced or removed.

    Attachments follow their record's access, not its ``write`` override, so the rule is kept
    here too. Only the server's own code (superuser) touches them once signed.
    """

    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        owners = [(vals.get("res_model"), vals.get("res_id")) for vals in vals_list]
        if any(department_document_ids(self.env, model, [res_id]) for model, res_id in owners if model):
            self.env.user._jingpin_check_not_viewer()
        if not self.env.su:
            # a new file under a signed photo field would take the place of the signed one
            self._jingpin_check_not_sealed(
                [owner for owner, vals in zip(owners, vals_list, strict=True) if vals.get("res_field")]
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._jingpin_check_not_sealed(self._jingpin_owners())
        if OWNER_FIELDS & vals.keys():
            new_owner = self._jingpin_new_owner(vals)
            model, res_id = new_owner
            if model and department_document_ids(self.env, model, [res_id]):
                self.env.user._jingpin_check_not_viewer()
            # files already filed on a record are not moved onto signed evidence (a file just
            # uploaded for a message, not yet filed, joins the record as a new one)
            if self.sudo().filtered("res_id"):
                self._jingpin_check_not_sealed([new_owner])
        # even as superuser (the web client's attachment routes run so): evidence keeps its owner
        # and its bytes
        changed = self.sudo().filtered(lambda attachment: attachment._jingpin_changed_by(vals))
        changed.with_env(self.env)._jingpin_check_not_evidence()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sealed_evidence(self):
        # even as superuser: the chatter's attachment delete route unlinks with sudo
        self._jingpin_check_not_evidence()

    def _jingpin_owners(self):
        return [(attachment.res_model, attachment.res_id) for attachment in self.sudo()]

    def _jingpin_new_owner(self, vals):
        first = self.sudo()[:1]
        return (vals.get("res_model", first.res_model), vals.get("res_id", first.res_id))

    def _jingpin_changed_by(self, vals):
        """Whether ``vals`` gives this file another owner or other bytes."""
        self.ensure_one()
        if any(fname in vals and (vals[fname] or False) != (self[fname] or False) for fname in OWNER_FIELDS):
            return True
        if "datas" in vals or "raw" in vals:
            raw = vals["raw"] if "raw" in vals else base64.b64decode(vals["datas"] or b"")
            if isinstance(raw, str):
                raw = raw.encode()
            return self._compute_checksum(raw or b"") != self.checksum
        return "url" in vals and vals["url"] != self.url

    def _jingpin_check_not_evidence(self):
        """Refuse if one of these files is evidence: a signed record's, or a file of a message in
        the history of a department's document (unless that document is being deleted with it)."""
        self._jingpin_check_not_sealed(self._jingpin_owners())
        if not self:
            return
        messages = self.env["mail.message"].sudo().search([("attachment_ids", "in", self.ids)])
        deleting = deleting_threads(self.env)
        messages.with_env(self.env)._jingpin_history().filtered(
            lambda message: (message.model, message.res_id) not in deleting
        )._jingpin_refuse_change()

    @api.model
    def _jingpin_check_not_sealed(self, owners):
        ids_by_model = {}
        for res_model, res_id in owners:
            if res_model in SEALED_MODELS and res_id:
                ids_by_model.setdefault(res_model, set()).add(res_id)
        if not ids_by_model:
            return
        checks = self.env["jingpin.display.check"].sudo().browse(ids_by_model.get("jingpin.display.check", ()))
        if "done" in checks.exists().mapped("state"):
            raise UserError(
                self.env._("This file is part of a done display check, which keeps its results: it stays as it was.")
            )
        complaints = self.env["jingpin.complaint"].sudo().browse(ids_by_model.get("jingpin.complaint", ()))
        if complaints.exists().filtered(lambda complaint: complaint.state == "closed"):
            raise UserError(
                self.env._(
                    "This file belongs to a complaint the customer confirmed closed (his signature) and can "
                    "no longer be replaced or removed.",
                )
            )
        tasks = self.env["project.task"].sudo().browse(ids_by_model.get("project.task", ())).exists()
        lines = self.env["jingpin.inspection.line"].sudo().browse(ids_by_model.get("jingpin.inspection.line", ()))
        sealed = (
            bool(ids_by_model.get("jingpin.signature"))
            or bool(tasks.filtered("signature_ids"))
            or any(lines.exists().mapped("is_signed"))
        )
        if sealed:
            raise UserError(
                self.env._(
                    "This file is part of a signed work order (photos, checkpoints, signatures or the "
                    "archived installation sheet) and can no longer be replaced or removed. Add a new "
                    "note or photo to the work order instead.",
                )
            )
