import { registry } from "@web/core/registry";

// The data and the users are prepared by tests/test_after_sales_tour.py; each tour runs as one user.

registry.category("web_tour.tours").add("jingpin_followup_call_tour", {
    steps: () => [
        {
            content: "Call the customer",
            trigger: "button[name=action_open_result]",
            run: "click",
        },
        {
            content: "He answered (the default)",
            trigger: ".modal .o_field_widget[name=reached] input:checked",
        },
        {
            content: "Very satisfied",
            trigger: ".modal .o_field_widget[name=satisfaction] input[data-value='5']",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=comments] textarea",
            run: "edit Film looks perfect, would like a dashcam too",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The call is recorded",
            trigger: "body:not(:has(.modal)) .o_statusbar_status button.o_arrow_button_current[data-value=done]",
        },
    ],
});

registry.category("web_tour.tours").add("jingpin_complaint_rework_tour", {
    steps: () => [
        {
            content: "The customer complains about the installation",
            trigger: "button[name=action_record_complaint]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=description] textarea",
            run: "edit The floor mat clips are loose",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "Send the car back to the workshop",
            trigger: "button[name=action_start]:contains(Start Rework)",
            run: "click",
        },
        {
            content: "A rework work order is dispatched",
            trigger: ".o_field_widget[name=rework_task_id] a, .o_field_widget[name=rework_task_id] .o_form_uri",
        },
    ],
});
