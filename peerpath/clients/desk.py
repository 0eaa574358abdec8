"""The privacy officer's desk: restricted records, decisions waiting, and the audit search.

Only the organization's privacy officer reaches these reads (the views check the role first).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from peerpath.core import audit
from peerpath.core.models import AuditEvent, Staff
from peerpath.core.pagination import Page, keyset_page

from .access import restricted_q
from .models import CareTeamMember, Client, Determination, EmergencyAccess, Notification

AUDIT_PAGE_SIZE = 100
EXPORT_LIMIT = 50_000


@dataclass(frozen=True)
class Desk:
    restricted: list[Client]
    pending_determinations: list[Determination]
    due_determinations: list[Determination]
    emergency_pending: list[EmergencyAccess]
    emergency_reviewed: list[EmergencyAccess]
    notifications: list[Notification]


def desk(officer: Staff, today: date | None = None) -> Desk:
    """Everything on the desk in a fixed number of queries, whatever the numbers."""
    today = today or timezone.localdate()
    org_id = _org(officer)
    restricted = (
        Client.objects.current()
        .filter(organization_id=org_id)
        .filter(restricted_q())
        .select_related("staff_account")
        .prefetch_related(
            Prefetch(
                "care_team",
                queryset=CareTeamMember.objects.filter(ended_on__isnull=True).select_related(
                    "staff"
                ),
                to_attr="active_care_team",
            )
        )
        .order_by("family_name", "given_name")
    )
    determinations = Determination.objects.filter(organization_id=org_id).select_related(
        "client", "program", "requested_by", "decided_by"
    )
    emergencies = EmergencyAccess.objects.filter(organization_id=org_id).select_related(
        "client", "staff", "reviewed_by"
    )
    return Desk(
        restricted=list(restricted),
        pending_determinations=list(determinations.filter(status=Determination.Status.PENDING)),
        due_determinations=list(
            determinations.filter(
                status=Determination.Status.APPROVED, review_on__lte=today + timedelta(days=30)
            ).order_by("review_on")
        ),
        emergency_pending=list(
            emergencies.filter(review=EmergencyAccess.Review.PENDING).order_by("started_at")
        ),
        emergency_reviewed=list(
            emergencies.exclude(review=EmergencyAccess.Review.PENDING).order_by("-reviewed_at")[:20]
        ),
        notifications=list(
            Notification.objects.filter(recipient=officer, read_at__isnull=True)[:20]
        ),
    )


@dataclass(frozen=True)
class AuditFilter:
    client_id: int | None = None
    actor_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    action: str = ""

    def as_details(self) -> dict[str, object]:
        return {
            "client_id": self.client_id,
            "actor_id": self.actor_id,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "action": self.action,
        }


def _org(officer: Staff) -> int:
    if officer.organization_id is None:
        raise PermissionError("Staff without an organization have no desk.")
    return officer.organization_id


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _audit_events(officer: Staff, wanted: AuditFilter) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(organization_id=_org(officer))
    if wanted.client_id is not None:
        events = events.filter(client_id=wanted.client_id)
    if wanted.actor_id is not None:
        events = events.filter(actor_id=wanted.actor_id)
    if wanted.date_from is not None:
        events = events.filter(created_at__gte=_day_start(wanted.date_from))
    if wanted.date_to is not None:
        events = events.filter(created_at__lt=_day_start(wanted.date_to + timedelta(days=1)))
    if wanted.action:
        events = events.filter(action__startswith=wanted.action)
    return events.select_related("actor").order_by("-id")


def audit_search(
    officer: Staff,
    wanted: AuditFilter,
    *,
    after: str | None = None,
    params: dict[str, str] | None = None,
) -> Page[AuditEvent]:
    """One keyset page of matching events, newest first (every event is reachable by paging).
    The search itself is audited."""
    with transaction.atomic():
        audit.record(
            organization=officer.organization_id,  # type: ignore[arg-type]
            actor=officer,
            client_id=wanted.client_id,
            action="audit.search",
            purpose="privacy_review",
            details=wanted.as_details(),
        )
        return keyset_page(
            _audit_events(officer, wanted),
            order=["-id"],
            after=after,
            per_page=AUDIT_PAGE_SIZE,
            params=params,
        )


CSV_COLUMNS = [
    "id",
    "created_at",
    "actor_id",
    "actor",
    "client_id",
    "action",
    "object_type",
    "object_id",
    "purpose",
    "ip_address",
    "request_id",
    "details",
    "hash",
]


def _csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    # Keep spreadsheet programs from running a cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def audit_csv(officer: Staff, wanted: AuditFilter) -> Iterable[str]:
    """CSV lines of the matching events (the export is audited before it starts)."""
    with transaction.atomic():
        audit.record(
            organization=officer.organization_id,  # type: ignore[arg-type]
            actor=officer,
            client_id=wanted.client_id,
            action="audit.export",
            purpose="privacy_review",
            details=wanted.as_details(),
        )
    events = _audit_events(officer, wanted)[:EXPORT_LIMIT]

    def lines() -> Iterable[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        for event in events.iterator(chunk_size=2000):
            writer.writerow(
                [
                    _csv_cell(v)
                    for v in (
                        event.pk,
                        event.created_at.isoformat(),
                        event.actor_id,
                        event.actor.full_name if event.actor else "",
                        event.client_id,
                        event.action,
                        event.object_type,
                        event.object_id,
                        event.purpose,
                        event.ip_address,
                        event.request_id,
                        event.details,
                        event.hash,
                    )
                ]
            )
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)

    return lines()
