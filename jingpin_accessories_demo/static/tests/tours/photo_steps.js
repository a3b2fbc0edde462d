// The steps of a photo taken with the camera of a phone or a desk computer, for the role-day tours.

// A small JPEG, as the phone's camera would hand it to the file input.
const PHOTO =
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==";

export function takePhoto(field) {
    return {
        content: `Take the photo ${field} with the camera`,
        trigger: `.o_field_widget[name=${field}] input[type=file][capture=environment]:not(:visible)`,
        async run() {
            const bytes = Uint8Array.from(atob(PHOTO), (char) => char.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], `${field}.jpg`, { type: "image/jpeg" }));
            this.anchor.files = transfer.files;
            this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
        },
    };
}

export function photoTaken(field) {
    return { trigger: `.o_field_widget[name=${field}] img:not([src*=placeholder])` };
}
