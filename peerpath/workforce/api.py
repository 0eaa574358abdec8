"""JSON API of readiness surveys: waves and their aggregate results (never an answer)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from peerpath.core import agency
from peerpath.core.models import Staff

from . import queries

router = Router(tags=["surveys"])


class WaveOut(Schema):
    id: int
    name: str
    questionnaire: str  # its canonical URL
    opens_on: date
    closes_on: date


class ItemOut(Schema):
    link_id: str
    text: str
    score: Decimal | None
    answered: int
    earlier: Decimal | None
    change: Decimal | None


class SectionOut(ItemOut):
    needs_work: bool
    items: list[ItemOut]


class GroupOut(Schema):
    label: str
    answered: int
    other: bool  # small groups together
    sections: dict[str, Decimal | None]  # section link id: score


class ResultsOut(Schema):
    wave: WaveOut
    answered: int
    minimum: int  # results show only from this many answers, and groups likewise
    shown: bool
    compared_with: int | None
    sections: list[SectionOut]
    groups: list[GroupOut]


def _runner(request: HttpRequest) -> Staff:
    user: Staff = request.user  # type: ignore[assignment]
    if not agency.may_run_agency(user):
        raise PermissionDenied
    return user


def _wave_out(wave: object) -> WaveOut:
    return WaveOut(
        id=wave.pk,  # type: ignore[attr-defined]
        name=wave.name,  # type: ignore[attr-defined]
        questionnaire=wave.instrument.url,  # type: ignore[attr-defined]
        opens_on=wave.opens_on,  # type: ignore[attr-defined]
        closes_on=wave.closes_on,  # type: ignore[attr-defined]
    )


@router.get("/surveys", response=list[WaveOut], summary="The agency's survey waves, newest first")
def list_waves(request: HttpRequest) -> list[WaveOut]:
    user = _runner(request)
    page = queries.waves(user.organization_id or 0, None)
    return [_wave_out(w) for w in page.items]


@router.get(
    "/surveys/{wave_id}/results",
    response=ResultsOut,
    summary="A wave's results by section and item, optionally by team or role and compared "
    "with another wave; groups below the threshold are merged, never shown alone",
)
def wave_results(
    request: HttpRequest,
    wave_id: int,
    by: Literal["agency", "team", "role"] = "agency",
    compare: int | None = None,
) -> ResultsOut:
    user = _runner(request)
    wave = queries.wave_for(user.organization_id, wave_id)
    other = None
    if compare is not None:
        other = next((w for w in queries.comparable_waves(wave) if w.pk == compare), None)
        if other is None:
            raise HttpError(422, "compare: not another wave of the same questionnaire")
    found = queries.wave_results(wave, by=by, compare=other)
    rows = found.rows()
    sections = []
    for row in (r for r in rows if r.is_section):
        items = [
            ItemOut(
                link_id=r.item,
                text=r.text,
                score=r.mean,
                answered=r.answered,
                earlier=r.earlier,
                change=r.change,
            )
            for r in rows
            if r.section == row.section and not r.is_section
        ]
        sections.append(
            SectionOut(
                link_id=row.section,
                text=row.text,
                score=row.mean,
                answered=row.answered,
                earlier=row.earlier,
                change=row.change,
                needs_work=row.is_low,
                items=items,
            )
        )
    return ResultsOut(
        wave=_wave_out(wave),
        answered=found.answered,
        minimum=found.minimum,
        shown=found.shown,
        compared_with=other.pk if other is not None and found.earlier is not None else None,
        sections=sections,
        groups=[
            GroupOut(
                label=g.label,
                answered=g.count,
                other=g.is_other,
                sections={s.link_id: s.mean for s in g.sections},
            )
            for g in found.groups
        ],
    )


class PositionOut(Schema):
    id: int
    title: str
    status: str
    team: str | None
    duties: list[str]
    lived_experience: bool
    certification: str
    certification_months: int | None
    paid_years_required: int
    experience_counts: list[str]
    hours_per_week: int
    pay_min: Decimal
    pay_max: Decimal
    county: str
    household: str
    living_wage: Decimal | None
    below_living_wage: bool
    reading_grade: float | None
    words_to_change: list[str]


class PositionPage(Schema):
    items: list[PositionOut]
    next: str | None  # pass as `after` for the next page


@router.get(
    "/positions",
    response=PositionPage,
    summary="The agency's peer positions, newest first, with their checks (living wage, "
    "plain and person-first language)",
)
def list_positions(request: HttpRequest, after: str | None = None) -> PositionPage:
    user = _runner(request)
    try:
        page = queries.positions(user.organization_id or 0, after)
    except BadRequest as exc:
        raise HttpError(422, str(exc)) from None
    items = []
    for position in page.items:
        checks = position.checks  # type: ignore[attr-defined]
        items.append(
            PositionOut(
                id=position.pk,
                title=position.title,
                status=position.status,
                team=position.team.name if position.team else None,
                duties=position.duties,
                lived_experience=position.lived_experience,
                certification=position.certification,
                certification_months=position.certification_months,
                paid_years_required=position.paid_years_required,
                experience_counts=position.experience_counts,
                hours_per_week=position.hours_per_week,
                pay_min=position.pay_min,
                pay_max=position.pay_max,
                county=position.county,
                household=position.household,
                living_wage=checks.living_wage,
                below_living_wage=checks.below_living_wage,
                reading_grade=checks.grade,
                words_to_change=[flag.found for flag in checks.flags],
            )
        )
    return PositionPage(items=items, next=page.next_cursor)


# Supporting peers at work -------------------------------------------------------------------


class CertificationOut(Schema):
    peer: str
    peer_id: int
    certification: str  # state_peer, recovery_coach or other
    name: str
    issued_by: str
    expires_on: date | None
    days_left: int | None
    expired: bool
    hours_required: int
    hours_done: Decimal
    ethics_required: int
    ethics_done: Decimal


class MonthOut(Schema):
    month: date  # its first day
    peer_minutes: float
    other_minutes: float
    share: int | None  # percent of classified time that was peer work


class FidelityOut(Schema):
    peer: str
    peer_id: int
    caseload: int | None
    under_target: bool
    months: list[MonthOut]


class FidelityPage(Schema):
    target: int
    caseload_target: int
    peers: list[FidelityOut]


def _follower(request: HttpRequest) -> Staff:
    from . import support

    user: Staff = request.user  # type: ignore[assignment]
    if not (agency.may_run_agency(user) or support.supervises(user)):
        raise PermissionDenied
    return user


@router.get(
    "/certifications",
    response=list[CertificationOut],
    summary="Certifications of the peers the user supervises (all peers for those who run the "
    "agency), soonest to expire first, with the hours toward renewal",
)
def list_certifications(request: HttpRequest) -> list[CertificationOut]:
    from django.utils import timezone

    from . import certifications, support

    user = _follower(request)
    peers = list(support.peers_of(user)[:300])
    return [
        CertificationOut(
            peer=p.certification.staff.full_name,
            peer_id=p.certification.staff_id,
            certification=p.certification.kind,
            name=p.certification.name or str(p.certification.get_kind_display()),
            issued_by=p.certification.body,
            expires_on=p.certification.expires_on,
            days_left=p.days_left,
            expired=p.expired,
            hours_required=p.certification.ce_hours,
            hours_done=p.hours,
            ethics_required=p.certification.ethics_hours,
            ethics_done=p.ethics,
        )
        for p in certifications.for_peers(peers, timezone.localdate())
    ]


@router.get(
    "/fidelity",
    response=FidelityPage,
    summary="The share of each followed peer's contact time that was peer work, by month (six "
    "months), against the agency's target, with caseloads",
)
def peer_work(request: HttpRequest) -> FidelityPage:
    from django.utils import timezone

    from . import support

    user = _follower(request)
    rules = support.rules_for(user.organization_id or 0)
    rows, _teams = support.fidelity(list(support.peers_of(user)[:300]), rules, timezone.localdate())
    return FidelityPage(
        target=rules.fidelity_target,
        caseload_target=rules.caseload_target,
        peers=[
            FidelityOut(
                peer=row.label,
                peer_id=row.peer.pk if row.peer else 0,
                caseload=row.caseload,
                under_target=row.under_target,
                months=[
                    MonthOut(
                        month=m.start,
                        peer_minutes=round(m.peer_minutes, 1),
                        other_minutes=round(m.other_minutes, 1),
                        share=m.share,
                    )
                    for m in row.months
                ],
            )
            for row in rows
        ],
    )
