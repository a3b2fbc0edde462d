import { registry } from "@web/core/registry";

// tests/test_day_gm.py: the manager has submitted next month's promotion before the day starts.

registry.category("web_tour.tours").add("jingpin_day_gm_tour", {
    steps: () => [
        {
            content: "The general manager's home: what waits for his decision",
            trigger: ".o_kanban_record:contains(待我审批):contains(已提交的促销方案) .badge:contains(1)",
        },
        {
            content: "One order's concessions are beyond the manager's authority",
            trigger: ".o_kanban_record:contains(待我审批) button:contains(1 笔优惠待审批)",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(彭国栋):contains(1,698.00)",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(彭国栋) td[name=partner_id]",
            run: "click",
        },
        {
            trigger: ".alert-warning:contains(待总经理审批):contains(1,698.00)",
        },
        {
            content: "The manager approved first",
            trigger: ".o_notebook .nav-link[name=jingpin_concessions]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=jingpin_approval_ids] .o_data_row:contains(王建国):contains(已批准)",
        },
        {
            trigger: "button[name=action_jingpin_open_decision]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=concession_amount]:contains(1,698.00)",
        },
        {
            trigger: ".modal .o_field_widget[name=comment] textarea",
            run: "edit 老客户转介绍，同意",
        },
        {
            trigger: ".modal button[name=action_approve]",
            run: "click",
        },
        {
            content: "Approved: the order no longer waits",
            trigger: ".o_form_view:not(:has(.alert-warning)):not(:has(button[name=action_jingpin_open_decision]))",
        },
        {
            trigger: ".o_field_widget[name=jingpin_approval_ids] .o_data_row:contains(赵志强):contains(已批准):contains(老客户转介绍)",
        },
        {
            content: "Back home: the submitted promotion",
            trigger: ".o_main_navbar .o_menu_sections button:contains(看板), .o_main_navbar .o_menu_sections a:contains(看板)",
            run: "click",
        },
        {
            trigger: ".o_kanban_record:contains(待我审批) button:contains(0 笔优惠待审批)",
        },
        {
            trigger: ".o_kanban_record:contains(待我审批) a[name=action_open_promotions]",
            run: "click",
        },
        {
            trigger: ".o_data_row:contains(下月冬季养护季) td[name=name]",
            run: "click",
        },
        {
            trigger: "button[name=action_open_refuse_wizard]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit 预算偏高：请把底盘装甲的促销价调到2080元再提交",
        },
        {
            trigger: ".modal button[name=action_refuse]",
            run: "click",
        },
        {
            content: "Refused: back to the manager as a draft, with the reason",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(草稿)",
        },
        {
            trigger: ".o-mail-Chatter:contains(预算偏高)",
        },
        {
            content: "His dashboard: nothing left to decide; the month's sales against the plan",
            trigger: ".o_main_navbar .o_menu_sections button:contains(看板), .o_main_navbar .o_menu_sections a:contains(看板)",
            run: "click",
        },
        {
            trigger: ".o_kanban_record:contains(待我审批):contains(已提交的促销方案) .badge:contains(0)",
        },
        {
            trigger: ".o_kanban_record:contains(本月销售):contains(计划 ¥)",
        },
    ],
});
