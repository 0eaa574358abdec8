"""Demo: a person's way through Riverbend.

* Everyone served has a consent to peer services on file (given out loud, with a witness).
* One person on James Carter's caseload (the last by name) was handed off to Maria Lopez,
  with a hand-off note.
* One person on Maria's caseload (no open safety alert, no unfinished note) reached their goals
  and was discharged today; Maria still finds the closed record and could take them back.
* Tom Nguyen invited a new peer specialist, Lena Park, who has not chosen a password yet.
"""

from __future__ import annotations

from datetime import date, timedelta

from peerpath.clients import access, intake
from peerpath.clients.models import CareTeamMember, Client, EndReason, Enrollment, ServiceConsent
from peerpath.core.agency import staff_invite
from peerpath.core.models import Organization, Role, Staff, Team
from peerpath.encounters.models import Contact
from peerpath.measures.models import Alert


def _staff(org: Organization, email: str) -> Staff:
    return Staff.objects.get(organization=org, email=email)


def _last_on_caseload(staff: Staff, *, skip: set[int]) -> Client:
    """The last person by name the staff member serves first (the others keep their places
    in the demo's stories)."""
    found = (
        access.caseload(staff)
        .exclude(pk__in=skip)
        .filter(care_team__staff=staff, care_team__is_primary=True)
        .order_by("-family_name", "-given_name")
        .first()
    )
    if found is None:
        raise RuntimeError(f"The demo expects {staff} to serve someone.")
    return found


def load(*, org: Organization, today: date) -> None:
    maria = _staff(org, "maria.lopez@riverbend.example")
    james = _staff(org, "james.carter@riverbend.example")
    tom = _staff(org, "tom.nguyen@riverbend.example")

    first_members = CareTeamMember.objects.filter(
        organization=org, is_primary=True, ended_on__isnull=True
    ).select_related("staff", "client")
    started = dict(
        Enrollment.objects.filter(organization=org)
        .order_by("-started_on")
        .values_list("client_id", "started_on")
    )
    ServiceConsent.objects.bulk_create(
        [
            ServiceConsent(
                organization=org,
                client=member.client,
                method=ServiceConsent.Method.VERBAL,
                given_on=started.get(member.client_id, today),
                witness=member.staff.full_name,
                recorded_by=member.staff,
            )
            for member in first_members
        ]
    )

    busy = set(Alert.objects.filter(resolved_at__isnull=True).values_list("client_id", flat=True))
    busy |= set(Contact.objects.filter(status="draft").values_list("client_id", flat=True))
    moved = _last_on_caseload(james, skip=busy)
    intake.client_transfer(
        actor=james,
        access=access.client_for_write(james, moved.pk),
        note=(
            f"{moved.display_name} prefers afternoon calls and text reminders the day before. "
            "We were working on the housing application (copy in the file) and a first NA "
            "meeting with a sponsor. Maria speaks Spanish with the family, which helps."
        ),
        on=today - timedelta(days=10),
        from_staff=james,
        to_staff=maria,
        to_role=CareTeamMember.Role.PEER,
    )

    done = _last_on_caseload(maria, skip={moved.pk, *busy})
    intake.client_discharge(
        actor=maria,
        access=access.client_for_write(maria, done.pk),
        reason=EndReason.GOALS_MET,
        on=today,
        note="Working full time, with a steady support group. Knows to call us if needed.",
    )

    # Dana supervises the peers of her teams; Tom the rest of the staff who serve people.
    dana = _staff(org, "dana.whitfield@riverbend.example")
    Staff.objects.filter(
        organization=org, team_memberships__team__in=dana.team_memberships.values("team")
    ).exclude(pk=dana.pk).update(supervisor=dana)
    Staff.objects.filter(organization=org, supervisor__isnull=True).exclude(
        pk__in=[tom.pk, dana.pk]
    ).update(supervisor=tom)
    Staff.objects.filter(pk=dana.pk).update(supervisor=tom)

    staff_invite(
        actor=tom,
        organization=org,
        full_name="Lena Park",
        email="lena.park@riverbend.example",
        role=Role.PEER_SPECIALIST,
        title="Peer Specialist",
        teams=[Team.objects.get(organization=org, name="South Recovery Team")],
        supervisor=_staff(org, "dana.whitfield@riverbend.example"),
        send=False,
    )
