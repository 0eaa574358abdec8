"""Privacy in the browser: a clinician breaks the glass on a restricted record, sees the banner,
and the privacy officer reviews it; every page axe-clean. Also checks the demo's privacy case."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from peerpath.clients import access, consents
from peerpath.clients.models import Client, Determination, Disclosure, EmergencyAccess
from peerpath.core.models import AuditEvent, Role, Staff
from peerpath.demo import agency

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
CLINICIAN = "owen.park@riverbend.example"
OFFICER = "alex.morgan@riverbend.example"


@pytest.fixture
def demo(live_server: Any) -> Any:
    org = agency.load()
    Staff.objects.create_user(
        CLINICIAN,
        agency.PASSWORD,
        full_name="Owen Park",
        organization=org,
        role=Role.CLINICIAN,
        title="Crisis Clinician",
    )
    return org


def staff(name: str) -> Staff:
    return Staff.objects.get(email=f"{name}@riverbend.example")


def check_demo_case(org: Any) -> Client:
    """The demo's end-to-end case for Sam Rivera, a peer specialist who is also a client."""
    sam = Client.objects.get(organization=org, staff_account=staff("sam.rivera"))
    assert sam.restricted
    for name in ("maria.lopez", "james.carter", "dana.whitfield", "keisha.brown", "sam.rivera"):
        assert sam not in access.visible_clients(staff(name)), name
    assert access.client_for_write(staff("priya.shah"), sam.pk).can_write
    assert access.client_for_read(staff("alex.morgan"), sam.pk).basis == "privacy_officer"
    refused = AuditEvent.objects.get(action="care_team.assign_refused", client_id=sam.pk)
    assert refused.details["staff"] == staff("dana.whitfield").pk
    determination = Determination.objects.get(client=sam)
    assert determination.status == Determination.Status.APPROVED
    assert determination.program.name == "Hill Country Rural Services"
    assert access.client_for_write(staff("ruth.okafor"), sam.pk).can_write
    reviewed = EmergencyAccess.objects.get(client=sam)
    assert reviewed.review == EmergencyAccess.Review.JUSTIFIED and not reviewed.is_active
    assert consents.is_part2(sam)
    disclosure = Disclosure.objects.get(client=sam)
    assert disclosure.consent is not None
    assert consents.accounting(sam) == [disclosure]
    return sam


def test_break_the_glass_and_review(demo: Any, page: Any) -> None:
    sam = check_demo_case(demo)

    # The clinician cannot find the record, so uses emergency access.
    sign_in(page, CLINICIAN, agency.PASSWORD)
    page.goto("/people/?q=Rivera")
    expect(page.locator("main")).not_to_contain_text("Samuel")
    page.get_by_role("link", name="Use emergency access").click()
    page.wait_for_url(re.compile(r"/emergency-access/$"))
    expect(page.get_by_role("heading", name="Emergency access to a record")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Open the record").click()
    page.locator(".usa-error-message").first.wait_for()
    assert page.locator(".usa-error-message").count() >= 3  # nothing filled in: explained
    assert not EmergencyAccess.objects.filter(staff__email=CLINICIAN).exists()
    page.get_by_label("Person's family name").fill("Rivera")
    page.get_by_label("Person's date of birth").fill("1988-04-12")
    page.get_by_label("Your affiliation").fill("Mobile Crisis Team")
    page.get_by_label("Nature of the emergency").fill(
        "Sam called the crisis line and we need his crisis plan and medications."
    )
    # USWDS draws its own box: the visible target is the label.
    page.locator("label[for=id_confirm]").click()
    page.get_by_role("button", name="Open the record").click()
    page.wait_for_url(re.compile(rf"/people/{sam.pk}/$"))
    banner = page.locator("#emergency-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("emergency access")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Sam Rivera"))
    assert_accessible(page)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [OFFICER]

    # The privacy officer is told in PeerPath and reviews it.
    page.context.clear_cookies()
    sign_in(page, OFFICER, agency.PASSWORD)
    expect(page.get_by_text("1 emergency access waits for your review.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Privacy desk").first.click()
    page.wait_for_url(re.compile(r"/privacy/$"))
    expect(page.get_by_role("heading", name="Privacy desk", level=1)).to_be_visible()
    queue = page.locator("#emergency-queue")
    expect(queue).to_contain_text("Owen Park")
    assert_accessible(page)
    queue.get_by_role("link", name=re.compile("Review")).click()
    page.wait_for_url(re.compile(r"/review/$"))
    expect(page.get_by_role("heading", name="Review emergency access")).to_be_visible()
    expect(page.locator("main")).to_contain_text("client.view")
    assert_accessible(page)
    page.locator("label[for=id_justified_0]").click()
    page.get_by_label("Review note").fill("Crisis call confirmed with the crisis line log.")
    page.get_by_role("button", name="Save review").click()
    page.wait_for_url(re.compile(r"/privacy/$"))
    expect(page.locator("#emergency-heading + p")).to_contain_text("Nothing to review.")
    assert_accessible(page)
    grant = EmergencyAccess.objects.get(staff__email=CLINICIAN)
    assert grant.review == EmergencyAccess.Review.JUSTIFIED
    assert grant.reviewed_by == staff("alex.morgan")

    # The audit search finds the emergency access, and is itself audited.
    page.get_by_role("link", name="Search the audit trail").click()
    page.wait_for_url(re.compile(r"/privacy/audit/$"))
    page.get_by_label("Action starts with").fill("emergency_access")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"action=emergency_access"))
    expect(page.locator("#audit-results")).to_contain_text("emergency_access.start")
    assert_accessible(page)
    assert AuditEvent.objects.filter(action="audit.search", actor=staff("alex.morgan")).exists()
