import { registry } from "@web/core/registry";

// The data and the users are prepared by tests/test_inventory_tour.py; each tour runs as one user.

registry.category("web_tour.tours").add("jingpin_reconciliation_tour", {
    steps: () => [
        {
            content: "The specialist runs the day's reconciliation check",
            trigger: "[data-menu-xmlid='jingpin_accessories.menu_jingpin_inventory']",
            run: "click",
        },
        {
            trigger: "[data-menu-xmlid='jingpin_accessories.menu_jingpin_reconciliation_check']",
            run: "click",
        },
        {
            content: "The dashcam left in the loan location without a loan",
            trigger: ".o_data_row td[name=name]:contains(Dashcam)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=resolution] textarea",
            run: "edit Demo unit put back on the shelf; the count corrected",
        },
        {
            content: "Cleared",
            trigger: "button[name=action_resolve]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=resolved]",
        },
    ],
});

registry.category("web_tour.tours").add("jingpin_loan_tour", {
    steps: () => [
        {
            content: "The specialist lends the accessories",
            trigger: "button[name=action_lend]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=lent]",
        },
        {
            content: "They come back",
            trigger: "button[name=action_return]",
            run: "click",
        },
        {
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=returned]",
        },
    ],
});

registry.category("web_tour.tours").add("jingpin_stocktake_tour", {
    steps: () => [
        {
            content: "The manager confirms the quarter's count: he applies it",
            trigger: ".o_data_row:contains(Dashcam) button[name=action_apply_inventory]",
            run: "click",
        },
        {
            trigger: ".o_list_view:not(:has(button[name=action_apply_inventory]))",
        },
    ],
});

registry.category("web_tour.tours").add("jingpin_group_purchase_tour", {
    steps: () => [
        {
            content: "The manager confirms the month's purchase order to the group",
            trigger: "button[name=button_confirm]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=purchase]",
        },
    ],
});
