"""What this app adds to My day and to a person's record page (see core/slots.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from peerpath.clients.access import ClientAccess
from peerpath.core.models import Role
from peerpath.core.slots import SlotContent

from . import queries


def my_day_due(request: HttpRequest, user: Any, *, today: date, **_: Any) -> SlotContent | None:
    due = queries.due_today(user, today, limit=queries.MY_DAY_DUE)
    return SlotContent(
        "encounters/panels/my_day_due.html",
        {
            "people": due.people,
            "total": due.total,
            "today": today,
            "due_days": queries.CONTACT_DUE_DAYS,
        },
        shown=tuple(d.client.pk for d in due.people),
    )


def my_day_notes(request: HttpRequest, user: Any, **_: Any) -> SlotContent | None:
    open_notes = queries.my_open_notes(user)
    if not open_notes.total:
        return None
    return SlotContent(
        "encounters/panels/my_day_notes.html",
        {"notes": open_notes.notes, "total": open_notes.total},
        shown=tuple(n.client_id for n in open_notes.notes),
    )


def my_day_review_queue(request: HttpRequest, user: Any, **_: Any) -> SlotContent | None:
    """A supervisor's home: notes waiting, and each supervised peer at a glance."""
    if not queries.is_supervisor(user):
        return None
    return SlotContent(
        "encounters/panels/my_day_reviews.html",
        {"waiting": queries.review_queue_size(user), "peers": queries.supervised_peers(user)},
    )


def my_day_program(request: HttpRequest, user: Any, *, today: date, **_: Any) -> SlotContent | None:
    """A program manager's home: the program at a glance, in numbers."""
    if getattr(user, "role", "") != Role.PROGRAM_MANAGER:
        return None
    return SlotContent(
        "encounters/panels/my_day_program.html",
        {"glance": queries.program_at_a_glance(user, today), "today": today},
    )


def record_contacts(
    request: HttpRequest, user: Any, *, access: ClientAccess, **_: Any
) -> SlotContent:
    return SlotContent(
        "encounters/panels/record_contacts.html",
        {
            "access": access,
            "client": access.client,
            "contacts": queries.recent_contacts(user, access),
        },
    )


def record_outreach(
    request: HttpRequest, user: Any, *, access: ClientAccess, **_: Any
) -> SlotContent:
    engagement = queries.engagement_of(access)
    return SlotContent(
        "encounters/panels/record_outreach.html",
        {
            "access": access,
            "client": access.client,
            "engagement": engagement,
            "engagement_label": queries.engagement_label(
                access.client, engagement, timezone.localdate()
            ),
            "attempts": queries.outreach_of(access, limit=3),
        },
    )


def record_groups(
    request: HttpRequest, user: Any, *, access: ClientAccess, **_: Any
) -> SlotContent:
    return SlotContent(
        "encounters/panels/record_groups.html",
        {
            "access": access,
            "client": access.client,
            "memberships": queries.member_groups(access),
            "attendance": queries.attendance_of(access, limit=10),
            "joinable": queries.groups_to_join(access) if access.can_write else [],
        },
    )


def engagement_sort() -> Any:
    """The People list's sort by engagement: not reached yet first, then engaging, engaged and
    closed (a person without an engagement row is new)."""
    from django.db.models import Case, IntegerField, Value, When
    from django.utils.translation import gettext_lazy

    from peerpath.clients.queries import ExtraSort

    from .models import Engagement

    ranks = [
        Engagement.Status.NEW,
        Engagement.Status.ENGAGING,
        Engagement.Status.ENGAGED,
        Engagement.Status.CLOSED,
    ]
    return ExtraSort(
        key="engagement",
        label=gettext_lazy("Engagement: new and engaging first"),
        annotation=Case(
            *[
                When(engagement__status=status, then=Value(rank))
                for rank, status in enumerate(ranks)
            ],
            default=Value(0),
            output_field=IntegerField(),
        ),
        order=["sort_engagement", "family_name", "id"],
    )
