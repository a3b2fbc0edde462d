from odoo import models

# Context key under which a thread's deletion names the documents it is deleting (see unlink).
DELETING_KEY = "jingpin_deleting_threads"


class DeletedThreads(frozenset):
    """The (model, id) pairs of the documents the ORM is deleting in this call. An instance of this
    class is put in the context by :meth:`MailThread.unlink`: a client sends JSON, never an instance,
    so no request can claim that a document is being deleted to delete its history."""


def deleting_threads(env):
    """The documents being deleted by the ORM in this environment, as (model, id) pairs."""
    deleting = env.context.get(DELETING_KEY)
    return deleting if isinstance(deleting, DeletedThreads) else DeletedThreads()


def department_document_ids(env, model, res_ids):
    """The ids among ``res_ids`` of ``model`` that are existing documents of the department."""
    if model not in env or not isinstance(env[model], env.registry["mail.thread"]):
        return set()
    documents = env[model].sudo().browse({res_id for res_id in res_ids if res_id}).exists()
    return set(documents._jingpin_department_documents().ids)


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def unlink(self):
        """Odoo deletes a document's messages, followers and activities with it: the history rules
        (models/mail_message.py, mail_activity.py, ir_attachment.py) let that cleanup through for the
        documents named here, and only when the document itself may be deleted (its own rules run
        in the same call, and a refusal rolls the whole deletion back)."""
        if not self:
            return super().unlink()
        deleting = DeletedThreads(deleting_threads(self.env) | {(self._name, record_id) for record_id in self.ids})
        return super(MailThread, self.with_context(**{DELETING_KEY: deleting})).unlink()

    def _jingpin_department_documents(self):
        """The records of ``self`` whose chatter is the accessories department's history: every
        record of the addon's own models; models of other modules override this to name theirs."""
        return self if self._original_module == "jingpin_accessories" else self.browse()

    def _mail_get_operation_for_mail_message_operation(self, message_operation):
        """The dealer group's viewer reads the department's documents and changes nothing: posting,
        attaching or scheduling on them needs the right to write them, which he does not have."""
        result = super()._mail_get_operation_for_mail_message_operation(message_operation)
        if message_operation == "create" and self.env.user._is_jingpin_viewer_only():
            result.update(dict.fromkeys(self._jingpin_department_documents(), "write"))
        return result

    def _track_finalize(self):
        """The addon's documents are read by the whole dealership: their tracking messages store a
        changed stage, state or selection as text, so write it in the dealership's language, not in
        the language of whoever made the change (an API client, a cron, an administrator)."""
        records = self
        if isinstance(self, self.pool["jingpin.guard"]) and "company_id" in self._fields:
            pending = self.env.cr.precommit.data.get(f"mail.tracking.{self._name}", {})
            # a document deleted since it changed has its tracking discarded (None): Odoo posts
            # nothing for it, and it can no longer be read
            tracked = self.browse(record_id for record_id, values in pending.items() if values).sudo().exists()
            langs = set(tracked.company_id.partner_id.mapped("lang"))
            if len(langs) == 1 and (lang := langs.pop()):
                records = self.with_context(lang=lang)
        return super(MailThread, records)._track_finalize()
