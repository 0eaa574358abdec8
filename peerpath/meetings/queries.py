"""Reads for meeting pages: agendas are built from the people the gate lets the user see."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from peerpath.clients import access as gate
from peerpath.clients.access import ClientAccess
from peerpath.clients.queries import audit_read
from peerpath.core import audit
from peerpath.core.models import Staff, Team, TeamMembership

from .models import AgendaItem, TeamMeeting

LIST_LIMIT = 100


def my_teams(user: Staff) -> QuerySet[Team]:
    return Team.objects.filter(
        organization_id=user.organization_id or 0,
        pk__in=TeamMembership.objects.filter(staff=user).values("team_id"),
    ).order_by("name")


def meetings_for(user: Staff) -> list[TeamMeeting]:
    """Meetings of the user's teams, newest first, with how many people the user may see."""
    visible = gate.visible_clients(user)
    return list(
        TeamMeeting.objects.filter(team__in=my_teams(user))
        .select_related("team")
        .annotate(
            people=Count("agenda", filter=Q(agenda__client__in=visible), distinct=True),
        )[:LIST_LIMIT]
    )


def meeting_for(user: Staff, meeting_id: int) -> TeamMeeting:
    """A meeting of one of the user's teams, or 404."""
    meeting = (
        TeamMeeting.objects.filter(pk=meeting_id, team__in=my_teams(user))
        .select_related("team", "created_by")
        .prefetch_related("attendees")
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def agenda_for(user: Staff, meeting: TeamMeeting) -> list[AgendaItem]:
    """The people on the agenda whom the gate lets this user see; nobody else is even counted.

    Viewing the agenda shows each person's view, so each is audited.
    """
    items = list(
        AgendaItem.objects.filter(meeting=meeting, client__in=gate.visible_clients(user))
        .select_related("client", "voice_prepared_by")
        .order_by("client__family_name", "client__given_name")
    )
    audit.record_many(
        organization=meeting.organization_id,
        actor=user,
        entries=[
            audit.Entry(
                action="meeting.agenda_view",
                client_id=item.client_id,
                obj=item,
                purpose="treatment",
                details={"meeting": meeting.pk},
            )
            for item in items
        ],
    )
    return items


def item_for(access: ClientAccess, meeting_id: int) -> AgendaItem:
    """This person's place on this meeting's agenda, or 404."""
    item = (
        AgendaItem.objects.filter(client=access.client, meeting_id=meeting_id)
        .select_related("meeting__team", "voice_prepared_by")
        .first()
    )
    if item is None:
        raise Http404
    return item


def item_view(user: Staff, access: ClientAccess, meeting_id: int) -> AgendaItem:
    item = item_for(access, meeting_id)
    audit_read(user, access, "meeting.item_view", item)
    return item


def items_of(access: ClientAccess, *, limit: int = 10) -> list[AgendaItem]:
    """What was said about the person at meetings, and their voice; newest first."""
    return list(
        AgendaItem.objects.filter(client=access.client)
        .select_related("meeting__team", "voice_prepared_by")
        .order_by("-meeting__starts_at")[:limit]
    )


def upcoming_for(access: ClientAccess, now: datetime | None = None) -> list[AgendaItem]:
    now = now or timezone.now()
    return list(
        AgendaItem.objects.filter(client=access.client, meeting__starts_at__gte=now)
        .select_related("meeting__team")
        .order_by("meeting__starts_at")
    )


def meetings_to_join(user: Staff, access: ClientAccess) -> list[TeamMeeting]:
    """Upcoming meetings of the user's teams the person is not on yet."""
    return list(
        TeamMeeting.objects.filter(team__in=my_teams(user), starts_at__gte=timezone.now())
        .exclude(agenda__client=access.client)
        .select_related("team")
        .order_by("starts_at")[:20]
    )


def team_staff(meeting: TeamMeeting) -> QuerySet[Staff]:
    return Staff.objects.filter(team_memberships__team=meeting.team, is_active=True).order_by(
        "full_name"
    )
