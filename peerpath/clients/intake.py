"""A person's way through the agency: taken in, moved to another team or peer, discharged, back.

Writes here follow actions.py: keyword-only, typed, atomic, each with its audit event in the same
transaction. `possible_matches` is the one read: the duplicate check before a new record, which
names only the records the user's gate lets them see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.core import audit
from peerpath.core.models import Organization, Program, Staff, Team

from . import access as gate
from .actions import care_team_assign, client_create
from .models import (
    CareTeamMember,
    Client,
    EndReason,
    Enrollment,
    Handoff,
    ServiceConsent,
    phone_digits,
)

MATCH_LIMIT = 20


class LifecycleError(ValueError):
    """A move the record's state does not allow; the message says why, in words."""


@dataclass(frozen=True)
class PossibleMatches:
    """Records that may be the same person: the ones the user may see, and how many others."""

    visible: list[Client] = field(default_factory=list)
    hidden: int = 0

    @property
    def ids(self) -> list[int]:
        return [c.pk for c in self.visible]

    def __bool__(self) -> bool:
        return bool(self.visible) or self.hidden > 0


def _match_q(
    *, given_name: str, family_name: str, date_of_birth: date | None, phone: str, email: str
) -> Q:
    condition = Q(pk__in=[])
    if date_of_birth is not None:
        names = Q(family_name__iexact=family_name.strip())
        if len(family_name.strip()) >= 3:
            names |= Q(family_name__istartswith=family_name.strip()[:3])
        if given_name.strip():
            names |= Q(given_name__iexact=given_name.strip())
            names |= Q(preferred_name__iexact=given_name.strip())
        condition |= Q(date_of_birth=date_of_birth) & names
    digits = phone_digits(phone)
    if len(digits) >= 7:
        condition |= Q(phone_digits=digits)
    if email.strip():
        condition |= Q(email__iexact=email.strip())
    return condition


def possible_matches(
    user: Staff,
    *,
    given_name: str,
    family_name: str,
    date_of_birth: date | None,
    phone: str = "",
    email: str = "",
) -> PossibleMatches:
    """Likely earlier records of this person: same date of birth and a similar name, or the same
    phone or e-mail. Only records the user may see are named; the rest are only counted."""
    condition = _match_q(
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        phone=phone,
        email=email,
    )
    candidates = list(
        Client.objects.current()
        .filter(organization_id=user.organization_id or 0)
        .filter(condition)
        .order_by("family_name", "given_name", "pk")
        .values_list("pk", flat=True)[:MATCH_LIMIT]
    )
    if not candidates:
        return PossibleMatches()
    visible = list(
        gate.visible_clients(user).filter(pk__in=candidates).order_by("family_name", "given_name")
    )
    return PossibleMatches(visible=visible, hidden=len(candidates) - len(visible))


@dataclass(frozen=True)
class ConsentGiven:
    method: str
    given_on: date
    witness: str = ""
    scan: bytes | None = None
    scan_type: str = ""


def client_intake(
    *,
    actor: Staff,
    organization: Organization,
    given_name: str,
    family_name: str,
    program: Program,
    team: Team,
    first_member: Staff,
    member_role: str,
    consent: ConsentGiven,
    enrolled_on: date,
    duplicate_reason: str = "",
    matched: list[int] | None = None,
    **details: Any,
) -> Client:
    """Take a person in: their record, enrollment, first care-team member and consent to peer
    services, in one transaction. Writing despite possible matches needs a reason (audited)."""
    if not organization.may_take_in(actor.role):
        raise PermissionError("this role does not take people in")
    if team.program_id != program.pk or team.organization_id != organization.pk:
        raise LifecycleError(_("The team must belong to the program."))
    if matched and not duplicate_reason.strip():
        raise LifecycleError(_("Say why this is a new person, not one of the possible matches."))
    if consent.method == ServiceConsent.Method.VERBAL and not consent.witness.strip():
        raise LifecycleError(_("A verbal consent needs a witness."))
    details["email"] = (details.get("email") or "").strip().lower()
    details["phone_digits"] = phone_digits(details.get("phone") or "")
    with transaction.atomic():
        client = client_create(
            actor=actor,
            organization=organization,
            given_name=given_name,
            family_name=family_name,
            program=program,
            team=team,
            enrolled_on=enrolled_on,
            **details,
        )
        care_team_assign(
            actor=actor,
            client=client,
            staff=first_member,
            role=member_role,
            is_primary=True,
            started_on=enrolled_on,
        )
        _consent_row(client, consent, actor)
        audit.record(
            organization=organization,
            actor=actor,
            client_id=client.pk,
            action="client.intake",
            obj=client,
            details={
                "referral_source": details.get("referral_source", ""),
                "first_member": first_member.pk,
                "consent": consent.method,
                "possible_matches": matched or [],
                "why_new": duplicate_reason.strip(),
            },
        )
    return client


def _consent_row(client: Client, consent: ConsentGiven, actor: Staff) -> ServiceConsent:
    return ServiceConsent.objects.create(
        organization_id=client.organization_id,
        client=client,
        method=consent.method,
        given_on=consent.given_on,
        witness=consent.witness.strip(),
        scan=consent.scan,
        scan_type=consent.scan_type,
        recorded_by=actor,
    )


def service_consent_add(
    *, actor: Staff, access: gate.ClientAccess, consent: ConsentGiven
) -> ServiceConsent:
    if not access.can_write:
        raise PermissionError("read-only access")
    if consent.method == ServiceConsent.Method.VERBAL and not consent.witness.strip():
        raise LifecycleError(_("A verbal consent needs a witness."))
    client = access.client
    with transaction.atomic():
        row = _consent_row(client, consent, actor)
        audit.record(
            organization=client.organization_id,
            actor=actor,
            client_id=client.pk,
            action="service_consent.record",
            obj=row,
            details={"method": consent.method},
        )
    return row


def _active_enrollments(client: Client) -> list[Enrollment]:
    return list(Enrollment.objects.select_for_update().filter(client=client, ended_on__isnull=True))


def _end_memberships(
    client: Client, on: date, why: str, only: list[int] | None = None
) -> list[int]:
    members = CareTeamMember.objects.filter(client=client, ended_on__isnull=True)
    if only is not None:
        members = members.filter(staff_id__in=only)
    ended = list(members.values_list("staff_id", flat=True))
    members.update(ended_on=on, end_reason=why)
    return ended


def client_discharge(
    *, actor: Staff, access: gate.ClientAccess, reason: str, on: date, note: str = ""
) -> Client:
    """Close the person's enrollments and care team. The care team at discharge keeps reading
    the record (read-only) so that they can find it and re-admit the person."""
    if not access.can_write:
        raise PermissionError("read-only access")
    if reason not in EndReason.values or reason == EndReason.TRANSFERRED:
        raise LifecycleError(_("Choose why the person is leaving."))
    if on > timezone.localdate():
        raise LifecycleError(_("The discharge date cannot be in the future."))
    client = access.client
    with transaction.atomic():
        current = Client.objects.select_for_update().get(pk=client.pk)
        if current.status == Client.Status.DISCHARGED:
            raise LifecycleError(_("This person is already discharged."))
        enrollments = _active_enrollments(current)
        if any(e.started_on > on for e in enrollments):
            raise LifecycleError(_("The discharge date cannot be before the person's enrollment."))
        Enrollment.objects.filter(pk__in=[e.pk for e in enrollments]).update(
            ended_on=on, end_reason=reason, end_note=note.strip()
        )
        ended = _end_memberships(current, on, CareTeamMember.EndedBy.DISCHARGE)
        Client.objects.filter(pk=current.pk).update(
            status=Client.Status.DISCHARGED, updated_at=timezone.now()
        )
        current.status = Client.Status.DISCHARGED
        audit.record(
            organization=current.organization_id,
            actor=actor,
            client_id=current.pk,
            action="client.discharge",
            obj=current,
            details={
                "reason": reason,
                "on": on,
                "enrollments": [e.pk for e in enrollments],
                "care_team": ended,
            },
        )
    return current


def client_readmit(
    *,
    actor: Staff,
    access: gate.ClientAccess,
    program: Program,
    team: Team,
    first_member: Staff,
    member_role: str,
    on: date,
) -> Client:
    """A discharged person comes back: a new enrollment and care team; the history is kept."""
    client = access.client
    allowed = access.basis in {gate.CARE_TEAM, gate.FORMER_CARE_TEAM}
    org = Organization.objects.get(pk=client.organization_id)
    if not allowed or not org.may_take_in(actor.role):
        raise PermissionError("may not re-admit")
    if team.program_id != program.pk or team.organization_id != client.organization_id:
        raise LifecycleError(_("The team must belong to the program."))
    if on > timezone.localdate():
        raise LifecycleError(_("The date cannot be in the future."))
    with transaction.atomic():
        current = Client.objects.select_for_update().get(pk=client.pk)
        if current.status != Client.Status.DISCHARGED:
            raise LifecycleError(_("Only a discharged person can be re-admitted."))
        last_end = (
            Enrollment.objects.filter(client=current)
            .order_by("-ended_on")
            .values_list("ended_on", flat=True)
            .first()
        )
        if last_end and on < last_end:
            raise LifecycleError(_("The person cannot come back before the date they left."))
        enrollment = Enrollment.objects.create(
            organization_id=current.organization_id,
            client=current,
            program=program,
            team=team,
            started_on=on,
        )
        Client.objects.filter(pk=current.pk).update(
            status=Client.Status.ACTIVE, updated_at=timezone.now()
        )
        current.status = Client.Status.ACTIVE
        care_team_assign(
            actor=actor,
            client=current,
            staff=first_member,
            role=member_role,
            is_primary=True,
            started_on=on,
        )
        audit.record(
            organization=current.organization_id,
            actor=actor,
            client_id=current.pk,
            action="client.readmit",
            obj=current,
            details={"enrollment": enrollment.pk, "team": team.pk, "first_member": first_member.pk},
        )
    return current


def client_transfer(
    *,
    actor: Staff,
    access: gate.ClientAccess,
    note: str,
    on: date,
    to_team: Team | None = None,
    from_staff: Staff | None = None,
    to_staff: Staff | None = None,
    to_role: str = CareTeamMember.Role.PEER,
) -> Handoff:
    """Move a person to another team, another peer, or both, with a hand-off note. The peer
    handing off leaves the care team (and loses access) once the new member is on it."""
    if not access.can_write:
        raise PermissionError("read-only access")
    client = access.client
    if not note.strip():
        raise LifecycleError(_("Write a hand-off note for the new team or peer."))
    if to_team is None and to_staff is None:
        raise LifecycleError(_("Choose a new team, a new peer, or both."))
    if to_staff is not None and from_staff is not None and to_staff.pk == from_staff.pk:
        raise LifecycleError(_("Choose someone else to hand off to."))
    with transaction.atomic():
        current = Client.objects.select_for_update().get(pk=client.pk)
        if current.status == Client.Status.DISCHARGED:
            raise LifecycleError(_("Re-admit the person before moving them."))
        enrollments = _active_enrollments(current)
        from_team = next((e.team for e in enrollments if e.team_id), None)
        if to_team is not None:
            if to_team.organization_id != current.organization_id:
                raise LifecycleError(_("The team must belong to this agency."))
            if from_team is not None and from_team.pk == to_team.pk:
                raise LifecycleError(_("The person is already with this team."))
            moving = [e for e in enrollments if e.program_id == to_team.program_id] or enrollments
            if any(e.started_on > on for e in moving):
                raise LifecycleError(_("The move cannot be before the person's enrollment."))
            Enrollment.objects.filter(pk__in=[e.pk for e in moving[:1]]).update(
                ended_on=on, end_reason=EndReason.TRANSFERRED
            )
            Enrollment.objects.create(
                organization_id=current.organization_id,
                client=current,
                program_id=to_team.program_id,
                team=to_team,
                started_on=on,
            )
        active = set(
            CareTeamMember.objects.filter(client=current, ended_on__isnull=True).values_list(
                "staff_id", flat=True
            )
        )
        if from_staff is not None and from_staff.pk not in active:
            raise LifecycleError(_("The person handing off is not on the care team."))
        if to_staff is not None and to_staff.pk not in active:
            care_team_assign(
                actor=actor,
                client=current,
                staff=to_staff,
                role=to_role,
                is_primary=from_staff is not None,
                started_on=on,
            )
        if from_staff is not None:
            _end_memberships(current, on, CareTeamMember.EndedBy.TRANSFERRED, only=[from_staff.pk])
        handoff = Handoff.objects.create(
            organization_id=current.organization_id,
            client=current,
            from_staff=from_staff,
            to_staff=to_staff,
            from_team=from_team if to_team is not None else None,
            to_team=to_team,
            note=note.strip(),
            written_by=actor,
        )
        audit.record(
            organization=current.organization_id,
            actor=actor,
            client_id=current.pk,
            action="client.transfer",
            obj=handoff,
            details={
                "from_staff": from_staff.pk if from_staff else None,
                "to_staff": to_staff.pk if to_staff else None,
                "from_team": from_team.pk if from_team else None,
                "to_team": to_team.pk if to_team else None,
            },
        )
    return handoff


def care_team_end(
    *, actor: Staff, access: gate.ClientAccess, member: CareTeamMember, on: date | None = None
) -> CareTeamMember:
    """Someone leaves a person's care team (and loses access). The last member cannot leave:
    the person would be served by nobody; hand off or discharge instead."""
    if not access.can_write:
        raise PermissionError("read-only access")
    client = access.client
    if member.client_id != client.pk or member.ended_on is not None:
        raise LifecycleError(_("This person is not on the care team."))
    on = on or timezone.localdate()
    with transaction.atomic():
        others = (
            CareTeamMember.objects.select_for_update()
            .filter(client=client, ended_on__isnull=True)
            .exclude(pk=member.pk)
        )
        if not others.exists():
            raise LifecycleError(
                _(
                    "The last member of a care team cannot leave it. Hand the person off to "
                    "someone else, or discharge them."
                )
            )
        CareTeamMember.objects.filter(pk=member.pk).update(
            ended_on=max(on, member.started_on), end_reason=CareTeamMember.EndedBy.REMOVED
        )
        audit.record(
            organization=client.organization_id,
            actor=actor,
            client_id=client.pk,
            action="care_team.end",
            obj=member,
            details={"staff": member.staff_id},
        )
    return member
