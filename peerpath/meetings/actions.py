"""Every write about team meetings: keyword-only, atomic, audited."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from peerpath.clients.access import ClientAccess
from peerpath.core import audit
from peerpath.core.models import Staff, Team

from .models import AgendaItem, TeamMeeting

VOICE_FIELDS = ("what_they_want", "what_worries_them", "view_of_plan")
DISCUSSION_FIELDS = ("discussion", "decisions")


class StaleVersionError(Exception):
    def __init__(self, current: AgendaItem) -> None:
        super().__init__("The agenda item changed since you opened it.")
        self.current = current


class NotAllowedError(Exception):
    pass


def meeting_create(
    *,
    actor: Staff,
    team: Team,
    kind: str,
    starts_at: datetime,
    attendees: list[Staff] | None = None,
) -> TeamMeeting:
    if team.organization_id != actor.organization_id:
        raise NotAllowedError("team of another organization")
    if kind not in TeamMeeting.Kind.values:
        raise ValueError("unknown kind of meeting")
    with transaction.atomic():
        meeting = TeamMeeting.objects.create(
            organization_id=team.organization_id,
            team=team,
            kind=kind,
            starts_at=starts_at,
            created_by=actor,
        )
        if attendees:
            meeting.attendees.set(attendees)
        audit.record(
            organization=team.organization_id,
            actor=actor,
            action="meeting.create",
            obj=meeting,
            details={"team": team.pk, "kind": kind},
        )
    return meeting


def meeting_attendance_set(*, actor: Staff, meeting: TeamMeeting, attendees: list[Staff]) -> None:
    if any(a.organization_id != meeting.organization_id for a in attendees):
        raise NotAllowedError("attendee of another organization")
    with transaction.atomic():
        meeting.attendees.set(attendees)
        audit.record(
            organization=meeting.organization_id,
            actor=actor,
            action="meeting.attendance",
            obj=meeting,
            details={"attendees": sorted(a.pk for a in attendees)},
        )


def agenda_add(*, actor: Staff, access: ClientAccess, meeting: TeamMeeting) -> AgendaItem:
    """Put a person on a meeting's agenda (a care-team member does, so their voice can come)."""
    if not access.can_write:
        raise NotAllowedError("read-only access")
    if meeting.organization_id != access.client.organization_id:
        raise NotAllowedError("meeting of another organization")
    with transaction.atomic():
        item, created = AgendaItem.objects.get_or_create(
            meeting=meeting,
            client=access.client,
            defaults={"organization_id": meeting.organization_id, "added_by": actor},
        )
        if created:
            audit.record(
                organization=meeting.organization_id,
                actor=actor,
                client_id=access.client.pk,
                action="meeting.agenda_add",
                obj=item,
                details={"meeting": meeting.pk},
            )
    return item


def _save(
    *,
    actor: Staff,
    access: ClientAccess,
    item: AgendaItem,
    expected_version: int,
    changes: dict[str, str],
    action: str,
) -> AgendaItem:
    if not access.can_write:
        raise NotAllowedError("read-only access")
    if item.client_id != access.client.pk:
        raise ValueError("agenda item of another person")
    with transaction.atomic():
        current = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if current.version != expected_version:
            raise StaleVersionError(current)
        changed = [name for name, value in changes.items() if getattr(current, name) != value]
        extra = {}
        if action == "meeting.voice":
            extra = {"voice_prepared_by": actor, "voice_prepared_at": timezone.now()}
        for name in changed:
            setattr(current, name, changes[name])
        for name, value in extra.items():
            setattr(current, name, value)
        AgendaItem.objects.filter(pk=current.pk).update(
            version=F("version") + 1, **{n: changes[n] for n in changed}, **extra
        )
        current.version += 1
        audit.record(
            organization=current.organization_id,
            actor=actor,
            client_id=current.client_id,
            action=action,
            obj=current,
            details={"fields": changed, "meeting": current.meeting_id},
        )
    return current


def agenda_voice_save(
    *,
    actor: Staff,
    access: ClientAccess,
    item: AgendaItem,
    expected_version: int,
    what_they_want: str,
    what_worries_them: str,
    view_of_plan: str,
) -> AgendaItem:
    """The person's own view, prepared with them before the meeting."""
    return _save(
        actor=actor,
        access=access,
        item=item,
        expected_version=expected_version,
        changes={
            "what_they_want": what_they_want,
            "what_worries_them": what_worries_them,
            "view_of_plan": view_of_plan,
        },
        action="meeting.voice",
    )


def agenda_discussion_save(
    *,
    actor: Staff,
    access: ClientAccess,
    item: AgendaItem,
    expected_version: int,
    discussion: str,
    decisions: str,
) -> AgendaItem:
    """What the team said and decided, kept next to the person's view."""
    return _save(
        actor=actor,
        access=access,
        item=item,
        expected_version=expected_version,
        changes={"discussion": discussion, "decisions": decisions},
        action="meeting.discussion",
    )
