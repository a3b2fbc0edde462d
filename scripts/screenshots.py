"""Takes the README's screenshots of each demo role's home, as that role sees it after logging in,
and of the screens in PAGES as the role who uses them.

    python scripts/screenshots.py http://127.0.0.1:8069 jingpin_demo docs/screenshots

Drives headless Chromium through the DevTools protocol (``websocket-client``, which Odoo's browser
tests need too): logs each demo user in with his password, opens ``/odoo`` (his home action) or the page's path
and saves ``home-<login>.png`` or ``<name>.png``, with all of the user's companies selected.
"""

import base64
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket

ROLES = ["jp_manager", "jp_specialist", "jp_technician", "jp_gm", "jp_consultant", "jp_frontdesk", "jp_group"]
# (file name, login, path[, height]): screens shown in README.md beside the homes.
PAGES = [
    ("trainings", "jp_manager", "/odoo/accessory-trainings"),
    ("growth-plans", "jp_manager", "/odoo/accessory-growth-plans"),
    ("display-checks", "jp_specialist", "/odoo/accessory-display-checks"),
    ("follow-ups", "jp_specialist", "/odoo/accessory-follow-ups"),
    ("complaints", "jp_manager", "/odoo/accessory-complaints"),
    ("satisfaction", "jp_manager", "/odoo/accessory-satisfaction"),
    ("sales-plans", "jp_gm", "/odoo/accessory-sales-plans"),
    ("sales-analysis", "jp_group", "/odoo/accessory-sales-analysis"),
    ("daily-reports", "jp_manager", "/odoo/accessory-daily-reports"),
    ("loans", "jp_specialist", "/odoo/accessory-loans"),
    ("reconciliation", "jp_specialist", "/odoo/accessory-reconciliation"),
    ("stock-ageing", "jp_manager", "/odoo/accessory-stock-ageing"),
    ("group-purchase", "jp_manager", "/odoo/accessory-group-purchase"),
    ("appraisal", "jp_manager", "/odoo/accessory-appraisal"),
    ("dashboard-dealership", "jp_manager", "/odoo/accessory-dealership-dashboard", 1800),
    ("dashboard-group", "jp_group", "/odoo/accessory-group-dashboard", 2200),
]
PORT = 9333


class Page:
    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=60)
        self.next_id = 0

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        return self.send("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")


def log_in(url, db, login, password):
    """The session cookie of ``login``, and his companies (the dealer group opens all of them)."""
    response = requests.post(
        f"{url}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": password}},
        timeout=60,
    )
    response.raise_for_status()
    if response.json().get("error"):
        raise RuntimeError(f"{login} cannot log in: {response.json()['error']['data']['message']}")
    companies = response.json()["result"]["user_companies"]["allowed_companies"]
    return response.cookies["session_id"], "-".join(str(company_id) for company_id in companies)


def main(url, db, out_dir):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        browser = subprocess.Popen(
            [
                "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--remote-debugging-port={PORT}",
                f"--user-data-dir={profile}",
                "--window-size=1440,900",
                "--lang=zh-CN",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(50):
                try:
                    target = requests.put(f"http://127.0.0.1:{PORT}/json/new?about:blank", timeout=5).json()
                    break
                except requests.ConnectionError:
                    time.sleep(0.2)
            page = Page(target["webSocketDebuggerUrl"])
            shots = [(f"home-{login}", login, "/odoo") for login in ROLES] + PAGES
            for name, login, path, *height in shots:
                page.send(
                    "Emulation.setDeviceMetricsOverride",
                    width=1440,
                    height=height[0] if height else 900,
                    deviceScaleFactor=1,
                    mobile=False,
                )
                page.send("Network.enable")
                page.send("Network.clearBrowserCookies")
                cookie, companies = log_in(url, db, login, "demo")
                page.send("Network.setCookie", name="session_id", value=cookie, url=url)
                page.send("Network.setCookie", name="cids", value=companies, url=url)
                page.send("Page.navigate", url=f"{url}{path}")
                deadline = time.time() + 60
                while time.time() < deadline and not page.evaluate(
                    "window.odoo && odoo.isReady === true && !document.querySelector('.o_loading_indicator')"
                ):
                    time.sleep(0.5)
                time.sleep(3)  # let the cards and charts finish drawing
                shot = page.send("Page.captureScreenshot", format="png")
                (out / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))
                print(f"{name}.png")
        finally:
            browser.terminate()
            browser.wait(30)


if __name__ == "__main__":
    main(*sys.argv[1:4])
