"""THE access policy: the one place that decides who may see or change a person's record.

Views and the API never fetch a client (or anything of a client's) any other way. The rules:

* Members of the person's active care team may read and write the record.
* When a person is discharged, the members of their care team at discharge keep reading the
  closed record (read-only) and find it in searches, so that they can re-admit the person.
* A facilitator of a group sees its members on the roster (name only, to mark attendance),
  except restricted records they are not otherwise allowed to see.
* A supervisor of a team may read the records of people actively enrolled with that team,
  unless the record is restricted.
* A restricted record (set by hand, or any record linked to a staff account) is seen only by its
  active care team and the organization's privacy officer (who reads, never writes). It never
  shows in anyone else's lists or searches.
* A staff member who opened a record with emergency ("break the glass") access reads it until
  that access expires. Emergency access never puts a record in lists or searches.
* The privacy officer reviews emergency access, determinations and restrictions of any record of
  their organization through `client_for_privacy_review` (review pages only, read-only).
* A staff member who is also a client never reaches their own record through staff screens: for
  them it does not exist (404). They see it as a client would, on their own page.
* Everyone else in the organization sees nothing: the record does not exist for them (404).
* Nobody crosses organizations (404).
* A reader who tries to change the record is refused with 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from peerpath.core.models import Role, Staff, TeamMembership

from .models import CareTeamMember, Client, EmergencyAccess, Enrollment

CARE_TEAM = "care_team"
SUPERVISOR = "supervisor"
PRIVACY_OFFICER = "privacy_officer"
EMERGENCY = "emergency"
FORMER_CARE_TEAM = "former_care_team"


@dataclass(frozen=True)
class ClientAccess:
    """A client the user may see, and what they may do with the record."""

    client: Client
    can_write: bool
    # "care_team", "supervisor", "privacy_officer", "emergency" or "former_care_team"
    basis: str
    # When the basis is emergency access: when it ends.
    emergency_until: datetime | None = None

    @property
    def can_read(self) -> bool:
        return True

    @property
    def is_emergency(self) -> bool:
        return self.basis == EMERGENCY


def _is_staff_of_an_organization(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "organization_id", None)
    )


def is_privacy_officer(user: Any) -> bool:
    return _is_staff_of_an_organization(user) and user.role == Role.PRIVACY_OFFICER


def restricted_q(prefix: str = "") -> Q:
    """Restricted records: marked by hand, or linked to a staff account (always, automatically)."""
    return Q(**{f"{prefix}is_restricted": True}) | Q(**{f"{prefix}staff_account__isnull": False})


def _care_team_of(user: Staff) -> QuerySet[CareTeamMember]:
    return CareTeamMember.objects.filter(staff=user, ended_on__isnull=True)


def _care_team_at_discharge(user: Staff) -> QuerySet[CareTeamMember]:
    return CareTeamMember.objects.filter(
        staff=user,
        end_reason=CareTeamMember.EndedBy.DISCHARGE,
        client__status=Client.Status.DISCHARGED,
    )


def _supervised_enrollments(user: Staff) -> QuerySet[Enrollment]:
    supervised_teams = TeamMembership.objects.filter(staff=user, is_supervisor=True).values(
        "team_id"
    )
    return Enrollment.objects.filter(team_id__in=supervised_teams, ended_on__isnull=True)


def _own_records(user: Staff) -> Q:
    return Q(staff_account_id=user.pk)


def is_supervisor_of_any_team(user: Any) -> bool:
    return _is_staff_of_an_organization(user) and (
        TeamMembership.objects.filter(staff=user, is_supervisor=True).exists()
    )


def supervised(user: Any) -> QuerySet[Any, Any]:
    """Ids of people actively enrolled with the teams the user supervises (not all visible)."""
    return _supervised_enrollments(user).values("client_id")


def visible_clients(user: Any) -> QuerySet[Client]:
    """Every current client record the user may list or search. Lists and searches start here."""
    if not _is_staff_of_an_organization(user):
        return Client.objects.none()
    in_care_team = Q(pk__in=_care_team_of(user).values("client_id"))
    supervised = Q(pk__in=_supervised_enrollments(user).values("client_id")) & ~restricted_q()
    discharged = Q(pk__in=_care_team_at_discharge(user).values("client_id"))
    allowed = in_care_team | supervised | discharged
    if user.role == Role.PRIVACY_OFFICER:
        allowed |= restricted_q()
    return (
        Client.objects.current()
        .filter(organization_id=user.organization_id)
        .filter(allowed)
        .exclude(_own_records(user))
    )


def room_members(
    user: Any, member_ids: QuerySet[Any, Any], *, facilitates: bool
) -> QuerySet[Client]:
    """The people of a group the user may see on its roster.

    A facilitator runs the room, so they see every member whose record is not restricted;
    a restricted member shows only to those the record allows (and no one learns that a
    hidden member exists). Anyone else sees the members they could list anyway.
    """
    visible = visible_clients(user)
    if not facilitates or not _is_staff_of_an_organization(user):
        return visible.filter(pk__in=member_ids)
    in_room = (
        Client.objects.current()
        .filter(organization_id=user.organization_id, pk__in=member_ids)
        .exclude(restricted_q())
        .exclude(_own_records(user))
    )
    return Client.objects.filter(Q(pk__in=in_room.values("pk")) | Q(pk__in=visible.values("pk")))


def caseload(user: Any) -> QuerySet[Client]:
    """The people whose care team the user is on (what they may read and write)."""
    if not _is_staff_of_an_organization(user):
        return Client.objects.none()
    return (
        Client.objects.current()
        .filter(
            organization_id=user.organization_id, pk__in=_care_team_of(user).values("client_id")
        )
        .exclude(_own_records(user))
    )


def client_for_read(user: Any, client_id: Any) -> ClientAccess:
    """The client and the user's rights to the record; 404 if they may not see it at all."""
    if not _is_staff_of_an_organization(user):
        raise Http404
    try:
        pk = int(client_id)
    except (TypeError, ValueError):
        raise Http404 from None
    emergency = EmergencyAccess.objects.active().filter(staff=user, client_id=OuterRef("pk"))
    client = (
        Client.objects.current()
        .filter(pk=pk, organization_id=user.organization_id)
        .exclude(_own_records(user))
        .annotate(
            _on_care_team=Exists(_care_team_of(user).filter(client_id=OuterRef("pk"))),
            _supervises=Exists(_supervised_enrollments(user).filter(client_id=OuterRef("pk"))),
            _at_discharge=Exists(_care_team_at_discharge(user).filter(client_id=OuterRef("pk"))),
            _emergency_until=Subquery(emergency.order_by("-expires_at").values("expires_at")[:1]),
        )
        .first()
    )
    if client is None:
        _refused(user, pk)
        raise Http404
    if client._on_care_team:  # type: ignore[attr-defined]
        return _opening(ClientAccess(client=client, can_write=True, basis=CARE_TEAM))
    if client._at_discharge:  # type: ignore[attr-defined]
        return _opening(ClientAccess(client=client, can_write=False, basis=FORMER_CARE_TEAM))
    if client.restricted:
        if user.role == Role.PRIVACY_OFFICER:
            return _opening(ClientAccess(client=client, can_write=False, basis=PRIVACY_OFFICER))
    elif client._supervises:  # type: ignore[attr-defined]
        return _opening(ClientAccess(client=client, can_write=False, basis=SUPERVISOR))
    until = client._emergency_until  # type: ignore[attr-defined]
    if until is not None and until > timezone.now():
        return _opening(
            ClientAccess(client=client, can_write=False, basis=EMERGENCY, emergency_until=until)
        )
    _refused(user, pk)
    raise Http404


def _opening(grant: ClientAccess) -> ClientAccess:
    from peerpath.core import audit

    audit.opened(
        grant.client.pk,
        grant.client.organization_id,
        "emergency" if grant.is_emergency else "treatment",
    )
    return grant


def _refused(user: Any, client_id: int) -> None:
    """A refused look at a record that exists is itself recorded, in that record's chain."""
    from peerpath.core import audit

    organization_id = (
        Client.objects.filter(pk=client_id).values_list("organization_id", flat=True).first()
    )
    if organization_id is None:
        return  # no such record: nothing was looked at
    audit.record(
        organization=organization_id,
        actor=user,
        client_id=client_id,
        action="client.access_refused",
        purpose="refused",
        details={"path": getattr(audit.current_context().request, "path", "")},
    )


def client_for_write(user: Any, client_id: Any) -> ClientAccess:
    """Like client_for_read, but a reader without write rights is refused with 403."""
    access = client_for_read(user, client_id)
    if not access.can_write:
        raise PermissionDenied
    return access


def client_for_privacy_review(user: Any, client_id: Any) -> ClientAccess:
    """For the privacy officer's reviews only (emergency access, determinations, restrictions).

    The privacy officer reaches any current record of their organization here, read-only, so
    that they can review an emergency access to an ordinary record too. Review pages must still
    show only the reviewed object, found through this client. Everyone else: 404.
    """
    if not is_privacy_officer(user):
        raise Http404
    try:
        pk = int(client_id)
    except (TypeError, ValueError):
        raise Http404 from None
    client = (
        Client.objects.current()
        .filter(pk=pk, organization_id=user.organization_id)
        .exclude(_own_records(user))
        .first()
    )
    if client is None:
        raise Http404
    return ClientAccess(client=client, can_write=False, basis=PRIVACY_OFFICER)


def own_record(user: Any) -> Client | None:
    """A staff member's own client record, to show them as a client would see it."""
    if not _is_staff_of_an_organization(user):
        return None
    return (
        Client.objects.current()
        .filter(organization_id=user.organization_id, staff_account_id=user.pk)
        .first()
    )


def emergency_candidate(
    user: Any, *, family_name: str, date_of_birth: Any, record_number: int | None
) -> Client | None:
    """The one record an emergency-access request names, or None (never a list of matches).

    The caller must not be on the record's care team already and must not be its subject.
    """
    if not _is_staff_of_an_organization(user):
        return None
    matches = Client.objects.current().filter(
        organization_id=user.organization_id,
        family_name__iexact=family_name.strip(),
        date_of_birth=date_of_birth,
    )
    if record_number is not None:
        matches = matches.filter(pk=record_number)
    found = list(matches.exclude(_own_records(user))[:2])
    return found[0] if len(found) == 1 else None
