"""'Done for today': a peer who needs to step back after a hard session says so in one step.
Nothing is asked; the next steps due today for the people they serve move to the next day;
their supervisor is told privately on My day."""

from __future__ import annotations

from datetime import date, timedelta

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
    moved = 0
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
            moved += 1
        found = StepBack.objects.create(
            organization_id=actor.organization_id, peer=actor, on=today, moved=moved
        )
        # No reason is asked; the trail says only that it happened.
        audit.record(
            organization=actor.organization_id,
            actor=actor,
            action="step_back",
            obj=found,
            details={"moved": moved},
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
