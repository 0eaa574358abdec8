"""Every write to client records: typed, keyword-only, atomic, audited in the same transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from peerpath.core import audit
from peerpath.core.models import Organization, Program, Staff, Team

from .access import ClientAccess
from .models import CareTeamMember, Client, Enrollment, phone_digits
from .policy import AssignmentCheck, check_assignment

EDITABLE_FIELDS = (
    "preferred_name",
    "pronouns",
    "language",
    "phone",
    "email",
    "address",
    "date_of_birth",
    "status",
    "next_step",
    "next_step_due",
)


class AssignmentRefused(Exception):
    """The organization's dual-relationship policy does not allow this assignment."""

    def __init__(self, check: AssignmentCheck) -> None:
        super().__init__("The privacy policy does not allow this assignment.")
        self.check = check


class StaleVersionError(Exception):
    """Someone else saved the record since this edit began."""

    def __init__(self, current: Client, changed_fields: list[str]) -> None:
        super().__init__("The record changed since you opened it.")
        self.current = current
        self.changed_fields = changed_fields


def client_create(
    *,
    actor: Staff | None,
    organization: Organization,
    given_name: str,
    family_name: str,
    program: Program,
    team: Team | None,
    enrolled_on: date,
    **fields: Any,
) -> Client:
    if fields.get("staff_account") is not None:
        # Someone who works here: their record is restricted from the start.
        fields["is_restricted"] = True
    with transaction.atomic():
        client = Client.objects.create(
            organization=organization, given_name=given_name, family_name=family_name, **fields
        )
        Enrollment.objects.create(
            organization=organization,
            client=client,
            program=program,
            team=team,
            started_on=enrolled_on,
        )
        audit.record(
            organization=organization,
            actor=actor,
            client_id=client.pk,
            action="client.create",
            obj=client,
            details={"program": program.pk, "team": team.pk if team else None},
        )
    return client


def client_update(
    *, actor: Staff, access: ClientAccess, expected_version: int, changes: dict[str, Any]
) -> Client:
    """Save edits to the person's details, refusing a stale save instead of overwriting."""
    if not access.can_write:
        raise PermissionError("read-only access")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    client = access.client
    with transaction.atomic():
        current = Client.objects.select_for_update().get(pk=client.pk)
        if current.version != expected_version:
            # Show the saved values wherever they differ from this person's version.
            raise StaleVersionError(
                current,
                [name for name, value in changes.items() if getattr(current, name) != value],
            )
        changed = [name for name, value in changes.items() if getattr(current, name) != value]
        for name in changed:
            setattr(current, name, changes[name])
        current.updated_at = timezone.now()
        # Kept with the phone so the duplicate check at intake finds the person by it.
        derived = {"phone_digits": phone_digits(current.phone)} if "phone" in changed else {}
        Client.objects.filter(pk=current.pk).update(
            version=F("version") + 1,
            updated_at=current.updated_at,
            **{name: changes[name] for name in changed},
            **derived,
        )
        current.version += 1
        audit.record(
            organization=current.organization_id,
            actor=actor,
            client_id=current.pk,
            action="client.update",
            obj=current,
            details={"fields": changed},
        )
    return current


def care_team_assign(
    *,
    actor: Staff | None,
    client: Client,
    staff: Staff,
    role: str,
    is_primary: bool = False,
    started_on: date | None = None,
) -> CareTeamMember:
    """Add a staff member to a care team, if the dual-relationship policy allows it.

    A refusal raises AssignmentRefused after recording the attempt in the audit trail.
    """
    if staff.organization_id != client.organization_id:
        raise ValueError("Staff from another organization cannot join this care team.")
    check = check_assignment(client=client, staff=staff)
    if not check.allowed:
        with transaction.atomic():
            audit.record(
                organization=client.organization_id,
                actor=actor,
                client_id=client.pk,
                action="care_team.assign_refused",
                obj=client,
                details={"staff": staff.pk, "role": role, "mode": check.mode},
            )
        raise AssignmentRefused(check)
    with transaction.atomic():
        member = CareTeamMember.objects.create(
            organization_id=client.organization_id,
            client=client,
            staff=staff,
            role=role,
            is_primary=is_primary,
            started_on=started_on or timezone.localdate(),
        )
        audit.record(
            organization=client.organization_id,
            actor=actor,
            client_id=client.pk,
            action="care_team.assign",
            obj=member,
            details={
                "staff": staff.pk,
                "role": role,
                "determinations": [d.pk for d in check.determinations],
            },
        )
    return member


def client_set_restriction(
    *, actor: Staff, client: Client, restricted: bool, reason: str
) -> Client:
    """Restrict a record by hand (e.g. a public figure), or lift a hand-set restriction.

    A record linked to a staff account stays restricted whatever is set here.
    """
    if not restricted and client.staff_account_id is not None:
        raise ValueError("A record linked to a staff account is always restricted.")
    with transaction.atomic():
        Client.objects.filter(pk=client.pk).update(
            is_restricted=restricted,
            restricted_reason=reason if restricted else "",
            updated_at=timezone.now(),
        )
        client.is_restricted = restricted
        client.restricted_reason = reason if restricted else ""
        audit.record(
            organization=client.organization_id,
            actor=actor,
            client_id=client.pk,
            action="client.restrict" if restricted else "client.unrestrict",
            obj=client,
            details={"reason": reason},
        )
    return client
