"""Demo measures for Riverbend: a year of PHQ-9, GAD-7 and BARC-10, schedules, one open alert."""

from __future__ import annotations

import random
from datetime import date, timedelta

from peerpath.clients.access import ClientAccess
from peerpath.clients.models import CareTeamMember, Client
from peerpath.core.models import Organization

from . import actions, loading
from .models import Questionnaire

FREQUENCY = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]


def _access(client: Client) -> ClientAccess:
    return ClientAccess(client=client, can_write=True, basis="care_team")


def _answers(questionnaire: Questionnaire, points: list[int]) -> dict[str, str]:
    questions = questionnaire.instrument().scored_questions
    if questionnaire.code == "barc-10":
        return {q.link_id: str(p) for q, p in zip(questions, points, strict=True)}
    return {q.link_id: FREQUENCY[p] for q, p in zip(questions, points, strict=True)}


def _trend(rng: random.Random, month: int, start: float, end: float, high: int) -> int:
    """A level that moves from start to end over the year, with some noise."""
    level = start + (end - start) * month / 12 + rng.uniform(-0.5, 0.5)
    return max(0, min(high, round(level)))


def load(*, org: Organization, today: date) -> None:
    rng = random.Random(4401)  # noqa: S311 (demo data)
    # Normally loaded by a migration; test runs that flush tables need them back.
    loading.load_shipped(Questionnaire)
    phq9 = Questionnaire.objects.get(organization__isnull=True, code="44249-1")
    gad7 = Questionnaire.objects.get(organization__isnull=True, code="69737-5")
    barc = Questionnaire.objects.get(organization__isnull=True, code="barc-10")
    primaries = {
        m.client_id: m.staff
        for m in CareTeamMember.objects.filter(organization=org, is_primary=True).select_related(
            "staff"
        )
    }
    clients = list(
        Client.objects.filter(organization=org, staff_account__isnull=True)
        .prefetch_related("enrollments__program")
        .order_by("pk")
    )
    first_alert_done = False
    # Some of the North team, some of South, some of Pathways (where BARC-10 is used).
    chosen = clients[:8] + clients[18:20] + clients[29:33]
    for index, client in enumerate(chosen):
        actor = primaries.get(client.pk)
        access = _access(client)
        substance_use = any(e.program.kind == "substance_use" for e in client.enrollments.all())
        # Most people feel better over the year; a few do not.
        start, end = rng.uniform(1.2, 2.4), rng.uniform(0.3, 1.4)
        # Every fourth person is a little overdue: their last check-in was a month ago.
        newest = 1 if index % 4 == 1 else 0
        months = range(12, newest - 1, -1) if index % 3 else range(12, newest - 1, -3)
        last = today
        for month_ago in months:
            day = today - timedelta(days=30 * month_ago + rng.randint(0, 4))
            last = day
            month = 12 - month_ago
            phq_points = [_trend(rng, month, start, end, 3) for _ in range(8)]
            # Item 9 stays 0, except one recent answer for one person on Maria's caseload.
            item9 = 0
            if (
                month_ago == 0
                and not first_alert_done
                and actor
                and actor.email.startswith("maria")
            ):
                item9, first_alert_done = 1, True
            actions.response_record(
                actor=actor,
                access=access,
                questionnaire=phq9,
                authored_on=day,
                answers=_answers(phq9, [*phq_points, item9]),
            )
            if month_ago % 3 == 0:
                actions.response_record(
                    actor=actor,
                    access=access,
                    questionnaire=gad7,
                    authored_on=day,
                    answers=_answers(gad7, [_trend(rng, month, start, end, 3) for _ in range(7)]),
                )
            if substance_use and month_ago % 3 == 0:
                actions.response_record(
                    actor=actor,
                    access=access,
                    questionnaire=barc,
                    authored_on=day,
                    answers=_answers(
                        barc,
                        [
                            max(1, min(6, round(2.5 + 3 * month / 12 + rng.uniform(-1, 1))))
                            for _ in range(10)
                        ],
                    ),
                )
        actions.schedule_set(
            actor=actor,
            access=access,
            questionnaire=phq9,
            every_days=30,
            next_due_on=last + timedelta(days=30),
        )
        if substance_use:
            actions.schedule_set(
                actor=actor,
                access=access,
                questionnaire=barc,
                every_days=90,
                next_due_on=today + timedelta(days=rng.randint(1, 80)),
            )
