"""Reads of client data for pages and the API: scoped by the gate, bounded in queries, audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from peerpath.core import audit
from peerpath.core.models import AuditEvent, Staff

from . import access as gate
from .models import (
    CareTeamMember,
    Client,
    Consent,
    Determination,
    EmergencyAccess,
    Enrollment,
)

SEARCH_LIMIT = 50


def my_caseload(user: Staff) -> QuerySet[Client]:
    """*My day*: the people whose care team the user is on, most overdue contact first."""
    return gate.caseload(user).order_by(
        "next_step_due", "last_contact_on", "family_name", "given_name"
    )


def client_search(user: Staff, text: str) -> list[Client]:
    """People the user may see whose name matches. Every list shown is audited: one event
    naming the search and everyone on the list."""
    clients = gate.visible_clients(user)
    text = text.strip()
    for word in text.split()[:4]:
        clients = clients.filter(
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(preferred_name__icontains=word)
        )
    found = list(clients.order_by("family_name", "given_name")[:SEARCH_LIMIT])
    audit_list(user, "client.search" if text else "client.list", found, query=text[:100])
    return found


def audit_list(user: Staff, action: str, shown: list[Client], **details: object) -> None:
    """One event for a list of people: who was shown (their record numbers), not one per row."""
    if not user.organization_id:
        return
    audit.record(
        organization=user.organization_id,
        actor=user,
        action=action,
        purpose="treatment",
        details={**details, "clients": [client.pk for client in shown]},
    )


@dataclass(frozen=True)
class ClientRecord:
    access: gate.ClientAccess
    care_team: list[CareTeamMember]
    enrollments: list[Enrollment]

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
        queryset=Enrollment.objects.filter(ended_on__isnull=True).select_related("program"),
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
