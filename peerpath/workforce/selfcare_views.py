"""A peer's self-care page, a supervisor's read of a plan a peer shares, and the anonymous
wellbeing summary for those who run the agency. Thin: who may, then `selfcare`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peerpath.core.requests import signed_in_staff

from . import selfcare
from .forms import CheckinForm, SelfCarePlanForm
from .strategies import PlanRefused
from .views import _peer, _runner


@login_required
@require_http_methods(["GET", "POST"])
def self_care(request: HttpRequest) -> HttpResponse:
    """The peer's own plan and check-ins: nobody else sees this page."""
    user = _peer(request)
    plan = selfcare.plan_of(user)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    plan_form = SelfCarePlanForm(
        request.POST if action == "plan" else None,
        initial=(
            {
                name: getattr(plan, name)
                for name in (*selfcare.PLAN_FIELDS, "shared_with_supervisor")
            }
            if plan
            else None
        ),
    )
    checkin_form = CheckinForm(request.POST if action == "checkin" else None)
    if action == "plan" and plan_form.is_valid():
        selfcare.plan_save(actor=user, data=plan_form.cleaned_data)
        messages.success(request, _("Your plan is saved."))
        return redirect("workforce:self_care")
    if action == "checkin" and checkin_form.is_valid():
        try:
            selfcare.checkin(
                actor=user,
                on=timezone.localdate(),
                wellbeing=checkin_form.cleaned_data["wellbeing"],
                support=checkin_form.cleaned_data["support"],
                note=checkin_form.cleaned_data["note"],
            )
        except PlanRefused as refused:
            checkin_form.add_error(None, refused.message)
        else:
            messages.success(request, _("Thank you for checking in."))
            return redirect("workforce:self_care")
    return render(
        request,
        "workforce/self_care.html",
        {
            "plan_form": plan_form,
            "checkin_form": checkin_form,
            "plan": plan,
            "checkins": selfcare.checkins_of(user),
            "tips": selfcare.TIPS,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def shared_plan(request: HttpRequest, peer_id: int) -> HttpResponse:
    """A supervisor reads a plan its peer shares with them (audited)."""
    user = signed_in_staff(request)
    plan = selfcare.shared_plan_for(user, peer_id)
    return render(request, "workforce/shared_plan.html", {"plan": plan})


@login_required
def wellbeing_summary(request: HttpRequest) -> HttpResponse:
    user: Any = _runner(request)
    rows, total = selfcare.team_summary(user.organization_id, timezone.localdate())
    return render(
        request,
        "workforce/wellbeing.html",
        {
            "rows": rows,
            "total": total,
            "minimum": settings.SURVEY_MIN_GROUP,
            "days": selfcare.SUMMARY_DAYS,
        },
    )
