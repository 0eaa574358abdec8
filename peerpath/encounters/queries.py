"""Reads for pages and the API: always scoped through the gate, bounded in queries, audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from peerpath.clients import access as gate
from peerpath.clients.access import ClientAccess
from peerpath.clients.models import Client
from peerpath.clients.queries import audit_read
from peerpath.core import audit
from peerpath.core.models import Staff, TeamMembership
from peerpath.core.pagination import Page, first_and_total, keyset_page

from .models import (
    Addendum,
    Attendance,
    Contact,
    Engagement,
    Group,
    GroupMember,
    GroupSession,
    OutreachAttempt,
)

# A person is due for a contact when the last one was this many days ago (or never).
CONTACT_DUE_DAYS = 14
# Outreach shows "not reached in N days" after this many days without reaching the person.
NOT_REACHED_DAYS = 14
HISTORY_LIMIT = 100


# One way to audit a read of a person's data, shared by every app.
audit_view = audit_read


def _contacts_of(access: ClientAccess) -> QuerySet[Contact]:
    return Contact.objects.current().filter(client=access.client)


def contact_for(access: ClientAccess, contact_id: int) -> Contact:
    """The person's note with this id, or 404 (also for another person's note)."""
    contact = (
        _contacts_of(access)
        .filter(pk=contact_id)
        .select_related("author", "reviewed_by")
        .prefetch_related(Prefetch("addenda", queryset=_addenda()))
        .first()
    )
    if contact is None:
        raise Http404
    return contact


def _addenda() -> QuerySet:
    return Addendum.objects.select_related("author").order_by("created_at", "id")


def contact_view(user: Staff, access: ClientAccess, contact_id: int) -> Contact:
    contact = contact_for(access, contact_id)
    audit_view(user, access, "contact.view", contact)
    return contact


HISTORY_PER_PAGE = 50


def contact_history(
    user: Staff,
    access: ClientAccess,
    *,
    after: str | None = None,
    per_page: int = HISTORY_PER_PAGE,
) -> Page[Contact]:
    """A person's notes, newest first, a page at a time. Drafts show only to their author.

    Untouched drafts (nothing written yet) are not listed. Audited.
    """
    contacts = (
        _contacts_of(access)
        .filter(Q(status=Contact.Status.SIGNED) | (Q(author=user) & Contact.has_content_q()))
        .select_related("author")
        # A count per row, not a join and GROUP BY: the page then walks the person's notes
        # newest first through their index and stops at the page's end.
        .annotate(addendum_count=_count(Addendum.objects.filter(contact=OuterRef("pk")), "contact"))
    )
    page = keyset_page(contacts, order=("-occurred_at", "-id"), after=after, per_page=per_page)
    audit_view(user, access, "contact.list", count=len(page))
    return page


def last_place_of(user: Staff) -> str:
    """Where the user's latest contact happened: a suggestion for the next one, never a default."""
    return (
        Contact.objects.current()
        .filter(author=user)
        .exclude(place="")
        .order_by("-occurred_at", "-id")
        .values_list("place", flat=True)
        .first()
        or ""
    )


def recent_contacts(user: Staff, access: ClientAccess, *, limit: int = 5) -> list[Contact]:
    """For the record page (whose view is audited by the record itself)."""
    return list(
        _contacts_of(access)
        .filter(Q(status=Contact.Status.SIGNED) | Q(author=user))
        .select_related("author")[:limit]
    )


# --- My day -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DuePerson:
    client: Client
    contact_due: bool
    outreach_due: date | None
    engagement: str


MY_DAY_DUE = 20


@dataclass(frozen=True)
class Due:
    people: list[DuePerson]
    total: int


def due_today(user: Staff, today: date, *, limit: int = MY_DAY_DUE) -> Due:
    """People on the user's caseload due for a contact or a next outreach attempt, longest
    without a contact first: the first `limit`, and how many there are. One query."""
    engagement = Engagement.objects.filter(client_id=OuterRef("pk"))
    stale = today - timedelta(days=CONTACT_DUE_DAYS)
    people = (
        gate.caseload(user)
        .exclude(Exists(engagement.filter(status=Engagement.Status.CLOSED)))
        .annotate(
            _outreach_due=Exists(engagement.filter(next_attempt_on__lte=today)),
        )
        .filter(
            Q(last_contact_on__isnull=True) | Q(last_contact_on__lte=stale) | Q(_outreach_due=True)
        )
        .select_related("engagement")
        .order_by(F("last_contact_on").asc(nulls_first=True), "family_name", "given_name", "pk")
    )
    result = []
    first, total = first_and_total(people, limit)
    for client in first:
        eng = getattr(client, "engagement", None)
        result.append(
            DuePerson(
                client=client,
                contact_due=client.last_contact_on is None or client.last_contact_on <= stale,
                outreach_due=eng.next_attempt_on if client._outreach_due and eng else None,  # type: ignore[attr-defined]
                engagement=engagement_label(client, eng, today),
            )
        )
    return Due(result, total)


def next_person_due(user: Staff, today: date, *, after: int) -> Client | None:
    """The first person on My day's due list other than the one just seen."""
    due = due_today(user, today, limit=2).people
    return next((d.client for d in due if d.client.pk != after), None)


def engagement_label(client: Client, engagement: Engagement | None, today: date) -> str:
    """Where reaching the person stands: the one wording every page uses.

    Being reached counts a signed contact, a group the person came to, and an outreach attempt
    that reached them (the latest of the person's last contact and the engagement's last reach).
    """
    from django.utils.translation import gettext as _

    status = engagement.status if engagement else Engagement.Status.NEW
    if status in {Engagement.Status.NEW, Engagement.Status.ENGAGING}:
        seen = [d for d in (client.last_contact_on, engagement and engagement.last_reached_on) if d]
        if not seen:
            return _("Not reached yet")
        days = (today - max(seen)).days
        if days > NOT_REACHED_DAYS:
            return _("Not reached in %(days)s days") % {"days": days}
    return str(Engagement.Status(status).label)


MY_DAY_NOTES = 10
NOTES_PER_PAGE = 25


def _open_notes(user: Staff) -> QuerySet[Contact]:
    """The user's unsigned drafts (with something written) and notes returned by a supervisor."""
    return (
        Contact.objects.current()
        .filter(author=user, client__in=gate.caseload(user))
        .filter(
            (Q(status=Contact.Status.DRAFT) & Contact.has_content_q())
            | Q(review=Contact.Review.RETURNED)
        )
        .select_related("client", "reviewed_by")
    )


@dataclass(frozen=True)
class OpenNotes:
    notes: list[Contact]
    total: int


def my_open_notes(user: Staff, *, limit: int = MY_DAY_NOTES) -> OpenNotes:
    """*My day*: the oldest of the user's open notes, and how many there are. One query."""
    return OpenNotes(*first_and_total(_open_notes(user).order_by("occurred_at", "id"), limit))


def my_open_notes_page(
    user: Staff, *, after: str | None, per_page: int = NOTES_PER_PAGE
) -> Page[Contact]:
    """All the user's open notes, a page at a time, oldest first."""
    return keyset_page(
        _open_notes(user), order=("occurred_at", "id"), after=after, per_page=per_page
    )


# --- Supervisor review ----------------------------------------------------------------------------


def _supervised_authors(user: Staff) -> QuerySet[TeamMembership, Any]:
    teams = TeamMembership.objects.filter(staff=user, is_supervisor=True).values("team_id")
    return TeamMembership.objects.filter(team_id__in=teams).exclude(staff=user).values("staff_id")


def review_waiting(user: Staff) -> QuerySet[Contact]:
    """Signed notes waiting for this supervisor, in the queue's order (oldest signed first)."""
    return (
        Contact.objects.current()
        .filter(
            author_id__in=_supervised_authors(user),
            client__in=gate.visible_clients(user),
            review=Contact.Review.WAITING,
        )
        .order_by("signed_at", "id")
    )


QUEUE_PER_PAGE = 25


@dataclass(frozen=True)
class ReviewQueue:
    waiting: Page[Contact]
    waiting_total: int
    drafts: Page[Contact]
    drafts_total: int


def review_queue(
    user: Staff, *, params: dict[str, str] | None = None, per_page: int = QUEUE_PER_PAGE
) -> ReviewQueue:
    """Notes by members of the teams the user supervises, a page at a time, oldest first (a
    queue): signed notes waiting for review, and drafts with something written in them.

    Only notes about people the gate lets the user see. One audit event names who was shown.
    """
    params = params or {}
    base = (
        Contact.objects.current()
        .filter(author_id__in=_supervised_authors(user), client__in=gate.visible_clients(user))
        .select_related("client", "author")
    )
    waiting_all = base.filter(review=Contact.Review.WAITING)
    drafts_all = base.filter(Contact.has_content_q(), status=Contact.Status.DRAFT)
    waiting = keyset_page(
        waiting_all,
        order=("signed_at", "id"),
        after=params.get("after"),
        per_page=per_page,
        params=params,
    )
    drafts = keyset_page(
        drafts_all,
        order=("occurred_at", "id"),
        after=params.get("drafts_after"),
        per_page=per_page,
        params=params,
        param="drafts_after",
    )
    shown = sorted({c.client_id for c in [*waiting, *drafts]})
    if shown:
        audit.record(
            organization=user.organization_id,  # type: ignore[arg-type]
            actor=user,
            action="contact.review_queue",
            details={"waiting": len(waiting), "drafts": len(drafts), "clients": shown},
        )
    return ReviewQueue(
        waiting=waiting,
        waiting_total=waiting_all.count(),
        drafts=drafts,
        drafts_total=drafts_all.count(),
    )


def review_queue_size(user: Staff) -> int:
    return review_waiting(user).count()


def is_supervisor(user: Staff) -> bool:
    return TeamMembership.objects.filter(staff=user, is_supervisor=True).exists()


# --- Outreach -------------------------------------------------------------------------------------


def outreach_of(access: ClientAccess, *, limit: int = 20) -> list[OutreachAttempt]:
    return list(
        OutreachAttempt.objects.filter(client=access.client).select_related("staff")[:limit]
    )


def engagement_of(access: ClientAccess) -> Engagement | None:
    return Engagement.objects.filter(client=access.client).first()


# --- Groups ---------------------------------------------------------------------------------------


def groups_for(user: Staff) -> QuerySet[Group]:
    return (
        Group.objects.filter(organization_id=user.organization_id or 0, is_active=True)
        .prefetch_related("facilitators")
        .annotate(member_count=Count("members", filter=Q(members__left_on__isnull=True)))
        .order_by("name")
    )


def group_for(user: Staff, group_id: int) -> Group:
    group = (
        Group.objects.filter(pk=group_id, organization_id=user.organization_id or 0)
        .prefetch_related("facilitators")
        .first()
    )
    if group is None:
        raise Http404
    return group


def is_facilitator(user: Staff, group: Group) -> bool:
    return any(f.pk == user.pk for f in group.facilitators.all())


def group_roster(user: Staff, group: Group, *, audit_view: bool = True) -> list[GroupMember]:
    """Members the gate lets the user see on this group's roster (others stay hidden).

    Showing the roster shows who attends: one audit event names the group and the people shown.
    """
    active = GroupMember.objects.filter(group=group, left_on__isnull=True)
    shown = gate.room_members(
        user, active.values("client_id"), facilitates=is_facilitator(user, group)
    )
    members: list[GroupMember] = list(
        active.filter(client__in=shown)
        .annotate(can_open=Exists(gate.visible_clients(user).filter(pk=OuterRef("client_id"))))
        .select_related("client")
        .order_by("client__family_name", "client__given_name", "client_id")
    )
    if audit_view and members:
        audit.record(
            organization=group.organization_id,
            actor=user,
            action="group.roster_view",
            obj=group,
            details={"clients": [m.client_id for m in members]},
        )
    return members


def walk_in_choices(user: Staff, group: Group) -> list[Client]:
    """People on the user's own caseload who are not members: they may come as walk-ins."""
    members = GroupMember.objects.filter(group=group, left_on__isnull=True).values("client_id")
    return list(
        gate.caseload(user).exclude(pk__in=members).order_by("family_name", "given_name", "pk")
    )


SESSIONS_PER_PAGE = 20


def group_sessions(
    user: Staff, group: Group, *, after: str | None = None, per_page: int = SESSIONS_PER_PAGE
) -> Page[GroupSession]:
    """The group's sessions, newest first, a page at a time, each with how many came.

    Counts only the attendees the user may see on the roster.
    """
    shown = gate.room_members(
        user,
        Attendance.objects.filter(session__group=group).values("client_id"),
        facilitates=is_facilitator(user, group),
    )
    sessions = (
        GroupSession.objects.filter(group=group)
        .select_related("recorded_by")
        .annotate(
            present=Count(
                "attendance",
                filter=Q(
                    attendance__status=Attendance.Status.PRESENT,
                    attendance__client__in=shown,
                ),
            ),
        )
    )
    return keyset_page(sessions, order=("-held_on", "-id"), after=after, per_page=per_page)


def attendance_of(access: ClientAccess, *, limit: int = 20) -> list[Attendance]:
    return list(
        Attendance.objects.filter(client=access.client)
        .select_related("session__group")
        .order_by("-session__held_on", "-id")[:limit]
    )


def groups_to_join(access: ClientAccess) -> list[Group]:
    current = GroupMember.objects.filter(client=access.client, left_on__isnull=True).values(
        "group_id"
    )
    return list(
        Group.objects.filter(organization_id=access.client.organization_id, is_active=True)
        .exclude(pk__in=current)
        .order_by("name")
    )


def member_groups(access: ClientAccess) -> list[GroupMember]:
    return list(
        GroupMember.objects.filter(client=access.client, left_on__isnull=True).select_related(
            "group"
        )
    )


# --- Home pages by role ---------------------------------------------------------------------


@dataclass(frozen=True)
class PeerAtAGlance:
    peer: Staff
    waiting: int
    open_notes: int
    alerts: int
    last_contact: Any


def _count(queryset: QuerySet[Any, Any], group_by: str) -> Any:
    """A correlated COUNT(*) subquery (one query for the whole list, whatever its length)."""
    from django.db.models import IntegerField, Subquery
    from django.db.models.functions import Coalesce

    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def supervised_peers(user: Staff) -> list[PeerAtAGlance]:
    """Each staff member on the teams the user supervises: notes waiting for review, open notes,
    open safety alerts about the people they serve, and their last contact. One query; counts
    only people the gate lets the supervisor see."""
    from django.db.models import Subquery

    from peerpath.clients.models import CareTeamMember

    visible = gate.visible_clients(user)
    notes = Contact.objects.current().filter(author_id=OuterRef("pk"), client__in=visible)
    alerts = CareTeamMember.objects.filter(
        staff_id=OuterRef("pk"),
        ended_on__isnull=True,
        client__in=visible,
        # Both conditions on the same join: a person with no alert at all must not count.
        client__measure_alerts__isnull=False,
        client__measure_alerts__resolved_at__isnull=True,
    )
    # The newest signed note, walking the author's notes newest first (an index) rather than
    # reading three years of them for a maximum.
    last = (
        notes.filter(status=Contact.Status.SIGNED)
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    peers = (
        Staff.objects.filter(pk__in=_supervised_authors(user), is_active=True)
        .annotate(
            _waiting=_count(notes.filter(review=Contact.Review.WAITING), "author_id"),
            _open=_count(
                notes.filter(
                    (Q(status=Contact.Status.DRAFT) & Contact.has_content_q())
                    | Q(review=Contact.Review.RETURNED)
                ),
                "author_id",
            ),
            _alerts=_count(alerts, "staff_id"),
            _last=Subquery(last),
        )
        .order_by("full_name", "pk")
    )
    return [
        PeerAtAGlance(
            peer=p,
            waiting=p._waiting,  # type: ignore[attr-defined]
            open_notes=p._open,  # type: ignore[attr-defined]
            alerts=p._alerts,  # type: ignore[attr-defined]
            last_contact=p._last,  # type: ignore[attr-defined]
        )
        for p in peers
    ]


@dataclass(frozen=True)
class ProgramAtAGlance:
    people_served: int
    contacts_this_month: int
    notes_waiting: int
    peers: int
    teams: int


def program_at_a_glance(user: Staff, today: date) -> ProgramAtAGlance:
    """The organization's numbers for a program manager: counts only, nobody named."""
    from datetime import datetime, time

    from django.utils import timezone

    from peerpath.core.models import Role, Team

    org = user.organization_id or 0
    month_start = timezone.make_aware(datetime.combine(today.replace(day=1), time()))
    contacts = (
        Contact.objects.current()
        .filter(organization_id=org)
        .aggregate(
            month=Count("pk", filter=Q(status=Contact.Status.SIGNED, occurred_at__gte=month_start)),
            waiting=Count("pk", filter=Q(review=Contact.Review.WAITING)),
        )
    )
    return ProgramAtAGlance(
        people_served=Client.objects.current()
        .filter(organization_id=org, status=Client.Status.ACTIVE)
        .count(),
        contacts_this_month=contacts["month"],
        notes_waiting=contacts["waiting"],
        peers=Staff.objects.filter(
            organization_id=org, is_active=True, role=Role.PEER_SPECIALIST
        ).count(),
        teams=Team.objects.filter(organization_id=org).count(),
    )
