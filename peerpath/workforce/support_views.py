"""Supervision, role fidelity and the agency's rules for supporting peers. Thin: who may do
what, then a query or an action from `support`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerpath.core import agency
from peerpath.core.pagination import keyset_page

from . import selfcare, stepback, support
from .forms import RulesForm, SessionForm, TopicForm
from .strategies import PlanRefused
from .views import _member, _peer, _runner


def _follows_peers(user: Any) -> bool:
    """Those who run the agency, and anyone peers report to."""
    return agency.may_run_agency(user) or support.supervises(user)


@login_required
def supervision_page(request: HttpRequest) -> HttpResponse:
    """Each peer the user follows: their last one-to-one and group session, who is overdue,
    and the topics they want to talk about; then the sessions the user held."""
    user = _member(request)
    if not _follows_peers(user):
        raise PermissionDenied
    today = timezone.localdate()
    rules = support.rules_for(user.organization_id)
    rows = support.supervision_status(list(support.peers_of(user)[:300]), rules, today)
    held = keyset_page(
        support.sessions_by(user), order=("-held_on", "-id"), after=request.GET.get("after") or None
    )
    return render(
        request,
        "workforce/supervision.html",
        {
            "rows": rows,
            "rules": rules,
            "held": held,
            "may_log": support.supervises(user),
            "overdue": sum(1 for r in rows if r.overdue),
            "shared": selfcare.shared_plans(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    peers = support.peers_of(user).filter(supervisor=user)
    if not peers.exists():
        raise PermissionDenied
    initial: dict[str, Any] = {}
    peer_id = request.GET.get("peer", "")
    if peer_id.isdigit() and peers.filter(pk=int(peer_id)).exists():
        initial.update(kind="one_to_one", peers=[int(peer_id)])
    if request.GET.get("topic") in support.TOPICS:
        initial["topics"] = [request.GET["topic"]]
    waiting = support.open_topics([p.pk for p in peers])
    raised = [topic for topics in waiting.values() for topic in topics]
    form = SessionForm(request.POST or None, peers=peers, topics=raised, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = support.session_log(
                actor=user,
                kind=data["kind"],
                held_on=data["held_on"],
                minutes=data["minutes"],
                peers=list(data["peers"]),
                topics=data["topics"],
                notes=data["notes"],
                discussed=form.discussed_topics(),
            )
        except PlanRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(request, _("Session logged."))
            return redirect("workforce:session", session_id=session.pk)
    return render(
        request,
        "workforce/session_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def session_page(request: HttpRequest, session_id: int) -> HttpResponse:
    user = _member(request)
    session, notes = support.session_for(user, session_id)
    return render(
        request,
        "workforce/session.html",
        {
            "session": session,
            "notes": notes,
            "peers": list(session.peers.order_by("full_name")),
            "topics": [support.TOPICS[k] for k in session.topics if k in support.TOPICS],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_supervision(request: HttpRequest) -> HttpResponse:
    """A peer's own supervision: their sessions, and topics for the next one."""
    user = _peer(request)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            support.topic_add(actor=user, text=form.cleaned_data["text"])
        except PlanRefused as refused:
            form.add_error("text", refused.message)
        else:
            messages.success(request, _("Added. Your supervisor sees it before your next session."))
            return redirect("workforce:my_supervision")
    sessions = keyset_page(
        support.sessions_of_peer(user),
        order=("-held_on", "-id"),
        after=request.GET.get("after") or None,
    )
    return render(
        request,
        "workforce/my_supervision.html",
        {
            "form": form,
            "page": sessions,
            "waiting": support.open_topics([user.pk]).get(user.pk, []),
            "supervisor": user.supervisor,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def fidelity_page(request: HttpRequest) -> HttpResponse:
    """The share of each peer's time, and each team's, that is peer work, month by month,
    against the agency's target; and each peer's caseload."""
    user = _member(request)
    if not _follows_peers(user):
        raise PermissionDenied
    today = timezone.localdate()
    rules = support.rules_for(user.organization_id)
    peers, teams = support.fidelity(list(support.peers_of(user)[:300]), rules, today)
    return render(
        request,
        "workforce/fidelity.html",
        {
            "peers": peers,
            "teams": teams,
            "rules": rules,
            "months": support.months_back(today, support.MONTHS_SHOWN),
            "under": [p for p in peers if p.under_target],
            "may_log": support.supervises(user),
            "runs": agency.may_run_agency(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rules_page(request: HttpRequest) -> HttpResponse:
    user: Any = _runner(request)
    rules = support.rules_for(user.organization_id)
    form = RulesForm(
        request.POST or None,
        initial={
            "one_to_one_days": rules.one_to_one_days,
            "group_days": rules.group_days,
            "fidelity_target": rules.fidelity_target,
            "caseload_target": rules.caseload_target,
            "other_work": rules.other_work,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            support.rules_save(actor=user, data=form.cleaned_data)
        except PlanRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(request, _("The rules are saved."))
            return redirect("workforce:fidelity")
    return render(
        request,
        "workforce/support_rules.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def done_for_today(request: HttpRequest) -> HttpResponse:
    """One step, no questions: the peer steps back for the rest of the day."""
    user = _peer(request)
    found = stepback.step_back(actor=user, today=timezone.localdate())
    messages.success(
        request,
        _("Take care of yourself. Your supervisor knows, and nothing more is asked.")
        if not found.moved
        else _(
            "Take care of yourself. Your supervisor knows, and nothing more is asked. "
            "Today's next steps moved to tomorrow."
        ),
    )
    return redirect("clients:my_day")


@login_required
@require_POST
def step_back_seen(request: HttpRequest, step_back_id: int) -> HttpResponse:
    user = _member(request)
    stepback.mark_seen(actor=user, step_back_id=step_back_id)
    return redirect("clients:my_day")


@login_required
@require_http_methods(["GET", "POST"])
def work_up_to(request: HttpRequest) -> HttpResponse:
    """A peer's coming team meetings; each can be marked as one to work up to, keeping the
    time before it free on their day."""
    user = _peer(request)
    if request.method == "POST":
        meeting = request.POST.get("meeting", "")
        minutes = request.POST.get("minutes", "")
        if not meeting.isdigit() or (minutes and not minutes.isdigit()):
            raise Http404
        try:
            stepback.work_up_to(
                actor=user, meeting_id=int(meeting), minutes=int(minutes) if minutes else None
            )
        except ValueError:
            messages.error(request, _("Choose how much time to keep free."))
        else:
            messages.success(request, _("Saved."))
        return redirect("workforce:work_up_to")
    meetings = stepback.coming_meetings(user, timezone.now())
    kept = stepback.marked(user, meetings)
    return render(
        request,
        "workforce/work_up_to.html",
        {
            "rows": [(m, kept.get(m.pk)) for m in meetings],
            "choices": stepback.WORK_UP_MINUTES,
        },
    )


@login_required
@require_POST
def step_back_hand_over(request: HttpRequest, step_back_id: int) -> HttpResponse:
    user = _member(request)
    colleague = request.POST.get("colleague", "")
    try:
        # Someone else's notice is not found before anything about the choice is said.
        found = stepback.hand_over(
            actor=user,
            step_back_id=step_back_id,
            colleague_id=int(colleague) if colleague.isdigit() else 0,
        )
    except ValueError:
        messages.error(
            request,
            _("Choose a colleague who serves some of these people.")
            if colleague
            else _("Choose a colleague."),
        )
    else:
        messages.success(
            request,
            _("%(name)s sees today's next steps on their My day.")
            % {"name": found.covered_by.full_name if found.covered_by else ""},
        )
    return redirect("clients:my_day")
