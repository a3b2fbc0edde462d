import { registry } from "@web/core/registry";

// The data and the users are prepared by tests/test_operations_reports.py; the tour runs as the
// accessories manager and as the dealer group's viewer.

registry.category("web_tour.tours").add("jingpin_report_period_tour", {
    steps: () => [
        {
            content: "Open the report of any period from the reporting menu",
            trigger: "[data-menu-xmlid='jingpin_accessories.menu_jingpin_reporting']",
            run: "click",
        },
        {
            trigger: "[data-menu-xmlid='jingpin_accessories.menu_jingpin_report_period_wizard']",
            run: "click",
        },
        {
            content: "This month's report",
            trigger: ".modal .o_field_widget[name=kind] input[data-value=monthly]",
            run: "click",
        },
        {
            content: "The dialog's button says what it does",
            trigger: ".modal button[name=action_open]:contains(Open Report)",
            run: "click",
        },
        {
            content: "It holds the month's sales: the floor mats and the window film",
            trigger: ".o_form_view .o_field_widget[name=revenue_month]:contains(3,800.00)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=category_line_ids] .o_data_row:contains(Window Film)",
        },
        {
            content: "Export it to a spreadsheet",
            trigger: ".o_form_view button[name=action_export_xlsx]",
            run: "click",
        },
        {
            content: "The report stays open",
            trigger: ".o_form_view .o_field_widget[name=revenue_month]:contains(3,800.00)",
        },
    ],
});
