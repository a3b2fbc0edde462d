import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("jingpin_day_consultant_tour", {
    steps: () => [
        {
            content: "The consultant's home: his month's sales, no workshop money, no approvals",
            trigger: ".o_kanban_view:contains(本月销售):not(:contains(待我审批))",
        },
        {
            content: "No stock, staff or settings menus for a sales consultant",
            trigger: ".o_main_navbar .o_menu_sections:contains(销售):not(:contains(库存)):not(:contains(员工)):not(:contains(配置))",
        },
        {
            trigger: ".o_main_navbar .o_menu_sections button:contains(销售)",
            run: "click",
        },
        {
            trigger: ".dropdown-item:contains(我的赠送)",
            run: "click",
        },
        {
            content: "The gifts charged to him: his and confirmed, both at once",
            trigger: ".o_searchview_facet:contains(我的赠送):not(:contains(已确认订单))",
        },
        {
            trigger: ".o_searchview_facet:contains(已确认订单):not(:contains(我的赠送))",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(曹俊):contains(280.00)",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(何文斌):contains(298.00)",
        },
        {
            trigger: ".o_list_view tfoot:contains(578.00)",
        },
        {
            content: "An accessory offer for his new-car customer",
            trigger: ".o_main_navbar .o_menu_sections button:contains(销售)",
            run: "click",
        },
        {
            trigger: ".dropdown-item:contains(订单)",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit 王先生",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option):contains(王先生)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=pricelist_id] input:value(/CNY/)",
        },
        {
            content: "A new-car sale",
            trigger: ".o_field_widget[name=jingpin_channel] input",
            run: "click",
        },
        {
            trigger: ".o_select_menu_item:contains(新车销售)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=jingpin_channel] input:value(新车销售)",
        },
        {
            trigger: ".o_field_widget[name=vehicle_id] input",
            run: "edit LVGBE40K8GP100001",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option):contains(京A·8K261)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=vehicle_model_id]:contains(凯美瑞)",
        },
        {
            trigger: ".o_field_x2many_list_row_add a:first",
            run: "click",
        },
        {
            trigger: ".o_data_row.o_selected_row .o_field_widget[name=product_template_id] input",
            run: "edit 3M晶锐",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option):contains(3M晶锐全车太阳膜)",
            run: "click",
        },
        {
            content: "This month's promotion price, not the list price of 4,880",
            trigger: ".o_data_row.o_selected_row .o_field_widget[name=price_unit] input:value(3,980.00)",
        },
        {
            trigger: ".o_field_widget[name=tax_totals]:contains(3,980.00):contains(517.40):contains(4,497.40)",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "Send him the offer",
            trigger: ".o_form_statusbar button[name=action_quotation_send]",
            run: "click",
        },
        {
            trigger: ".modal .o_mail_composer_form_view, .modal .o_form_view",
        },
        {
            trigger: ".modal button[name=action_send_mail]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(已发送报价单)",
        },
    ],
});
