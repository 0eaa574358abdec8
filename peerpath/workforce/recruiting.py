"""Candidates and interviews: screening, the panel and its criteria, blind scoring, the
decision, the question bank that protects candidates, and the purge of those not hired.

Candidates' data is personnel data. Only those who run the agency and the position's panel may
see it (`may_see`), and every read is audited like a person's record (`read_logged`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peerpath.core import agency, audit
from peerpath.core.models import Organization, Staff

from .models import Candidate, Criterion, InterviewQuestion, PanelMember, Position, Scorecard
from .strategies import PlanRefused, agency_of, words_of

MIN_PANEL = 2
MAX_CRITERIA = 8
SCORES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class DefaultCriterion:
    key: str
    label: Promise
    weight: int


# What a peer position's interviewers score unless the agency says otherwise.
CRITERIA = (
    DefaultCriterion(
        "purposeful_sharing", _("Shares their own experience of recovery with purpose"), 3
    ),
    DefaultCriterion("listening", _("Listens, and helps people reach what they want"), 3),
    DefaultCriterion("connecting", _("Connects people to services and mutual-aid groups"), 2),
    DefaultCriterion("teamwork", _("Works with a team and asks for support"), 2),
    DefaultCriterion("experience", _("Experience that counts for this job"), 1),
)

# Lawful questions the bank starts with: about the work, never about health.
QUESTIONS: dict[str, Promise] = {
    "why_peer_work": _("What draws you to peer support work?"),
    "story_with_purpose": _(
        "Tell us about a time you chose to share part of your own story to help someone. "
        "What did you share, and why?"
    ),
    "boundaries": _(
        "Someone you support asks to be friends on social media. What do you do, and why?"
    ),
    "self_care": _("How do you take care of yourself when the work gets hard?"),
    "disagreement": _(
        "A team member talks about a person in a way you think is unfair. What do you do?"
    ),
    "connecting": _("Someone needs housing by Friday. Walk us through how you would help."),
}

# Questions about a candidate's health history are refused: disclosing lived experience is the
# candidate's choice, and such questions are unlawful in hiring (ADA, Title I). English and
# Spanish words; a match anywhere in the question refuses it.
_FORBIDDEN = re.compile(
    r"\b("
    r"diagnos\w*|disorder|illness(es)?|mental(ly)? ill|psychiatric (history|condition)|"
    r"medication\w*|meds|prescri\w*|pills?|lithium|antidepressant\w*|methadone|suboxone|"
    r"buprenorphine|hospital\w*|inpatient|committed|psych ward|"
    r"treatment|rehab\w*|detox\w*|therap(y|ist)|relaps\w*|sober since|clean date|sobriety date|"
    r"diagn[oó]stic\w*|trastorno|enfermedad(es)?|medicamento\w*|medicaci[oó]n|recetad\w*|"
    r"pastillas?|hospitaliza\w*|internad[oa]|tratamiento|reca[ií]d\w*|desintoxica\w*|terapia"
    r")\b",
    re.IGNORECASE,
)
ALTERNATIVES: tuple[Promise, ...] = (
    _("Tell us about a time you used your own experience to support someone."),
    _("What helps you stay well at work, and what support would you want from us?"),
    _("How would you decide what part of your story to share, and when?"),
)


def question_problem(text: str) -> Promise | None:
    """Why a question may not be asked, or None."""
    if not text.strip():
        return _("Write the question.")
    if _FORBIDDEN.search(text):
        return _(
            "Questions about diagnosis, medication, hospital stays or treatment history may "
            "not be asked. Whether to tell anything of their own recovery is the candidate's "
            "choice, and asking is unlawful in hiring. Ask about the work instead."
        )
    return None


def criterion_label(criterion: Criterion) -> str:
    return words_of(criterion.label, criterion.key, {c.key: c.label for c in CRITERIA})


def question_text(question: InterviewQuestion) -> str:
    return words_of(question.text, question.key, QUESTIONS)


# Who may see what ------------------------------------------------------------------------------


def on_panel(user: Staff, position_id: int) -> bool:
    return PanelMember.objects.filter(position_id=position_id, staff_id=user.pk).exists()


def may_see(user: Staff, position: Position) -> bool:
    """Those who run the agency, and the position's own panel."""
    if user.organization_id != position.organization_id or not user.is_active:
        return False
    return agency.may_run_agency(user) or on_panel(user, position.pk)


def read_logged(user: Staff, candidates: list[Candidate], *, action: str) -> None:
    """Every read of candidates' data leaves a trail, one event per candidate shown."""
    if not candidates:
        return
    audit.record_many(
        organization=candidates[0].organization_id,
        actor=user,
        entries=[audit.Entry(action=action, obj=c) for c in candidates],
    )


# Setting up: the bank, the panel, the criteria ---------------------------------------------------


def questions_seed(organization: Organization | int) -> None:
    """Give the agency PeerPath's lawful questions (once; its changes are kept)."""
    org_id = organization if isinstance(organization, int) else organization.pk
    have = set(
        InterviewQuestion.objects.filter(organization_id=org_id)
        .exclude(key="")
        .values_list("key", flat=True)
    )
    InterviewQuestion.objects.bulk_create(
        InterviewQuestion(organization_id=org_id, key=key) for key in QUESTIONS if key not in have
    )


def question_add(*, actor: Staff, text: str) -> InterviewQuestion:
    organization_id = agency_of(actor)
    problem = question_problem(text)
    if problem is not None:
        raise PlanRefused(problem, field="text")
    with transaction.atomic():
        question = InterviewQuestion.objects.create(
            organization_id=organization_id, text=text.strip(), created_by=actor
        )
        audit.record(organization=organization_id, actor=actor, action="question.add", obj=question)
    return question


def question_retire(*, actor: Staff, question: InterviewQuestion) -> None:
    organization_id = agency_of(actor)
    if question.organization_id != organization_id:
        raise PermissionError("another agency's question")
    with transaction.atomic():
        question.is_active = False
        question.save(update_fields=["is_active"])
        audit.record(
            organization=organization_id, actor=actor, action="question.retire", obj=question
        )


def criteria_seed(position: Position) -> None:
    if not Criterion.objects.filter(position=position).exists():
        Criterion.objects.bulk_create(
            Criterion(
                organization_id=position.organization_id,
                position=position,
                key=c.key,
                weight=c.weight,
                order=n,
            )
            for n, c in enumerate(CRITERIA)
        )


def _order(criterion: Criterion) -> tuple[int, int]:
    return (criterion.order, criterion.pk)


@dataclass(frozen=True)
class PanelSaved:
    members: int
    has_peer: bool


def panel_save(
    *,
    actor: Staff,
    position: Position,
    members: list[Staff],
    criteria: list[tuple[int | None, str, int]],
) -> PanelSaved:
    """Set the position's interviewers (at least two) and its criteria: (id of one kept, its
    words, weight 1-5). Criteria cannot change once an interviewer has submitted scores."""
    organization_id = agency_of(actor)
    if position.organization_id != organization_id:
        raise PermissionError("another agency's position")
    if len({m.pk for m in members}) < MIN_PANEL:
        raise PlanRefused(_("A panel needs at least two interviewers."), field="members")
    if any(m.organization_id != organization_id or not m.is_active for m in members):
        raise PlanRefused(_("Choose from your own agency."), field="members")
    if not criteria:
        raise PlanRefused(_("Keep at least one thing to score."), field="criteria")
    if len(criteria) > MAX_CRITERIA:
        raise PlanRefused(_("Score at most eight things."), field="criteria")
    if any(weight not in SCORES for _id, _label, weight in criteria):
        raise PlanRefused(_("A weight is from 1 to 5."), field="criteria")
    with transaction.atomic():
        Position.objects.select_for_update().get(pk=position.pk)
        current = {c.pk: c for c in Criterion.objects.filter(position=position)}
        wanted = [(pk, label.strip(), weight) for pk, label, weight in criteria]
        if any(pk is not None and pk not in current for pk, _l, _w in wanted):
            raise PlanRefused(_("Someone changed these criteria. Nothing was saved."))
        before = [
            (c.pk, criterion_label(c), c.weight) for c in sorted(current.values(), key=_order)
        ]
        after = [
            (pk, label or (criterion_label(current[pk]) if pk is not None else ""), weight)
            for pk, label, weight in wanted
        ]
        changes = before != after
        if (
            changes
            and Scorecard.objects.filter(
                candidate__position=position, submitted_at__isnull=False
            ).exists()
        ):
            raise PlanRefused(
                _("Interviewers have submitted scores: the criteria can no longer change."),
                field="criteria",
            )
        if changes:
            keep = {pk for pk, _l, _w in wanted if pk is not None}
            Criterion.objects.filter(position=position).exclude(pk__in=keep).delete()
            for order, (pk, label, weight) in enumerate(wanted):
                if pk is None:
                    if not label:
                        raise PlanRefused(_("Say what is scored."), field="criteria")
                    Criterion.objects.create(
                        organization_id=organization_id,
                        position=position,
                        label=label,
                        weight=weight,
                        order=order,
                    )
                else:
                    criterion = current[pk]
                    if label and label != criterion_label(criterion):
                        criterion.label = label
                    criterion.weight, criterion.order = weight, order
                    criterion.save(update_fields=["label", "weight", "order"])
        ids = {m.pk for m in members}
        PanelMember.objects.filter(position=position).exclude(staff_id__in=ids).delete()
        have = set(PanelMember.objects.filter(position=position).values_list("staff_id", flat=True))
        PanelMember.objects.bulk_create(
            PanelMember(organization_id=organization_id, position=position, staff_id=pk)
            for pk in sorted(ids - have)
        )
        has_peer = any(m.is_peer for m in members)
        audit.record(
            organization=organization_id,
            actor=actor,
            action="panel.save",
            obj=position,
            details={"interviewers": sorted(ids), "peer": has_peer, "criteria": len(wanted)},
        )
    return PanelSaved(len(ids), has_peer)


# Candidates -----------------------------------------------------------------------------------


CANDIDATE_FIELDS = (
    "full_name",
    "email",
    "phone",
    "applied_on",
    "paid_years",
    "peer_run_years",
    "volunteer_years",
    "lived_experience",
    "certification",
)


def candidate_add(*, actor: Staff, position: Position, data: dict[str, Any]) -> Candidate:
    organization_id = agency_of(actor)
    if position.organization_id != organization_id:
        raise PermissionError("another agency's position")
    if data["applied_on"] > timezone.localdate():
        raise PlanRefused(_("The application date is in the future."), field="applied_on")
    with transaction.atomic():
        candidate = Candidate.objects.create(
            organization_id=organization_id,
            position=position,
            created_by=actor,
            **{name: data[name] for name in CANDIDATE_FIELDS},
        )
        audit.record(
            organization=organization_id, actor=actor, action="candidate.add", obj=candidate
        )
    return candidate


# Which status may follow which, by those who run the agency (a decision is `decide`).
MOVES: dict[str, tuple[str, ...]] = {
    Candidate.Status.APPLIED: (
        Candidate.Status.INTERVIEW,
        Candidate.Status.SCREENED_OUT,
        Candidate.Status.WITHDREW,
    ),
    Candidate.Status.INTERVIEW: (Candidate.Status.WITHDREW,),
}


def candidate_move(
    *,
    actor: Staff,
    candidate: Candidate,
    status: str,
    screen_reason: str = "",
    reason: str = "",
    expected_version: int = 0,
) -> Candidate:
    organization_id = agency_of(actor)
    with transaction.atomic():
        current = (
            Candidate.objects.select_for_update()
            .select_related("position")
            .get(pk=candidate.pk, organization_id=organization_id)
        )
        if expected_version and current.version != expected_version:
            raise PlanRefused(
                _("Someone changed this candidate while you had it open. Nothing was saved.")
            )
        if status not in MOVES.get(current.status, ()):
            raise PlanRefused(_("That step does not follow from where the candidate is."))
        if status == Candidate.Status.SCREENED_OUT:
            if screen_reason not in Candidate.ScreenReason.values:
                raise PlanRefused(_("Say why the candidate is screened out."), field="reason")
            if screen_reason == Candidate.ScreenReason.PAID_YEARS and not (
                current.paid_years < current.position.paid_years_required
            ):
                raise PlanRefused(
                    _("The candidate has the years of paid work this position asks for."),
                    field="reason",
                )
            if screen_reason == Candidate.ScreenReason.OTHER and not reason.strip():
                raise PlanRefused(_("Say which reason."), field="reason")
        current.status = status
        current.screen_reason = screen_reason if status == Candidate.Status.SCREENED_OUT else ""
        current.reason = reason.strip()
        current.closed_on = timezone.localdate() if status in Candidate.CLOSED else None
        current.version += 1
        current.save()
        audit.record(
            organization=organization_id,
            actor=actor,
            action="candidate.move",
            obj=current,
            details={"status": status, "screen_reason": current.screen_reason},
        )
    return current


def scorecard_save(
    *,
    actor: Staff,
    candidate: Candidate,
    scores: dict[int, int | None],
    notes: str,
    submit: bool,
) -> Scorecard:
    """An interviewer's own scores: kept as a draft, or submitted (then final). A submitted
    card needs a score for every criterion."""
    if not on_panel(actor, candidate.position_id):
        raise PermissionError("not on this position's panel")
    with transaction.atomic():
        current = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if current.status != Candidate.Status.INTERVIEW:
            raise PlanRefused(_("This candidate is not being interviewed."))
        criteria = set(
            Criterion.objects.filter(position_id=current.position_id).values_list("pk", flat=True)
        )
        if set(scores) - criteria:
            raise PlanRefused(_("Score the position's criteria."), field="scores")
        if any(value is not None and value not in SCORES for value in scores.values()):
            raise PlanRefused(_("A score is from 1 to 5."), field="scores")
        kept = {str(pk): value for pk, value in scores.items() if value is not None}
        if submit and set(kept) != {str(pk) for pk in criteria}:
            raise PlanRefused(
                _("Score every criterion before you submit. Your draft was not saved."),
                field="scores",
            )
        card, _created = Scorecard.objects.select_for_update().get_or_create(
            candidate=current,
            interviewer=actor,
            defaults={"organization_id": current.organization_id},
        )
        if card.submitted_at is not None:
            raise PlanRefused(_("You have submitted your scores; they no longer change."))
        card.scores, card.notes = kept, notes.strip()
        if submit:
            card.submitted_at = timezone.now()
        card.save()
        audit.record(
            organization=current.organization_id,
            actor=actor,
            action="scorecard.submit" if submit else "scorecard.save",
            obj=current,
        )
    return card


def decide(*, actor: Staff, candidate: Candidate, hired: bool, reason: str) -> Candidate:
    """The panel's decision, once at least two interviewers have submitted, with its reason."""
    if not (agency.may_run_agency(actor) or on_panel(actor, candidate.position_id)):
        raise PermissionError("not on this position's panel")
    if actor.organization_id != candidate.organization_id:
        raise PermissionError("another agency's candidate")
    if not reason.strip():
        raise PlanRefused(_("Write the reason for the decision."), field="reason")
    with transaction.atomic():
        current = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if current.status != Candidate.Status.INTERVIEW:
            raise PlanRefused(_("This candidate is not being interviewed."))
        submitted = Scorecard.objects.filter(candidate=current, submitted_at__isnull=False)
        if submitted.count() < MIN_PANEL:
            raise PlanRefused(_("At least two interviewers must submit their scores first."))
        current.status = Candidate.Status.HIRED if hired else Candidate.Status.NOT_HIRED
        current.reason = reason.strip()
        current.decided_by = actor
        current.closed_on = timezone.localdate()
        current.version += 1
        current.save()
        audit.record(
            organization=current.organization_id,
            actor=actor,
            action="candidate.decide",
            obj=current,
            details={"status": current.status},
        )
    return current


# The record of a candidate not hired does not outlive its purpose ---------------------------------


def purge(*, today: date | None = None, days: int | None = None) -> dict[int, int]:
    """Delete candidates not hired whose application closed more than `days` ago (the
    CANDIDATE_RETENTION_DAYS setting), with their scores: how many, by agency. Each agency's
    trail gets one event with the count (no names)."""
    today = today or timezone.localdate()
    days = settings.CANDIDATE_RETENTION_DAYS if days is None else days
    cutoff = today - timedelta(days=days)
    due = Candidate.objects.filter(status__in=Candidate.CLOSED, closed_on__lt=cutoff)
    counts: dict[int, int] = {}
    by_agency = due.values("organization_id").annotate(n=Count("id")).order_by()
    for row in by_agency:
        org_id, _count = row["organization_id"], row["n"]
        with transaction.atomic():
            ids = list(due.filter(organization_id=org_id).values_list("pk", flat=True))
            Scorecard.objects.filter(candidate_id__in=ids).delete()
            deleted = Candidate.objects.filter(pk__in=ids).delete()[1].get(Candidate._meta.label, 0)
            audit.record(
                organization=org_id,
                action="candidate.purge",
                details={"candidates": deleted, "closed_before": cutoff.isoformat(), "days": days},
            )
        counts[org_id] = deleted
    return counts


# What the hiring report says ------------------------------------------------------------------


def counted_years(candidate: Candidate, position: Position) -> Decimal:
    """Years toward the position's experience requirement, as the position counts them."""
    years = candidate.paid_years
    if "peer_run" in position.experience_counts:
        years += candidate.peer_run_years
    if "volunteer" in position.experience_counts:
        years += candidate.volunteer_years
    return years


def paid_rule_only(position: Position) -> list[tuple[Candidate, Decimal, bool]]:
    """Candidates screened out only because of the paid-work rule: each with the years the
    position's own counting gives them, and whether that meets the requirement."""
    found = Candidate.objects.filter(
        position=position,
        status=Candidate.Status.SCREENED_OUT,
        screen_reason=Candidate.ScreenReason.PAID_YEARS,
    ).order_by("-id")[:200]
    rows = []
    for candidate in found:
        years = counted_years(candidate, position)
        rows.append((candidate, years, years >= position.paid_years_required))
    return rows


def status_counts(position: Position) -> dict[str, int]:
    rows = (
        Candidate.objects.filter(position=position)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {status: 0 for status in Candidate.Status.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def to_score(user: Staff) -> Any:
    """Candidates waiting for this interviewer's scores."""
    return (
        Candidate.objects.filter(
            position__panel__staff=user,
            status=Candidate.Status.INTERVIEW,
            organization_id=user.organization_id or 0,
        )
        .exclude(
            pk__in=Scorecard.objects.filter(interviewer=user, submitted_at__isnull=False).values(
                "candidate_id"
            )
        )
        .select_related("position")
        .order_by("applied_on", "id")
    )
