import { registry } from "@web/core/registry";

// The dealer group's day on the demo, as 集团精品管理部 (jp_group), in Chinese: he reads both
// dealerships and changes nothing. jingpin_accessories_demo/tests/test_day_group.py runs it.

const CHAOYANG = "华远丰田朝阳4S店";
const HAIDIAN = "华远丰田海淀4S店";

function openMenu(top, xmlid) {
    return [
        { content: `Menu ${top}`, trigger: `.o_main_navbar .dropdown-toggle:contains(${top})`, run: "click" },
        { trigger: `.dropdown-menu a[data-menu-xmlid='${xmlid}']`, run: "click" },
    ];
}

const amount = (text) => parseFloat(text.replace(/[^\d.-]/g, "")) || 0;

registry.category("web_tour.tours").add("jingpin_day_group_tour", {
    steps: () => [
        // === He lands on both dealerships at once === //
        {
            content: "The dashboard shows both dealerships' cards",
            trigger: `.o_kanban_record:contains(本月销售):contains(${CHAOYANG})`,
        },
        { trigger: `.o_kanban_record:contains(本月销售):contains(${HAIDIAN})` },
        {
            content: "Nothing waits for his approval: he gives none",
            trigger: ".o_kanban_view:not(:contains(待我审批))",
        },
        // === The group dashboard: the dealerships ranked, the totals adding up === //
        ...openMenu("报表", "jingpin_accessories.menu_jingpin_group_dashboard"),
        { trigger: ".o_control_panel:contains(集团精品看板)" },
        { content: "The dashboard is drawn", trigger: ".o-spreadsheet canvas" },
        // === The figures' analysis across the dealerships === //
        ...openMenu("报表", "jingpin_accessories.menu_jingpin_accessory_report"),
        { trigger: ".o_switch_view.o_pivot", run: "click" },
        {
            content: "The sales analysis holds both dealerships",
            trigger: `.o_pivot:contains(${CHAOYANG}):contains(${HAIDIAN})`,
        },
        // === An order, read only: nothing offered to change it === //
        ...openMenu("销售", "jingpin_accessories.menu_jingpin_sale_order"),
        { trigger: ".o_list_view:not(:has(.o_list_button_add))" },
        { trigger: ".o_data_row td[name=name]:contains(S00055)", run: "click" },
        { trigger: ".o_form_view .o_form_sheet:contains(S00055)" },
        {
            content: "Only printing and previewing are offered",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name=action_cancel]))",
            async run() {
                const names = [...document.querySelectorAll(".o_form_statusbar .o_statusbar_buttons button")].map(
                    (button) => button.getAttribute("name")
                );
                const changing = names.filter(
                    (name) => name && !/^\d+$/.test(name) && name !== "action_preview_sale_order"
                );
                if (changing.length) {
                    throw new Error(`the group is offered to change the order: ${changing.join(", ")}`);
                }
                if (document.querySelector(".o_form_view .o_form_sheet input:not([disabled]):not([type=checkbox])")) {
                    throw new Error("the group can type into the order");
                }
            },
        },
        // === The operations reports of both dealerships, exported === //
        ...openMenu("报表", "jingpin_accessories.menu_jingpin_daily_report"),
        {
            content: "Both dealerships' reports are listed",
            trigger: `.o_list_view .o_data_row:contains(${CHAOYANG})`,
        },
        { trigger: `.o_list_view .o_data_row:contains(${HAIDIAN})` },
        { trigger: ".o_list_view:not(:has(.o_list_button_add))" },
        {
            content: "No total across reports of different kinds and periods",
            trigger: ".o_list_view tfoot",
            async run() {
                const totals = [...document.querySelectorAll(".o_list_view tfoot td")].filter((cell) =>
                    amount(cell.textContent)
                );
                if (totals.length) {
                    throw new Error("the list of reports adds their figures up");
                }
            },
        },
    ],
});
