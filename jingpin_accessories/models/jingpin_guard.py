from odoo import SUPERUSER_ID, api, models, tools
from odoo.exceptions import AccessError
from odoo.tools import SQL
from odoo.tools.misc import clean_context

# Marks the addon's own writes of guarded fields. It is an object compared by identity: a client
# can put any JSON in a context, never this object, so no request can imitate the server's write.
SERVER_WRITE = object()
# Marks a run of one of Odoo's own actions of a document (confirm, cancel, post...): the only
# writer of the document's Odoo ``state``. Like SERVER_WRITE, no JSON can carry it.
DOCUMENT_ACTION = object()


class JingpinGuard(models.AbstractModel):
    """Fields that only the server's own actions write; on the department's documents, every field
    but those the model opens to its users.

    Every field this addon declares read-only (states, approvals, amounts, signatures, computed
    and related fields) is a control field: it changes only through the action that checks its
    rule, which writes it with :meth:`_jingpin_server`. On the department's documents the guard
    fails closed: a client writes only what :meth:`_jingpin_client_fields` names, the one place a
    model opens a field; Odoo's own fields and a field another module adds are the server's until a
    model names them there. A ``write`` or ``create`` from anywhere else that names another field,
    or a ``default_<field>`` context key that would set one, is refused. Models add conditional
    control fields by overriding :meth:`_jingpin_refused_fields`.
    """

    _name = "jingpin.guard"
    _description = "Fields Written Only by the Server"

    @api.model
    @tools.ormcache()
    def _jingpin_guarded_field_names(self):
        return frozenset(
            name
            for name, field in self._fields.items()
            if field._module == "jingpin_accessories" and field.readonly and not field.inverse
        )

    @api.model
    @tools.ormcache()
    def _jingpin_editable_field_names(self):
        return frozenset(
            name
            for name, field in self._fields.items()
            if field._module == "jingpin_accessories" and (not field.readonly or field.inverse)
        )

    def _jingpin_client_fields(self):
        """The fields a client may write on ``self`` (empty on create), or ``None`` where the records
        are not the department's and Odoo's own rules apply. The addon's own models open the fields
        they declare editable; Odoo's models open their department's documents in their override
        (the work order, the accessory order)."""
        if self._original_module == "jingpin_accessories":
            return self._jingpin_editable_field_names()
        return None

    def _jingpin_refused_fields(self, vals):
        """The names of ``vals`` that a client may not write on ``self`` (empty on create)."""
        refused = vals.keys() & self._jingpin_guarded_field_names()
        # Odoo's own buttons (confirm, cancel, ...) write the document's fields they decide
        client_fields = None if self._jingpin_in_action() else self._jingpin_client_fields()
        if client_fields is not None:
            refused |= vals.keys() - client_fields
        return refused

    def _jingpin_server(self):
        """These records as the addon's own actions write and create them: with the marker, and
        without the caller's ``default_*`` keys, so that a server create takes only the values
        the server chose."""
        context = clean_context(self.env.context)
        return self.with_context(context, jingpin_server=SERVER_WRITE)  # pylint: disable=context-overridden

    def _jingpin_action(self):
        """These records as one of their document's own actions runs them: see :meth:`_jingpin_check_state`."""
        return self.with_context(jingpin_action=DOCUMENT_ACTION)  # pylint: disable=context-overridden

    def _jingpin_in_action(self):
        return self.env.context.get("jingpin_action") is DOCUMENT_ACTION

    def _jingpin_state_documents(self):
        """The records of ``self`` whose Odoo ``state`` is the department's (none by default)."""
        return self.browse()

    def _jingpin_check_state(self, records):
        """Odoo's ``state`` of the department's documents changes only through their actions
        (confirm, cancel, post, reset to draft...), which run with :meth:`_jingpin_action`: a
        client's ``write`` or ``create`` naming it is refused, whatever his rights or context."""
        if self._jingpin_in_action():
            return
        documents = records._jingpin_state_documents()
        if documents:
            raise AccessError(
                self.env._(
                    "The status of %(documents)s changes only through its buttons (confirm, cancel, post, "
                    "reset to draft), which check the rules; it cannot be set directly.",
                    documents=", ".join(documents.mapped("display_name")),
                )
            )

    def _in_company_lang(self):
        """An environment in the dealership's language, for text written into the document that all
        its staff read (chatter, checkpoints, activities), whoever triggered it and in whatever
        language he called."""
        return self.with_context(lang=self.company_id.partner_id.lang or "en_US").env

    def _jingpin_lock(self):
        """Take these records' rows: of two transactions deciding on one at once, the second fails
        to serialize (Odoo retries it, and the retry sees the first one's decision)."""
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET write_date = (now() AT TIME ZONE 'UTC') WHERE id IN %s",
                    SQL.identifier(self._table),
                    tuple(self.ids),
                )
            )

    def _company_users(self, group_xmlid):
        """The internal users of this document's dealership who are in ``group_xmlid``."""
        self.ensure_one()
        return self.env["res.users"].search(
            [
                ("all_group_ids", "in", self.env.ref(group_xmlid).id),
                ("company_ids", "in", self.company_id.id),
                ("share", "=", False),
                ("id", "!=", SUPERUSER_ID),
            ]
        )

    def _jingpin_is_server(self):
        return self.env.context.get("jingpin_server") is SERVER_WRITE

    def _jingpin_check_client_values(self, vals):
        refused = self._jingpin_refused_fields(vals)
        if refused:
            labels = sorted(self._fields[name]._description_string(self.env) for name in refused)
            raise AccessError(
                self.env._(
                    "%(fields)s of %(model)s change only through its actions (its buttons), which check "
                    "the rules; they cannot be set directly.",
                    fields=", ".join(f"“{label}”" for label in labels),
                    model=self.env["ir.model"]._get(self._name).name,
                )
            )

    def _jingpin_check_not_group_viewer(self):
        """The dealer group's viewer reads the department's documents and changes none of them,
        whatever rule or access right of another module would let him."""
        # a wizard only asks (its action is checked), and the addon's own actions write for him
        if not (self.env.su or self._transient or self._jingpin_is_server()):
            self.env.user._jingpin_check_not_viewer()

    @api.model_create_multi
    def create(self, vals_list):
        self._jingpin_check_not_group_viewer()
        if not self._jingpin_is_server():
            context_defaults = {
                key.removeprefix("default_"): value
                for key, value in self.env.context.items()
                if key.startswith("default_") and key.removeprefix("default_") in self._fields
            }
            for vals in vals_list:
                self.browse()._jingpin_check_client_values(context_defaults | vals)
        records = super().create(vals_list)
        if "state" in self._fields and not self._jingpin_in_action():
            # a document is created as a draft: its actions take it further
            self._jingpin_check_state(records.filtered(lambda record: record.state != "draft"))
        return records

    def write(self, vals):
        self._jingpin_check_not_group_viewer()
        if "state" in vals:
            self._jingpin_check_state(self)
        if not self._jingpin_is_server():
            self._jingpin_check_client_values(vals)
        return super().write(vals)

    def unlink(self):
        self._jingpin_check_not_group_viewer()
        return super().unlink()
