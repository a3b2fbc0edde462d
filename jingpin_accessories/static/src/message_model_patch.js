import { Message } from "@mail/core/common/message_model";

import { patch } from "@web/core/utils/patch";

// The server sends `jingpin_history` on the messages of the accessories department's documents
// (models/mail_message.py): nobody edits or deletes them, so the chatter offers neither.
patch(Message.prototype, {
    get allowsEdition() {
        return !this.jingpin_history && super.allowsEdition;
    },
});
