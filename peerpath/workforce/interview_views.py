"""Candidates, interview panels, blind scoring, the question bank, and where peers stand on each
team. Thin: who may do what, then a query or an action. Every page that shows a candidate
leaves an audit event for each one shown."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerpath.core import agency

from . import hiring, queries, recruiting, strategies
from . import interview_queries as iq
from .forms import CandidateForm, DecisionForm, MoveForm, PanelForm, QuestionForm, ScoreForm
from .models import Candidate
from .strategies import PlanRefused
from .views import _member, _runner


@login_required
@require_http_methods(["GET", "POST"])
def candidates_page(request: HttpRequest, position_id: int) -> HttpResponse:
    """A position's candidates (its panel and those who run the agency); those who run it add
    candidates here and read the hiring report."""
    user = _member(request)
    position = iq.position_for(user, position_id)
    runs = agency.may_run_agency(user)
    form = CandidateForm(request.POST or None) if runs else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                candidate = recruiting.candidate_add(
                    actor=user, position=position, data=form.cleaned_data
                )
            except PlanRefused as refused:
                form.add_error(refused.field, refused.message)
            else:
                messages.success(request, _("Candidate added."))
                return redirect("workforce:candidate", candidate_id=candidate.pk)
    page = iq.candidates(position, request.GET.get("after") or None)
    report = iq.screened_counts(position) if runs else None
    shown = {c.pk: c for c in page.items}
    if report:
        shown.update({c.pk: c for c, _years, _meets in report["paid_rule"]})
    recruiting.read_logged(user, list(shown.values()), action="candidate.list")
    return render(
        request,
        "workforce/candidates.html",
        {
            "position": position,
            "page": page,
            "form": form,
            "runs": runs,
            "report": report,
            "checks": hiring.checks_of(position) if runs else None,
            "panel": iq.panel_of(position),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_page(request: HttpRequest, candidate_id: int) -> HttpResponse:
    user = _member(request)
    candidate = iq.candidate_for(user, candidate_id)
    runs = agency.may_run_agency(user)
    side = iq.side_by_side(user, candidate)
    interviewing = side.interviewing
    moves = [
        (status, Candidate.Status(status).label)
        for status in recruiting.MOVES.get(candidate.status, ())
    ]
    action = request.POST.get("action", "") if request.method == "POST" else ""
    move_form = (
        MoveForm(
            request.POST if action == "move" else None,
            moves=moves,
            initial={"version": candidate.version},
        )
        if runs and moves
        else None
    )
    own = side.own
    may_score = (
        interviewing
        and candidate.status == Candidate.Status.INTERVIEW
        and (own is None or own.submitted_at is None)
    )
    score_form = (
        ScoreForm(
            request.POST if action in ("draft", "submit") else None,
            criteria=side.criteria,
            initial={
                **({f"c{k}": str(v) for k, v in own.scores.items()} if own else {}),
                "notes": own.notes if own else "",
            },
        )
        if may_score
        else None
    )
    may_decide = (
        (runs or interviewing)
        and candidate.status == Candidate.Status.INTERVIEW
        and side.may_look
        and len(side.columns) >= recruiting.MIN_PANEL
    )
    decision_form = (
        DecisionForm(request.POST if action == "decide" else None) if may_decide else None
    )
    if request.method == "POST":
        done = _act(request, user, candidate, action, move_form, score_form, decision_form)
        if done is not None:
            return done
    recruiting.read_logged(user, [candidate], action="candidate.read")
    return render(
        request,
        "workforce/candidate.html",
        {
            "candidate": candidate,
            "position": candidate.position,
            "side": side,
            "runs": runs,
            "interviewing": interviewing,
            "move_form": move_form,
            "score_form": score_form,
            "decision_form": decision_form,
            "counted": recruiting.counted_years(candidate, candidate.position),
        },
        status=400 if request.method == "POST" else 200,
    )


def _act(
    request: HttpRequest,
    user: Any,
    candidate: Candidate,
    action: str,
    move_form: MoveForm | None,
    score_form: ScoreForm | None,
    decision_form: DecisionForm | None,
) -> HttpResponse | None:
    """Carry out the posted step; None when the page is shown again with its problem."""
    form: Any = {"move": move_form, "draft": score_form, "submit": score_form}.get(
        action, decision_form if action == "decide" else None
    )
    if form is None:
        raise PermissionDenied
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        if action == "move":
            recruiting.candidate_move(
                actor=user,
                candidate=candidate,
                status=data["status"],
                screen_reason=data.get("screen_reason") or "",
                reason=data.get("reason") or "",
                expected_version=data.get("version") or 0,
            )
            messages.success(request, _("Saved."))
        elif action in ("draft", "submit"):
            recruiting.scorecard_save(
                actor=user,
                candidate=candidate,
                scores=form.scores(),
                notes=data.get("notes") or "",
                submit=action == "submit",
            )
            messages.success(
                request,
                _("Your scores are submitted. The panel's scores are below.")
                if action == "submit"
                else _("Your draft is saved. Only you can see it."),
            )
        else:
            recruiting.decide(
                actor=user,
                candidate=candidate,
                hired=data["decision"] == "hire",
                reason=data["reason"],
            )
            messages.success(request, _("The decision is recorded."))
    except PlanRefused as refused:
        form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        return None
    return redirect("workforce:candidate", candidate_id=candidate.pk)


@login_required
@require_http_methods(["GET", "POST"])
def panel_page(request: HttpRequest, position_id: int) -> HttpResponse:
    user: Any = _runner(request)
    position = queries.position_for(user.organization_id, position_id)
    recruiting.criteria_seed(position)
    criteria = iq.criteria_of(position)
    panel = iq.panel_of(position)
    form = PanelForm(
        request.POST or None,
        staff=queries.staff_choices(user.organization_id),
        criteria=criteria,
        initial={"members": [m.pk for m in panel]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = recruiting.panel_save(
                actor=user,
                position=position,
                members=list(form.cleaned_data["members"]),
                criteria=form.criteria(),
            )
        except PlanRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(request, _("The panel is saved."))
            if not saved.has_peer:
                messages.warning(
                    request,
                    _("No interviewer on this panel is a peer. Add one: peers know peer work."),
                )
            return redirect("workforce:candidates", position_id=position.pk)
    return render(
        request,
        "workforce/panel.html",
        {
            "position": position,
            "form": form,
            "panel": panel,
            "has_peer": any(m.is_peer for m in panel),
            "criterion_rows": [
                (form[f"label_{n}"], form[f"weight_{n}"]) for n in range(PanelForm.ROWS)
            ],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def interviews_page(request: HttpRequest) -> HttpResponse:
    """Candidates waiting for the user's scores, and the panels they sit on."""
    user = _member(request)
    waiting = list(recruiting.to_score(user)[:100])
    recruiting.read_logged(user, waiting, action="candidate.list")
    return render(
        request,
        "workforce/interviews.html",
        {"waiting": waiting, "positions": iq.positions_of_panel(user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def questions_page(request: HttpRequest) -> HttpResponse:
    """The interview question bank: those who run the agency keep it; interviewers read it."""
    user = _member(request)
    runs = agency.may_run_agency(user)
    if not runs and not iq.on_any_panel(user):
        raise PermissionDenied
    recruiting.questions_seed(user.organization_id)
    form = QuestionForm(request.POST or None) if runs else None
    refused = False
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                recruiting.question_add(actor=user, text=form.cleaned_data["text"])
            except PlanRefused as refusal:
                form.add_error("text", refusal.message)
                refused = True
            else:
                messages.success(request, _("Question added to the bank."))
                return redirect("workforce:questions")
    return render(
        request,
        "workforce/questions.html",
        {
            "questions": iq.questions(user.organization_id),
            "form": form,
            "runs": runs,
            "refused": refused,
            "alternatives": recruiting.ALTERNATIVES,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def question_retire(request: HttpRequest, question_id: int) -> HttpResponse:
    user: Any = _runner(request)
    question = iq.question_for(user.organization_id, question_id)
    recruiting.question_retire(actor=user, question=question)
    messages.success(request, _("Question taken out of the bank."))
    return redirect("workforce:questions")


@login_required
def peer_roles_page(request: HttpRequest) -> HttpResponse:
    """Avoiding tokenism: per team, peers and their share, single peers, peers who lead, peers
    at team meetings, and peers without a peer-informed supervisor; each gap links to a
    strategy."""
    user: Any = _runner(request)
    today = timezone.localdate()
    teams = iq.peer_roles(user.organization_id, today)
    strategies.library_seed(user.organization)
    library = {s.key: s for s in queries.strategies_of(user.organization_id) if s.key}
    rows = [
        (
            team,
            [
                (library[key], strategies.title_of(library[key]))
                for key in team.gaps
                if key in library
            ],
        )
        for team in teams
    ]
    return render(
        request,
        "workforce/peer_roles.html",
        {
            "rows": rows,
            "leaders": iq.peer_leaders_total(user.organization_id),
            "single": sum(1 for t in teams if t.single),
            "days": 90,
        },
    )
