import { registry } from "@web/core/registry";

// The customer on his phone (390×844), without an account: the data comes from the Python test.
registry.category("web_tour.tours").add("jingpin_customer_phone_tour", {
    steps: () => [
        {
            content: "The menu shows the dealership's provenance label in Chinese",
            trigger: ".jp_customer_item:contains('Window Film') .jp_item_provenance:contains('原厂')",
        },
        {
            content: "Decline the window film",
            trigger: ".jp_customer_item:contains('Window Film') .jp_decline",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The film is listed as declined",
            trigger: ".jp_customer_declined:contains('Window Film')",
        },
        {
            content: "Accept the floor mats",
            trigger: ".jp_customer_item:contains('Camry Floor Mats') .jp_accept",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Accept the dashcam",
            trigger: ".jp_customer_item:contains('Dashcam') .jp_accept",
            run: "click",
            expectUnloadPage: true,
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
            content: "Sign",
            trigger: ".jp_customer_sign .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thanked for signing",
            trigger: ".jp_customer_signed",
        },
    ],
});
