import { registry } from "@web/core/registry";

// The data and the users are prepared by tests/test_concession_tour.py; each tour runs as one user.

registry.category("web_tour.tours").add("jingpin_gift_order_tour", {
    steps: () => [
        {
            content: "Give the floor mats as a gift",
            trigger: ".o_field_one2many .o_data_row:contains(Camry Floor Mats) .o_field_boolean_toggle input",
            run: "click",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "Confirm the order",
            trigger: "button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The order waits for the accessories manager",
            trigger: ".alert-warning:contains(Waiting for the Manager)",
        },
    ],
});

registry.category("web_tour.tours").add("jingpin_manager_approval_tour", {
    steps: () => [
        {
            content: "Open the approval dialog",
            trigger: "button[name=action_jingpin_open_decision]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=comment] textarea",
            run: "edit Referral from a loyal customer",
        },
        {
            trigger: ".modal button[name=action_approve]",
            run: "click",
        },
        {
            content: "Beyond the manager's authority: now the general manager must approve",
            trigger: ".alert-warning:contains(Waiting for the General Manager)",
        },
    ],
});

registry.category("web_tour.tours").add("jingpin_gm_approval_tour", {
    steps: () => [
        {
            trigger: "button[name=action_jingpin_open_decision]",
            run: "click",
        },
        {
            trigger: ".modal button[name=action_approve]",
            run: "click",
        },
        {
            content: "Approved: nothing left to approve",
            trigger: ".o_form_view:not(:has(button[name=action_jingpin_open_decision])):not(:has(.alert-warning:contains(Waiting)))",
        },
        {
            content: "The decisions of the order",
            trigger: ".o_notebook .nav-link[name=jingpin_concessions]",
            run: "click",
        },
        {
            content: "Both decisions are recorded: the manager's and the general manager's",
            trigger: ".o_field_widget[name=jingpin_approval_ids] .o_data_row:contains(General Manager):contains(Approved)",
        },
    ],
});
