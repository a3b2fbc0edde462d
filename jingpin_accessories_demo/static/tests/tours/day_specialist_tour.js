import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("jingpin_day_specialist_tour", {
    steps: () => [
        {
            content: "The specialist's home: the accessories dashboard",
            trigger: ".o_kanban_view:contains(今日派工)",
        },
        {
            trigger: ".o_main_navbar .o_menu_sections button:contains(销售), .o_main_navbar .o_menu_sections a:contains(销售)",
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
            content: "The customer",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit 赵先生",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option):contains(赵先生)",
            run: "click",
        },
        {
            content: "The customer's price list is in: his cars can be looked up",
            trigger: ".o_field_widget[name=pricelist_id] input:value(/CNY/)",
        },
        {
            trigger: ".o_field_widget[name=vehicle_id] input",
            run: "edit LVGBE40K8GP100003",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option):contains(LVGBE40K8GP100003)",
            run: "click",
        },
        {
            content: "The car is a Camry",
            trigger: ".o_field_widget[name=vehicle_model_id]:contains(凯美瑞)",
        },
        {
            content: "The package",
            trigger: ".o_field_x2many_list_row_add a:first",
            run: "click",
        },
        {
            trigger: ".o_data_row.o_selected_row .o_field_widget[name=product_id] input, .o_data_row.o_selected_row .o_field_widget[name=product_template_id] input",
            run: "edit 新车基础套餐",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option):contains(新车基础套餐)",
            run: "click",
        },
        {
            trigger: ".o_data_row:contains(龙膜畅悦全车太阳膜)",
        },
        {
            content: "A gift: the car perfume",
            trigger: ".o_field_x2many_list_row_add a:first",
            run: "click",
        },
        {
            trigger: ".o_data_row.o_selected_row .o_field_widget[name=product_id] input, .o_data_row.o_selected_row .o_field_widget[name=product_template_id] input",
            run: "edit 车载香薰",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option):contains(车载香薰)",
            run: "click",
        },
        {
            content: "The perfume's price is read before it is given",
            trigger: ".o_data_row.o_selected_row .o_field_widget[name=price_unit] input:value(168.00)",
        },
        {
            trigger: ".o_data_row.o_selected_row .o_field_widget[name=is_gift] input",
            run: "click",
        },
        {
            content: "Ticking the gift sets its price to 0",
            trigger: ".o_data_row.o_selected_row .o_field_widget[name=price_unit] input:value(0.00)",
        },
        {
            content: "The gift is out of the totals: 3,580 and 13 % VAT",
            trigger: ".o_field_widget[name=tax_totals]:contains(3,580.00):contains(465.40):contains(4,045.40)",
        },
        {
            content: "A price cut: the fire extinguisher at 100 instead of 128",
            trigger: ".o_field_x2many_list_row_add a:first",
            run: "click",
        },
        {
            trigger: ".o_data_row.o_selected_row .o_field_widget[name=product_template_id] input",
            run: "edit 车载灭火器",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option):contains(车载灭火器)",
            run: "click",
        },
        {
            trigger: ".o_data_row.o_selected_row .o_field_widget[name=price_unit] input:value(128.00)",
        },
        {
            trigger: ".o_data_row.o_selected_row .o_field_widget[name=price_unit] input",
            run: "edit 100",
        },
        {
            content: "Save: the gift is free, the cut is in",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "The totals the customer is told: 3,580 package + 0 gift + 100, plus 13 % VAT",
            trigger: ".o_field_widget[name=tax_totals]:contains(3,680.00):contains(478.40):contains(4,158.40)",
        },
        {
            trigger: ".o_data_row:contains(车载香薰):contains(0.00)",
        },
        {
            content: "What he gave away, under Concessions",
            trigger: ".o_notebook .nav-link[name=jingpin_concessions]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=jingpin_gift_amount]:contains(168.00)",
        },
        {
            trigger: ".o_field_widget[name=jingpin_concession_amount]:contains(196.00)",
        },
        {
            content: "Confirm: the concessions go to the accessories manager",
            trigger: ".o_form_statusbar button[name=action_confirm]",
            run: "click",
        },
        {
            trigger: ".alert-warning:contains(待经理审批):contains(196.00)",
        },
        {
            content: "The manager is asked",
            trigger: ".o-mail-Activity:contains(王建国):contains(196.00)",
        },
        {
            content: "Confirming dispatched the work order",
            trigger: "button[name=action_view_work_orders]:contains(1)",
            run: "click",
        },
        {
            content: "The work order's own form: the car and the items to fit",
            trigger: ".o_form_view .o_field_widget[name=work_item_ids] .o_data_row:contains(龙膜畅悦全车太阳膜)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=vehicle_id]:contains(LVGBE40K8GP100003)",
        },
        {
            content: "The completion promised to the customer: in four days (both technicians are booked until then)",
            trigger: ".o_form_view .o_field_widget[name=promised_datetime] input",
            run: "edit +4d",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=planned_minutes]",
            run: "click",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "Dispatch: the earliest technician and start that keep the promised time",
            trigger: "button[name=action_propose_slot]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=technician_id] input:value(/精品美容技师/)",
        },
        {
            trigger: ".o_form_view:not(:has(.o_form_status_indicator_buttons:not(.invisible)))",
        },
        {
            content: "The price sheet for the consultants and the front desk",
            trigger: ".o_main_navbar .o_menu_sections button:contains(精品目录)",
            run: "click",
        },
        {
            trigger: ".dropdown-item:contains(价格表)",
            run: "click",
        },
        {
            content: "By category; a category's row counts accessories, it adds up no prices",
            trigger: ".o_list_view .o_group_header:contains(太阳膜):not(:contains(9,840.00))",
        },
        {
            trigger: "button[name=action_print_price_sheet]",
            run: "click",
        },
        {
            content: "His follow-up calls",
            trigger: ".o_main_navbar .o_menu_sections button:contains(售后)",
            run: "click",
        },
        {
            trigger: ".dropdown-item:contains(回访):not(:contains(逾期))",
            run: "click",
        },
        {
            content: "梁宇航's call is overdue",
            trigger: ".o_data_row:contains(梁宇航) td[name=name]",
            run: "click",
        },
        {
            trigger: "button[name=action_open_result]",
            run: "click",
        },
        {
            content: "Reached: very satisfied",
            trigger: ".modal .o_field_widget[name=satisfaction] input[data-value='5'], .modal .o_field_widget[name=satisfaction] .o_radio_item:last-child input",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=comments] textarea",
            run: "edit 脚垫很合适，下次保养想看看行车记录仪",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The follow-up is done",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(已完成)",
        },
        {
            content: "and its call is off his to-do list",
            trigger: ".o-mail-Chatter:contains(回访电话 完成):not(:has(.o-mail-Activity))",
        },
    ],
});
