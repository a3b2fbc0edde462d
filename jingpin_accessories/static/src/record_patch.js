import { _t } from "@web/core/l10n/translation";
import { Record } from "@web/model/relational_model/record";
import { patch } from "@web/core/utils/patch";

// Odoo's own notice reads "Missing required fields" (untranslated in Odoo's Chinese) and names no
// field: the staff are told, in their language, which fields to fill in or correct.
patch(Record.prototype, {
    _displayInvalidFieldNotification() {
        const labels = [...this._invalidFields].map((name) => this.fields[name]?.string || name);
        return this.model.notification.add(
            _t("Fill in or correct these fields: %(fields)s", { fields: labels.join("、") }),
            { type: "danger" }
        );
    },
});
