"""Browser tests: Playwright driving Debian's Chromium against a live server, checked by axe-core.

Without /usr/bin/chromium these tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (make test installs Debian's chromium)"
        if CI:
            pytest.fail(message + "; browser tests are required under CI=true")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    # Anything the Content-Security-Policy refused (an inline script, style or handler) is a bug.
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert not refused, "the page broke its Content-Security-Policy:\n" + "\n".join(refused)


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Run axe-core on the current page; return violations of the given impact."""
    page.wait_for_load_state()
    # Evaluated through the browser's own channel: the page's policy forbids inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v["impact"] in impacts]


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    ]
    assert not violations, f"axe on {page.url}:\n" + "\n".join(summary)


def sign_in(page: Any, email: str, password: str) -> None:
    page.goto("/account/sign-in/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
