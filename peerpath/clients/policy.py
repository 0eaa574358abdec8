"""Dual relationships: may this staff member serve this person, who also works here?

The rules (DESIGN: "protecting peers who are also clients"):

* A staff member who is a client is never served by a team or department (program) they work in,
  and never by themselves.
* In strict mode (urban agencies) a staff member is not served by the agency at all; the screen
  offers the other options (another provider, telehealth from another site).
* In flexible mode (rural agencies) staff members may be served by other departments; their own
  department may serve them only under an individual determination approved by the privacy
  officer, with conditions, until its review date.

Checks are reads; `care_team_assign` (actions.py) calls `check_assignment` before writing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peerpath.core import audit
from peerpath.core.models import Program, Staff, TeamMembership

from .models import Client, Determination, PrivacyPolicy


@dataclass(frozen=True)
class AssignmentCheck:
    allowed: bool
    mode: str
    reasons: list[Promise] = field(default_factory=list)
    options: list[Promise] = field(default_factory=list)
    # Programs whose exception the assignment would need (flexible mode).
    programs_needing_determination: list[Program] = field(default_factory=list)
    determinations: list[Determination] = field(default_factory=list)

    @property
    def can_request_determination(self) -> bool:
        return bool(self.programs_needing_determination)


def _work_places(staff_id: int) -> tuple[set[int], set[int]]:
    """(team ids, program ids) a staff member works in."""
    rows = TeamMembership.objects.filter(staff_id=staff_id).values_list("team_id", "team__program")
    return {team for team, _ in rows}, {program for _, program in rows}


def determinations_in_force(client: Client, today: date) -> list[Determination]:
    return list(
        Determination.objects.filter(
            client=client, status=Determination.Status.APPROVED, review_on__gte=today
        ).select_related("program")
    )


def check_assignment(*, client: Client, staff: Staff, today: date | None = None) -> AssignmentCheck:
    """Whether `staff` may join `client`'s care team under the organization's policy."""
    today = today or timezone.localdate()
    policy = PrivacyPolicy.for_organization(client.organization_id)
    if client.staff_account_id is None:
        return AssignmentCheck(allowed=True, mode=policy.mode)
    if client.staff_account_id == staff.pk:
        return AssignmentCheck(
            allowed=False,
            mode=policy.mode,
            reasons=[_("A staff member cannot be on their own care team.")],
        )
    if policy.mode == PrivacyPolicy.Mode.STRICT:
        return AssignmentCheck(
            allowed=False,
            mode=policy.mode,
            reasons=[
                _(
                    "This agency's policy is strict: staff members who are also clients are "
                    "served by another provider, not by this agency."
                )
            ],
            options=[
                _("Refer the person to another provider in the community."),
                _("Arrange telehealth from another agency's site."),
                _("Offer the Employee Assistance Program, if the person wants it."),
            ],
        )
    client_teams, client_programs = _work_places(client.staff_account_id)
    staff_teams, staff_programs = _work_places(staff.pk)
    shared_programs = client_programs & staff_programs
    if not shared_programs and not client_teams & staff_teams:
        return AssignmentCheck(allowed=True, mode=policy.mode)
    in_force = [
        d for d in determinations_in_force(client, today) if d.program_id in shared_programs
    ]
    covered = {d.program_id for d in in_force}
    missing = sorted(shared_programs - covered)
    if not missing:
        return AssignmentCheck(allowed=True, mode=policy.mode, determinations=in_force)
    return AssignmentCheck(
        allowed=False,
        mode=policy.mode,
        reasons=[
            _(
                "This staff member works in the same team or program as the person. A staff "
                "member who is also a client is not served by their own team or department."
            )
        ],
        options=[
            _("Choose someone from another program."),
            _("Refer the person to another provider, or arrange telehealth from another site."),
            _(
                "If there is no other choice nearby, ask the privacy officer for an individual "
                "determination (an exception with conditions and a review date)."
            ),
        ],
        programs_needing_determination=list(Program.objects.filter(pk__in=missing)),
    )


# Writes ---------------------------------------------------------------------------------------


def determination_request(
    *,
    actor: Staff,
    client: Client,
    program: Program,
    reason: str,
    conditions: str,
    review_on: date,
) -> Determination:
    if program.organization_id != client.organization_id:
        raise ValueError("The program belongs to another organization.")
    if review_on <= timezone.localdate():
        raise ValueError("The review date must be in the future.")
    with transaction.atomic():
        determination = Determination.objects.create(
            organization_id=client.organization_id,
            client=client,
            program=program,
            reason=reason,
            conditions=conditions,
            review_on=review_on,
            requested_by=actor,
        )
        audit.record(
            organization=client.organization_id,
            actor=actor,
            client_id=client.pk,
            action="determination.request",
            obj=determination,
            details={"program": program.pk, "review_on": review_on},
        )
    return determination


def determination_decide(
    *, actor: Staff, determination: Determination, approve: bool, note: str
) -> Determination:
    """The privacy officer approves or refuses an exception. Decided once; kept forever."""
    with transaction.atomic():
        current = Determination.objects.select_for_update().get(pk=determination.pk)
        if current.status != Determination.Status.PENDING:
            raise ValueError("This determination was already decided.")
        current.status = Determination.Status.APPROVED if approve else Determination.Status.DENIED
        current.decided_by = actor
        current.decided_at = timezone.now()
        current.decision_note = note
        current.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit.record(
            organization=current.organization_id,
            actor=actor,
            client_id=current.client_id,
            action="determination.approve" if approve else "determination.deny",
            obj=current,
            details={"program": current.program_id, "review_on": current.review_on},
        )
    return current


def policy_set(*, actor: Staff, mode: str, emergency_access_minutes: int) -> PrivacyPolicy:
    org_id = actor.organization_id
    if org_id is None:
        raise ValueError("Staff without an organization cannot set a policy.")
    with transaction.atomic():
        policy, _created = PrivacyPolicy.objects.select_for_update().get_or_create(
            organization_id=org_id
        )
        before = {"mode": policy.mode, "minutes": policy.emergency_access_minutes}
        policy.mode = mode
        policy.emergency_access_minutes = emergency_access_minutes
        policy.updated_by = actor
        policy.updated_at = timezone.now()
        policy.save()
        audit.record(
            organization=org_id,
            actor=actor,
            action="privacy_policy.update",
            obj=policy,
            details={"before": before, "mode": mode, "minutes": emergency_access_minutes},
        )
    return policy
