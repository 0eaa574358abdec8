"""THE access policy: the one place that decides who may see or change a person's record.

Views and the API never fetch a client (or anything of a client's) any other way. The rules:

* Members of the person's active care team may read and write the record.
* A supervisor of a team may read the records of people actively enrolled with that team.
* Everyone else in the organization sees nothing: the record does not exist for them (404).
* Nobody crosses organizations (404).
* A reader who tries to change the record is refused with 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from peerpath.core.models import Staff, TeamMembership

from .models import CareTeamMember, Client, Enrollment


@dataclass(frozen=True)
class ClientAccess:
    """A client the user may see, and what they may do with the record."""

    client: Client
    can_write: bool
    basis: str  # "care_team" or "supervisor"

    @property
    def can_read(self) -> bool:
        return True


def _is_staff_of_an_organization(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "organization_id", None)
    )


def _care_team_of(user: Staff) -> QuerySet[CareTeamMember]:
    return CareTeamMember.objects.filter(staff=user, ended_on__isnull=True)


def _supervised_enrollments(user: Staff) -> QuerySet[Enrollment]:
    supervised_teams = TeamMembership.objects.filter(staff=user, is_supervisor=True).values(
        "team_id"
    )
    return Enrollment.objects.filter(team_id__in=supervised_teams, ended_on__isnull=True)


def visible_clients(user: Any) -> QuerySet[Client]:
    """Every current client record the user may read. Lists and searches start here."""
    if not _is_staff_of_an_organization(user):
        return Client.objects.none()
    in_care_team = Q(pk__in=_care_team_of(user).values("client_id"))
    supervised = Q(pk__in=_supervised_enrollments(user).values("client_id"))
    return (
        Client.objects.current()
        .filter(organization_id=user.organization_id)
        .filter(in_care_team | supervised)
    )


def caseload(user: Any) -> QuerySet[Client]:
    """The people whose care team the user is on (what they may read and write)."""
    if not _is_staff_of_an_organization(user):
        return Client.objects.none()
    return Client.objects.current().filter(
        organization_id=user.organization_id, pk__in=_care_team_of(user).values("client_id")
    )


def client_for_read(user: Any, client_id: Any) -> ClientAccess:
    """The client and the user's rights to the record; 404 if they may not see it at all."""
    if not _is_staff_of_an_organization(user):
        raise Http404
    try:
        pk = int(client_id)
    except (TypeError, ValueError):
        raise Http404 from None
    client = (
        Client.objects.current()
        .filter(pk=pk, organization_id=user.organization_id)
        .annotate(
            _on_care_team=Exists(_care_team_of(user).filter(client_id=OuterRef("pk"))),
            _supervises=Exists(_supervised_enrollments(user).filter(client_id=OuterRef("pk"))),
        )
        .first()
    )
    if client is None:
        raise Http404
    if client._on_care_team:  # type: ignore[attr-defined]
        return ClientAccess(client=client, can_write=True, basis="care_team")
    if client._supervises:  # type: ignore[attr-defined]
        return ClientAccess(client=client, can_write=False, basis="supervisor")
    raise Http404


def client_for_write(user: Any, client_id: Any) -> ClientAccess:
    """Like client_for_read, but a reader without write rights is refused with 403."""
    access = client_for_read(user, client_id)
    if not access.can_write:
        raise PermissionDenied
    return access
