import { registry } from "@web/core/registry";

// The data and the users are prepared by tests/test_tour.py; each tour runs as one user.

registry.category("web_tour.tours").add("jingpin_dispatch_tour", {
    steps: () => [
        {
            content: "Assign the technician",
            trigger: ".o_field_widget[name=technician_id] input",
            run: "edit Tour Technician",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains(Tour Technician)",
            run: "click",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
    ],
});

registry.category("web_tour.tours").add("jingpin_install_tour", {
    steps: () => [
        {
            content: "Fit the protective set and confirm it",
            trigger: "button[name=action_confirm_protective_set]",
            run: "click",
        },
        {
            content: "Put the car key into the key box",
            trigger: "button[name=action_open_key_wizard]",
            run: "click",
        },
        {
            content: "A free slot is proposed: register the key",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=key_state]:contains(In the Key Box)",
        },
        {
            content: "Start work",
            trigger: "button[name=action_start]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(In Progress)",
        },
        {
            content: "Sign completion",
            trigger: "button[name=action_sign_completion]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Final Inspection)",
        },
    ],
});

registry.category("web_tour.tours").add("jingpin_inspect_handover_tour", {
    steps: () => [
        {
            content: "Open the final inspection",
            trigger: ".o_notebook a[name=inspection]",
            run: "click",
        },
        {
            content: "Every checkpoint passed",
            trigger: "button[name=action_inspection_all_pass]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=current_inspection_line_ids] .o_data_row:first input[type=radio]:checked",
        },
        {
            content: "Sign the final inspection",
            trigger: "button[name=action_sign_inspection]",
            run: "click",
        },
        {
            // with the handover buttons the status bar folds: the current step may be in its dropdown
            trigger: ".o_statusbar_status:has(button.o_arrow_button_current:contains(Ready for Handover))",
        },
        {
            content: "Hand over to the customer",
            trigger: "button[name=action_open_handover]",
            run: "click",
        },
        {
            content: "The customer signs",
            trigger: ".modal .o_field_widget[name=signature] .o_signature",
            run: "click",
        },
        {
            trigger: ".modal canvas.o_web_sign_signature",
            run: "canvasNotEmpty",
        },
        {
            content: "Adopt the signature",
            trigger: ".modal-footer button.btn-primary:contains(Adopt)",
            run: "click",
        },
        {
            content: "Confirm the handover",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Handed Over)",
        },
    ],
});

registry.category("web_tour.tours").add("jingpin_log_hours_phone_tour", {
    steps: () => [
        {
            content: "Open the timesheets of the work order",
            trigger: ".o_notebook a[name=timesheets]",
            run: "click",
        },
        {
            content: "Log hours in one dialog",
            trigger: "button[name=action_open_log_hours]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=unit_amount] input",
            run: "edit 1:30",
        },
        {
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit 贴膜",
        },
        {
            content: "Register the time",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The time is on the work order",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=timesheet_ids]:contains(贴膜)",
        },
    ],
});
