"""Riverbend's readiness surveys: the staff survey and the ORIC, each run before peers started
(six months ago) and again now. Every staff member answered before; now all but Maria have
(she finds the survey on My day). The small Pathways team is never shown on its own."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from peerpath.core.models import Organization, Role, Staff, Team

from . import actions, loading, roadmap, strategies
from .models import LearningActivity, Strategy, SurveyAnswer, SurveyInstrument, Wave

NOT_YET = "maria.lopez@riverbend.example"


def _answers(instrument: SurveyInstrument, rng: random.Random, lean: int) -> dict[str, str]:
    """Answers leaning towards readiness (`lean` 1 to 5, the usual weight of an answer)."""
    found: dict[str, str] = {}
    for question in instrument.instrument().questions:
        if not question.scored:
            continue
        wanted = max(1, min(5, lean + rng.choice((-1, 0, 0, 1))))
        option = next(o for o in question.options if o.weight == wanted)
        found[question.link_id] = option.code
    return found


WORDS = {
    "before": {
        "fears-text": [
            "That a peer will be alone with a crisis they cannot handle.",
            "Boundaries, when a peer knows the people we serve from the community.",
        ],
        "barr-text": ["Nobody here knows how to supervise peer work."],
    },
    "after": {
        "fears-text": ["Less than before. The peers have been clear about their role."],
        "barr-text": ["Notes still do not fit what peers do in a day."],
        "misc-text": ["How peers decide what part of their story to share."],
    },
}


def load(*, org: Organization, today: date) -> None:
    # The shipped questionnaires come with a migration; a database emptied since (as tests that
    # commit their transactions leave it) is given them again.
    loading.load_shipped(SurveyInstrument)
    manager = Staff.objects.get(organization=org, role=Role.PROGRAM_MANAGER)
    staff = list(Staff.objects.filter(organization=org, is_active=True).order_by("email"))
    rng = random.Random(2718)  # noqa: S311 (demo data)
    for instrument in SurveyInstrument.objects.filter(
        organization__isnull=True, name__in=("StaffReadiness", "ORIC")
    ).order_by("name"):
        short = "staff survey" if instrument.name == "StaffReadiness" else "ORIC"
        for when, lean, started in (
            ("before", 2, today - timedelta(days=190)),
            ("after", 4, today),
        ):
            wave = actions.wave_create(
                actor=manager,
                instrument=instrument,
                name=f"{'Before peers start' if when == 'before' else 'Six months later'} "
                f"({short})",
                opens_on=today,
                closes_on=today + timedelta(days=14),
            )
            for index, person in enumerate(staff):
                if when == "after" and person.email == NOT_YET:
                    continue
                answers = _answers(instrument, rng, lean)
                for link_id, texts in WORDS[when].items():
                    if index < len(texts) and instrument.instrument().question(link_id):
                        answers[link_id] = texts[index]
                actions.survey_answer(actor=person, wave=wave, answers=answers)
            if when == "before":
                # It ran six months ago: its dates, and the day each answer came in.
                Wave.objects.filter(pk=wave.pk).update(
                    opens_on=started, closes_on=started + timedelta(days=14)
                )
                SurveyAnswer.objects.filter(wave=wave).update(answered_on=started)
    _roadmap(org, manager, today)
    _positions(org, manager)
    _interviews(org, manager, today)


def _positions(org: Organization, manager: Staff) -> None:
    """Three positions; the part-time one pays below Lane County's living wage."""

    from .hiring import position_save
    from .models import LivingWage

    for household, hourly in (("1a", "24.53"), ("1a1c", "41.10"), ("2a2w", "22.17")):
        LivingWage.objects.create(
            organization=org,
            county="Lane",
            household=household,
            hourly=Decimal(hourly),
            source="MIT Living Wage Calculator, 2026",
        )
    dana = Staff.objects.get(email="dana.whitfield@riverbend.example")
    north = Team.objects.filter(organization=org, name="North Recovery Team").first()
    common = {
        "team": north,
        "summary": (
            "You will walk with people on their way to recovery. You will share your own story "
            "when it helps. You will help people make a plan for their health and find what "
            "they need: a home, food, work and friends."
        ),
        "other_duties": "",
        "lived_experience": True,
        "supervisor": dana,
        "supervision": "One hour a week with Dana Whitfield, who was a peer specialist.",
        "experience_counts": ["lived", "peer_run", "volunteer", "certification_in_progress"],
        "paid_years_required": 0,
        "county": "Lane",
        "household": "1a",
    }
    for title, status, duties, cert, months, hours, low, high in (
        (
            "Peer Support Specialist",
            "open",
            ["story", "self_management", "connecting", "groups"],
            "within",
            6,
            40,
            "25.50",
            "29.00",
        ),
        (
            "Peer Recovery Coach",
            "draft",
            ["story", "coaching", "advocacy"],
            "required",
            None,
            40,
            "26.00",
            "30.00",
        ),
        (
            "Part-time Peer Outreach Worker",
            "open",
            ["story", "connecting"],
            "none",
            None,
            20,
            "19.00",
            "21.00",
        ),
    ):
        position_save(
            actor=manager,
            position=None,
            data={
                **common,
                "title": title,
                "status": status,
                "duties": duties,
                "certification": cert,
                "certification_months": months,
                "hours_per_week": hours,
                "pay_min": Decimal(low),
                "pay_max": Decimal(high),
            },
        )


def _roadmap(org: Organization, manager: Staff, today: date) -> None:
    """Riverbend is implementing: exposure and adoption done, two champions, a visit that took
    place and a session to come, and two strategies on the action plan."""
    strategies.library_seed(org)
    for key in (
        "hear_peers",
        "first_wave",
        "champions",
        "statement",
        "job_description",
        "dual_relationships",
        "supervisor",
        "hired",
    ):
        roadmap.step_mark(actor=manager, key=key, done=True)
    for team_name, email in (
        ("North Recovery Team", "keisha.brown@riverbend.example"),
        ("South Recovery Team", "priya.shah@riverbend.example"),
    ):
        team = Team.objects.filter(organization=org, name=team_name).first()
        if team is not None:
            roadmap.champion_name(actor=manager, team=team, staff=Staff.objects.get(email=email))
    research = Strategy.objects.get(organization=org, key="research")
    visit = roadmap.activity_plan(
        actor=manager,
        kind=LearningActivity.Kind.VISIT,
        host="Lane County Peer Center",
        planned_on=today,
        strategy=research,
        section="fears",
    )
    roadmap.activity_record(
        actor=manager,
        activity=visit,
        learned="Their peers join the morning huddle and carry a small caseload of their own. "
        "Supervision is weekly, with a supervisor who was a peer specialist.",
    )
    LearningActivity.objects.filter(pk=visit.pk).update(
        planned_on=today - timedelta(days=120), done_on=today - timedelta(days=120)
    )
    roadmap.activity_plan(
        actor=manager,
        kind=LearningActivity.Kind.QUESTIONS,
        host="Oregon peer providers network",
        planned_on=today + timedelta(days=12),
        strategy=Strategy.objects.get(organization=org, key="training"),
        section="barriers",
    )
    dana = Staff.objects.get(email="dana.whitfield@riverbend.example")
    for key, owner, days in (("training", dana, 9), ("team_meetings", manager, 20)):
        strategies.action_add(
            actor=manager,
            strategy=Strategy.objects.get(organization=org, key=key),
            owner=owner,
            due_on=today + timedelta(days=days),
        )


def _interviews(org: Organization, manager: Staff, today: date) -> None:
    """A panel for the Peer Support Specialist (Dana, a peer supervisor, and Keisha): Jordan
    scored by both and waiting for the decision, Casey scored by Dana only, Riley not scored
    yet; a new application; and, for the outreach job (one year of paid work asked), Avery
    screened out by that rule although peer-run work would have met it."""
    from . import recruiting
    from .models import Candidate, Criterion, Position

    recruiting.questions_seed(org)
    dana = Staff.objects.get(email="dana.whitfield@riverbend.example")
    keisha = Staff.objects.get(email="keisha.brown@riverbend.example")
    specialist = Position.objects.get(organization=org, title="Peer Support Specialist")
    outreach = Position.objects.get(organization=org, title="Part-time Peer Outreach Worker")
    Position.objects.filter(pk=outreach.pk).update(paid_years_required=1)
    outreach.refresh_from_db()
    recruiting.criteria_seed(specialist)
    criteria = list(Criterion.objects.filter(position=specialist))
    recruiting.panel_save(
        actor=manager,
        position=specialist,
        members=[dana, keisha],
        criteria=[(c.pk, "", c.weight) for c in criteria],
    )

    def add(position: Position, name: str, days_ago: int, paid: str, peer_run: str) -> Candidate:
        return recruiting.candidate_add(
            actor=manager,
            position=position,
            data={
                "full_name": name,
                "email": name.lower().replace(" ", ".") + "@example.org",
                "phone": "",
                "applied_on": today - timedelta(days=days_ago),
                "paid_years": Decimal(paid),
                "peer_run_years": Decimal(peer_run),
                "volunteer_years": Decimal("1"),
                "lived_experience": None,
                "certification": Candidate.Certification.IN_PROGRESS,
            },
        )

    scores = {
        "Jordan Ellis": ({dana: (5, 4, 4, 5, 3), keisha: (4, 4, 5, 4, 3)}),
        "Casey Morales": ({dana: (3, 4, 3, 4, 2)}),
        "Riley Chen": {},
    }
    for days_ago, (name, cards) in enumerate(scores.items(), start=20):
        candidate = add(specialist, name, days_ago, "2", "1.5")
        recruiting.candidate_move(
            actor=manager, candidate=candidate, status=Candidate.Status.INTERVIEW
        )
        for interviewer, given in cards.items():
            recruiting.scorecard_save(
                actor=interviewer,
                candidate=candidate,
                scores={c.pk: score for c, score in zip(criteria, given, strict=True)},
                notes="",
                submit=True,
            )
    add(specialist, "Sky Patel", 2, "0", "0.5")
    avery = add(outreach, "Avery Thompson", 30, "0", "2")
    recruiting.candidate_move(
        actor=manager,
        candidate=avery,
        status=Candidate.Status.SCREENED_OUT,
        screen_reason=Candidate.ScreenReason.PAID_YEARS,
    )
