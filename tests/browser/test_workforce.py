"""Readiness surveys in the browser: a peer answers the staff survey from My day with the
keyboard; the program manager reads the results by team, with the small team never shown on its
own, in English and in Spanish, and turns a section that needs work into a strategy on the action
plan. axe on every page."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from peerpath.demo import agency
from peerpath.encounters import language
from peerpath.workforce.models import Participation

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PEER = "maria.lopez@riverbend.example"
MANAGER = "tom.nguyen@riverbend.example"


@pytest.fixture
def demo(live_server: Any) -> Any:
    language.load_default_terms()  # transactional tests empty the database afterwards
    return agency.load()


def test_a_peer_answers_and_the_manager_reads_results_with_small_groups_hidden(
    demo: Any, page: Any
) -> None:
    sign_in(page, PEER, agency.PASSWORD)
    surveys = page.locator("#surveys-to-answer")
    expect(surveys).to_be_visible()
    surveys.get_by_role("link", name=re.compile(r"^Six months later \(staff survey\)")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Staff survey: bringing peer specialists onto our teams"
    )
    assert_accessible(page)
    questions = page.locator("#survey-form fieldset")
    expect(questions).to_have_count(16)
    for index in range(questions.count()):
        # The keyboard picks "Agree" in each question.
        questions.nth(index).get_by_label("Agree", exact=True).press("Space")
    page.get_by_label("What worries you most about working with peer specialists?").fill(
        "Being asked to do everyone else's driving."
    )
    page.get_by_role("button", name="Send my answers").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you. Your answers are in.")
    assert_accessible(page)
    page.get_by_role("link", name="Back to My day").click()
    # The staff survey is answered; the ORIC still waits for her.
    waiting = page.locator("#surveys-to-answer")
    expect(waiting).to_contain_text("Six months later (ORIC)")
    expect(waiting).not_to_contain_text("staff survey")

    page.context.clear_cookies()
    sign_in(page, MANAGER, agency.PASSWORD)
    page.goto("/agency/surveys/")
    page.get_by_role("link", name="Six months later (staff survey)").click()
    # Her answer counts with the others'.
    answered = Participation.objects.filter(wave__name="Six months later (staff survey)").count()
    assert answered >= 5
    expect(page.locator("#answered-count")).to_have_text(f"{answered} people answered.")
    expect(page.locator("#results-table")).to_be_visible()
    page.get_by_label("Show results for").select_option("team")
    page.get_by_label("Compare with").select_option(label="Before peers start (staff survey)")
    page.get_by_role("button", name="Show").click()
    groups = page.locator("#groups-table tbody tr")
    expect(groups.first).to_be_visible()
    expect(page.locator("#groups-table")).not_to_contain_text("Pathways Team")
    expect(page.locator("#results-table thead")).to_contain_text("Change")
    expect(page.get_by_role("heading", name="In their own words")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Being asked to do everyone else's driving.")
    assert_accessible(page)

    page.get_by_role("button", name="Español").click()
    expect(page.get_by_role("heading", name="Por equipo")).to_be_visible()
    expect(page.locator("#results-table")).to_contain_text("Temores")
    assert_accessible(page)
    page.get_by_role("button", name="English").click()

    # Before peers started, fears scored low: the manager turns that into a strategy.
    page.goto("/agency/surveys/")
    page.get_by_role("link", name="Before peers start (staff survey)").click()
    page.get_by_role("link", name="Strategies for Fears").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategies for “Fears”")
    assert_accessible(page)
    strategy = page.locator("#strategies > li", has_text="Supervision by someone who understands")
    strategy.get_by_role("link", name=re.compile(r"^Adopt")).click()
    page.get_by_label("Who carries it").select_option(label="Dana Whitfield")
    due = page.get_by_label("Due on")
    due.fill((timezone.localdate() + timedelta(days=10)).isoformat())
    due.press("Enter")
    expect(page.get_by_role("heading", name="The action plan", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Supervision by someone who understands peer work")
    expect(page.locator("main")).to_contain_text("Dana Whitfield")
    assert_accessible(page)
    page.get_by_role("link", name="My day").click()
    expect(page.locator("#readiness-actions")).to_contain_text("Dana Whitfield")


CASE_MANAGER = "keisha.brown@riverbend.example"
PEER_SUPERVISOR = "dana.whitfield@riverbend.example"


def _score(page: Any, scores: tuple[int, ...], notes: str) -> None:
    """Pick each criterion's score with the keyboard, write notes, and submit."""
    criteria = page.locator("#score-form fieldset")
    expect(criteria).to_have_count(len(scores))
    for index, score in enumerate(scores):
        criteria.nth(index).get_by_label(str(score), exact=True).press("Space")
    page.locator("#score-form textarea").fill(notes)
    page.locator("#score-form button[value=submit]").press("Enter")


def test_two_interviewers_score_blind_then_see_the_scores_side_by_side(
    demo: Any, page: Any
) -> None:
    # Keisha, a case manager on the panel: My day says who waits for her scores.
    sign_in(page, CASE_MANAGER, agency.PASSWORD)
    waiting = page.locator("#interviews-waiting")
    expect(waiting).to_contain_text("2 candidates are waiting for your scores.")
    waiting.get_by_role("link", name="Score them").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Interviews")
    page.locator("#to-score").get_by_role("link", name="Riley Chen").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Riley Chen")
    expect(page.locator("#score-form")).to_be_visible()
    expect(page.locator("#side-by-side")).to_have_count(0)
    assert_accessible(page)
    _score(page, (4, 4, 5, 4, 3), "Knows every food pantry in town.")
    expect(page.locator(".usa-alert--success")).to_contain_text("Your scores are submitted.")
    # Hers is the only card in: Dana's has not come in.
    table = page.locator("#side-by-side")
    expect(table.locator("thead")).to_contain_text("Keisha Brown")
    expect(table.locator("thead")).not_to_contain_text("Dana Whitfield")
    expect(page.locator("#waiting-for")).to_contain_text("Dana Whitfield")
    expect(page.locator("#decision-form")).to_have_count(0)
    assert_accessible(page)

    # Dana, a peer supervisor, in Spanish: nothing of Keisha's shows until she submits.
    page.context.clear_cookies()
    sign_in(page, PEER_SUPERVISOR, agency.PASSWORD)
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.goto("/agency/interviews/")
    page.locator("#to-score").get_by_role("link", name="Riley Chen").press("Enter")
    expect(page.locator("#score-form")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Knows every food pantry in town.")
    expect(page.locator("#side-by-side")).to_have_count(0)
    _score(page, (5, 4, 4, 5, 3), "Cuenta su historia con cuidado.")
    table = page.locator("#side-by-side")
    expect(table.locator("thead")).to_contain_text("Keisha Brown")
    expect(table.locator("thead")).to_contain_text("Dana Whitfield")
    # Weighted: Dana (15+12+8+10+3)/11 = 4,36; Keisha (12+12+10+8+3)/11 = 4,09; together 4,22.
    expect(table.locator("tbody tr").last).to_contain_text("4,36")
    expect(table.locator("tbody tr").last).to_contain_text("4,22")
    expect(page.locator("main")).to_contain_text("Knows every food pantry in town.")
    assert_accessible(page)
    # The panel records its decision, with its reason.
    decision = page.locator("#decision-form")
    decision.get_by_label("Ofrecer el puesto", exact=True).press("Space")
    decision.get_by_label("Por qué").fill("La puntuación más alta del panel en cada criterio.")
    decision.get_by_role("button", name="Registrar la decisión").press("Enter")
    expect(page.locator("#candidate-status")).to_contain_text("Contratada")
    expect(page.locator("#decision-reason")).to_contain_text("La puntuación más alta")
    assert_accessible(page)


def test_a_supervisor_logs_a_one_to_one_and_the_manager_reads_peer_work(
    demo: Any, page: Any
) -> None:
    # Dana sees on My day that James is overdue, and logs a one-to-one from there.
    sign_in(page, PEER_SUPERVISOR, agency.PASSWORD)
    overdue = page.locator("#supervision-overdue")
    expect(overdue).to_contain_text("James Carter")
    overdue.get_by_role("link", name="James Carter").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a supervision session")
    assert_accessible(page)
    form = page.locator("#session-form")
    # The link named James and a one-to-one; the rest is Dana's to give.
    expect(form.get_by_label("James Carter", exact=True)).to_be_checked()
    form.get_by_label("Held on").fill(timezone.localdate().isoformat())
    form.get_by_label("How long (minutes)").fill("45")
    form.get_by_label("Role clarity: peer work, not leftover tasks").press("Space")
    form.get_by_label("Boundaries").press("Space")
    form.get_by_label("James Carter: Being asked to drive people to every appointment").press(
        "Space"
    )
    form.get_by_label("Private notes").fill("We agreed James drives only with a peer purpose.")
    form.get_by_role("button", name="Log the session").press("Enter")
    expect(page.locator(".usa-alert--success")).to_contain_text("Session logged.")
    expect(page.locator("#session-topics")).to_contain_text("Role clarity")
    expect(page.locator("#session-topics")).to_contain_text("Boundaries")
    expect(page.locator("#session-notes")).to_contain_text("drives only with a peer purpose")
    assert_accessible(page)
    page.goto("/agency/supervision/")
    james = page.locator("#supervision-table tbody tr", has_text="James Carter")
    expect(james).not_to_contain_text("Overdue")
    expect(james).not_to_contain_text("Being asked to drive")

    # Tom reads peer work: James's month of driving is under the target.
    page.context.clear_cookies()
    sign_in(page, MANAGER, agency.PASSWORD)
    page.goto("/agency/fidelity/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Peer work and caseloads")
    expect(page.locator("#under-target")).to_contain_text("James Carter (55 %")
    row = page.locator("#fidelity-peers tbody tr", has_text="James Carter")
    expect(row).to_contain_text("Under target")
    expect(page.locator("#fidelity-teams")).to_contain_text("North Recovery Team")
    assert_accessible(page)


def test_a_peer_logs_continuing_education_and_sees_the_renewal_progress(
    demo: Any, page: Any
) -> None:
    # Maria's state certification expires in 45 days: My day reminds her.
    sign_in(page, PEER, agency.PASSWORD)
    due = page.locator("#certifications-due")
    expect(due).to_contain_text("expires in 45 days, 6 hours still to take")
    page.locator("#certifications-heading + ul + p").get_by_role(
        "link", name="Certifications"
    ).press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My certifications")
    expect(page.locator("#my-certifications")).to_contain_text(
        "14 of 20 hours toward renewal, 3 of 6 in ethics"
    )
    assert_accessible(page)
    form = page.locator("#hours-form")
    form.get_by_label("Toward which certification").select_option(
        label="State peer specialist certification"
    )
    form.locator("[name=ce-title]").fill("Ethics of sharing your story")
    form.locator("[name=ce-on]").fill((timezone.localdate() - timedelta(days=3)).isoformat())
    form.locator("[name=ce-hours]").fill("4")
    form.get_by_label("Of them in ethics").fill("3")
    form.get_by_role("button", name="Log the hours").press("Enter")
    expect(page.locator(".usa-alert--success")).to_contain_text("Hours logged.")
    cards = page.locator("#my-certifications")
    expect(cards).to_contain_text("18 of 20 hours toward renewal, 6 of 6 in ethics")
    expect(cards.locator("progress")).to_have_attribute("value", "90")
    expect(page.locator("#my-activities tbody tr").first).to_contain_text(
        "Ethics of sharing your story"
    )
    assert_accessible(page)
