import { registry } from "@web/core/registry";

// The accessories manager's day on the demo dealer group, as 王建国 (jp_manager), in Chinese.
// jingpin_accessories_demo/tests/test_day_manager.py runs it and reads the records back.

const { DateTime } = luxon;

// The number a card or a button shows ("3 笔优惠待审批" → 3).
function numberIn(element) {
    return parseInt(element.textContent.match(/\d+/)[0], 10);
}

let cardCount = null;

/** Click the dashboard card ``title``'s main button, remembering the number it shows. */
function openCard(title) {
    return {
        content: `Dashboard: open ${title}`,
        trigger: `.o_kanban_record:contains(${title}) button[name=action_open]`,
        async run(helpers) {
            cardCount = numberIn(this.anchor);
            await helpers.click();
        },
    };
}

/** The list the card opened holds as many records as the card said. */
function listMatchesCard(title) {
    return {
        content: `${title}: the list holds what the card counts`,
        trigger: `.o_action:has(.o_breadcrumb:contains(${title})) .o_list_renderer`,
        async run() {
            const rows = document.querySelectorAll(".o_list_view .o_data_row").length;
            if (rows !== cardCount) {
                throw new Error(`${title}: the card says ${cardCount}, the list shows ${rows}`);
            }
        },
    };
}

function backToDashboard() {
    return { content: "Back to the dashboard", trigger: ".o_breadcrumb a:contains(精品看板)", run: "click" };
}

function openMenu(top, xmlid) {
    return [
        { content: `Menu ${top}`, trigger: `.o_main_navbar .dropdown-toggle:contains(${top})`, run: "click" },
        { trigger: `.dropdown-menu a[data-menu-xmlid='${xmlid}']`, run: "click" },
    ];
}

function openRow(text) {
    return { content: `Open ${text}`, trigger: `.o_data_row:contains(${text}) td.o_data_cell`, run: "click" };
}

function currentStep(label) {
    return { trigger: `.o_statusbar_status button.o_arrow_button_current:contains(${label})` };
}

registry.category("web_tour.tours").add("jingpin_day_manager_tour", {
    steps: () => [
        // === The dashboard: each card's number is the records it opens === //
        { content: "The manager lands on the dashboard", trigger: ".o_kanban_record:contains(今日派工)" },
        openCard("今日派工"),
        listMatchesCard("今日派工"),
        backToDashboard(),
        openCard("延误派工单"),
        listMatchesCard("延误派工单"),
        backToDashboard(),
        // === Approvals: his level only, never the general manager's === //
        openCard("待我审批"),
        listMatchesCard("待我审批"),
        {
            content: "Only orders waiting for the manager are offered",
            trigger: ".o_list_view .o_data_row:contains(S00033)",
            async run() {
                const rows = [...document.querySelectorAll(".o_list_view .o_data_row")];
                const foreign = rows.filter((row) => !row.textContent.includes("待经理审批"));
                if (foreign.length || rows.some((row) => row.textContent.includes("S00056"))) {
                    throw new Error("the manager is offered an order only the general manager decides");
                }
            },
        },
        openRow("S00033"),
        {
            content: "Approve the after-sales order's concessions (within his authority)",
            trigger: ".o_form_view button[name=action_jingpin_open_decision]",
            run: "click",
        },
        { trigger: ".modal .o_field_widget[name=concession_amount]:contains(199.00)" },
        { trigger: ".modal button[name=action_approve]", run: "click" },
        {
            content: "Approved: nothing waits for him on the order any more",
            trigger: ".o_form_view:not(:has(.modal)):not(:has(button[name=action_jingpin_open_decision]))",
        },
        { trigger: ".o_form_view:not(:has(.alert-warning:contains(待经理审批)))" },
        // === Dispatch: the after-sales order's work order goes to 张伟 === //
        ...openMenu("车间", "jingpin_accessories.menu_jingpin_work_order"),
        { trigger: ".o_switch_view.o_list", run: "click" },
        openRow("S00033 · RAV4荣放"),
        { trigger: ".o_form_view .o_field_widget[name=technician_id] input", run: "edit 张伟" },
        { trigger: ".o-autocomplete--dropdown-item:contains(张伟)", run: "click" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_view .o_form_saved" },
        // === The key box: who holds the keys out === //
        ...openMenu("车间", "jingpin_accessories.menu_jingpin_key_box_board"),
        {
            content: "Slot A-03: the Highlander's key is out with the specialist",
            trigger: ".o_kanban_record:contains(A-03):contains(钥匙已取出):contains(李娜)",
        },
        {
            content: "The key out of A-01 stays on its card while another car's key hangs there",
            trigger: ".o_kanban_record:contains(A-01):contains(钥匙在位):contains(张伟)",
        },
        // === The day's reconciliation issue, resolved with a note === //
        ...openMenu("库存", "jingpin_accessories.menu_jingpin_reconciliation_issue"),
        openRow("S00044"),
        {
            content: "The issue names its order, not a technical reference",
            trigger: ".o_form_view .o_field_widget[name=document_ref]:contains(S00044)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=resolution] textarea",
            run: "edit 应急救援包已到货，今日补发出库给客户",
        },
        { trigger: ".o_form_view button[name=action_resolve]", run: "click" },
        currentStep("已解决"),
        // === The stocktake: a count applied by the manager === //
        ...openMenu("库存", "jingpin_accessories.menu_jingpin_stocktake"),
        {
            content: "Count the front windscreen film: 9 on the shelf",
            trigger: ".o_data_row:contains(JP-WF-003) td[name=inventory_quantity]",
            run: "click",
        },
        { trigger: ".o_data_row.o_selected_row td[name=inventory_quantity] input", run: "edit 9" },
        { trigger: ".o_list_button_save", run: "click" },
        { trigger: ".o_data_row:contains(JP-WF-003) td[name=inventory_diff_quantity]:contains(-1.00)" },
        { trigger: ".o_data_row:contains(JP-WF-003) button[name=action_apply_inventory]", run: "click" },
        {
            content: "Applied: 9 on hand, nothing left to apply",
            trigger: ".o_data_row:contains(JP-WF-003) td[name=quantity]:contains(9.00)",
        },
        { trigger: ".o_data_row:contains(JP-WF-003):not(:has(button[name=action_apply_inventory]))" },
        // === The loans register: the returned loan audited === //
        ...openMenu("库存", "jingpin_accessories.menu_jingpin_loan"),
        openRow("WJ/2026/0002"),
        { trigger: ".o_form_view button[name=action_audit]", run: "click" },
        currentStep("已审核"),
        // === A complaint handed to another owner: only his dealership's staff === //
        ...openMenu("售后", "jingpin_accessories.menu_jingpin_complaint"),
        openRow("TS/2026/0001"),
        { trigger: ".o_form_view button[name=action_open_assign]", run: "click" },
        { trigger: ".modal .o_field_widget[name=user_id] input", run: "click" },
        {
            content: "Only the dealership's own staff are offered",
            trigger: ".o-autocomplete--dropdown-item:contains(王建国)",
            async run() {
                const offered = [...document.querySelectorAll(".o-autocomplete--dropdown-item")]
                    .map((item) => item.textContent.trim())
                    .filter((name) => !name.includes("搜索更多"));
                const strangers = offered.filter((name) => name.includes("海淀") || /Admin|Mitchell/.test(name));
                if (strangers.length) {
                    throw new Error(`staff of another dealership offered: ${strangers.join(", ")}`);
                }
            },
        },
        { trigger: ".o-autocomplete--dropdown-item:contains(王建国)", run: "click" },
        { trigger: ".modal button[name=action_confirm]", run: "click" },
        { trigger: ".o_form_view:not(:has(.modal)) .o_field_widget[name=user_id]:contains(王建国)" },
        // === Last week's report, opened for its period === //
        ...openMenu("报表", "jingpin_accessories.menu_jingpin_report_period_wizard"),
        {
            content: "The dialog's button says what it does",
            trigger: ".modal .modal-footer button[name=action_open]:contains(打开报表)",
        },
        { trigger: ".modal .o_field_widget[name=kind] label:contains(周报)", run: "click" },
        { trigger: ".modal .o_field_widget[name=date] button", run: "click" },
        {
            content: "A day of last week",
            trigger: ".modal .o_field_widget[name=date] input",
            async run(helpers) {
                await helpers.edit(DateTime.now().minus({ days: 7 }).toFormat("yyyy/MM/dd"));
                await helpers.press("Enter");
            },
        },
        {
            trigger: `.modal .o_field_widget[name=date]:contains(${DateTime.now().minus({ days: 7 }).day}日)`,
        },
        { trigger: ".modal button[name=action_open]", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name=kind]:contains(周报)" },
        { content: "The breadcrumb names the week's report", trigger: ".o_breadcrumb .active:contains(周报)" },
        {
            content: "The categories add up to the week's revenue",
            trigger: ".o_form_view .o_field_widget[name=category_line_ids] tfoot",
            async run() {
                const amount = (text) => parseFloat(text.replace(/[^\d.-]/g, "")) || 0;
                const revenue = amount(document.querySelector(".o_field_widget[name=revenue_day]").textContent);
                const cells = document.querySelectorAll(
                    ".o_field_widget[name=category_line_ids] tfoot td"
                );
                const totals = [...cells].map((cell) => amount(cell.textContent));
                if (!totals.some((total) => Math.abs(total - revenue) < 0.005)) {
                    throw new Error(`the categories total ${totals} is not the week's revenue ${revenue}`);
                }
            },
        },
    ],
});
