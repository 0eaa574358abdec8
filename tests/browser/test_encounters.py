"""A peer records a routine contact from My day with the keyboard only, sees a flagged word and
its suggestion, and signs; the supervisor reviews the note. Every page is axe-clean."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from peerpath.clients import access
from peerpath.core.models import Staff
from peerpath.demo import agency
from peerpath.encounters import language
from peerpath.encounters.models import Contact

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PEER = "maria.lopez@riverbend.example"
SUPERVISOR = "dana.whitfield@riverbend.example"


@pytest.fixture
def demo(live_server: Any) -> str:
    # Transactional tests empty the database afterwards, data migrations included.
    language.load_default_terms()
    agency.load()
    maria = Staff.objects.get(email=PEER)
    # Make sure one person is due today, whatever the demo's random dates say.
    client = access.caseload(maria).order_by("family_name").first()
    assert client is not None
    type(client).objects.filter(pk=client.pk).update(last_contact_on=None)
    return client.display_name


def tab_to(page: Any, text: str, limit: int = 120) -> None:
    """Press Tab until the focused element's text or label contains `text`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement; if (!e) return "";
                 const label = e.labels && e.labels[0] ? e.labels[0].innerText : "";
                 return (e.innerText || e.value || "") + " " + label; }"""
        )
        if text in focused:
            return
    raise AssertionError(f"could not reach {text!r} with the Tab key")


def test_peer_records_and_signs_supervisor_reviews(demo: str, page: Any) -> None:
    name = demo
    sign_in(page, PEER, agency.PASSWORD)
    expect(page.get_by_role("heading", name="Due for a contact or outreach")).to_be_visible()
    assert_accessible(page)

    tab_to(page, f"Record contact with {name}")
    page.keyboard.press("Enter")
    page.wait_for_url("**/contacts/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Contact with {name}")
    # Date, time and minutes are filled in; where it happened is for the peer to choose.
    expect(page.get_by_label("Minutes")).to_have_value("30")
    expect(page.get_by_label("Where")).to_have_value("")
    # The form is the page's job: its first field has focus.
    expect(page.get_by_label("Date")).to_be_focused()
    assert_accessible(page)
    drafts_before = Contact.objects.count()
    # Signing with nothing written: one error summary at the top takes focus and says why.
    page.get_by_role("button", name="Sign note").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Nothing is written yet")
    assert Contact.objects.count() == drafts_before
    assert_accessible(page)
    page.get_by_label("Where").select_option("community")

    tab_to(page, "Offering hope")
    page.keyboard.press("Space")
    tab_to(page, "Your summary")
    page.keyboard.type("Talked about the week. He said he felt like an addict in the waiting room.")
    flag = page.locator("#language-check")
    flag.get_by_text("person with a substance use disorder").wait_for()
    expect(flag).to_contain_text("addict")
    page.get_by_text("Draft saved at").wait_for()
    assert Contact.objects.count() == drafts_before + 1  # the draft exists once text was typed
    assert_accessible(page)

    tab_to(page, "Sign note")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/contacts/\d+/\?signed=1$"))
    # Signed: what comes next (goals, next step), then the next person due or My day.
    expect(page.get_by_role("heading", name="What comes next")).to_be_visible()
    expect(page.get_by_role("link", name="Back to My day")).to_be_visible()
    expect(page.get_by_text("Signed. The note is now locked")).to_be_visible()
    expect(page.get_by_text("Waiting for review")).to_be_visible()
    assert_accessible(page)
    contact = Contact.objects.get(status="signed", summary__contains="waiting room")
    assert contact.services == ["hope"]

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, SUPERVISOR, agency.PASSWORD)
    page.get_by_role("link", name="Open the review queue").click()
    expect(page.get_by_role("heading", name="Notes to review", level=1)).to_be_visible()
    assert_accessible(page)
    page.locator(f'a[href$="/contacts/{contact.pk}/"]').click()
    expect(page.get_by_role("heading", name="Review this note")).to_be_visible()
    assert_accessible(page)
    page.locator("label", has_text="Reviewed: the note is fine").click()
    page.get_by_role("button", name="Save review").click()
    # Saving goes on to the next note waiting, so a run of notes needs no trip to the list.
    expect(page.get_by_text("Review saved. Here is the next note waiting for you.")).to_be_visible()
    expect(page.get_by_role("heading", name="Review this note")).to_be_visible()
    contact.refresh_from_db()
    assert contact.review == "reviewed"
    page.goto(f"/people/{contact.client_id}/contacts/{contact.pk}/")
    cosign = page.get_by_role("region", name="Reviewed and co-signed by Dana Whitfield")
    expect(cosign).to_contain_text("I reviewed this note.")
    assert_accessible(page)


def test_record_page_meeting_and_group_pages_are_accessible(demo: str, page: Any) -> None:
    sign_in(page, PEER, agency.PASSWORD)
    for link, path in (("Groups", "/groups/"), ("Team meetings", "/meetings/")):
        page.get_by_role("link", name=link).first.click()
        page.wait_for_url(f"**{path}")
        expect(page.get_by_role("heading", name=link, level=1)).to_be_visible()
        assert_accessible(page)
    page.locator("table a").first.click()  # the latest meeting
    expect(page.get_by_role("heading", name="People discussed")).to_be_visible()
    assert_accessible(page)
    page.locator("article h3 a").first.click()
    expect(page.get_by_role("heading", name="Their view")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Groups").first.click()
    page.get_by_role("link", name="Tuesday WRAP group").click()
    page.get_by_role("link", name="Record a session").click()
    page.wait_for_url("**/sessions/new/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tuesday WRAP group")
    assert_accessible(page)
    page.goto("/people/")
    page.locator("#people tbody a").first.click()
    expect(page.get_by_role("heading", name="Recent contacts")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Prepare for a session").click()
    page.wait_for_url("**/prepare/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
