from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.mail.tools.discuss import Store

from .mail_thread import deleting_threads, department_document_ids

# The messages created in the current transaction (a set of ids in the cursor's precommit data,
# which Odoo empties at every commit and rollback). Odoo completes a message in the request that
# posts it (its tracking values, the files of a "done" activity); once committed it is history.
NEW_MESSAGES_KEY = "jingpin_accessories.new_messages"
# Messages that are no part of a document's history: the shells of outgoing mails, which the mail
# queue deletes once sent, and private notifications.
NOT_HISTORY_TYPES = frozenset({"email_outgoing", "user_notification"})
# What each reader keeps for himself on a message: the only thing that changes on history.
PERSONAL_FIELDS = frozenset({"starred_partner_ids"})


class MailMessage(models.Model):
    """The chatter of the department's documents is their history (B12): a GM's refusal, a state
    change, a customer's complaint. Nobody edits or deletes it, through any door (the API, the web
    client's message edit and delete, which run as superuser, tracking values); only Odoo's own
    cleanup of a document that may be deleted removes it with the document. A message's author is
    whoever posts it, and its date the moment he does: an author or a date given by a client is
    replaced by the caller's partner and the server's time.
    """

    _inherit = "mail.message"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            model = vals.get("model", self.env.context.get("default_model"))
            res_id = vals.get("res_id", self.env.context.get("default_res_id"))
            if not (model and res_id and department_document_ids(self.env, model, [res_id])):
                continue
            self.env.user._jingpin_check_not_viewer()
            if not self.env.su:
                # the caller is the author, and it is posted now; the server's own posts
                # (tracking, the mail gateway, the customer's portal) name theirs as superuser
                vals["author_id"] = self.env.user.partner_id.id
                vals["author_guest_id"] = False
                vals.pop("date", None)
        return super().create(vals_list)

    def _create(self, data_list):
        messages = super()._create(data_list)
        self.env.cr.precommit.data.setdefault(NEW_MESSAGES_KEY, set()).update(messages.ids)
        return messages

    def write(self, vals):
        if vals.keys() - PERSONAL_FIELDS:
            self._jingpin_history()._jingpin_refuse_change()
            if {"model", "res_id"} & vals.keys():
                # nor is a message moved into a document's history
                moved = self.browse(self._jingpin_committed_ids()).sudo()
                for message in moved:
                    model = vals.get("model", message.model)
                    if model and department_document_ids(self.env, model, [vals.get("res_id", message.res_id)]):
                        message._jingpin_refuse_change()
            if "author_id" in vals and not self.env.su and self._jingpin_department_messages():
                vals = dict(vals, author_id=self.env.user.partner_id.id)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        deleting = deleting_threads(self.env)
        self._jingpin_history().filtered(
            lambda message: (message.model, message.res_id) not in deleting
        )._jingpin_refuse_change()

    def _to_store_defaults(self, target):
        """The web client offers Edit and Delete on a message to its author; on the department's
        history the server refuses both, so the chatter hides them (static/src/message_model_patch.js)."""
        history = self.filtered(lambda message: message.message_type not in NOT_HISTORY_TYPES)
        history_ids = set(history._jingpin_department_messages().ids)
        return [
            *super()._to_store_defaults(target),
            Store.Attr("jingpin_history", value=lambda message: message.id in history_ids),
        ]

    def _jingpin_committed_ids(self):
        new = self.env.cr.precommit.data.get(NEW_MESSAGES_KEY, ())
        return [message_id for message_id in self.ids if message_id not in new]

    def _jingpin_department_messages(self):
        """The messages of ``self`` posted on one of the department's documents."""
        result = self.browse()
        messages = self.sudo().filtered(lambda message: message.model and message.res_id)
        for model, model_messages in messages.grouped("model").items():
            document_ids = department_document_ids(self.env, model, model_messages.mapped("res_id"))
            result |= model_messages.filtered(lambda message, ids=document_ids: message.res_id in ids)
        return result.with_env(self.env)

    def _jingpin_history(self):
        """The messages of ``self`` that are the history of a department's document: posted on it
        and committed (Odoo may still complete a message in the transaction that posts it)."""
        committed = self.browse(self._jingpin_committed_ids()).sudo()
        return committed.filtered(
            lambda message: message.message_type not in NOT_HISTORY_TYPES
        )._jingpin_department_messages()

    def _jingpin_refuse_change(self):
        if self:
            raise UserError(
                self.env._(
                    "The messages of the accessories department's documents are their history: nobody "
                    "edits or deletes them, nor their files or tracked changes. Post a new message to "
                    "correct or complete one.",
                )
            )


class MailTrackingValue(models.Model):
    """A tracked change (a state, a stage, an approver) is part of its message: it stays as posted."""

    _inherit = "mail.tracking.value"

    @api.model_create_multi
    def create(self, vals_list):
        message_ids = [vals["mail_message_id"] for vals in vals_list if vals.get("mail_message_id")]
        self.env["mail.message"].browse(message_ids)._jingpin_history()._jingpin_refuse_change()
        return super().create(vals_list)

    def write(self, vals):
        messages = self.sudo().mail_message_id
        if "mail_message_id" in vals:
            messages |= messages.browse(vals["mail_message_id"])
        messages.with_env(self.env)._jingpin_history()._jingpin_refuse_change()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        self.sudo().mail_message_id.with_env(self.env)._unlink_except_history()
