"""Riverbend's supervision and peer work: Dana Whitfield supervises Maria Lopez, James Carter and
Sam Rivera (set up by the demo's lifecycle step, which runs first). Maria and Sam had their
one-to-ones lately; James is overdue. The three met as a group twelve days ago. Last month
James spent most of his contact time driving people: his share of peer work fell to 55 %."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from peerpath.clients import access
from peerpath.core.models import Organization, Staff
from peerpath.encounters import actions
from peerpath.encounters.models import Contact

from . import support


def _staff(org: Organization, email: str) -> Staff:
    return Staff.objects.get(organization=org, email=email)


def load(*, org: Organization, today: date) -> None:
    dana = _staff(org, "dana.whitfield@riverbend.example")
    maria = _staff(org, "maria.lopez@riverbend.example")
    james = _staff(org, "james.carter@riverbend.example")
    sam = _staff(org, "sam.rivera@riverbend.example")
    support.topic_add(actor=maria, text="How much of my story to share in the new WRAP group")
    support.topic_add(actor=james, text="Being asked to drive people to every appointment")
    for peer, days, topics, notes in (
        (maria, 5, ["boundaries", "self_care"], "Maria set a limit on evening texts. It helped."),
        (sam, 9, ["dual_relationships", "story"], "Sam is served here too: we went over the plan."),
        (james, 24, ["role_clarity"], "James wants more group work."),
    ):
        support.session_log(
            actor=dana,
            kind="one_to_one",
            held_on=today - timedelta(days=days),
            minutes=45,
            peers=[peer],
            topics=topics,
            notes=notes,
        )
    support.session_log(
        actor=dana,
        kind="group",
        held_on=today - timedelta(days=12),
        minutes=60,
        peers=[maria, james, sam],
        topics=["difficult", "ethics"],
        notes="A hard week on the North team; we talked about what helps.",
    )
    _transport_month(james, today)
    _self_care(org, [maria, james, sam, dana], today)
    _certifications(maria, james, today)
    _orientation(org, dana, maria, today)


def _orientation(org: Organization, dana: Staff, maria: Staff, today: date) -> None:
    """Lena Park, just hired, is in her first week: the first steps are done, she shadowed
    Maria, and she has started her development plan."""
    from . import orientation
    from .models import OrientationItem

    lena = _staff(org, "lena.park@riverbend.example")
    found = orientation.start(actor=dana, peer=lena, starts_on=today - timedelta(days=3))
    for item in OrientationItem.objects.filter(
        orientation=found, key__in=["welcome", "hours", "policies"]
    ):
        orientation.item_done(actor=dana, orientation=found, item_id=item.pk, done=True)
    orientation.shadowing_add(
        actor=lena,
        orientation=found,
        data={
            "on": today - timedelta(days=1),
            "with_whom": maria.full_name,
            "elsewhere": "",
            "work": "peer",
            "reflection": "Maria let the person choose where to meet. It changed the whole visit.",
        },
    )
    orientation.plan_save(
        actor=lena,
        orientation=found,
        data={"skills": "Leading a WRAP group", "trainings": "WRAP facilitator training"},
    )


def _certifications(maria: Staff, james: Staff, today: date) -> None:
    """Maria's state certification expires in 45 days, with 6 of 20 hours still to take;
    James's recovery coach certification runs two more years."""
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from peerpath.core.pdf import html_to_pdf

    from . import certifications

    pdf = SimpleUploadedFile(
        "pss-certificate.pdf",
        html_to_pdf(
            "<h1>Oregon Certified Peer Support Specialist</h1><p>Maria Lopez</p>"
            "<p>Certificate PSS-20431</p>"
        ),
        content_type="application/pdf",
    )
    state = certifications.certification_add(
        actor=maria,
        data={
            "kind": "state_peer",
            "name": "",
            "body": "Oregon Health Authority, Traditional Health Worker Commission",
            "number": "PSS-20431",
            "issued_on": today - timedelta(days=730 - 45),
            "expires_on": today + timedelta(days=45),
            "ce_hours": 20,
            "ce_years": 2,
            "ethics_hours": 6,
        },
        upload=pdf,
    )
    for days, title, hours, ethics in (
        (300, "WRAP refresher", "6", "0"),
        (200, "Ethics and boundaries in peer work", "3", "3"),
        (90, "Trauma-informed care", "5", "0"),
    ):
        certifications.activity_add(
            actor=maria,
            certification=state,
            data={
                "title": title,
                "provider": "Lane County Peer Center",
                "on": today - timedelta(days=days),
                "hours": Decimal(hours),
                "ethics_hours": Decimal(ethics),
            },
        )
    for peer, curriculum, days in ((maria, "wham", 400), (maria, "wrap", 500), (james, "imr", 200)):
        certifications.curriculum_add(
            actor=peer,
            data={
                "curriculum": curriculum,
                "name": "",
                "trained_on": today - timedelta(days=days),
                "trained_by": "Lane County Peer Center",
            },
        )
    certifications.certification_add(
        actor=james,
        data={
            "kind": "recovery_coach",
            "name": "",
            "body": "CCAR Recovery Coach Academy",
            "number": "",
            "issued_on": today - timedelta(days=365),
            "expires_on": today + timedelta(days=730),
            "ce_hours": 30,
            "ce_years": 3,
            "ethics_hours": 6,
        },
    )


def _self_care(org: Organization, peers: list[Staff], today: date) -> None:
    """Maria keeps a plan she shares with Dana; James keeps one to himself. Every peer has
    checked in over the last weeks, enough for the agency's summary to show."""
    from . import selfcare

    maria, james = peers[0], peers[1]
    selfcare.plan_save(
        actor=maria,
        data={
            "keeps_me_well": "A walk at lunch. My Tuesday meeting.",
            "early_signs": "I stop answering texts from friends.",
            "what_helps": "Calling my sponsor. A quiet hour at the end of the day.",
            "who_to_talk_to": "Dana, and my sister.",
            "shared_with_supervisor": True,
        },
    )
    selfcare.plan_save(
        actor=james,
        data={"keeps_me_well": "Cooking on Sundays.", "who_to_talk_to": "My group."},
    )
    others = Staff.objects.filter(
        organization=org, role__in=support.PEER_ROLES, is_active=True
    ).exclude(pk__in=[p.pk for p in peers])
    for n, peer in enumerate([*peers, *others]):
        for week in range(3):
            selfcare.checkin(
                actor=peer,
                on=today - timedelta(days=2 + week * 7 + n),
                wellbeing=3 + (n + week) % 3,
                support=2 + (n * 2 + week) % 4,
            )


def _transport_month(peer: Staff, today: date) -> None:
    """Last month, transport-only contacts until the peer's share of peer work is 55 %."""
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    rules = support.rules_for(peer.organization_id or 0)
    peer_minutes = other_minutes = 0.0
    month_start = timezone.make_aware(datetime.combine(first, time.min))
    month_end = timezone.make_aware(datetime.combine(today.replace(day=1), time.min))
    for minutes, services, tasks in Contact.objects.filter(
        author=peer, status=Contact.Status.SIGNED, occurred_at__range=(month_start, month_end)
    ).values_list("minutes", "services", "other_tasks"):
        done = support.split_minutes(minutes, services, tasks, set(rules.other_work))
        peer_minutes, other_minutes = peer_minutes + done[0], other_minutes + done[1]
    if peer_minutes < 600:
        # Few notes that month (early in a month): enough peer work first to make a month.
        extra = int(600 - peer_minutes) + 1
        _record(peer, first, extra, services=["hope", "resources"], tasks=[], day_offset=1)
        peer_minutes += extra
    wanted = round(peer_minutes * 45 / 55 - other_minutes)
    day = 2
    while wanted > 0:
        minutes = min(90, wanted)
        _record(peer, first, minutes, services=[], tasks=["transport"], day_offset=day)
        wanted -= minutes
        day = day % 26 + 2


def _record(
    peer: Staff,
    first: date,
    minutes: int,
    *,
    services: list[str],
    tasks: list[str],
    day_offset: int,
) -> None:
    people = list(access.caseload(peer).order_by("pk"))
    client = people[day_offset % len(people)]
    grant = access.client_for_write(peer, client.pk)
    day = first + timedelta(days=day_offset)
    contact = actions.contact_record(
        actor=peer,
        access=grant,
        sign=True,
        occurred_at=timezone.make_aware(datetime.combine(day, time(10, 0))),
        minutes=minutes,
        place="community",
        services=services,
        other_tasks=tasks,
        summary="Drove them to their appointment." if tasks else "Talked about what is next.",
    )
    # Last month's notes were reviewed in their time, as the rest of the demo's are.
    supervisor = peer.supervisor
    if supervisor is not None:
        actions.contact_review(
            actor=supervisor,
            access=access.client_for_read(supervisor, client.pk),
            contact=contact,
            returned=False,
            comment="",
        )
