import { Thread } from "@mail/core/common/thread_model";
import { patch } from "@web/core/utils/patch";

// A notification or a message of a task opens the record in the form its model chooses
// (``get_formview_action``): a work order in its own form, not in the project's task form.
patch(Thread.prototype, {
    open(options) {
        if (this.model !== "project.task") {
            return super.open(...arguments);
        }
        const { action, orm } = this.store.env.services;
        orm.call("project.task", "get_formview_action", [[this.id]]).then((formAction) =>
            action.doAction(formAction)
        );
        return true;
    },
});
