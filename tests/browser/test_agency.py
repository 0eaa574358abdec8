"""Day one in the browser: a peer takes a person in past the duplicate warning and records the
first contact; a program manager invites a peer who accepts and signs in; a manager imports a CSV
with one bad row, fixes it and imports it. Keyboard where people use it; axe on every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from peerpath.clients import access
from peerpath.clients.models import Client
from peerpath.core.models import Staff
from peerpath.demo import agency
from peerpath.encounters import language
from peerpath.encounters.models import Contact

from .conftest import assert_accessible, sign_in
from .test_encounters import tab_to

pytestmark = pytest.mark.django_db(transaction=True)
PEER = "maria.lopez@riverbend.example"
MANAGER = "tom.nguyen@riverbend.example"


@pytest.fixture
def demo(live_server: Any) -> Any:
    language.load_default_terms()
    return agency.load()


def test_peer_takes_a_person_in_past_the_duplicate_warning_and_records_a_contact(
    demo: Any, page: Any
) -> None:
    maria = Staff.objects.get(email=PEER)
    known = access.caseload(maria).exclude(date_of_birth=None).order_by("family_name").first()
    assert known is not None
    sign_in(page, PEER, agency.PASSWORD)
    page.goto("/people/")
    page.get_by_role("link", name="Take a person in").click()
    expect(page.get_by_role("heading", name="Take a person in", level=1)).to_be_visible()
    expect(page.get_by_label("Given name")).to_be_focused()
    assert_accessible(page)
    page.keyboard.type(known.given_name)
    page.get_by_label("Family name").fill(known.family_name)
    page.get_by_label("Preferred language").fill("English")
    page.get_by_label("Date of birth").fill(known.date_of_birth.isoformat())
    page.get_by_label("How did they come to us?").select_option("shelter")
    page.get_by_label("Program and team").select_option(
        label="Adult Recovery Services: North Recovery Team"
    )
    page.get_by_label("Agreed out loud, with a witness").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("Agreed out loud, with a witness")).to_be_checked()
    page.get_by_label("Date they agreed").fill(known.date_of_birth.today().isoformat())
    page.get_by_label("Witness", exact=True).fill("Keisha Brown")
    tab_to(page, "Take in")
    page.keyboard.press("Enter")

    warning = page.locator("#possible-matches")
    expect(warning).to_contain_text("This person may already have a record")
    expect(warning.get_by_role("link", name=known.display_name)).to_be_visible()
    assert Client.objects.filter(family_name=known.family_name).count() == 1
    assert_accessible(page)
    page.get_by_label("Why is this a new person?").fill("Her sister: same name, twins.")
    page.get_by_role("button", name="Save as a new person").click()
    expect(page.get_by_text(f"{known.given_name} {known.family_name} was taken in")).to_be_visible()
    new = Client.objects.filter(family_name=known.family_name).latest("pk")
    page.wait_for_url(f"**/people/{new.pk}/")
    expect(page.locator("#service-consents")).to_contain_text("Agreed out loud, with a witness")
    assert_accessible(page)

    tab_to(page, "Record a contact")
    page.keyboard.press("Enter")
    page.wait_for_url("**/contacts/new/")
    page.get_by_label("Where").select_option("office")
    tab_to(page, "Offering hope")
    page.keyboard.press("Space")
    tab_to(page, "Your summary")
    page.keyboard.type("First meeting. We talked about what she wants from peer support.")
    page.get_by_text("Draft saved at").wait_for()
    tab_to(page, "Sign note")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/contacts/\d+/\?signed=1$"))
    expect(page.get_by_text("Signed. The note is now locked")).to_be_visible()
    assert Contact.objects.get(client=new).status == "signed"


def test_manager_invites_a_peer_who_accepts_and_signs_in(demo: Any, page: Any) -> None:
    sign_in(page, MANAGER, agency.PASSWORD)
    page.get_by_role("link", name="Agency").first.click()
    expect(page.get_by_role("heading", name="Riverbend Community Mental Health")).to_be_visible()
    expect(page.locator("body")).to_contain_text("1 invitation is waiting")
    assert_accessible(page)
    page.get_by_role("link", name="Invite staff").first.click()
    expect(page.get_by_label("Full name")).to_be_focused()
    page.keyboard.type("Rosa Delgado")
    page.get_by_label("Email").fill("rosa.delgado@riverbend.example")
    page.get_by_label("Role").select_option("peer_specialist")
    page.locator("label", has_text="North Recovery Team").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator("#invitation-status")).to_contain_text(
        "They have not chosen a password yet"
    )
    assert_accessible(page)
    message = next(m for m in mail.outbox if m.to == ["rosa.delgado@riverbend.example"])
    link = re.search(r"/account/invitation/\S+/", message.body)
    assert link is not None
    page.get_by_role("button", name="Sign out").click()

    page.goto(link.group(0))
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("New password").fill("river stones and quiet mornings")
    page.get_by_label("The same password again").fill("river stones and quiet mornings")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your password is set. You are signed in to PeerPath.")).to_be_visible()
    expect(page.locator(".pp-signed-in")).to_contain_text("Rosa Delgado")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "rosa.delgado@riverbend.example", "river stones and quiet mornings")
    expect(page.locator(".pp-signed-in")).to_contain_text("Rosa Delgado")
    page.goto(link.group(0))
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()


def test_manager_imports_a_csv_with_one_bad_row_fixes_it_and_imports_it(
    demo: Any, page: Any, tmp_path: Any
) -> None:
    header = "external_id,given_name,family_name,program,team,peer_email,enrolled_on"
    rows = [
        f"R-1,Nadia,Okonkwo,Adult Recovery Services,North Recovery Team,{PEER},2024-05-01",
        f"R-2,Omar,Haddad,Adult Recovery Services,Nowhere Team,{PEER},2024-05-02",
        f"R-3,Lucia,Ferreira,Adult Recovery Services,North Recovery Team,{PEER},2024-05-03",
    ]
    bad = tmp_path / "people.csv"
    bad.write_text("\n".join([header, *rows]) + "\n")
    sign_in(page, MANAGER, agency.PASSWORD)
    page.goto("/agency/imports/")
    expect(
        page.get_by_role("heading", name="Bring in people, staff and contact history")
    ).to_be_visible()
    assert_accessible(page)
    page.locator("label", has_text="People served").click()
    page.locator("#id_file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    refused = page.locator("#import-refused")
    expect(refused).to_contain_text("Nothing was imported: 1 problem to fix")
    problems = page.locator("#problems")
    expect(problems).to_contain_text("No team has this name.")
    expect(problems.locator("tbody tr")).to_have_count(1)
    expect(problems.locator("tbody td").first).to_have_text("3")
    assert not Client.objects.filter(external_id__startswith="R-").exists()
    assert_accessible(page)

    fixed = tmp_path / "people-fixed.csv"
    fixed.write_text(bad.read_text().replace("Nowhere Team", "North Recovery Team"))
    page.get_by_role("link", name="Upload the fixed file").click()
    page.locator("label", has_text="People served").click()
    page.locator("#id_file").set_input_files(str(fixed))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#import-checked")).to_contain_text(
        "The file is ready: 3 rows, no problems"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Import 3 rows").click()
    expect(page.locator("#import-done")).to_contain_text("3 new, 0 updated, 0 unchanged.")
    assert_accessible(page)
    assert Client.objects.filter(external_id__startswith="R-").count() == 3
    maria = Staff.objects.get(email=PEER)
    assert access.caseload(maria).filter(external_id="R-2").exists()
