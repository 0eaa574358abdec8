"""JSON API for client records, through the gate."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Literal, get_args

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from peerpath.core.models import Staff, Team

from . import access, actions, intake, queries
from .intake_forms import care_role_for, serving_staff, teams_of
from .models import DISCHARGE_REASONS, CareTeamMember, Client, ServiceConsent

router = Router(tags=["people"])
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Text100 = Annotated[str, Field(max_length=100)]


class CareTeamMemberOut(Schema):
    staff_id: int
    staff_name: str
    role: str
    is_primary: bool


class ClientSummaryOut(Schema):
    id: int
    display_name: str
    pronouns: str
    status: str
    last_contact_on: date | None
    next_step: str
    next_step_due: date | None


class ClientOut(ClientSummaryOut):
    preferred_name: str
    given_name: str
    family_name: str
    language: str
    can_write: bool
    care_team: list[CareTeamMemberOut]


class ClientPage(Schema):
    items: list[ClientSummaryOut]
    next: str | None = Field(
        None, description="Pass as `after` to get the next page; null on the last page."
    )


SortKey = Literal["name", "last_contact", "next_step_due", "newest", "engagement"]
StatusFilter = Literal["", "active", "inactive", "discharged", "all"]


@router.get(
    "/clients",
    response=ClientPage,
    summary="The people you may see: searched, filtered and sorted, a page at a time",
)
def list_clients(
    request: HttpRequest,
    q: Annotated[str, Field(max_length=100)] = "",
    team: Id | None = None,
    program: Id | None = None,
    peer: Id | None = None,
    status: StatusFilter = "",
    sort: SortKey = "name",
    after: Annotated[str, Field(max_length=500)] | None = None,
) -> ClientPage:
    wanted = queries.PeopleFilter(
        q=q, team=team, program=program, peer=peer, status=status, sort=sort
    )
    try:
        page = queries.people_page(request.user, wanted, after=after)  # type: ignore[arg-type]
    except BadRequest as exc:
        raise HttpError(422, str(exc)) from None
    return ClientPage(items=[ClientSummaryOut.from_orm(c) for c in page], next=page.next_cursor)


def client_out(record: queries.ClientRecord) -> ClientOut:
    client = record.client
    return ClientOut(
        id=client.pk,
        display_name=client.display_name,
        preferred_name=client.preferred_name,
        given_name=client.given_name,
        family_name=client.family_name,
        pronouns=client.pronouns,
        language=client.language,
        status=client.status,
        last_contact_on=client.last_contact_on,
        next_step=client.next_step,
        next_step_due=client.next_step_due,
        can_write=record.access.can_write,
        care_team=[
            CareTeamMemberOut(
                staff_id=m.staff_id,
                staff_name=m.staff.full_name,
                role=m.role,
                is_primary=m.is_primary,
            )
            for m in record.care_team
        ],
    )


@router.get("/clients/{client_id}", response=ClientOut, summary="One person's record summary")
def get_client(request: HttpRequest, client_id: int) -> ClientOut:
    user = request.user
    return client_out(queries.client_record(user, access.client_for_read(user, client_id)))  # type: ignore[arg-type]


# Taking people in, changing their details, their enrollments and care team ---------------------

ReferralSource = Literal["", "self", "hospital", "court", "shelter", "other_program", "outreach"]
DischargeReason = Literal["goals_met", "moved", "chose_to_stop", "unreachable", "died", "other"]
CareRole = Literal["peer", "peer_supervisor", "clinician", "case_manager", "prescriber", "other"]
assert {c for c, _ in DISCHARGE_REASONS} == set(get_args(DischargeReason))  # noqa: S101


class ConsentIn(Schema):
    method: Literal["signed", "verbal"]
    given_on: date
    witness: Annotated[str, Field(max_length=200)] = ""


class ClientIn(Schema):
    given_name: Annotated[str, Field(min_length=1, max_length=100)]
    family_name: Annotated[str, Field(min_length=1, max_length=100)]
    preferred_name: Text100 = ""
    pronouns: Annotated[str, Field(max_length=40)] = ""
    language: Annotated[str, Field(min_length=1, max_length=40)]
    date_of_birth: date | None = None
    phone: Annotated[str, Field(max_length=40)] = ""
    email: Annotated[str, Field(max_length=254)] = ""
    address: Annotated[str, Field(max_length=300)] = ""
    referral_source: ReferralSource
    team_id: Id
    first_member_id: Id | None = Field(None, description="Default: the signed-in staff member.")
    enrolled_on: date
    consent: ConsentIn
    medicaid_id: Annotated[str, Field(max_length=40)] = ""
    medicaid_start: date | None = None
    medicaid_end: date | None = None
    duplicate_reason: Annotated[str, Field(max_length=500)] = Field(
        "", description="Needed when the person may already have a record (see the 422 answer)."
    )


class ClientChanges(Schema):
    version: Annotated[int, Field(ge=1, le=2**31)]
    preferred_name: Text100 | None = None
    pronouns: Annotated[str, Field(max_length=40)] | None = None
    language: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    email: Annotated[str, Field(max_length=254)] | None = None
    address: Annotated[str, Field(max_length=300)] | None = None
    date_of_birth: date | None = None
    next_step: Annotated[str, Field(max_length=300)] | None = None
    next_step_due: date | None = None


class EnrollmentOut(Schema):
    id: int
    program_id: int
    program: str
    team_id: int | None
    team: str | None
    started_on: date
    ended_on: date | None
    end_reason: str


class CareTeamMemberFull(CareTeamMemberOut):
    id: int
    started_on: date


class DischargeIn(Schema):
    reason: DischargeReason
    on: date
    note: Annotated[str, Field(max_length=2000)] = ""


class ReadmitIn(Schema):
    team_id: Id
    first_member_id: Id | None = None
    on: date


class TransferIn(Schema):
    note: Annotated[str, Field(min_length=1, max_length=4000)]
    on: date
    to_team_id: Id | None = None
    from_staff_id: Id | None = None
    to_staff_id: Id | None = None


class CareTeamIn(Schema):
    staff_id: Id
    role: CareRole


def _team(user: Staff, team_id: int) -> Team:
    team = teams_of(user.organization_id).filter(pk=team_id).first()
    if team is None:
        raise HttpError(422, "team_id: no team of this organization has this id")
    return team  # type: ignore[no-any-return]


def _serving(user: Staff, staff_id: int | None, name: str) -> Staff:
    if staff_id is None:
        return user
    staff = serving_staff(user.organization_id).filter(pk=staff_id).first()
    if staff is None:
        raise HttpError(422, f"{name}: no active staff member of this organization has this id")
    return staff  # type: ignore[no-any-return]


def _recent(day: date | None, name: str, *, years: int = 1) -> None:
    today = timezone.localdate()
    if day is not None and (day > today or day < today - timedelta(days=366 * years)):
        raise HttpError(
            422, f"{name}: must be a date in the past {years} year(s), not in the future"
        )


def _record(user: Staff, client: Client) -> ClientOut:
    return client_out(queries.client_record(user, access.client_for_read(user, client.pk)))


@router.post(
    "/clients",
    response={201: ClientOut},
    summary="Take a person in (intake): record, enrollment, first care-team member, consent",
)
def create_client(request: HttpRequest, payload: ClientIn) -> Status[ClientOut]:
    user: Staff = request.user  # type: ignore[assignment]
    org = user.organization
    if org is None or not org.may_take_in(user.role):
        raise PermissionDenied
    team = _team(user, payload.team_id)
    member = _serving(user, payload.first_member_id, "first_member_id")
    _recent(payload.enrolled_on, "enrolled_on")
    _recent(payload.consent.given_on, "consent.given_on")
    _recent(payload.date_of_birth, "date_of_birth", years=120)
    if (
        payload.consent.method == ServiceConsent.Method.VERBAL
        and not payload.consent.witness.strip()
    ):
        raise HttpError(422, "consent.witness: a verbal consent needs a witness")
    if payload.medicaid_id and not payload.medicaid_start:
        raise HttpError(422, "medicaid_start: needed with a medicaid_id")
    if (
        payload.medicaid_start
        and payload.medicaid_end
        and payload.medicaid_end < payload.medicaid_start
    ):
        raise HttpError(422, "medicaid_end: coverage cannot end before it starts")
    if payload.email:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(payload.email)
        except ValidationError:
            raise HttpError(422, "email: not an email address") from None
    matches = intake.possible_matches(
        user,
        given_name=payload.given_name,
        family_name=payload.family_name,
        date_of_birth=payload.date_of_birth,
        phone=payload.phone,
        email=payload.email,
    )
    if matches and not payload.duplicate_reason.strip():
        queries.audit_list(user, "client.intake_matches", matches.visible)
        raise HttpError(
            422,
            f"This person may already have a record: {matches.ids} (records you may see) and "
            f"{matches.hidden} you may not see. Send duplicate_reason to add a new one anyway.",
        )
    details = payload.dict(
        include={
            "preferred_name",
            "pronouns",
            "language",
            "date_of_birth",
            "phone",
            "email",
            "address",
            "referral_source",
            "medicaid_id",
            "medicaid_start",
            "medicaid_end",
        }
    )
    client = intake.client_intake(
        actor=user,
        organization=org,
        given_name=payload.given_name.strip(),
        family_name=payload.family_name.strip(),
        program=team.program,
        team=team,
        first_member=member,
        member_role=care_role_for(member),
        consent=intake.ConsentGiven(
            method=payload.consent.method,
            given_on=payload.consent.given_on,
            witness=payload.consent.witness if payload.consent.method == "verbal" else "",
        ),
        enrolled_on=payload.enrolled_on,
        duplicate_reason=payload.duplicate_reason if matches else "",
        matched=matches.ids or None,
        **details,
    )
    if not access.visible_clients(user).filter(pk=client.pk).exists():
        # Taken in for someone else's caseload: the number and name the user just typed, no more.
        return Status(
            201,
            ClientOut(
                id=client.pk,
                display_name=client.display_name,
                pronouns="",
                status=client.status,
                last_contact_on=None,
                next_step="",
                next_step_due=None,
                preferred_name="",
                given_name="",
                family_name="",
                language="",
                can_write=False,
                care_team=[],
            ),
        )
    return Status(201, _record(user, client))


@router.patch("/clients/{client_id}", response=ClientOut, summary="Change a person's details")
def update_client(request: HttpRequest, client_id: int, payload: ClientChanges) -> ClientOut:
    user: Staff = request.user  # type: ignore[assignment]
    grant = access.client_for_write(user, client_id)
    changes = payload.dict(exclude={"version"}, exclude_unset=True)
    if changes.get("language") is None:
        changes.pop("language", None)
    for name in ("preferred_name", "pronouns", "phone", "email", "address", "next_step"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    try:
        actions.client_update(
            actor=user, access=grant, expected_version=payload.version, changes=changes
        )
    except actions.StaleVersionError as stale:
        raise HttpError(
            422, f"The record changed since version {payload.version}: {stale.changed_fields}"
        ) from None
    return _record(user, grant.client)


@router.get(
    "/clients/{client_id}/enrollments",
    response=list[EnrollmentOut],
    summary="A person's enrollments, newest first",
)
def list_enrollments(request: HttpRequest, client_id: int) -> list[EnrollmentOut]:
    user: Staff = request.user  # type: ignore[assignment]
    grant = access.client_for_read(user, client_id)
    rows = queries.enrollments_of(grant.client)
    queries.audit_read(user, grant, "enrollment.list")
    return [
        EnrollmentOut(
            id=e.pk,
            program_id=e.program_id,
            program=e.program.name,
            team_id=e.team_id,
            team=e.team.name if e.team else None,
            started_on=e.started_on,
            ended_on=e.ended_on,
            end_reason=e.end_reason,
        )
        for e in rows
    ]


@router.post("/clients/{client_id}/discharge", response=ClientOut, summary="Discharge a person")
def discharge_client(request: HttpRequest, client_id: int, payload: DischargeIn) -> ClientOut:
    user: Staff = request.user  # type: ignore[assignment]
    grant = access.client_for_write(user, client_id)
    _recent(payload.on, "on", years=5)
    try:
        intake.client_discharge(
            actor=user, access=grant, reason=payload.reason, on=payload.on, note=payload.note
        )
    except intake.LifecycleError as error:
        raise HttpError(422, str(error)) from None
    return _record(user, grant.client)


@router.post(
    "/clients/{client_id}/readmit", response=ClientOut, summary="Take a discharged person back"
)
def readmit_client(request: HttpRequest, client_id: int, payload: ReadmitIn) -> ClientOut:
    user: Staff = request.user  # type: ignore[assignment]
    grant = access.client_for_read(user, client_id)
    org = user.organization
    if org is None or not org.may_take_in(user.role):
        raise PermissionDenied
    if grant.basis not in {access.CARE_TEAM, access.FORMER_CARE_TEAM}:
        raise PermissionDenied
    team = _team(user, payload.team_id)
    member = _serving(user, payload.first_member_id, "first_member_id")
    _recent(payload.on, "on")
    try:
        intake.client_readmit(
            actor=user,
            access=grant,
            program=team.program,
            team=team,
            first_member=member,
            member_role=care_role_for(member),
            on=payload.on,
        )
    except intake.LifecycleError as error:
        raise HttpError(422, str(error)) from None
    except actions.AssignmentRefused:
        raise HttpError(422, "first_member_id: the privacy policy does not allow this") from None
    return _record(user, grant.client)


@router.post(
    "/clients/{client_id}/transfer",
    response=ClientOut,
    summary="Hand a person off to another team or peer, with a note",
)
def transfer_client(request: HttpRequest, client_id: int, payload: TransferIn) -> ClientOut:
    user: Staff = request.user  # type: ignore[assignment]
    grant = access.client_for_write(user, client_id)
    _recent(payload.on, "on")
    members = {m.staff_id: m.staff for m in queries.active_care_team(grant.client)}
    from_staff = None
    if payload.from_staff_id is not None:
        from_staff = members.get(payload.from_staff_id)
        if from_staff is None:
            raise HttpError(422, "from_staff_id: not on this person's care team")
    to_staff = _serving(user, payload.to_staff_id, "to_staff_id") if payload.to_staff_id else None
    if from_staff is not None and to_staff is None:
        raise HttpError(422, "to_staff_id: needed when someone hands off")
    to_team = _team(user, payload.to_team_id) if payload.to_team_id else None
    try:
        intake.client_transfer(
            actor=user,
            access=grant,
            note=payload.note,
            on=payload.on,
            to_team=to_team,
            from_staff=from_staff,
            to_staff=to_staff,
            to_role=care_role_for(to_staff) if to_staff else CareTeamMember.Role.PEER,
        )
    except intake.LifecycleError as error:
        raise HttpError(422, str(error)) from None
    except actions.AssignmentRefused:
        raise HttpError(422, "to_staff_id: the privacy policy does not allow this") from None
    if not access.visible_clients(user).filter(pk=grant.client.pk).exists():
        raise HttpError(404, "Handed off: this record is no longer one you may see.")
    return _record(user, grant.client)


@router.get(
    "/clients/{client_id}/care-team",
    response=list[CareTeamMemberFull],
    summary="A person's active care team",
)
def list_care_team(request: HttpRequest, client_id: int) -> list[CareTeamMemberFull]:
    user: Staff = request.user  # type: ignore[assignment]
    grant = access.client_for_read(user, client_id)
    members = queries.active_care_team(grant.client)
    queries.audit_read(user, grant, "care_team.list")
    return [_member_out(m) for m in members]


def _member_out(m: CareTeamMember) -> CareTeamMemberFull:
    return CareTeamMemberFull(
        id=m.pk,
        staff_id=m.staff_id,
        staff_name=m.staff.full_name,
        role=m.role,
        is_primary=m.is_primary,
        started_on=m.started_on,
    )


@router.post(
    "/clients/{client_id}/care-team",
    response={201: CareTeamMemberFull},
    summary="Add a staff member to a person's care team (the dual-relationship rules apply)",
)
def add_care_team_member(
    request: HttpRequest, client_id: int, payload: CareTeamIn
) -> Status[CareTeamMemberFull]:
    user: Staff = request.user  # type: ignore[assignment]
    grant = access.client_for_write(user, client_id)
    staff = _serving(user, payload.staff_id, "staff_id")
    if staff.pk in {m.staff_id for m in queries.active_care_team(grant.client)}:
        raise HttpError(422, "staff_id: already on the care team")
    try:
        member = actions.care_team_assign(
            actor=user, client=grant.client, staff=staff, role=payload.role
        )
    except actions.AssignmentRefused as refused:
        reasons = "; ".join(str(r) for r in refused.check.reasons)
        raise HttpError(422, f"The privacy policy does not allow this: {reasons}") from None
    member.staff = staff
    return Status(201, _member_out(member))


@router.delete(
    "/clients/{client_id}/care-team/{member_id}",
    response={204: None},
    summary="End a staff member's place on a person's care team (never the last one)",
)
def end_care_team_member(request: HttpRequest, client_id: int, member_id: int) -> Status[None]:
    user: Staff = request.user  # type: ignore[assignment]
    grant = access.client_for_write(user, client_id)
    member = queries.care_team_member_of(grant.client, member_id)
    try:
        intake.care_team_end(actor=user, access=grant, member=member)
    except intake.LifecycleError as error:
        raise HttpError(422, str(error)) from None
    return Status(204, None)
