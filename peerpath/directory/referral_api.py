"""JSON API of referrals: a person's referrals, each one as a FHIR R4 Task, and the writes the
referral page makes (refer, change the status, record the outcome)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import BadRequest
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from peerpath.clients import access
from peerpath.core.models import Staff

from . import referral_queries as queries
from . import referrals
from .models import Referral, ReferralBarrier

router = Router(tags=["referrals"])

StatusCode = Literal[
    "draft",
    "requested",
    "received",
    "accepted",
    "rejected",
    "in-progress",
    "completed",
    "cancelled",
    "failed",
]
OutcomeCode = Literal["got_service", "waiting_list", "not_eligible", "did_not_go"]
BarrierCode = Literal[
    "scheduling", "procedures", "documents", "cost", "transport", "language", "other"
]
assert set(Referral.Status.values) == set(StatusCode.__args__)  # type: ignore[attr-defined]  # noqa: S101
assert set(Referral.Outcome.values) == set(OutcomeCode.__args__)  # type: ignore[attr-defined]  # noqa: S101
assert set(ReferralBarrier.Kind.values) == set(BarrierCode.__args__)  # type: ignore[attr-defined]  # noqa: S101


class ReferralOut(Schema):
    id: int
    service_name: str
    provider: str
    status: str
    outcome: str
    follow_up_on: date
    warm_handoff: bool
    created_at: datetime
    created_by: int


class ReferralPage(Schema):
    items: list[ReferralOut]
    next: str | None = Field(
        None, description="Pass as `after` to get the next (older) page; null on the last page."
    )


class ReferralIn(Schema):
    resource: int = Field(description="The `id` of a result of GET /resources")
    reason: str = Field(min_length=1, max_length=2000)
    shared_information: str = Field("", max_length=2000)
    consent_given: bool = Field(description="The person agrees to the referral and the sharing")
    part2_consent: int | None = Field(
        None, description="The person's valid Part 2 consent, when the record is under Part 2"
    )
    follow_up_on: date
    warm_handoff: bool
    draft: bool = False


class StatusIn(Schema):
    status: StatusCode
    note: str = Field("", max_length=2000)
    version: int


class OutcomeIn(Schema):
    outcome: OutcomeCode
    note: str = Field("", max_length=2000)
    barriers: list[BarrierCode] = []
    barrier_note: str = Field("", max_length=300)
    next_follow_up: date | None = None
    version: int


def _task(user: Staff, grant: access.ClientAccess, referral_id: int) -> dict[str, Any]:
    return referrals.as_fhir_task(queries.referral_detail(user, grant, referral_id))


def _change(
    user: Staff,
    grant: access.ClientAccess,
    referral_id: int,
    write: Callable[[Referral], object],
) -> dict[str, Any]:
    """Run a change of one referral: the Task after it, 409 when it changed meanwhile, 422 with
    the field and the reason for anything refused."""
    try:
        write(queries.referral_for(grant, referral_id))
    except referrals.StaleReferral as stale:
        raise HttpError(409, f"changed meanwhile; now version {stale.current.version}") from None
    except referrals.ReferralRefused as refused:
        raise _refused(refused) from None
    return _task(user, grant, referral_id)


def _refused(refused: referrals.ReferralRefused) -> HttpError:
    return HttpError(422, f"{refused.field}: {refused.message}" if refused.field else str(refused))


@router.get(
    "/clients/{client_id}/referrals",
    response=ReferralPage,
    summary="A person's referrals, newest first, a page at a time",
)
def list_referrals(request: HttpRequest, client_id: int, after: str | None = None) -> ReferralPage:
    user: Staff = request.user  # type: ignore[assignment]
    grant = access.client_for_read(user, client_id)
    try:
        page = queries.person_referrals(user, grant, after)
    except BadRequest as exc:
        raise HttpError(422, str(exc)) from None
    return ReferralPage(
        items=[
            ReferralOut(
                id=r.pk,
                service_name=r.service_name,
                provider=r.provider,
                status=r.status,
                outcome=r.outcome,
                follow_up_on=r.follow_up_on,
                warm_handoff=r.warm_handoff,
                created_at=r.created_at,
                created_by=r.created_by_id,
            )
            for r in page
        ],
        next=page.next_cursor,
    )


@router.get(
    "/clients/{client_id}/referrals/{referral_id}",
    response=dict[str, Any],
    summary="One referral as a FHIR R4 Task (with its outcome; the read is recorded)",
)
def get_referral(request: HttpRequest, client_id: int, referral_id: int) -> dict[str, Any]:
    user: Staff = request.user  # type: ignore[assignment]
    return _task(user, access.client_for_read(user, client_id), referral_id)


@router.post(
    "/clients/{client_id}/referrals",
    response={201: dict[str, Any]},
    summary="Refer the person to a service of the directory (returns the FHIR Task)",
)
def create_referral(
    request: HttpRequest, client_id: int, payload: ReferralIn
) -> Status[dict[str, Any]]:
    user: Staff = request.user  # type: ignore[assignment]
    grant = access.client_for_write(user, client_id)
    if user.organization is None:
        raise HttpError(404, "No directory for this account.")
    entry = queries.entry_to_refer(user.organization, payload.resource)
    consent = None
    if payload.part2_consent is not None:
        valid = queries.part2_consents(grant, timezone.localdate()) or []
        consent = next((c for c in valid if c.pk == payload.part2_consent), None)
        if consent is None:
            raise HttpError(422, "part2_consent: not a valid consent of this person")
    try:
        referral = referrals.referral_create(
            actor=user,
            access=grant,
            entry=entry,
            reason=payload.reason,
            shared_information=payload.shared_information,
            consent_given=payload.consent_given,
            follow_up_on=payload.follow_up_on,
            warm_handoff=payload.warm_handoff,
            part2_consent=consent,
            draft=payload.draft,
        )
    except referrals.ReferralRefused as refused:
        raise _refused(refused) from None
    return Status(201, _task(user, grant, referral.pk))


@router.post(
    "/clients/{client_id}/referrals/{referral_id}/status",
    response=dict[str, Any],
    summary="Move a referral to its next FHIR Task status (409 when it changed meanwhile)",
)
def change_status(
    request: HttpRequest, client_id: int, referral_id: int, payload: StatusIn
) -> dict[str, Any]:
    user: Staff = request.user  # type: ignore[assignment]
    grant = access.client_for_write(user, client_id)
    return _change(
        user,
        grant,
        referral_id,
        lambda referral: referrals.referral_status_change(
            actor=user,
            access=grant,
            referral=referral,
            to_status=payload.status,
            note=payload.note,
            expected_version=payload.version,
        ),
    )


@router.post(
    "/clients/{client_id}/referrals/{referral_id}/outcome",
    response=dict[str, Any],
    summary="Record what happened, and the barriers met (409 when it changed meanwhile)",
)
def record_outcome(
    request: HttpRequest, client_id: int, referral_id: int, payload: OutcomeIn
) -> dict[str, Any]:
    user: Staff = request.user  # type: ignore[assignment]
    grant = access.client_for_write(user, client_id)
    return _change(
        user,
        grant,
        referral_id,
        lambda referral: referrals.referral_outcome_record(
            actor=user,
            access=grant,
            referral=referral,
            outcome=payload.outcome,
            note=payload.note,
            barriers=list(payload.barriers),
            barrier_note=payload.barrier_note,
            next_follow_up=payload.next_follow_up,
            expected_version=payload.version,
        ),
    )
