from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _track_finalize(self):
        """The addon's documents are read by the whole dealership: their tracking messages store a
        changed stage, state or selection as text, so write it in the dealership's language, not in
        the language of whoever made the change (an API client, a cron, an administrator)."""
        records = self
        if isinstance(self, self.pool["jingpin.guard"]) and "company_id" in self._fields:
            pending = self.env.cr.precommit.data.get(f"mail.tracking.{self._name}", {})
            langs = set(self.browse(pending).sudo().company_id.partner_id.mapped("lang"))
            if len(langs) == 1 and (lang := langs.pop()):
                records = self.with_context(lang=lang)
        return super(MailThread, records)._track_finalize()
