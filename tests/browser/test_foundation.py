"""A peer signs in, opens My day and a person's record, and switches to Spanish; axe-clean."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

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
    expect(page.get_by_role("heading", name="My day", level=1)).to_be_visible()
    expect(page.get_by_text("Signed in as Maria Lopez")).to_be_visible()
    rows = page.locator("table.pp-caseload tbody tr")
    expect(rows).to_have_count(9)
    assert_accessible(page)

    first = rows.first.get_by_role("link")
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^" + re.escape(name)))
    expect(page.get_by_role("heading", name="Care team")).to_be_visible()
    expect(page.locator("#care-team-heading + ul")).to_contain_text("Maria Lopez")
    assert_accessible(page)

    page.get_by_role("button", name="Español").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Equipo de atención")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Mi día").first.click()
    expect(page.get_by_role("heading", name="Mi día", level=1)).to_be_visible()
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
    expect(page.get_by_role("heading", name="My day", level=1)).to_be_visible()
    # The first Tab on a page reaches the skip link, which moves focus to the main content.
    page.reload()
    page.keyboard.press("Tab")
    assert "Skip to main content" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    # Tab onward from the main content reaches the first person on the caseload.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('table.pp-caseload') !== null"):
            break
    else:
        raise AssertionError("the caseload cannot be reached with the Tab key")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/people/\d+/$"))


def test_wrong_password_is_explained(demo: None, page: Any) -> None:
    sign_in(page, PEER, "not the password")
    assert "/account/sign-in/" in page.url
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_accessible(page)
