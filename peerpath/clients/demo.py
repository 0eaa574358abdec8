"""Demo privacy data for Riverbend: Sam Rivera, a peer specialist who is also a client.

The end-to-end case:
* Sam's record is restricted (it is linked to his staff account): his co-workers and his
  supervisor never see it; Priya (South team) and the privacy officer do.
* The agency's policy is flexible. An attempt to add Dana, who supervises Sam's own Pathways team,
  to his care team was refused (it is in the audit trail).
* Riverbend also runs a small rural program, Hill Country Rural Services, where Sam covers a
  weekly shift and which is the only co-occurring program in the county. The privacy officer
  approved an individual determination so that Ruth Okafor there can serve him, with conditions
  and a review date.
* James Carter once used emergency access to Sam's record; Alex Morgan reviewed it as justified.
* Sam signed a 42 CFR Part 2 consent for treatment, payment and operations with his primary care
  clinic; one disclosure to the clinic is in his accounting of disclosures.
"""

from __future__ import annotations

from datetime import date, timedelta

from peerpath.core.models import Organization, Program, Role, Staff, Team, TeamMembership

from . import access, consents, emergency, policy
from .actions import AssignmentRefused, care_team_assign
from .models import (
    CareTeamMember,
    Client,
    Consent,
    EmergencyAccess,
    Enrollment,
    PrivacyPolicy,
)

PASSWORD = "riverbend-demo"  # noqa: S105 (the demo agency's published password)


def _staff(org: Organization, email: str) -> Staff:
    return Staff.objects.get(organization=org, email=email)


def load(*, org: Organization, today: date) -> None:
    PrivacyPolicy.objects.get_or_create(
        organization=org, defaults={"mode": PrivacyPolicy.Mode.FLEXIBLE}
    )
    alex = _staff(org, "alex.morgan@riverbend.example")
    dana = _staff(org, "dana.whitfield@riverbend.example")
    priya = _staff(org, "priya.shah@riverbend.example")
    james = _staff(org, "james.carter@riverbend.example")
    sam = _staff(org, "sam.rivera@riverbend.example")
    sam_client = Client.objects.get(organization=org, staff_account=sam)

    # A rural program where Sam also works a weekly shift.
    rural = Program.objects.create(
        organization=org, name="Hill Country Rural Services", kind=Program.Kind.CO_OCCURRING
    )
    hill = Team.objects.create(organization=org, program=rural, name="Hill Country Team")
    TeamMembership.objects.create(organization=org, team=hill, staff=sam)
    ruth = Staff.objects.create_user(
        "ruth.okafor@riverbend.example",
        PASSWORD,
        full_name="Ruth Okafor",
        organization=org,
        role=Role.CLINICIAN,
        title="Co-occurring Disorders Counselor",
    )
    TeamMembership.objects.create(organization=org, team=hill, staff=ruth)

    # Refused: Dana supervises Sam's own team.
    try:
        care_team_assign(
            actor=priya, client=sam_client, staff=dana, role=CareTeamMember.Role.PEER_SUPERVISOR
        )
    except AssignmentRefused:
        pass
    else:  # pragma: no cover - the policy must refuse this
        raise RuntimeError("The demo expects Dana's assignment to Sam's care team to be refused.")

    # The approved exception in the rural program.
    determination = policy.determination_request(
        actor=priya,
        client=sam_client,
        program=rural,
        reason=(
            "Sam needs co-occurring treatment. Hill Country is the only such program within "
            "80 miles, and Sam works one shift a week there."
        ),
        conditions=(
            "Ruth Okafor serves Sam and never supervises or schedules him. Sessions by telehealth "
            "from the Riverbend main office. Notes stay restricted. Sam may ask for a referral "
            "elsewhere at any time."
        ),
        review_on=today + timedelta(days=180),
    )
    policy.determination_decide(
        actor=alex,
        determination=determination,
        approve=True,
        note="No other co-occurring provider within reach. Conditions agreed with Sam.",
    )
    Enrollment.objects.create(
        organization=org,
        client=sam_client,
        program=rural,
        team=hill,
        started_on=today - timedelta(days=20),
    )
    care_team_assign(
        actor=priya,
        client=sam_client,
        staff=ruth,
        role=CareTeamMember.Role.CLINICIAN,
        started_on=today - timedelta(days=20),
    )

    # One emergency access, reviewed.
    grant = emergency.emergency_access_start(
        actor=james,
        client=sam_client,
        affiliation="North Recovery Team, Riverbend",
        nature_of_emergency=(
            "Sam became unwell during a shared training and asked for his crisis plan; his care "
            "team could not be reached."
        ),
        email=False,
    )
    # It happened three days ago (the demo agency is created "today").
    shift = timedelta(days=3)
    EmergencyAccess.objects.filter(pk=grant.pk).update(
        started_at=grant.started_at - shift, expires_at=grant.expires_at - shift
    )
    grant.refresh_from_db()
    emergency.emergency_access_review(
        actor=alex,
        grant=grant,
        justified=True,
        note="Real crisis; James opened only the summary. Spoke with James and with Sam.",
    )

    # A Part 2 consent and one disclosure under it.
    ruth_access = access.client_for_write(ruth, sam_client.pk)
    consent = consents.consent_record(
        actor=ruth,
        access=ruth_access,
        scope=Consent.Scope.RECORDS,
        information="Diagnoses, medications and treatment dates from Hill Country Rural Services",
        recipient="Hill Country Family Clinic (primary care)",
        purpose=Consent.Purpose.TPO,
        purpose_detail="So my doctor knows my medications",
        signed_on=today - timedelta(days=18),
        expires_on=today + timedelta(days=347),
    )
    consents.disclosure_make(
        actor=ruth,
        access=ruth_access,
        method="send",
        purpose=Consent.Purpose.TREATMENT,
        information="Medication list and treatment summary",
        consent=consent,
    )
