import { registry } from "@web/core/registry";

// The data and the users are prepared by tests/test_promotion_tour.py; each tour runs as one user.

registry.category("web_tour.tours").add("jingpin_promotion_submit_tour", {
    steps: () => [
        {
            content: "The manager submits the plan to the general manager",
            trigger: "button[name=action_submit]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Submitted)",
        },
    ],
});

registry.category("web_tour.tours").add("jingpin_promotion_approve_tour", {
    steps: () => [
        {
            content: "The general manager approves: the promotion runs",
            trigger: "button[name=action_approve]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Running)",
        },
    ],
});

registry.category("web_tour.tours").add("jingpin_promotion_message_tour", {
    steps: () => [
        {
            content: "Tell the customers",
            trigger: "button[name=action_message_customers]",
            run: "click",
        },
        {
            content: "One Camry owner to tell: the other one opted out",
            trigger: "button[name=action_view_recipients]:contains(1)",
        },
        {
            trigger: "button[name=action_send]",
            run: "click",
        },
        {
            content: "Confirm sending",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Sent)",
        },
    ],
});
