import { registry } from "@web/core/registry";

// The data and the users are prepared by tests/test_people_process_tour.py; each tour runs as one user.

const CHECKLIST = ".o_field_widget[name=line_ids] .o_data_row";

registry.category("web_tour.tours").add("jingpin_display_check_tour", {
    steps: () => [
        ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((row) => [
            {
                content: `Point ${row}: look at it`,
                trigger: `${CHECKLIST}:nth-child(${row}) td[name=answer]`,
                run: "click",
            },
            {
                content: `Point ${row}: in order`,
                trigger: `${CHECKLIST}:nth-child(${row}) .o_field_widget[name=answer] input[data-value=ok]`,
                run: "click",
            },
        ]),
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "The week's check is done",
            trigger: "button[name=action_done]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=done]",
        },
    ],
});

registry.category("web_tour.tours").add("jingpin_growth_plan_review_tour", {
    steps: () => [
        {
            trigger: ".o_notebook .nav-link[name=review]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=rating] .o_select_menu_toggler",
            run: "click",
        },
        {
            trigger: ".o_select_menu_item:contains(Exceeds Expectations)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=review_note] textarea",
            run: "edit Sold every package this quarter; next: the film course",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "Reviewed",
            trigger: "button[name=action_approve]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=reviewed]",
        },
    ],
});
