"""A peer fills in a questionnaire published elsewhere whose questions depend on earlier answers.

The LHC-Forms file with a conditional group (and a conditional question inside it) loads as it
came; questions appear and disappear as the person answers, with the keyboard; axe-core checks
the page; the saved response keeps only the questions that applied.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from peerpath.demo import agency

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PEER = "maria.lopez@riverbend.example"
FIXTURE = (
    Path(__file__).resolve().parents[2]
    / "peerpath/measures/tests/fixtures/lhc-forms/q-with-nested-enableWhen.json"
)


@pytest.fixture
def nested_form(live_server: Any) -> tuple[int, int]:
    from peerpath.clients.models import Client
    from peerpath.measures import actions

    org = agency.load()
    questionnaire = actions.questionnaire_import(
        actor=None, organization=org, resource=json.loads(FIXTURE.read_text())
    )
    person = (
        Client.objects.filter(care_team__staff__email=PEER, care_team__ended_on__isnull=True)
        .order_by("pk")
        .first()
    )
    assert person is not None
    return person.pk, questionnaire.pk


def test_questions_follow_the_answers(nested_form: tuple[int, int], page: Any) -> None:
    from peerpath.measures.models import Response

    client_id, questionnaire_id = nested_form
    sign_in(page, PEER, agency.PASSWORD)
    page.goto(f"/people/{client_id}/measures/{questionnaire_id}/new/")
    holders = page.locator("[data-question]")
    expect(holders).to_have_count(3)  # every question is on the page; two wait for answers
    inner = page.get_by_role("group", name="Inner controller")
    dependent = page.get_by_label("Inner dependent (trigger)")
    expect(page.get_by_role("group", name="Parent controller")).to_be_visible()
    expect(holders.nth(1)).to_be_hidden()
    expect(holders.nth(2)).to_be_hidden()

    page.locator("label", has_text="Yes").click()
    expect(inner).to_be_visible()
    expect(holders.nth(2)).to_be_hidden()  # it needs an inner answer other than A
    inner.locator("label", has_text="A").click()
    expect(holders.nth(2)).to_be_hidden()
    inner.get_by_label("B").focus()
    page.keyboard.press("Space")
    expect(dependent).to_be_visible()
    dependent.fill("Asked because the answer was B.")
    assert_accessible(page)

    # Back to No: the group goes away, and what was typed in it is not kept.
    page.locator("label").get_by_text("No", exact=True).click()
    expect(holders.nth(1)).to_be_hidden()
    expect(holders.nth(2)).to_be_hidden()
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()
    saved = Response.objects.get(questionnaire_id=questionnaire_id)
    assert saved.answers() == {"p1": "NO"}
