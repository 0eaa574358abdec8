"""Take the README's screenshots: a throwaway demo database, a local server, headless Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp}/shots.sqlite3"}
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "demo", "--no-serve"], env=env, check=True, capture_output=True)
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{PORT}", "--noreload"], env=env
        )
        try:
            for _ in range(50):
                try:
                    urllib.request.urlopen(BASE + "/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            shoot()
        finally:
            server.terminate()
            server.wait(timeout=10)


def shoot() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 860}, base_url=BASE)
        page.goto("/account/sign-in/")
        page.get_by_label("Email").fill("maria.lopez@riverbend.example")
        page.get_by_label("Password").fill("riverbend-demo")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(OUT / "my-day.png"))
        page.locator("table.pp-caseload tbody tr").first.get_by_role("link").first.click()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(OUT / "person-record.png"))
        page.goto(page.url.rstrip("/") + "/plan/")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(OUT / "plan-page.png"))
        page.get_by_role("button", name="Sign out").first.click()
        page.goto("/account/sign-in/")
        page.get_by_label("Email").fill("alex.morgan@riverbend.example")
        page.get_by_label("Password").fill("riverbend-demo")
        page.get_by_role("button", name="Sign in").click()
        page.goto("/privacy/")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(OUT / "privacy-desk.png"))
        page.get_by_role("button", name="Sign out").first.click()
        page.goto("/account/sign-in/")
        page.get_by_label("Email").fill("tom.nguyen@riverbend.example")
        page.get_by_label("Password").fill("riverbend-demo")
        page.get_by_role("button", name="Sign in").click()
        page.goto("/agency/fidelity/")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(OUT / "peer-work.png"))
        page.get_by_role("button", name="Sign out").first.click()
        page.goto("/account/sign-in/")
        page.get_by_label("Email").fill("dana.whitfield@riverbend.example")
        page.get_by_label("Password").fill("riverbend-demo")
        page.get_by_role("button", name="Sign in").click()
        page.goto("/agency/supervision/")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(OUT / "supervision.png"))
        browser.close()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
