import json
from unittest.mock import patch

from odoo.tests.common import ChromeBrowser

from .common import RoleDayCase

# A phone's browser: Odoo shows the camera's barcode button on mobile systems only.
PHONE_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
)


class TestDayTechnicianPhone(RoleDayCase):
    """The technician's day on his phone, without a desktop: from his queue, the key tag scanned into
    the key box, the photos taken with the camera, the work started, completed and signed."""

    browser_size = "390x844"
    touch_enabled = True

    def walk_on_phone(self, login, tour):
        """The tour in a browser that says it is a phone's."""
        start = ChromeBrowser.__init__

        def phone_browser(browser, *args, **kwargs):
            start(browser, *args, **kwargs)
            browser._websocket_request("Emulation.setUserAgentOverride", params={"userAgent": PHONE_USER_AGENT})

        with patch.object(ChromeBrowser, "__init__", phone_browser):
            self.walk(login, tour)

    def test_day_technician_phone(self):
        technician = self.env["res.users"].search([("login", "=", "jp_technician")])
        work_order = self.env["project.task"].search(
            [("technician_id", "=", technician.id), ("name", "like", "S00032"), ("work_state", "=", "dispatched")]
        )
        self.assertEqual(work_order.key_state, "none", "the demo's car waits with its key not yet in the box")
        self.assertFalse(work_order.protective_set_photo)

        self.walk_on_phone("jp_technician", "jingpin_day_technician_phone")

        # the key went into the box by the scanned tag, in his name
        log = work_order.key_log_ids
        self.assertRecordValues(
            log, [{"action": "check_in", "done_by_id": technician.id, "vehicle_id": work_order.vehicle_id.id}]
        )
        self.assertEqual(work_order.key_state, "in_box")
        # the protective set confirmed by him, the work started and signed by him
        self.assertEqual(work_order.protective_set_by, technician)
        self.assertTrue(work_order.date_started)
        self.assertEqual(work_order.work_state, "inspection")
        [signature] = work_order.signature_ids
        self.assertRecordValues(signature, [{"role": "completion", "user_id": technician.id}])
        # the three photos are the ones taken on the phone, and inside the seal of his signature
        photos = json.loads(signature.content)["photos"]
        for fname in ("protective_set_photo", "condition_before_photo", "condition_after_photo"):
            self.assertTrue(work_order[fname], fname)
            self.assertTrue(photos[fname], fname)
        self.assertEqual(work_order.seal_state, "intact")
