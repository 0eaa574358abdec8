"""Orientation pages: a peer's own checklist, shadowing and development plan; their
supervisor's view of it; the list of new peers; and the agency's template."""

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

from . import orientation, support
from .forms import DevelopmentPlanForm, OrientationStartForm, OrientationStepForm, ShadowingForm
from .strategies import PlanRefused
from .views import _member, _peer, _runner


def _page(request: HttpRequest, user: Any, found: Any, *, own: bool) -> HttpResponse:
    """The checklist, shadowing and development plan, for the peer or their guide."""
    action = request.POST.get("action", "") if request.method == "POST" else ""
    shadow_form = ShadowingForm(request.POST if action == "shadowing" else None) if own else None
    plan_form = (
        DevelopmentPlanForm(
            request.POST if action == "plan" else None,
            initial={n: getattr(found, n) for n in ("skills", "trainings", "role_growth")},
        )
        if own
        else None
    )
    here = request.path
    if action in ("done", "undone"):
        item = request.POST.get("item", "")
        if not item.isdigit():
            raise Http404
        orientation.item_done(
            actor=user, orientation=found, item_id=int(item), done=action == "done"
        )
        return redirect(here)
    if action == "reviewed" and not own:
        orientation.plan_save(actor=user, orientation=found, data={"reviewed": True})
        messages.success(request, _("The development plan is marked reviewed."))
        return redirect(here)
    if action == "shadowing" and shadow_form is not None and shadow_form.is_valid():
        try:
            orientation.shadowing_add(actor=user, orientation=found, data=shadow_form.cleaned_data)
        except PlanRefused as refused:
            shadow_form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("Shadowing logged."))
            return redirect(here)
    if action == "plan" and plan_form is not None and plan_form.is_valid():
        orientation.plan_save(actor=user, orientation=found, data=plan_form.cleaned_data)
        messages.success(request, _("Your development plan is saved."))
        return redirect(here)
    if request.method == "POST" and action not in ("shadowing", "plan"):
        raise PermissionDenied
    items = orientation.items_of(found)
    return render(
        request,
        "workforce/orientation.html",
        {
            "found": found,
            "own": own,
            "items": [(i, orientation.step_text(i)) for i in items],
            "progress": orientation.progress_of([found], timezone.localdate())[0],
            "shadowing": orientation.shadowing_of(found),
            "shadow_form": shadow_form,
            "plan_form": plan_form,
            "today": timezone.localdate(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_orientation(request: HttpRequest) -> HttpResponse:
    user = _peer(request)
    found = orientation.own(user)
    if found is None:
        return render(request, "workforce/orientation_none.html")
    return _page(request, user, found, own=True)


@login_required
@require_http_methods(["GET", "POST"])
def peer_orientation(request: HttpRequest, peer_id: int) -> HttpResponse:
    user = _member(request)
    found = orientation.orientation_for(user, peer_id)
    if found.peer_id == user.pk:
        return redirect("workforce:my_orientation")
    return _page(request, user, found, own=False)


@login_required
@require_http_methods(["GET", "POST"])
def orientations(request: HttpRequest) -> HttpResponse:
    """New peers' orientations (for their supervisors and those who run the agency), and
    starting one."""
    user = _member(request)
    if not (agency.may_run_agency(user) or support.supervises(user)):
        raise PermissionDenied
    peers = support.peers_of(user)
    progress = orientation.of_peers(list(peers[:300]), timezone.localdate())
    started = [p.orientation.peer_id for p in progress]
    form = OrientationStartForm(request.POST or None, peers=peers.exclude(pk__in=started))
    if request.method == "POST" and form.is_valid():
        try:
            orientation.start(
                actor=user, peer=form.cleaned_data["peer"], starts_on=form.cleaned_data["starts_on"]
            )
        except PlanRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("The orientation is ready."))
            return redirect("workforce:peer_orientation", peer_id=form.cleaned_data["peer"].pk)
    return render(
        request,
        "workforce/orientations.html",
        {"progress": progress, "form": form, "runs": agency.may_run_agency(user)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def orientation_steps(request: HttpRequest) -> HttpResponse:
    user: Any = _runner(request)
    steps = orientation.steps_of(user.organization_id)
    form = OrientationStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            orientation.step_add(
                actor=user, title=form.cleaned_data["title"], day=form.cleaned_data["day"]
            )
        except PlanRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("Step added. Orientations started from now on have it."))
            return redirect("workforce:orientation_steps")
    return render(
        request,
        "workforce/orientation_steps.html",
        {"steps": [(s, orientation.step_text(s)) for s in steps], "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def orientation_step_retire(request: HttpRequest, step_id: int) -> HttpResponse:
    user: Any = _runner(request)
    orientation.step_retire(actor=user, step_id=step_id)
    messages.success(request, _("Step taken out of the template."))
    return redirect("workforce:orientation_steps")
