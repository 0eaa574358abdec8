"""Reads of referrals for pages and the API, through the gate, with bounded queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import BadRequest
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from peerpath.clients import access as gate
from peerpath.clients import consents
from peerpath.clients.access import ClientAccess
from peerpath.clients.models import Consent
from peerpath.clients.queries import audit_list, audit_read
from peerpath.core.models import Organization, Staff
from peerpath.core.pagination import (
    Page,
    cursor_values,
    encode_cursor,
    first_and_total,
    keyset_page,
)

from .models import OPEN_STATUSES, Entry, Record, Referral, ReferralBarrier

RECORD_SECTION = 5
MY_DAY_ROWS = 10
PAGE_ROWS = 25


def loop_open_q() -> Q:
    """Referrals still waiting to hear what happened (a waiting list is followed up too)."""
    return Q(status__in=OPEN_STATUSES) & Q(outcome__in=("", Referral.Outcome.WAITING_LIST))


def entry_to_refer(organization: Organization, entry_id: Any) -> Entry:
    """A service of the agency's directory, still in it, to refer someone to."""
    try:
        number = int(entry_id)
    except (TypeError, ValueError):
        raise Http404 from None
    entry = (
        Entry.objects.filter(organization=organization, pk=number, service__removed_at__isnull=True)
        .select_related("service")
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def part2_consents(access: ClientAccess, today: date) -> list[Consent] | None:
    """The valid consents a referral may rest on when the record is under Part 2; None when
    it is not."""
    if not consents.is_part2(access.client):
        return None
    return [c for c in consents.valid_consents(access.client, today) if c.scope == "records"]


def _of_person(access: ClientAccess) -> QuerySet[Referral]:
    return Referral.objects.filter(
        client=access.client, organization_id=access.client.organization_id
    )


@dataclass(frozen=True)
class RecordReferrals:
    latest: list[Referral]
    total: int


def record_referrals(access: ClientAccess) -> RecordReferrals:
    """The newest referrals of a person, for their record (one query)."""
    latest, total = first_and_total(
        _of_person(access).order_by("-created_at", "-id"), RECORD_SECTION
    )
    return RecordReferrals(latest=latest, total=total)


def person_referrals(user: Staff, access: ClientAccess, after: str | None) -> Page[Referral]:
    """All of a person's referrals, newest first, a page at a time; the read is recorded."""
    page = keyset_page(
        _of_person(access), order=("-created_at", "-id"), after=after, per_page=PAGE_ROWS
    )
    audit_read(user, access, "referral.list", access.client, shown=len(page.items))
    return page


def referral_for(access: ClientAccess, referral_id: int) -> Referral:
    referral = _of_person(access).select_related("client").filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    return referral


def referral_detail(user: Staff, access: ClientAccess, referral_id: int) -> Referral:
    """One referral with its history and barriers; the read is recorded."""
    referral = (
        _of_person(access)
        .select_related("client", "service", "created_by", "part2_consent")
        .prefetch_related("changes__changed_by", "barriers")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404
    # The service's place in today's directory, for its resource card (none once removed).
    referral.entry_id = (  # type: ignore[attr-defined]
        Entry.objects.filter(
            organization_id=referral.organization_id,
            service_id=referral.service_id,
            location_id=referral.location_id,
        )
        .values_list("pk", flat=True)
        .first()
    )
    audit_read(user, access, "referral.view", referral)
    return referral


# My day and the referrals page ---------------------------------------------------------------


def _organization_of(user: Staff) -> int:
    if user.organization_id is None:  # a site operator without an agency
        raise Http404
    return user.organization_id


def _due_for(user: Staff, today: date) -> QuerySet[Referral]:
    """Open loops of the people on the user's caseload whose follow-up day has come."""
    return Referral.objects.filter(
        loop_open_q(),
        organization_id=_organization_of(user),
        client__in=gate.caseload(user),
        follow_up_on__lte=today,
    )


def _overdue_for_supervisor(user: Staff, today: date) -> QuerySet[Referral]:
    """Open loops past their follow-up day, of people enrolled with the teams the user
    supervises (as far as the gate lets them see the records)."""
    return Referral.objects.filter(
        loop_open_q(),
        organization_id=_organization_of(user),
        client__in=gate.visible_clients(user).filter(pk__in=gate.supervised(user)),
        follow_up_on__lt=today,
    )


def _open_visible(user: Staff) -> QuerySet[Referral]:
    return Referral.objects.filter(
        loop_open_q(),
        organization_id=_organization_of(user),
        client__in=gate.visible_clients(user),
    )


@dataclass(frozen=True)
class Listed:
    rows: list[Referral]
    total: int
    shown: tuple[int, ...] = field(default=())


def follow_ups_due(user: Staff, today: date) -> Listed:
    rows, total = first_and_total(
        _due_for(user, today).select_related("client").order_by("follow_up_on", "id"),
        MY_DAY_ROWS,
    )
    return Listed(rows=rows, total=total, shown=tuple(r.client_id for r in rows))


def overdue_for_supervisor(user: Staff, today: date) -> Listed:
    if not gate.is_supervisor_of_any_team(user):
        return Listed(rows=[], total=0)
    rows, total = first_and_total(
        _overdue_for_supervisor(user, today)
        .select_related("client", "created_by")
        .order_by("follow_up_on", "id"),
        MY_DAY_ROWS,
    )
    return Listed(rows=rows, total=total, shown=tuple(r.client_id for r in rows))


VIEWS = ("due", "overdue", "open")


def referral_list(user: Staff, view: str, today: date, after: str | None) -> Page[Referral]:
    """The referrals page: follow-ups due for me, past due on my teams, or all open loops I
    may see; oldest follow-up first. One audit event names everyone shown."""
    if view == "overdue":
        queryset = _overdue_for_supervisor(user, today)
    elif view == "open":
        queryset = _open_visible(user)
    else:
        queryset = _due_for(user, today)
    page = keyset_page(
        queryset.select_related("client", "created_by"),
        order=("follow_up_on", "id"),
        after=after,
        per_page=PAGE_ROWS,
        params={"view": view},
    )
    audit_list(user, "referral.list", [r.client_id for r in page.items], view=view)
    return page


# What happened at each service ---------------------------------------------------------------


@dataclass
class ServiceOutcomes:
    service_id: int
    name: str
    referred: int
    got_service: int
    waiting_list: int
    not_eligible: int
    did_not_go: int
    barriers: list[tuple[str, int]] = field(default_factory=list)

    @property
    def barrier_total(self) -> int:
        return sum(count for _, count in self.barriers)


def _count(outcome: str) -> Count:
    return Count("id", filter=Q(outcome=outcome))


def service_outcomes(organization: Organization, after: str | None) -> Page[ServiceOutcomes]:
    """Per service referred to: how many people went, what happened, and the barriers they
    met; the services with the most referrals first. No names: counts only. Two queries."""
    outcomes = Referral.Outcome
    grouped = (
        Referral.objects.filter(organization=organization)
        .values("service_id")
        .annotate(
            referred=Count("id"),
            got_service=_count(outcomes.GOT_SERVICE),
            waiting_list=_count(outcomes.WAITING_LIST),
            not_eligible=_count(outcomes.NOT_ELIGIBLE),
            did_not_go=_count(outcomes.DID_NOT_GO),
        )
    )
    # A keyset page over an aggregate: ordered by count then service, read as plain rows.
    page = _aggregate_page(grouped, after)
    services = {
        r.pk: r.data.get("name") or r.hsds_id
        for r in Record.objects.filter(pk__in=[row["service_id"] for row in page.items])
    }
    barriers: dict[int, list[tuple[str, int]]] = {}
    labels = dict(ReferralBarrier.Kind.choices)
    for row in (
        ReferralBarrier.objects.filter(organization=organization, service_id__in=list(services))
        .values("service_id", "kind")
        .annotate(n=Count("id"))
        .order_by("service_id", "-n", "kind")
    ):
        barriers.setdefault(row["service_id"], []).append((str(labels[row["kind"]]), row["n"]))
    page.items = [
        ServiceOutcomes(
            service_id=row["service_id"],
            name=services.get(row["service_id"], ""),
            referred=row["referred"],
            got_service=row["got_service"],
            waiting_list=row["waiting_list"],
            not_eligible=row["not_eligible"],
            did_not_go=row["did_not_go"],
            barriers=barriers.get(row["service_id"], []),
        )
        for row in page.items
    ]
    return page


def _aggregate_page(grouped: QuerySet[Any], after: str | None) -> Page[Any]:
    """Keyset paging of (referred count descending, service id) over grouped rows."""
    ordered = grouped.order_by("-referred", "service_id")
    if after:
        referred, service_id = cursor_values(after, 2)
        if not isinstance(referred, int) or not isinstance(service_id, int):
            raise BadRequest("This page link is not valid. Go back to the first page.")
        ordered = ordered.filter(
            Q(referred__lt=referred) | Q(referred=referred, service_id__gt=service_id)
        )
    rows = list(ordered[: PAGE_ROWS + 1])
    more = len(rows) > PAGE_ROWS
    rows = rows[:PAGE_ROWS]
    cursor = (
        encode_cursor([rows[-1]["referred"], rows[-1]["service_id"]]) if more and rows else None
    )
    return Page(items=rows, next_cursor=cursor, is_first=not after)


def mark_barriers(organization: Organization, entries: Any) -> None:
    """Set on each search result how many barriers people we referred met at its service
    (`barriers_met`), in one query for the page."""
    entries = list(entries)
    ids = list({entry.service_id for entry in entries})
    counts = (
        {
            row["service_id"]: row["n"]
            for row in ReferralBarrier.objects.filter(organization=organization, service_id__in=ids)
            .values("service_id")
            .annotate(n=Count("id"))
            .order_by()
        }
        if ids
        else {}
    )
    for entry in entries:
        entry.barriers_met = counts.get(entry.service_id, 0)
