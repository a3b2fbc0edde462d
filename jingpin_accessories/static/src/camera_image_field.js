import { registry } from "@web/core/registry";
import { ImageField, imageField } from "@web/views/fields/image/image_field";

// A photo of the work (protective set, the car's condition, a checkpoint): on a phone the file input
// opens the back camera (``capture``), and the buttons to take or clear it are always shown (a phone
// has no hover).
export class CameraImageField extends ImageField {
    static template = "jingpin_accessories.CameraImageField";
}

registry.category("fields").add("jingpin_camera_image", { ...imageField, component: CameraImageField });
