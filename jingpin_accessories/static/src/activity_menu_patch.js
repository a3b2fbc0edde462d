import { ActivityMenu } from "@mail/core/web/activity_menu";
import { patch } from "@web/core/utils/patch";

// The systray's activities on work orders open in the work orders' own views (the server names them,
// ``res.users._get_activity_groups``), not in the project's task views.
patch(ActivityMenu.prototype, {
    availableViews(group) {
        return group.jingpin_views || super.availableViews(group);
    },
});
