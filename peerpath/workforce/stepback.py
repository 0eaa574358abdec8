"""'Done for today': a peer who needs to step back after a hard session says so in one step.
Nothing is asked; the next steps due today for the people they serve move to the next day;
their supervisor is told privately on My day."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from peerpath.clients import access, actions
from peerpath.core import audit
from peerpath.core.models import Staff

from .models import StepBack
from .support import PEER_ROLES


def step_back(*, actor: Staff, today: date) -> StepBack:
    """Record the step back (once a day) and move today's next steps to tomorrow."""
    if actor.role not in PEER_ROLES or actor.organization_id is None:
        raise PermissionError("a peer steps back for themself")
    found = StepBack.objects.filter(peer=actor, on=today).first()
    if found is not None:
        return found
    moved: list[int] = []
    with transaction.atomic():
        due = access.caseload(actor).filter(next_step_due=today).order_by("pk")[:200]
        for client in due:
            grant = access.client_for_write(actor, client.pk)
            actions.client_update(
                actor=actor,
                access=grant,
                expected_version=grant.client.version,
                changes={"next_step_due": today + timedelta(days=1)},
            )
            moved.append(client.pk)
        found = StepBack.objects.create(
            organization_id=actor.organization_id,
            peer=actor,
            on=today,
            moved=len(moved),
            moved_ids=moved,
        )
        # No reason is asked; the trail says only that it happened.
        audit.record(
            organization=actor.organization_id,
            actor=actor,
            action="step_back",
            obj=found,
            details={"moved": len(moved)},
        )
    return found


def today_of(peer: Staff, today: date) -> StepBack | None:
    return StepBack.objects.filter(peer=peer, on=today).first()


def to_see(supervisor: Staff, today: date) -> list[StepBack]:
    """Peers who report to the supervisor and stepped back today or yesterday, not seen yet."""
    return list(
        StepBack.objects.filter(
            peer__supervisor=supervisor,
            on__gte=today - timedelta(days=1),
            seen_at__isnull=True,
        )
        .select_related("peer")
        .order_by("-created_at")[:50]
    )


def mark_seen(*, actor: Staff, step_back_id: int) -> None:
    with transaction.atomic():
        found = (
            StepBack.objects.select_for_update()
            .filter(pk=step_back_id, peer__supervisor=actor)
            .first()
        )
        if found is None:
            raise Http404
        found.seen_by, found.seen_at = actor, timezone.now()
        found.save(update_fields=["seen_by", "seen_at"])
        audit.record(
            organization=found.organization_id, actor=actor, action="step_back.seen", obj=found
        )


def colleagues_for(step: StepBack) -> list[Staff]:
    """Who can cover: active staff on the care team of at least one person whose next step
    moved (they already serve them), the peer aside."""
    from peerpath.clients.models import CareTeamMember

    ids = CareTeamMember.objects.filter(client_id__in=step.moved_ids, ended_on__isnull=True).values(
        "staff_id"
    )
    return list(
        Staff.objects.filter(pk__in=ids, is_active=True, organization_id=step.organization_id)
        .exclude(pk=step.peer_id)
        .order_by("full_name")[:50]
    )


def hand_over(*, actor: Staff, step_back_id: int, colleague_id: int) -> StepBack:
    """The supervisor asks a colleague to cover today's next steps of the people they also
    serve; the notice is then seen."""
    with transaction.atomic():
        found = (
            StepBack.objects.select_for_update()
            .filter(pk=step_back_id, peer__supervisor=actor)
            .first()
        )
        if found is None:
            raise Http404
        if colleague_id not in {s.pk for s in colleagues_for(found)}:
            raise ValueError("not on the care team of any of them")
        found.covered_by_id = colleague_id
        found.seen_by, found.seen_at = actor, timezone.now()
        found.save(update_fields=["covered_by", "seen_by", "seen_at"])
        audit.record(
            organization=found.organization_id,
            actor=actor,
            action="step_back.hand_over",
            obj=found,
            details={"colleague": colleague_id},
        )
    return found


def to_cover(colleague: Staff, today: date) -> list[tuple[StepBack, list[Any]]]:
    """What the colleague was asked to cover today: for each peer, the people of theirs on the
    colleague's own caseload (read through the gate)."""
    rows = []
    for step in StepBack.objects.filter(covered_by=colleague, on=today).select_related("peer"):
        people = list(access.caseload(colleague).filter(pk__in=step.moved_ids).order_by("pk"))
        if people:
            rows.append((step, people))
    return rows


# Sessions to work up to ----------------------------------------------------------------------

WORK_UP_MINUTES = (30, 60, 90, 120)


def coming_meetings(peer: Staff, now: Any, days: int = 14) -> list[Any]:
    """The team meetings of the peer's teams in the next `days` days."""
    from peerpath.meetings.models import TeamMeeting

    return list(
        TeamMeeting.objects.filter(
            team__memberships__staff=peer,
            starts_at__gte=now,
            starts_at__lt=now + timedelta(days=days),
        )
        .select_related("team")
        .order_by("starts_at", "id")[:50]
    )


def work_up_to(*, actor: Staff, meeting_id: int, minutes: int | None) -> None:
    """Mark a coming meeting of the peer's teams as one to work up to (None: unmark)."""
    from .models import WorkUpTo

    if actor.role not in PEER_ROLES or actor.organization_id is None:
        raise PermissionError("a peer's own day")
    meeting = next((m for m in coming_meetings(actor, timezone.now()) if m.pk == meeting_id), None)
    if meeting is None:
        raise Http404
    with transaction.atomic():
        if minutes is None:
            WorkUpTo.objects.filter(peer=actor, meeting=meeting).delete()
        else:
            if minutes not in WORK_UP_MINUTES:
                raise ValueError("minutes")
            WorkUpTo.objects.update_or_create(
                peer=actor,
                meeting=meeting,
                defaults={"organization_id": actor.organization_id, "minutes_before": minutes},
            )


def marked(peer: Staff, meetings: list[Any]) -> dict[int, int]:
    from .models import WorkUpTo

    return dict(
        WorkUpTo.objects.filter(peer=peer, meeting__in=meetings).values_list(
            "meeting_id", "minutes_before"
        )
    )


def kept_free_today(peer: Staff, today: date) -> list[tuple[Any, Any, Any]]:
    """Today's time kept free: (from, until, meeting)."""
    from .models import WorkUpTo

    rows = []
    for mark in (
        WorkUpTo.objects.filter(peer=peer, meeting__starts_at__date=today)
        .select_related("meeting", "meeting__team")
        .order_by("meeting__starts_at")
    ):
        starts = timezone.localtime(mark.meeting.starts_at)
        rows.append((starts - timedelta(minutes=mark.minutes_before), starts, mark.meeting))
    return rows
