"""The agency's roadmap page: stages, champions, and learning from agencies that employ peers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import queries, roadmap
from .forms import ActivityForm, ChampionForm, LearnedForm
from .strategies import PlanRefused
from .views import _runner


def _forms(user: Any, data: Any = None, which: str = "") -> dict[str, Any]:
    org = user.organization_id
    return {
        "champion_form": ChampionForm(
            data if which == "champion" else None,
            teams=queries.teams_of(org),
            staff=queries.staff_choices(org),
            auto_id="champion_%s",
        ),
        "activity_form": ActivityForm(
            data if which == "activity" else None,
            strategies=queries.strategies_of(org),
            auto_id="activity_%s",
        ),
    }


def _page(request: HttpRequest, user: Any, status: int = 200, **forms: Any) -> HttpResponse:
    context = {
        "today": timezone.localdate(),
        "page": queries.roadmap_page(user.organization_id, request.GET.get("after") or None),
        **_forms(user),
        **forms,
    }
    return render(request, "workforce/roadmap.html", context, status=status)


@login_required
def roadmap_page(request: HttpRequest) -> HttpResponse:
    return _page(request, _runner(request))


@login_required
@require_POST
def step_mark(request: HttpRequest, key: str) -> HttpResponse:
    user: Any = _runner(request)
    try:
        roadmap.step_mark(actor=user, key=key, done=request.POST.get("done") == "1")
    except PlanRefused as refused:
        messages.error(request, str(refused.message))
    return redirect("workforce:roadmap")


@login_required
@require_POST
def champion_name(request: HttpRequest) -> HttpResponse:
    user: Any = _runner(request)
    form = _forms(user, request.POST, "champion")["champion_form"]
    if form.is_valid():
        try:
            roadmap.champion_name(actor=user, **form.cleaned_data)
        except PlanRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("Champion named."))
            return redirect("workforce:roadmap")
    return _page(request, user, status=400, champion_form=form)


@login_required
@require_POST
def activity_plan(request: HttpRequest) -> HttpResponse:
    user: Any = _runner(request)
    form = _forms(user, request.POST, "activity")["activity_form"]
    if form.is_valid():
        try:
            roadmap.activity_plan(actor=user, **form.cleaned_data)
        except PlanRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("Planned. It is on the roadmap."))
            return redirect("workforce:roadmap")
    return _page(request, user, status=400, activity_form=form)


@login_required
@require_POST
def activity_learned(request: HttpRequest, activity_id: int) -> HttpResponse:
    user: Any = _runner(request)
    activity = queries.activity_for(user.organization_id, activity_id)
    form = LearnedForm(request.POST)
    if form.is_valid():
        try:
            roadmap.activity_record(
                actor=user, activity=activity, learned=form.cleaned_data["learned"]
            )
        except PlanRefused as refused:
            messages.error(request, str(refused.message))
        else:
            messages.success(request, _("What you learned is kept on the roadmap."))
    else:
        messages.error(request, _("Write what you learned."))
    return redirect("workforce:roadmap")
