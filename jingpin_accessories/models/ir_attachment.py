from odoo import api, models
from odoo.exceptions import UserError

# Records whose files are evidence once signed, done or confirmed (see _jingpin_check_not_sealed).
SEALED_MODELS = frozenset(
    {"project.task", "jingpin.inspection.line", "jingpin.signature", "jingpin.display.check", "jingpin.complaint"}
)


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
        if not self.env.su:
            # a new file under a signed photo field would take the place of the signed one
            self._jingpin_check_not_sealed(
                [(vals.get("res_model"), vals.get("res_id")) for vals in vals_list if vals.get("res_field")]
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._jingpin_check_not_sealed(self._jingpin_owners())
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sealed_evidence(self):
        if not self.env.su:
            self._jingpin_check_not_sealed(self._jingpin_owners())

    def _jingpin_owners(self):
        return [(attachment.res_model, attachment.res_id) for attachment in self.sudo()]

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
