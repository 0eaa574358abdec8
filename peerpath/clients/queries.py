"""Reads of client data for pages and the API: scoped by the gate, bounded in queries, audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import models
from django.db.models import F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from peerpath.core import audit
from peerpath.core.models import AuditEvent, Staff
from peerpath.core.pagination import Page, first_and_total, keyset_page

from . import access as gate
from .models import (
    CareTeamMember,
    Client,
    Consent,
    Determination,
    EmergencyAccess,
    Enrollment,
    Handoff,
    ServiceConsent,
)

PER_PAGE = 50
# Empty dates sort as if they were these: never contacted comes first, no step due comes last.
_NEVER = date(1, 1, 1)
_SOMEDAY = date(9999, 12, 31)
SORTS: dict[str, list[str]] = {
    "name": ["family_name", "given_name", "id"],
    "last_contact": ["sort_last_contact", "family_name", "id"],
    "next_step_due": ["sort_next_due", "family_name", "id"],
    "newest": ["-created_at", "-id"],
}


@dataclass(frozen=True)
class ExtraSort:
    """A sort a later app adds to the People list: an annotation (an integer) and its label."""

    key: str
    label: Any
    annotation: Any
    order: list[str]


_extra_sorts: dict[str, ExtraSort] = {}


def register_sort(sort: ExtraSort) -> None:
    _extra_sorts[sort.key] = sort


def extra_sorts() -> list[ExtraSort]:
    return list(_extra_sorts.values())


MY_DAY_ROWS = 10


def my_caseload(user: Staff) -> QuerySet[Client]:
    """The people whose care team the user is on, the next step due soonest first (then the
    longest without a contact)."""
    return gate.caseload(user).order_by(
        F("next_step_due").asc(nulls_last=True),
        F("last_contact_on").asc(nulls_first=True),
        "family_name",
        "given_name",
        "pk",
    )


@dataclass(frozen=True)
class MyDayPeople:
    caseload: list[Client]  # the first MY_DAY_ROWS
    caseload_total: int
    steps_due: list[Client]  # next steps due today or before, the first MY_DAY_ROWS
    steps_due_total: int


def my_day_people(user: Staff, today: date) -> MyDayPeople:
    """*My day*: the top of the caseload and of the next steps due, and how many of each;
    the rest is on the People list. Two queries whatever the caseload."""
    caseload, caseload_total = first_and_total(my_caseload(user), MY_DAY_ROWS)
    due, due_total = first_and_total(
        my_caseload(user).filter(next_step_due__lte=today), MY_DAY_ROWS
    )
    return MyDayPeople(caseload, caseload_total, due, due_total)


@dataclass(frozen=True)
class PeopleFilter:
    """What the People list shows: a search, filters and one of SORTS."""

    q: str = ""
    team: int | None = None
    program: int | None = None
    status: str = ""  # "" = not discharged (everyone when searching), "all", or a status
    peer: int | None = None
    sort: str = "name"

    def params(self) -> dict[str, str]:
        values = {
            "q": self.q,
            "team": self.team,
            "program": self.program,
            "status": self.status,
            "peer": self.peer,
            "sort": self.sort if self.sort != "name" else "",
        }
        return {k: str(v) for k, v in values.items() if v not in ("", None)}


def serving_someone_visible_to(user: Staff) -> QuerySet[Staff]:
    """Staff on the active care team of someone the user may see (the People list's filter)."""
    serving = CareTeamMember.objects.filter(
        ended_on__isnull=True, client__in=gate.visible_clients(user)
    ).values("staff_id")
    return Staff.objects.filter(pk__in=serving, is_active=True).order_by("full_name")


def _name_or_phone(text: str) -> Q:
    condition = Q()
    digits = "".join(ch for ch in text if ch.isdigit())
    words = [w for w in text.split() if not any(ch.isdigit() for ch in w)]
    for word in words[:4]:
        condition &= (
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(preferred_name__icontains=word)
        )
    if len(digits) >= 4:
        condition &= Q(phone_digits__contains=digits[-10:])
    return condition


def people_page(user: Staff, wanted: PeopleFilter, *, after: str | None = None) -> Page[Client]:
    """The People list: the people the user may see, searched, filtered and sorted, one keyset
    page at a time (the same few queries at any size). Audited as one event naming everyone
    shown."""
    clients = gate.visible_clients(user)
    text = wanted.q.strip()
    if text:
        clients = clients.filter(_name_or_phone(text))
    if wanted.status == "all" or (text and not wanted.status):
        pass
    elif wanted.status in Client.Status.values:
        clients = clients.filter(status=wanted.status)
    else:
        clients = clients.exclude(status=Client.Status.DISCHARGED)
    active = Enrollment.objects.filter(ended_on__isnull=True)
    if wanted.team:
        clients = clients.filter(pk__in=active.filter(team_id=wanted.team).values("client_id"))
    if wanted.program:
        clients = clients.filter(
            pk__in=active.filter(program_id=wanted.program).values("client_id")
        )
    if wanted.peer:
        clients = clients.filter(
            pk__in=CareTeamMember.objects.filter(
                staff_id=wanted.peer, ended_on__isnull=True
            ).values("client_id")
        )
    clients = clients.annotate(
        sort_last_contact=Coalesce("last_contact_on", Value(_NEVER)),
        sort_next_due=Coalesce("next_step_due", Value(_SOMEDAY)),
    )
    extra = _extra_sorts.get(wanted.sort)
    annotated: dict[str, Any] = {
        "sort_last_contact": models.DateField(),
        "sort_next_due": models.DateField(),
    }
    if extra is not None:
        clients = clients.annotate(**{f"sort_{extra.key}": extra.annotation})
        annotated[f"sort_{extra.key}"] = models.IntegerField()
    clients = clients.prefetch_related(
        client_list_prefetch(),
        Prefetch(
            "care_team",
            queryset=CareTeamMember.objects.filter(ended_on__isnull=True)
            .select_related("staff")
            .order_by("-is_primary", "staff__full_name"),
            to_attr="active_care_team",
        ),
    )
    order = extra.order if extra is not None else SORTS.get(wanted.sort, SORTS["name"])
    page = keyset_page(
        clients,
        order=order,
        after=after,
        per_page=PER_PAGE,
        params=wanted.params(),
        annotated=annotated,
    )
    filters = {k: v for k, v in wanted.params().items() if k != "q"}
    audit_list(
        user,
        "client.search" if text else "client.list",
        page.items,
        query=text[:100],
        **({"filters": filters} if filters else {}),
    )
    return page


def audit_list(user: Staff, action: str, shown: Iterable[Client | int], **details: object) -> None:
    """One event for a list of people: who was shown (their record numbers), not one per row."""
    if not user.organization_id:
        return
    numbers = list(dict.fromkeys(c if isinstance(c, int) else c.pk for c in shown))
    audit.record(
        organization=user.organization_id,
        actor=user,
        action=action,
        purpose="treatment",
        details={**details, "clients": numbers},
    )


@dataclass(frozen=True)
class ClientRecord:
    access: gate.ClientAccess
    care_team: list[CareTeamMember]
    enrollments: list[Enrollment]
    service_consents: list[ServiceConsent]
    handoffs: list[Handoff]

    @property
    def client(self) -> Client:
        return self.access.client


def client_record(
    user: Staff, access: gate.ClientAccess, *, purpose: str = "treatment"
) -> ClientRecord:
    """The record page: summary, care team and programs. Viewing it is audited."""
    client = access.client
    record = ClientRecord(
        access=access,
        care_team=list(
            CareTeamMember.objects.filter(client=client, ended_on__isnull=True).select_related(
                "staff"
            )
        ),
        enrollments=list(
            Enrollment.objects.filter(client=client).select_related("program", "team")
        ),
        service_consents=list(
            ServiceConsent.objects.filter(client=client)
            .defer("scan")
            .select_related("recorded_by")[:5]
        ),
        handoffs=list(
            Handoff.objects.filter(client=client).select_related(
                "from_staff", "to_staff", "from_team", "to_team", "written_by"
            )[:3]
        ),
    )
    audit.record(
        organization=client.organization_id,
        actor=user,
        client_id=client.pk,
        action="client.view",
        obj=client,
        purpose="emergency" if access.is_emergency else purpose,
        details={"basis": access.basis},
    )
    return record


def client_list_prefetch() -> Prefetch:
    return Prefetch(
        "enrollments",
        queryset=Enrollment.objects.filter(ended_on__isnull=True).select_related("program", "team"),
        to_attr="active_enrollments",
    )


# Reads for the privacy pages. Each starts from a client the gate already returned.


def active_care_team_ids(client: Client) -> list[int]:
    return list(
        CareTeamMember.objects.filter(client=client, ended_on__isnull=True).values_list(
            "staff_id", flat=True
        )
    )


def determination_of(client: Client, determination_id: int) -> Determination:
    """One of this person's determinations; 404 if it belongs to someone else."""
    found = (
        Determination.objects.select_related("program", "requested_by", "decided_by")
        .filter(pk=determination_id, client=client)
        .first()
    )
    if found is None:
        raise Http404
    return found


def emergency_access_of(client: Client, access_id: int) -> EmergencyAccess:
    found = (
        EmergencyAccess.objects.select_related("staff", "reviewed_by")
        .filter(pk=access_id, client=client)
        .first()
    )
    if found is None:
        raise Http404
    return found


def events_during_emergency_access(record: EmergencyAccess, limit: int = 100) -> list[AuditEvent]:
    """What the staff member did with the record while the emergency access was open."""
    return list(
        AuditEvent.objects.filter(
            organization_id=record.organization_id,
            actor_id=record.staff_id,
            client_id=record.client_id,
            created_at__gte=record.started_at,
            created_at__lte=record.expires_at,
        ).order_by("id")[:limit]
    )


def active_care_team(client: Client) -> list[CareTeamMember]:
    return list(
        CareTeamMember.objects.filter(client=client, ended_on__isnull=True).select_related("staff")
    )


def enrollments_of(client: Client) -> list[Enrollment]:
    return list(Enrollment.objects.filter(client=client).select_related("program", "team"))


def care_team_member_of(client: Client, member_id: int) -> CareTeamMember:
    """One active member of this person's care team; 404 otherwise."""
    found = next((m for m in active_care_team(client) if m.pk == member_id), None)
    if found is None:
        raise Http404
    return found


def service_consent_scan_of(client: Client, consent_id: int) -> ServiceConsent:
    """One of this person's consents to peer services that has a scan; 404 otherwise."""
    found = ServiceConsent.objects.filter(pk=consent_id, client=client).first()
    if found is None or not found.scan:
        raise Http404
    return found


def consents_of(client: Client) -> list[Consent]:
    return list(Consent.objects.filter(client=client).select_related("recorded_by"))


def consent_of(client: Client, consent_id: int) -> Consent:
    found = Consent.objects.filter(pk=consent_id, client=client).first()
    if found is None:
        raise Http404
    return found


def own_record_parts(client: Client) -> dict[str, list[object]]:
    """Care team, programs and consents for a person's own view of their record."""
    return {
        "care_team": list(
            CareTeamMember.objects.filter(client=client, ended_on__isnull=True).select_related(
                "staff"
            )
        ),
        "enrollments": list(
            Enrollment.objects.filter(client=client, ended_on__isnull=True).select_related(
                "program"
            )
        ),
        "consents": list(Consent.objects.filter(client=client)),
    }


OPENED_DAYS = 90


def who_opened(client: Client, *, days: int = OPENED_DAYS) -> list[dict[str, object]]:
    """Who opened the person's record in the last `days` days (their own views left out), with
    the last time and whether it was under emergency access. One query, newest first."""
    from django.db.models import Max

    since = timezone.now() - timedelta(days=days)
    rows = (
        AuditEvent.objects.filter(client_id=client.pk, created_at__gte=since, actor__isnull=False)
        .exclude(actor_id=client.staff_account_id or 0)
        .filter(purpose__in=["treatment", "emergency", "privacy_review"])
        .values("actor__full_name", "actor__title", "purpose")
        .annotate(last=Max("created_at"))
        .order_by("-last")
    )
    return [
        {
            "name": row["actor__full_name"],
            "title": row["actor__title"],
            "emergency": row["purpose"] == "emergency",
            "last": row["last"],
        }
        for row in rows[:50]
    ]


def purpose_of(access: gate.ClientAccess) -> str:
    """Why the record is open: emergency ("break-the-glass") reads are marked as such."""
    return "emergency" if access.is_emergency else "treatment"


def audit_read(
    user: Staff,
    access: gate.ClientAccess,
    action: str,
    obj: object = None,
    *,
    purpose: str = "",
    **details: object,
) -> None:
    """Record that the user saw something of the person the gate opened for them.

    Every app's page and API read goes through here, so the purpose ("treatment", or "emergency"
    under break-the-glass access) is recorded the same way everywhere.
    """
    audit.record(
        organization=access.client.organization_id,
        actor=user,
        client_id=access.client.pk,
        action=action,
        obj=obj,
        purpose=purpose or purpose_of(access),
        details=dict(details) if details else None,
    )
