"""JSON API for contacts, outreach attempts and group attendance, through the gate."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from peerpath.clients import access

from . import actions, queries
from .forms import CONTACT_MAX_AGE
from .models import Attendance, Contact, OtherTask, OutreachAttempt, PeerService, Place

router = Router(tags=["peer work"])


class ContactOut(Schema):
    id: int
    client_id: int
    author_id: int
    author_name: str
    occurred_at: datetime
    minutes: int
    place: str
    services: list[str]
    other_tasks: list[str]
    in_their_words: str
    summary: str
    status: str
    review: str
    version: int

    @staticmethod
    def of(contact: Contact) -> ContactOut:
        return ContactOut(
            id=contact.pk,
            client_id=contact.client_id,
            author_id=contact.author_id,
            author_name=contact.author.full_name,
            occurred_at=contact.occurred_at,
            minutes=contact.minutes,
            place=contact.place,
            services=list(contact.services),
            other_tasks=list(contact.other_tasks),
            in_their_words=contact.in_their_words,
            summary=contact.summary,
            status=contact.status,
            review=contact.review,
            version=contact.version,
        )


class ContactIn(Schema):
    occurred_at: datetime | None = None
    minutes: int = Field(30, ge=1, le=720)
    place: str = Field(
        "",
        description="Where it happened; needed to sign.",
        json_schema_extra={"enum": ["", *Place.values]},
    )
    services: list[str] = Field(
        [], json_schema_extra={"items": {"type": "string", "enum": list(PeerService.values)}}
    )
    other_tasks: list[str] = Field(
        [], json_schema_extra={"items": {"type": "string", "enum": list(OtherTask.values)}}
    )
    in_their_words: str = Field("", max_length=4000)
    summary: str = Field("", max_length=8000)
    sign: bool = False


class OutreachOut(Schema):
    id: int
    client_id: int
    staff_id: int
    attempted_at: datetime
    method: str
    outcome: str
    note: str
    next_try_on: date | None


class OutreachIn(Schema):
    method: str = Field(json_schema_extra={"enum": list(OutreachAttempt.Method.values)})
    outcome: str = Field(json_schema_extra={"enum": list(OutreachAttempt.Outcome.values)})
    attempted_at: datetime | None = None
    note: str = Field("", max_length=500)
    next_try_on: date | None = None


class AttendanceOut(Schema):
    session_id: int
    group_id: int
    group_name: str
    held_on: date
    status: str


class AttendanceMark(Schema):
    client_id: int
    status: str = Field(json_schema_extra={"enum": list(Attendance.Status.values)})


class SessionIn(Schema):
    held_on: date
    topic: str = Field("", max_length=200)
    note: str = Field("", max_length=4000)
    attendance: list[AttendanceMark]


class SessionOut(Schema):
    id: int
    group_id: int
    held_on: date
    people: int


def _check_moment(value: datetime | None, name: str) -> None:
    """A time from a client: with a time zone, not in the future, within the last year."""
    if value is None:
        return
    if timezone.is_naive(value):
        raise HttpError(422, f"{name}: give a time zone (for example 2026-12-01T10:00-05:00)")
    if value > timezone.now() + timedelta(hours=1):
        raise HttpError(422, f"{name}: cannot be in the future")
    if value < timezone.now() - CONTACT_MAX_AGE:
        raise HttpError(422, f"{name}: must be within the last year")


def _check_choices(values: list[str], allowed: list[str], name: str) -> None:
    bad = sorted(set(values) - set(allowed))
    if bad:
        raise HttpError(422, f"{name}: unknown values {bad}")


class ContactPage(Schema):
    items: list[ContactOut]
    next: str | None = Field(
        None, description="Pass as `after` to get the next (older) page; null on the last page."
    )


@router.get(
    "/clients/{client_id}/contacts",
    response=ContactPage,
    summary="A person's contact notes, newest first, a page at a time",
)
def list_contacts(
    request: HttpRequest, client_id: int, after: str | None = None, limit: int = 50
) -> ContactPage:
    user = request.user
    grant = access.client_for_read(user, client_id)
    if not 1 <= limit <= 200:
        raise HttpError(422, "limit must be between 1 and 200")
    try:
        page = queries.contact_history(user, grant, after=after, per_page=limit)  # type: ignore[arg-type]
    except BadRequest as exc:
        raise HttpError(422, str(exc)) from None
    return ContactPage(items=[ContactOut.of(c) for c in page], next=page.next_cursor)


@router.post(
    "/clients/{client_id}/contacts",
    response={201: ContactOut},
    summary="Record a contact (a draft, or signed with sign=true)",
)
def create_contact(request: HttpRequest, client_id: int, payload: ContactIn) -> Status[ContactOut]:
    user = request.user
    grant = access.client_for_write(user, client_id)
    _check_choices(payload.services, PeerService.values, "services")
    _check_choices(payload.other_tasks, OtherTask.values, "other_tasks")
    _check_choices([payload.place] if payload.place else [], Place.values, "place")
    _check_moment(payload.occurred_at, "occurred_at")
    fields = payload.dict(exclude={"sign"})
    if fields["occurred_at"] is None:
        fields.pop("occurred_at")
    try:
        contact = actions.contact_record(actor=user, access=grant, sign=payload.sign, **fields)  # type: ignore[arg-type]
    except actions.IncompleteNoteError as incomplete:
        raise HttpError(422, f"to sign, fill in: {', '.join(incomplete.missing)}") from None
    contact.author = user  # type: ignore[assignment]
    return Status(201, ContactOut.of(contact))


@router.get(
    "/clients/{client_id}/outreach",
    response=list[OutreachOut],
    summary="Attempts to reach a person, newest first",
)
def list_outreach(request: HttpRequest, client_id: int) -> list[OutreachOut]:
    user = request.user
    grant = access.client_for_read(user, client_id)
    attempts = queries.outreach_of(grant, limit=100)
    queries.audit_view(user, grant, "outreach.view")  # type: ignore[arg-type]
    return [OutreachOut.from_orm(a) for a in attempts]


@router.post(
    "/clients/{client_id}/outreach", response={201: OutreachOut}, summary="Log an outreach attempt"
)
def create_outreach(
    request: HttpRequest, client_id: int, payload: OutreachIn
) -> Status[OutreachOut]:
    user = request.user
    grant = access.client_for_write(user, client_id)
    _check_choices([payload.method], OutreachAttempt.Method.values, "method")
    _check_choices([payload.outcome], OutreachAttempt.Outcome.values, "outcome")
    _check_moment(payload.attempted_at, "attempted_at")
    attempt = actions.outreach_record(actor=user, access=grant, **payload.dict())  # type: ignore[arg-type]
    return Status(201, OutreachOut.from_orm(attempt))


@router.get(
    "/clients/{client_id}/attendance",
    response=list[AttendanceOut],
    summary="A person's group attendance, newest first",
)
def list_attendance(request: HttpRequest, client_id: int) -> list[AttendanceOut]:
    user = request.user
    grant = access.client_for_read(user, client_id)
    rows = queries.attendance_of(grant, limit=100)
    queries.audit_view(user, grant, "group.attendance_view")  # type: ignore[arg-type]
    return [
        AttendanceOut(
            session_id=a.session_id,
            group_id=a.session.group_id,
            group_name=a.session.group.name,
            held_on=a.session.held_on,
            status=a.status,
        )
        for a in rows
    ]


@router.post(
    "/groups/{group_id}/sessions",
    response={201: SessionOut},
    summary="Record a group session with the whole room's attendance",
)
def create_session(request: HttpRequest, group_id: int, payload: SessionIn) -> Status[SessionOut]:
    user = request.user
    group = queries.group_for(user, group_id)  # type: ignore[arg-type]
    if not group.facilitators.filter(pk=user.pk).exists():
        raise PermissionDenied
    roster = {
        m.client_id
        for m in queries.group_roster(user, group, audit_view=False)  # type: ignore[arg-type]
    }
    _check_choices([m.status for m in payload.attendance], Attendance.Status.values, "status")
    marks = {m.client_id: m.status for m in payload.attendance}
    if set(marks) - roster:
        # Same answer whether the person exists or not: never reveal a record.
        raise HttpError(422, "attendance: some people are not members of this group you can see")
    if payload.held_on > timezone.localdate():
        raise HttpError(422, "held_on: a session cannot be in the future")
    if payload.held_on < timezone.localdate() - CONTACT_MAX_AGE:
        raise HttpError(422, "held_on: a session must be within the last year")
    try:
        session = actions.group_session_record(
            actor=user,  # type: ignore[arg-type]
            group=group,
            held_on=payload.held_on,
            topic=payload.topic,
            note=payload.note,
            attendance=marks,
            roster_ids=roster,
        )
    except actions.NotAllowedError:
        raise PermissionDenied from None
    return Status(
        201,
        SessionOut(id=session.pk, group_id=group.pk, held_on=session.held_on, people=len(marks)),
    )
