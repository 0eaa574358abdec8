"""Demo data: a month of peer contacts, outreach, and two groups with attendance (invented)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from peerpath.clients import access
from peerpath.core.models import Organization, Staff

from . import actions, listing
from .models import Group, GroupListing, GroupMember, PeerService, Place

SUMMARIES = [
    (
        "Met at the library. Practiced the budget worksheet and set one small goal for the week.",
        "I want to pay my phone bill on time this month.",
    ),
    (
        "Walked to the food pantry together. Talked about what helps on hard days; shared a little "
        "of my own story about asking for help.",
        "It helps to know someone else got through this.",
    ),
    (
        "Phone check-in after the doctor visit. Went over questions to bring next time about side "
        "effects.",
        "I am tired all the time and I want to ask about that.",
    ),
    (
        "Went with them to the housing office. Filled in the application together; next step is "
        "the interview on Friday.",
        "I want a place of my own where my kids can visit.",
    ),
    (
        "Talked through the WRAP daily maintenance list. Added walking and calling my sister.",
        "Walking clears my head.",
    ),
    (
        "Found a Thursday evening NA meeting close to home and planned to go together the first "
        "time.",
        "I am nervous to walk in alone.",
    ),
    (
        "Video call. Practiced what to say to the landlord. Role-played twice; felt more ready.",
        "I can do this if I write it down first.",
    ),
]
SERVICE_SETS = [
    ["goal_setting", "skill_building"],
    ["recovery_story", "hope", "social_supports"],
    ["medications", "education"],
    ["resources", "advocacy"],
    ["relapse_prevention", "coping_skills"],
    ["self_help", "community"],
    ["mentoring", "skill_building"],
]
PLACES = [
    Place.COMMUNITY,
    Place.COMMUNITY,
    Place.PHONE,
    Place.COMMUNITY,
    Place.OFFICE,
    Place.OFFICE,
    Place.VIDEO,
]


def _staff(org: Organization, email: str) -> Staff:
    return Staff.objects.get(organization=org, email=email)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def load(*, org: Organization, today: date) -> None:
    rng = random.Random(20261124)  # noqa: S311 (repeatable demo data, not security)
    maria = _staff(org, "maria.lopez@riverbend.example")
    james = _staff(org, "james.carter@riverbend.example")
    sam = _staff(org, "sam.rivera@riverbend.example")
    dana = _staff(org, "dana.whitfield@riverbend.example")

    for peer in (maria, james, sam):
        _month_of_contacts(rng, peer, dana, today)
    _outreach(rng, maria, today)
    _outreach(rng, james, today)
    _groups(rng, org, maria, james, today)


def _month_of_contacts(rng: random.Random, peer: Staff, supervisor: Staff, today: date) -> None:
    people = list(access.caseload(peer).order_by("pk"))
    returned_one = False
    for index, client in enumerate(people):
        if index % 6 == 5:
            continue  # someone new, still being reached (see outreach)
        grant = access.client_for_write(peer, client.pk)
        for week in range(4):
            day = today - timedelta(days=28 - week * 7 - rng.randint(0, 4))
            if day >= today or rng.random() < 0.2:
                continue
            pick = rng.randrange(len(SUMMARIES))
            summary, words = SUMMARIES[pick]
            contact = actions.contact_record(
                actor=peer,
                access=grant,
                sign=True,
                occurred_at=_at(day, rng.choice([9, 10, 11, 13, 14, 15]), rng.choice([0, 15, 30])),
                minutes=rng.choice([20, 30, 45, 60, 90]),
                place=PLACES[pick],
                services=SERVICE_SETS[pick],
                other_tasks=["transport"] if rng.random() < 0.1 else [],
                summary=summary,
                in_their_words=words,
            )
            if day < today - timedelta(days=7) and supervisor_supervises(supervisor, peer):
                sup_grant = access.client_for_read(supervisor, client.pk)
                # About one note in twenty goes back to its author, at most one per peer.
                returned = not returned_one and rng.random() < 0.05
                returned_one = returned_one or returned
                actions.contact_review(
                    actor=supervisor,
                    access=sup_grant,
                    contact=contact,
                    returned=returned,
                    comment="Please add the next step you agreed on." if returned else "",
                )
    # One note from today still in draft, to finish later.
    if people:
        grant = access.client_for_write(peer, people[0].pk)
        actions.contact_start(
            actor=peer,
            access=grant,
            occurred_at=_at(today, 9, 30) if timezone.localtime().hour >= 10 else timezone.now(),
            services=[PeerService.HOPE],
            in_their_words="I had a rough weekend but I called my sponsor.",
        )


def supervisor_supervises(supervisor: Staff, peer: Staff) -> bool:
    return actions.supervises_author(supervisor, peer.pk)


def _outreach(rng: random.Random, peer: Staff, today: date) -> None:
    people = list(access.caseload(peer).order_by("pk"))
    for index, client in enumerate(people):
        if index % 6 != 5 and index % 4 != 3:
            continue
        grant = access.client_for_write(peer, client.pk)
        tries = [
            ("phone", "no_answer"),
            ("text", "message"),
            ("home_visit", "not_found"),
            ("street", "reached"),
        ]
        count = 2 if index % 6 == 5 else 4
        for n, (method, outcome) in enumerate(tries[:count]):
            day = today - timedelta(days=(count - n) * 5)
            last = n == count - 1
            actions.outreach_record(
                actor=peer,
                access=grant,
                method=method,
                outcome=outcome,
                attempted_at=_at(day, 11),
                note="Left my card with the front desk at the shelter."
                if method == "street"
                else "",
                next_try_on=(today + timedelta(days=rng.randint(0, 1))) if last else None,
            )
        if count == 4:
            actions.engagement_set(actor=peer, access=grant, status="engaged")


def _groups(rng: random.Random, org: Organization, maria: Staff, james: Staff, today: date) -> None:
    wrap = actions.group_create(
        actor=maria,
        organization=org,
        name="Tuesday WRAP group",
        kind=Group.Kind.WRAP,
        facilitators=[maria],
        schedule="Tuesdays 2 pm",
        location="Riverbend main office, room B",
    )
    support = actions.group_create(
        actor=james,
        organization=org,
        name="Thursday peer support group",
        kind=Group.Kind.PEER_SUPPORT,
        facilitators=[james, maria],
        schedule="Thursdays 5:30 pm",
        location="Community room, Elm Street library",
    )
    # Both are in Riverbend's public feed of its groups; the peer support group also online.
    listing.group_listing_save(
        actor=maria,
        group=wrap,
        is_published=True,
        days=[1],
        starts=time(14, 0),
        ends=time(15, 30),
        attendance=GroupListing.Attendance.IN_PERSON,
        place="Riverbend main office, room B",
        address="1200 Main St",
        city="Springfield",
        state="OR",
        postal_code="97477",
        types=["O", "BE"],
        notes="Come to the front desk and ask for the WRAP group.",
    )
    listing.group_listing_save(
        actor=james,
        group=support,
        is_published=True,
        days=[3],
        starts=time(17, 30),
        ends=time(19, 0),
        attendance=GroupListing.Attendance.HYBRID,
        place="Community room, Elm Street library",
        address="100 W 10th Ave",
        city="Eugene",
        state="OR",
        postal_code="97401",
        region="Downtown",
        conference_url="https://meet.example.org/riverbend-thursday",
        types=["O", "S", "X"],
    )
    for group, facilitator in ((wrap, maria), (support, james)):
        chosen = list(access.caseload(facilitator).order_by("pk")[:6])
        for client in chosen:
            grant = access.client_for_write(facilitator, client.pk)
            actions.group_member_add(
                actor=facilitator, access=grant, group=group, joined_on=today - timedelta(days=40)
            )
        roster = set(
            GroupMember.objects.filter(group=group, left_on__isnull=True).values_list(
                "client_id", flat=True
            )
        )
        weekday = 1 if group == wrap else 3
        first = today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
        for week in range(4):
            held = first - timedelta(days=7 * week)
            marks = {
                cid: rng.choices(["present", "absent", "excused"], [7, 2, 1])[0] for cid in roster
            }
            actions.group_session_record(
                actor=facilitator,
                group=group,
                held_on=held,
                topic=rng.choice(
                    [
                        "Wellness toolbox",
                        "Early warning signs",
                        "Crisis plan",
                        "Triggers",
                        "Staying connected",
                        "Sleep and energy",
                    ]
                ),
                note="Good conversation; two members shared what works for them.",
                attendance=marks,
                roster_ids=roster,
            )
