"""Ending a staff member's work: their care-team places end with a hand-off list (who now serves
each person), their sessions end at once, and everything they wrote is kept.

The hand-off list names only people the agency administrator may be told about: a restricted
record (a staff member who is also a client, or one restricted by hand) is never named; its
hand-off goes to the privacy officer, who is told in PeerPath.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from peerpath.core import audit
from peerpath.core.agency import AgencyError, staff_sessions_end
from peerpath.core.models import Role, Staff

from .access import restricted_q
from .actions import AssignmentRefused, care_team_assign
from .models import CareTeamMember, Client, Handoff, Notification


@dataclass(frozen=True)
class CaseloadEntry:
    member: CareTeamMember
    restricted: bool
    others: int  # how many others are on the person's care team

    @property
    def client(self) -> Client:
        return self.member.client


def caseload_to_hand_off(staff: Staff) -> list[CaseloadEntry]:
    """The departing staff member's active care-team places, people first by name; restricted
    records flagged so that the page never names them; how many others serve each person."""
    members = (
        CareTeamMember.objects.filter(staff=staff, ended_on__isnull=True)
        .filter(client__deleted_at__isnull=True)
        .select_related("client")
        .order_by("client__family_name", "client__given_name", "pk")
    )
    restricted_ids = set(
        Client.objects.filter(pk__in=members.values("client_id"))
        .filter(restricted_q())
        .values_list("pk", flat=True)
    )
    others: dict[int, int] = {}
    for client_id in (
        CareTeamMember.objects.filter(
            client_id__in=members.values("client_id"), ended_on__isnull=True
        )
        .exclude(staff=staff)
        .values_list("client_id", flat=True)
    ):
        others[client_id] = others.get(client_id, 0) + 1
    return [
        CaseloadEntry(
            member=m, restricted=m.client_id in restricted_ids, others=others.get(m.client_id, 0)
        )
        for m in members
    ]


def audit_hand_off_list(actor: Staff, staff: Staff, entries: list[CaseloadEntry]) -> None:
    """Showing the list names people to the administrator: one event naming them."""
    audit.record(
        organization=staff.organization_id or 0,
        actor=actor,
        action="staff.caseload_view",
        obj=staff,
        purpose="operations",
        details={"clients": [e.client.pk for e in entries if not e.restricted]},
    )


def staff_end_work(
    *,
    actor: Staff,
    staff: Staff,
    successors: dict[int, Staff | None],
    note: str = "",
    on: date | None = None,
) -> list[Handoff]:
    """End the staff member's work. `successors` maps each care-team place (CareTeamMember id)
    to who takes it over (or None: the rest of the care team carries on)."""
    if staff.organization_id != actor.organization_id:
        raise AgencyError(_("Choose staff of this agency."))
    if staff.pk == actor.pk:
        raise AgencyError(_("Someone else must end your own work here."))
    if not staff.is_active:
        raise AgencyError(_("%(name)s no longer works here.") % {"name": staff.full_name})
    on = on or timezone.localdate()
    entries = caseload_to_hand_off(staff)
    handoffs: list[Handoff] = []
    refused: list[str] = []
    with transaction.atomic():
        for entry in entries:
            successor = None if entry.restricted else successors.get(entry.member.pk)
            if successor is None and not entry.restricted and entry.others == 0:
                raise AgencyError(
                    _("Choose who now serves %(name)s: no one else is on their care team.")
                    % {"name": entry.client.display_name}
                )
            if successor is not None and (
                successor.pk == staff.pk or successor.organization_id != staff.organization_id
            ):
                raise AgencyError(_("Choose someone else of this agency to take over."))
            CareTeamMember.objects.filter(pk=entry.member.pk).update(
                ended_on=max(on, entry.member.started_on),
                end_reason=CareTeamMember.EndedBy.WORK_ENDED,
            )
            if successor is not None:
                already = CareTeamMember.objects.filter(
                    client=entry.client, staff=successor, ended_on__isnull=True
                ).exists()
                if not already:
                    try:
                        care_team_assign(
                            actor=actor,
                            client=entry.client,
                            staff=successor,
                            role=entry.member.role,
                            is_primary=entry.member.is_primary,
                            started_on=on,
                        )
                    except AssignmentRefused:
                        refused.append(entry.client.display_name)
                        continue
            if not entry.restricted:
                handoffs.append(
                    Handoff.objects.create(
                        organization_id=staff.organization_id or 0,
                        client=entry.client,
                        from_staff=staff,
                        to_staff=successor,
                        note=note.strip()
                        or _("%(name)s's work at the agency ended.") % {"name": staff.full_name},
                        written_by=actor,
                    )
                )
        if refused:
            raise AgencyError(
                _("The privacy policy does not allow these hand-offs: %(names)s.")
                % {"names": ", ".join(refused)}
            )
        staff.is_active = False
        staff.deactivated_at = timezone.now()
        staff.save(update_fields=["is_active", "deactivated_at"])
        restricted = [e for e in entries if e.restricted]
        if restricted:
            _tell_privacy_officers(staff, restricted)
        audit.record(
            organization=staff.organization_id or 0,
            actor=actor,
            action="staff.end_work",
            obj=staff,
            details={
                "handoffs": {
                    str(e.client.pk): getattr(successors.get(e.member.pk), "pk", None)
                    for e in entries
                    if not e.restricted
                },
                "restricted_places": len(restricted),
            },
        )
        staff_sessions_end(staff)
    return handoffs


def _tell_privacy_officers(staff: Staff, restricted: list[CaseloadEntry]) -> None:
    officers = Staff.objects.filter(
        organization_id=staff.organization_id or 0, role=Role.PRIVACY_OFFICER, is_active=True
    )
    for officer in officers:
        with translation.override(officer.language or "en"):
            message = _(
                "%(staff)s's work ended. They served %(count)s restricted records "
                "(numbers %(numbers)s): arrange who serves them now."
            ) % {
                "staff": staff.full_name,
                "count": len(restricted),
                "numbers": ", ".join(str(e.client.pk) for e in restricted),
            }
        Notification.objects.create(
            organization_id=staff.organization_id or 0, recipient=officer, message=message[:300]
        )
