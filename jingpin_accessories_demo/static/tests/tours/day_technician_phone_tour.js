import * as BarcodeScanner from "@web/core/barcode/barcode_dialog";
import { registry } from "@web/core/registry";
import { patch } from "@web/core/utils/patch";
import { photoTaken, takePhoto } from "@jingpin_accessories_demo/../tests/tours/photo_steps";

// The technician's day on his phone (390×844, in Chinese), on the demo dealer group: his queue, the
// car's key scanned into the key box, the photos taken, the work started, completed and signed.
// Prepared and read back by jingpin_accessories_demo/tests/test_day_technician_phone.py.

function noSidewaysScroll() {
    return {
        content: "Nothing scrolls sideways on the phone",
        trigger: ".o_form_view",
        run() {
            const page = document.scrollingElement;
            if (page.scrollWidth > page.clientWidth + 1) {
                throw new Error(`the page scrolls sideways: ${page.scrollWidth}px for ${page.clientWidth}px`);
            }
        },
    };
}

let keyTag;
let unpatchScanner;

// The phone's camera reads the QR code printed on the key tag: Odoo's scanner hands the code it read
// to the many2one field, which looks it up on the server (name_search) as for a real scan.
function scanKeyTag() {
    unpatchScanner = patch(BarcodeScanner, {
        async scanBarcode() {
            return keyTag;
        },
    });
}

registry.category("web_tour.tours").add("jingpin_day_technician_phone", {
    steps: () => [
        {
            content: "His queue is his home: today's car waits in 已派工",
            trigger: ".o_kanban_record:contains(S00032)",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=key_tag_code]",
            run() {
                keyTag = this.anchor.textContent.trim();
            },
        },
        noSidewaysScroll(),
        {
            content: "More actions, under the thumb",
            trigger: ".o_statusbar_buttons .dropdown-toggle",
            run: "click",
        },
        {
            content: "The car's key goes into the key box",
            trigger: ".o-dropdown--menu button[name=action_open_key_wizard]:contains(钥匙存入钥匙箱)",
            run: "click",
        },
        {
            content: "Scan the key tag's QR code with the camera",
            trigger: ".modal .o_field_widget[name=key_tag_id] button.o_barcode",
            run(helpers) {
                scanKeyTag();
                return helpers.click();
            },
        },
        {
            trigger: ".modal .o_field_widget[name=key_tag_id] input:value(京A·8K261)",
            run() {
                unpatchScanner();
            },
        },
        {
            content: "Register the key in the slot proposed",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=key_state]:contains(在钥匙箱)",
        },
        {
            content: "Photos",
            trigger: ".o_notebook .nav-link:contains(三件套与照片)",
            run: "click",
        },
        takePhoto("protective_set_photo"),
        photoTaken("protective_set_photo"),
        {
            content: "Confirm the protective set (it saves the photo)",
            trigger: "button[name=action_confirm_protective_set]",
            run: "click",
        },
        {
            trigger: "button[name=action_start]",
        },
        takePhoto("condition_before_photo"),
        photoTaken("condition_before_photo"),
        {
            content: "Start the work",
            trigger: "button[name=action_start]",
            run: "click",
        },
        {
            trigger: "button[name=action_sign_completion]",
        },
        {
            content: "Signing without the photo of the car after the work is refused, naming it",
            trigger: "button[name=action_sign_completion]",
            run: "click",
        },
        {
            trigger: ".modal:contains(施工后车况)",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        takePhoto("condition_after_photo"),
        photoTaken("condition_after_photo"),
        noSidewaysScroll(),
        {
            content: "Sign the completion with a thumb",
            trigger: "button[name=action_sign_completion]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=stage_id] :contains(终检)",
        },
    ],
});
