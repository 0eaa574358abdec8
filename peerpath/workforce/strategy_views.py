"""The strategy library and the action plan (those who run the agency; an item's owner updates
it too)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerpath.core import agency
from peerpath.core.requests import signed_in_staff

from . import queries, strategies
from .forms import ActionForm, ActionUpdateForm, StrategyForm
from .views import _runner


@login_required
def library(request: HttpRequest) -> HttpResponse:
    """Strategies for a readiness gap (`?section=`, from a wave's results: `?wave=`)."""
    user: Any = _runner(request)
    strategies.library_seed(user.organization)
    section = request.GET.get("section", "")
    if section and section not in strategies.SECTIONS:
        section = ""
    wave = queries.wave_or_none(user.organization_id, request.GET.get("wave"))
    found = queries.library(user.organization_id, section)
    return render(
        request,
        "workforce/library.html",
        {
            "strategies": [
                (
                    s,
                    strategies.title_of(s),
                    strategies.description_of(s),
                    [strategies.SECTIONS[k] for k in s.sections if k in strategies.SECTIONS],
                )
                for s in found
            ],
            "section": section,
            "section_name": strategies.SECTIONS.get(section, ""),
            "sections": strategies.SECTIONS,
            "wave": wave,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def strategy_form(request: HttpRequest, strategy_id: int | None = None) -> HttpResponse:
    user: Any = _runner(request)
    strategy = queries.strategy_for(user.organization_id, strategy_id) if strategy_id else None
    initial = None
    if strategy is not None:
        initial = {
            "title": strategies.title_of(strategy),
            "description": strategies.description_of(strategy),
            "sections": strategy.sections,
        }
    form = StrategyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            strategies.strategy_save(actor=user, strategy=strategy, **form.cleaned_data)
        except strategies.PlanRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("Strategy saved."))
            return redirect("workforce:library")
    return render(
        request,
        "workforce/strategy_form.html",
        {"form": form, "strategy": strategy},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, strategy_id: int) -> HttpResponse:
    """Adopt a strategy: who carries it and by when."""
    user: Any = _runner(request)
    strategy = queries.strategy_for(user.organization_id, strategy_id)
    wave = queries.wave_or_none(user.organization_id, request.GET.get("wave"))
    section = request.GET.get("section", "")
    form = ActionForm(request.POST or None, staff=queries.staff_choices(user.organization_id))
    if request.method == "POST" and form.is_valid():
        try:
            strategies.action_add(
                actor=user,
                strategy=strategy,
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
                wave=wave,
                section=section,
            )
        except strategies.PlanRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("Added to the action plan."))
            return redirect("workforce:plan")
    return render(
        request,
        "workforce/action_form.html",
        {
            "form": form,
            "strategy": strategy,
            "title": strategies.title_of(strategy),
            "wave": wave,
            "section_name": strategies.SECTIONS.get(section, ""),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    user: Any = _runner(request)
    view = "all" if request.GET.get("view") == "all" else "open"
    page = queries.plan(user.organization_id, view, request.GET.get("after") or None)
    return render(
        request,
        "workforce/plan.html",
        {
            "page": page,
            "view": view,
            "rows": [
                (
                    item,
                    strategies.title_of(item.strategy),
                    strategies.SECTIONS.get(item.section, ""),
                    ActionUpdateForm(
                        initial={"status": item.status, "note": item.note, "version": item.version},
                        auto_id=f"item{item.pk}_%s",
                    ),
                )
                for item in page.items
            ],
        },
    )


@login_required
@require_POST
def action_update(request: HttpRequest, item_id: int) -> HttpResponse:
    user = signed_in_staff(request)
    item = queries.action_for(user.organization_id, item_id)
    if item.owner_id != user.pk and not agency.may_run_agency(user):
        raise PermissionDenied
    form = ActionUpdateForm(request.POST)
    back = reverse("workforce:plan") if agency.may_run_agency(user) else reverse("clients:my_day")
    if not form.is_valid():
        messages.error(request, _("Choose a status from the list."))
        return redirect(back)
    try:
        strategies.action_update(
            actor=user,
            item=item,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
    except strategies.StaleAction:
        messages.error(
            request, _("Someone changed this item while you had it open. Nothing was saved.")
        )
    except strategies.PlanRefused as refused:
        messages.error(request, str(refused.message))
    else:
        messages.success(request, _("Saved."))
    return redirect(back)
