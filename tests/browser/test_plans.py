"""A peer sees measures due, then builds a WRAP crisis plan with a person and prints it.

Every page is checked with axe-core.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from peerpath.demo import agency

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PEER = "maria.lopez@riverbend.example"


@pytest.fixture
def demo(live_server: Any) -> None:
    agency.load()


def _person_without_wrap() -> tuple[int, str]:
    from peerpath.clients.models import Client

    person = (
        Client.objects.filter(
            care_team__staff__email=PEER, care_team__ended_on__isnull=True, wrap__isnull=True
        )
        .order_by("pk")
        .first()
    )
    assert person is not None
    return person.pk, person.display_name


def test_peer_builds_and_prints_a_crisis_plan(demo: None, page: Any) -> None:
    client_id, name = _person_without_wrap()
    sign_in(page, PEER, agency.PASSWORD)

    # The open safety alert stands at the top of My day until someone records what was done.
    alert = page.locator("main .usa-alert--error").first
    expect(alert).to_contain_text("reach out today")
    alert.get_by_role("link", name=re.compile("Record what was done")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Safety alert for")
    assert_accessible(page)
    page.locator("label", has_text="Reviewed their safety plan with them").click()
    page.get_by_role("button", name="Save and close the alert").click()
    expect(page.get_by_text("Saved. The alert is closed.")).to_be_visible()
    expect(page.get_by_role("heading", name="Care team")).to_be_visible()
    # The measures page charts the results, with a table for screen readers.
    page.goto(page.url + "measures/")
    expect(page.locator("svg.pp-chart").first).to_be_visible()
    expect(page.get_by_role("table").first).to_be_visible()
    assert_accessible(page)

    page.goto(f"/people/{client_id}/")
    page.get_by_role("link", name="See the whole plan").click()
    expect(page.get_by_role("heading", name=f"My plan: {name}", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="My goals")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Start a WRAP").click()
    expect(page.get_by_role("heading", name=f"WRAP for {name}")).to_be_visible()
    assert_accessible(page)
    # One part at a time: jump to the crisis plan.
    page.get_by_role("link", name=re.compile("Crisis plan")).click()
    expect(page.get_by_label("What I am like when I am well")).to_be_focused()
    page.get_by_label("Signs that others should take over and help me").fill(
        "I stop eating and I do not answer my phone for two days."
    )
    page.get_by_label("People I want to help me, and how to reach them").fill(
        "My brother Luis, 555-0199. He can stay with me."
    )
    page.get_by_label("What helps me").fill("A quiet room and my music.")
    page.get_by_label("What changed (optional)").fill("First crisis plan")
    # Save with the keyboard from the last field.
    page.get_by_label("What changed (optional)").press("Enter")
    expect(page.get_by_text("WRAP saved as version 1.")).to_be_visible()
    expect(page.get_by_role("heading", name=f"My WRAP: {name}")).to_be_visible()
    expect(page.get_by_text("My brother Luis, 555-0199.")).to_be_visible()
    assert_accessible(page)

    # A second version, then compare the two.
    page.get_by_role("link", name="Change my WRAP").click()
    page.get_by_role("link", name=re.compile("Crisis plan")).click()
    page.get_by_label("What does not help me").fill("Being told to calm down.")
    page.get_by_role("button", name="Save WRAP").click()
    expect(page.get_by_text("WRAP saved as version 2.")).to_be_visible()
    page.get_by_role("link", name="Version 1 to 2").click()
    expect(page.get_by_text("1 answer changed.")).to_be_visible()
    expect(page.locator("ins", has_text="Being told to calm down.")).to_be_visible()
    assert_accessible(page)

    # Print: the PDF link serves the crisis plan, in English and in Spanish.
    page.goto(f"/people/{client_id}/wrap/")
    for link_name, heading in (
        ("Crisis plan to print (English)", f"My crisis plan: {name}"),
        ("Crisis plan to print (Spanish)", f"Mi plan de crisis: {name}"),
    ):
        href = page.get_by_role("link", name=link_name).get_attribute("href")
        response = page.request.get(href)
        assert response.headers["content-type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.body()))
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
        assert heading in text
        assert "My brother Luis, 555-0199." in text
