"""Community resources in the browser: a manager imports an HSDS file with a broken record, reads
the problem, imports the fixed file; a peer finds housing open on Saturday within 5 miles, with
the keyboard, in English and in Spanish; a peer refers a person from their record with consent,
prints the resource card, finds the follow-up on My day and records the outcome. axe on every
page."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from peerpath.demo import agency
from peerpath.directory import sample
from peerpath.encounters import language

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PEER = "maria.lopez@riverbend.example"
MANAGER = "tom.nguyen@riverbend.example"


@pytest.fixture
def demo(live_server: Any) -> Any:
    language.load_default_terms()  # transactional tests empty the database afterwards
    return agency.load()


def test_manager_imports_a_directory_after_fixing_a_broken_record(
    demo: Any, page: Any, tmp_path: Any
) -> None:
    listing = json.loads(sample.as_service_list(sample.county(5, seed=21)))
    listing["contents"][2]["status"] = "open"
    bad = tmp_path / "county.json"
    bad.write_text(json.dumps(listing))
    sign_in(page, MANAGER, agency.PASSWORD)
    page.goto("/resources/")
    page.get_by_role("link", name="Import a directory").click()
    expect(page.get_by_role("heading", name="Import a directory", level=1)).to_be_visible()
    assert_accessible(page)
    page.locator("#id_file").set_input_files(str(bad))
    page.get_by_role("button", name="Import the file").click()
    expect(page.locator("#import-refused")).to_contain_text("Nothing was imported: 1 problem")
    problems = page.locator("#problems tbody tr")
    expect(problems).to_have_count(1)
    expect(problems.first).to_contain_text("/contents/2")
    expect(problems.first).to_contain_text("status")
    expect(problems.first).to_contain_text("“open” is not one of")
    assert_accessible(page)

    listing["contents"][2]["status"] = "active"
    fixed = tmp_path / "county-fixed.json"
    fixed.write_text(json.dumps(listing))
    page.get_by_role("link", name="Import the fixed files").click()
    page.locator("#id_file").set_input_files(str(fixed))
    page.get_by_role("button", name="Import the file").click()
    expect(page.locator("#import-done")).to_contain_text("Imported")
    summary = page.locator("#import-summary")
    expect(summary.locator("tr", has_text="Added")).to_contain_text("5")
    assert_accessible(page)
    page.get_by_role("link", name="Search the directory").click()
    expect(page.get_by_role("heading", name="Resources", level=1)).to_be_visible()


def test_peer_finds_housing_open_on_saturday_within_five_miles(demo: Any, page: Any) -> None:
    sign_in(page, PEER, agency.PASSWORD)
    page.goto("/resources/")
    expect(page.get_by_role("heading", name="Resources", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Category").select_option("housing")
    page.get_by_label("Open", exact=True).select_option("at")
    page.get_by_label("Day").select_option("5")
    page.get_by_label("Time").fill("11:00")
    page.get_by_label("Within").select_option("5")
    near = page.get_by_label("Near (ZIP code or an address with one)")
    near.fill("97401")
    near.press("Enter")  # the keyboard sends the search
    expect(page.get_by_role("heading", name=re.compile(r"^\d+ results?$"))).to_be_visible()
    results = page.locator("#results > li")
    expect(results.first).to_be_visible()
    for index in range(results.count()):
        text = results.nth(index).inner_text()
        miles = float(re.search(r"\(([\d.]+) miles away\)", text).group(1))
        assert miles <= 5
        assert "Saturday" in text
    assert_accessible(page)

    page.get_by_role("button", name="Español").click()
    expect(page.get_by_role("heading", name="Recursos", level=1)).to_be_visible()
    page.get_by_label("Categoría").select_option("housing")
    page.get_by_label("Cerca de (código postal o una dirección que lo tenga)").fill("97401")
    page.get_by_role("button", name="Buscar").click()
    expect(page.get_by_role("heading", name=re.compile(r"^\d+ resultados?$"))).to_be_visible()
    expect(page.locator("#results > li").first).to_contain_text("millas")
    assert_accessible(page)


def _maria_person(org: Any) -> Any:
    """One of Maria's people with an address PeerPath can place and no Part 2 record."""
    from peerpath.clients.consents import is_part2
    from peerpath.clients.models import CareTeamMember

    for member in (
        CareTeamMember.objects.filter(
            organization=org, staff__email=PEER, is_primary=True, ended_on=None
        )
        .select_related("client")
        .order_by("client_id")
    ):
        if member.client.staff_account_id is None and not is_part2(member.client):
            return member.client
    raise AssertionError("the demo gives Maria people to refer")


def test_peer_refers_a_person_prints_the_card_and_closes_the_loop(demo: Any, page: Any) -> None:
    from django.utils import timezone

    person = _maria_person(demo)
    name = person.display_name
    sign_in(page, PEER, agency.PASSWORD)
    page.goto(f"/people/{person.pk}/")
    page.get_by_role("link", name=f"Find resources near {name}'s address, and refer them").click()
    expect(page.locator("#near-person")).to_contain_text(f"Nearest to {name}'s address")
    page.get_by_label("Category").select_option("housing")
    page.get_by_label("Open", exact=True).select_option("at")
    page.get_by_label("Day").select_option("5")
    page.get_by_label("Within").select_option("5")
    time_field = page.get_by_label("Time")
    time_field.fill("11:00")
    time_field.press("Enter")  # the keyboard sends the search
    expect(page.get_by_role("heading", name=re.compile(r"^\d+ results?$"))).to_be_visible()
    first = page.locator("#results > li").first
    expect(first).to_contain_text("Saturday")
    service = first.locator("h3").inner_text()
    assert_accessible(page)

    first.get_by_role("link", name=re.compile(r"^Refer ")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Refer {name} to {service}")
    assert_accessible(page)
    page.get_by_label("Why this service").fill("Wants a safe place on weekends")
    page.get_by_label("What the service may be told").fill("Name and phone number")
    page.get_by_label("The person agrees to this referral").press("Space")
    page.get_by_label("Yes").press("Space")
    page.get_by_label("Follow up on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Refer", exact=True).click()
    expect(page.get_by_role("heading", name=service, level=1)).to_be_visible()
    expect(page.locator("#referral-status")).to_have_text("Referred")
    assert_accessible(page)

    # The card prints as a PDF, in English and in Spanish.
    for link in ("#card-en", "#card-es"):
        card = page.request.get(page.locator(link).get_attribute("href"))
        assert card.ok and card.headers["content-type"] == "application/pdf"
        assert card.body().startswith(b"%PDF")
    referral_path = urlparse(page.url).path

    page.get_by_role("link", name="My day").click()
    follow_ups = page.locator("#referral-follow-ups")
    expect(follow_ups.locator(f'a[href="{referral_path}"]')).to_have_text(f"{name}: {service}")
    assert_accessible(page)
    follow_ups.locator(f'a[href="{referral_path}"]').click()
    expect(page.get_by_role("heading", name="Record what happened")).to_be_visible()
    page.get_by_label("Got the service").press("Space")
    page.get_by_label("Documents asked for").press("Space")
    page.get_by_label("What happened, and why").fill("Has a bed from Friday")
    page.get_by_role("button", name="Save what happened").click()
    expect(page.locator("#referral-outcome")).to_contain_text("Got the service")
    expect(page.locator("#referral-status")).to_have_text("Done")
    expect(page.locator("#referral-barriers")).to_contain_text("Documents asked for")
    assert urlparse(page.url).path == referral_path
    assert_accessible(page)

    page.get_by_role("button", name="Español").click()
    expect(page.locator("#referral-outcome")).to_contain_text("Obtuvo el servicio")
    assert_accessible(page)
    page.get_by_role("link", name="Mi día").click()
    expect(page.get_by_role("heading", name="Mi día", level=1)).to_be_visible()
    # The loop is closed: the follow-up has left My day.
    expect(page.locator(f'#referral-follow-ups a[href="{referral_path}"]')).to_have_count(0)
