import { registry } from "@web/core/registry";
import { photoTaken, takePhoto } from "@jingpin_accessories_demo/../tests/tours/photo_steps";

// The technician's day at his desk on the demo dealer group, as 张伟 (jp_technician), in Chinese.
// jingpin_accessories_demo/tests/test_day_technician.py runs it and reads the records back.

function currentStep(label) {
    return { trigger: `.o_statusbar_status button.o_arrow_button_current:contains(${label})` };
}

function keyWizard(slot) {
    return [
        { content: "The key box dialog", trigger: ".o_form_view button[name=action_open_key_wizard]", run: "click" },
        ...(slot
            ? [{ content: `Slot ${slot} proposed`, trigger: `.modal .o_field_widget[name=slot_id] input:value(${slot})` }]
            : []),
        { trigger: ".modal button[name=action_confirm]", run: "click" },
    ];
}

function photosTab() {
    return { content: "The photos", trigger: ".o_notebook .nav-link:contains(三件套与照片)", run: "click" };
}

function backToQueue() {
    return { content: "Back to his queue", trigger: ".o_breadcrumb a:contains(我的派工单)", run: "click" };
}

registry.category("web_tour.tours").add("jingpin_day_technician_tour", {
    steps: () => [
        // === His queue: his own work orders, no money anywhere === //
        { content: "The technician lands on his queue", trigger: ".o_kanban_record:contains(S00032)" },
        {
            content: "Only his work orders, and no price",
            trigger: ".o_kanban_view:not(:contains(¥)):not(:contains(S00050)):not(:contains(S00051))",
        },
        // === The Camry's work: protective set, key into the box, start === //
        { trigger: ".o_kanban_record:contains(S00032)", run: "click" },
        { trigger: ".o_form_view:not(:contains(¥))" },
        photosTab(),
        takePhoto("protective_set_photo"),
        photoTaken("protective_set_photo"),
        { content: "Fit the protective set", trigger: "button[name=action_confirm_protective_set]", run: "click" },
        { trigger: ".o-mail-Message:contains(三件套已铺设并确认)" },
        ...keyWizard("A-04"),
        { trigger: ".o_field_widget[name=key_state]:contains(在钥匙箱中)" },
        takePhoto("condition_before_photo"),
        photoTaken("condition_before_photo"),
        { content: "Start the work", trigger: "button[name=action_start]", run: "click" },
        currentStep("施工中"),
        // the key out to drive the car into the bay, then back: to its own slot
        { trigger: ".o_form_view button[name=action_open_key_wizard]:contains(取出钥匙)" },
        ...keyWizard(),
        { trigger: ".o_field_widget[name=key_state]:contains(已取出)" },
        { trigger: ".o_form_view button[name=action_open_key_wizard]:contains(钥匙存入钥匙箱)" },
        ...keyWizard("A-04"),
        { trigger: ".o_field_widget[name=key_state]:contains(在钥匙箱中)" },
        // === Hours logged at his desk === //
        { trigger: ".o_notebook a:contains(工时记录)", run: "click" },
        { trigger: "button[name=action_open_log_hours]", run: "click" },
        { trigger: ".modal .o_field_widget[name=unit_amount] input", run: "edit 02:30" },
        { trigger: ".modal .o_field_widget[name=name] input", run: "edit 全车贴膜" },
        { trigger: ".modal button[name=action_confirm]", run: "click" },
        { trigger: ".o_form_view:not(:has(.modal)) .o_notebook .tab-pane.active:contains(全车贴膜)" },
        // === Done: he signs his completion === //
        photosTab(),
        takePhoto("condition_after_photo"),
        photoTaken("condition_after_photo"),
        { content: "Sign the completion", trigger: "button[name=action_sign_completion]", run: "click" },
        currentStep("终检"),
        { trigger: ".o_notebook a:contains(签名)", run: "click" },
        {
            content: "His signature, sealed",
            trigger: ".o_notebook .tab-pane.active .o_data_row:contains(技师完工):contains(张伟)",
        },
        // === The other Camry, in progress since the morning: its key back in the box at day end === //
        backToQueue(),
        { trigger: ".o_kanban_record:contains(S00049)", run: "click" },
        currentStep("施工中"),
        { trigger: ".o_field_widget[name=key_state]:contains(已取出)" },
        ...keyWizard(),
        { trigger: ".o_field_widget[name=key_state]:contains(在钥匙箱中)" },
        backToQueue(),
        {
            content: "The Camry waits for its final inspection",
            trigger: ".o_kanban_group:contains(终检) .o_kanban_record:contains(S00032)",
        },
    ],
});
