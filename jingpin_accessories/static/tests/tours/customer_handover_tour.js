import { registry } from "@web/core/registry";

// The customer on his phone (390×844), without an account, at the handover: the data comes from the Python test.
registry.category("web_tour.tours").add("jingpin_customer_handover_tour", {
    steps: () => [
        {
            content: "His car is ready for handover, in Chinese",
            trigger: ".jp_customer_progress .jp_work_ready .jp_work_state:contains('待交车')",
        },
        {
            content: "The final inspection passed",
            trigger: ".jp_customer_inspection:contains('合格')",
        },
        {
            content: "Nothing is owed to him",
            trigger: ".jp_customer_nothing_owed:contains('无欠款')",
        },
        {
            content: "Write his name",
            trigger: ".jp_customer_sign .o_web_sign_name_and_signature input",
            run: "edit 李先生",
        },
        {
            trigger: ".jp_customer_sign canvas.o_web_sign_signature",
            run: "canvasNotEmpty",
        },
        {
            content: "Sign the handover",
            trigger: ".jp_customer_sign .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Signed: his car is handed over, and the receipt is his to download",
            trigger: ".jp_customer_signed .jp_customer_document:contains('交车确认单')",
        },
        {
            trigger: ".jp_customer_progress .jp_work_handed_over",
        },
    ],
});
