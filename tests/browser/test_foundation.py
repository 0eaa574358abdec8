"""A peer signs in, opens My day and a person's record, and switches to Spanish; axe-clean."""

from __future__ import annotations

import re
from urllib.parse import urlparse
from typing import Any

import pytest

from peerpath.demo import agency

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PEER = "maria.lopez@riverbend.example"


@pytest.fixture
def demo(live_server: Any) -> None:
    agency.load()


def test_peer_day_record_and_spanish(demo: None, page: Any) -> None:
    page.goto("/")
    assert "/account/sign-in/" in page.url
    assert_accessible(page)

    sign_in(page, PEER, agency.PASSWORD)
    assert page.get_by_role("heading", name="My day", level=1).is_visible()
    assert page.get_by_text("Signed in as Maria Lopez").is_visible()
    rows = page.locator("table.pp-caseload tbody tr")
    assert rows.count() == 9
    assert_accessible(page)

    first = rows.first.get_by_role("link")
    name = first.inner_text()
    first.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith(name)
    assert page.get_by_role("heading", name="Care team").is_visible()
    assert "Maria Lopez" in page.locator("#care-team-heading + ul").inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Español").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="Equipo de atención").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Mi día").first.click()
    assert page.get_by_role("heading", name="Mi día", level=1).is_visible()
    assert_accessible(page)


def test_keyboard_only_sign_in(demo: None, page: Any) -> None:
    page.goto("/account/sign-in/")
    # The email field has focus on load: type, Tab to the password, type, Enter.
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type(PEER)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(agency.PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlparse(url).path == "/")
    assert page.get_by_role("heading", name="My day", level=1).is_visible()
    # The first Tab on a page reaches the skip link, which moves focus to the main content.
    page.reload()
    page.keyboard.press("Tab")
    assert "Skip to main content" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    # Tab onward from the main content (past the My day panels) reaches the caseload table.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('table') !== null"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/people/\d+/$"))


def test_wrong_password_is_explained(demo: None, page: Any) -> None:
    sign_in(page, PEER, "not the password")
    assert "/account/sign-in/" in page.url
    assert page.get_by_role("alert").first.is_visible()
    assert_accessible(page)
