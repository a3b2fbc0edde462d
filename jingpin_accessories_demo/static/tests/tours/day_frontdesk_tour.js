import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("jingpin_day_frontdesk_tour", {
    steps: () => [
        {
            content: "The front desk's home",
            trigger: ".o_kanban_view:contains(本月销售):not(:contains(待我审批))",
        },
        {
            trigger: ".o_main_navbar .o_menu_sections:contains(销售):not(:contains(库存)):not(:contains(配置))",
        },
        {
            content: "The price sheet he quotes service customers from",
            trigger: ".o_main_navbar .o_menu_sections button:contains(精品目录)",
            run: "click",
        },
        {
            trigger: ".dropdown-item:contains(价格表)",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_group_header:contains(脚垫)",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(RAV4荣放专用TPE全包围脚垫):contains(920.00)",
        },
        {
            content: "His service customer's order waits for the accessories manager",
            trigger: ".o_main_navbar .o_menu_sections button:contains(销售)",
            run: "click",
        },
        {
            trigger: ".dropdown-item:contains(订单)",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(刘女士) td[name=partner_id]",
            run: "click",
        },
        {
            trigger: ".alert-warning:contains(待经理审批):contains(199.00)",
        },
        {
            content: "He may not decide it, and is not offered to",
            trigger: ".o_form_view:not(:has(button[name=action_jingpin_open_decision]))",
        },
        {
            trigger: ".o_field_widget[name=tax_totals]:contains(5,312.13)",
        },
    ],
});
