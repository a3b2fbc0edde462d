import { registry } from "@web/core/registry";

// Run by tests/test_spreadsheet_dashboard.py as the dealer group viewer, all dealerships selected.

registry.category("web_tour.tours").add("jingpin_group_dashboard_tour", {
    steps: () => [
        {
            content: "The dealer group's dashboard is the one open, in the Accessories group",
            trigger: ".o_search_panel_category_value.active:contains(Dealer Group Accessories)",
        },
        {
            content: "Its figures render: the scorecards, the gauge and the trend charts",
            trigger: ".o_spreadsheet_dashboard_action .o-figure canvas",
        },
        {
            content: "and nothing failed to load",
            trigger: ".o_spreadsheet_dashboard_action:not(:has(.dashboard-loading-status.error))",
        },
    ],
});
