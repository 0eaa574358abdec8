"""Demo data: two North team meetings with the person's own view recorded (invented)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from peerpath.clients import access
from peerpath.core.models import Organization, Staff, Team

from . import actions
from .models import TeamMeeting

VOICES = [
    (
        "To move into my own apartment before winter and keep my part-time job.",
        "That if I miss a group the team will think I am not trying.",
        "I like the plan, but I want to try the evening group instead of mornings.",
        "Team agreed evening groups fit better with work.",
        "Switch to the Thursday evening group. Maria goes with them to the first one.",
    ),
    (
        "To see my kids every weekend and get my license back.",
        "The new medicine makes me sleepy at work.",
        "I will try it for two more weeks if we can talk about the dose.",
        "Prescriber to review the dose; peer to help write down questions.",
        "Medication review next week. Keep weekly peer contacts.",
    ),
    (
        "To stay out of the hospital and go back to school in the spring.",
        "Money: the bus pass ran out.",
        "The plan is fine. I want to keep Maria as my peer.",
        "",
        "",
    ),
]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def load(*, org: Organization, today: date) -> None:
    team = Team.objects.get(organization=org, name="North Recovery Team")
    staff = {s.email.split(".")[0]: s for s in Staff.objects.filter(organization=org)}
    maria, james, dana, keisha = staff["maria"], staff["james"], staff["dana"], staff["keisha"]
    past = actions.meeting_create(
        actor=dana,
        team=team,
        kind=TeamMeeting.Kind.TREATMENT_PLANNING,
        starts_at=_at(today - timedelta(days=7), 10),
        attendees=[maria, james, dana, keisha],
    )
    upcoming = actions.meeting_create(
        actor=dana,
        team=team,
        kind=TeamMeeting.Kind.INTERDISCIPLINARY,
        starts_at=_at(today + timedelta(days=2), 14),
    )
    people = list(access.caseload(maria).order_by("pk")[:3])
    for index, client in enumerate(people):
        grant = access.client_for_write(maria, client.pk)
        meeting = past if index < 2 else upcoming
        want, worry, view, said, decided = VOICES[index]
        item = actions.agenda_add(actor=maria, access=grant, meeting=meeting)
        item = actions.agenda_voice_save(
            actor=maria,
            access=grant,
            item=item,
            expected_version=item.version,
            what_they_want=want,
            what_worries_them=worry,
            view_of_plan=view,
        )
        # Their view was prepared with them the day before the meeting.
        type(item).objects.filter(pk=item.pk).update(
            voice_prepared_at=meeting.starts_at - timedelta(days=1)
        )
        if said or decided:
            actions.agenda_discussion_save(
                actor=maria,
                access=grant,
                item=item,
                expected_version=item.version,
                discussion=said,
                decisions=decided,
            )
    # The first person is also on the upcoming meeting; their view is not written yet.
    if people:
        actions.agenda_add(
            actor=maria, access=access.client_for_write(maria, people[0].pk), meeting=upcoming
        )
