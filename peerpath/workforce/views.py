"""Readiness survey pages. Thin: who may do what, then a query or an action."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peerpath.core import agency
from peerpath.core.requests import signed_in_staff
from peerpath.measures.forms import response_form

from . import actions, queries
from .forms import ResultsForm, WaveForm


def _member(request: HttpRequest) -> Any:
    """The signed-in staff member of an agency (404 for an account with none)."""
    user = signed_in_staff(request)
    if user.organization_id is None:
        raise Http404
    return user


def _runner(request: HttpRequest) -> object:
    user = _member(request)
    if not agency.may_run_agency(user):
        raise PermissionDenied
    return user


def _peer(request: HttpRequest) -> Any:
    """A peer's own pages (their supervision, self-care, certifications, orientation)."""
    from .support import PEER_ROLES

    user = _member(request)
    if user.role not in PEER_ROLES:
        raise PermissionDenied
    return user


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    """Surveys waiting for the user; for those who run the agency, every wave and its results."""
    user = _member(request)
    runs = agency.may_run_agency(user)
    return render(
        request,
        "workforce/survey_list.html",
        {
            "to_answer": queries.open_waves_to_answer(user, timezone.localdate()),
            "page": queries.waves(user.organization_id, request.GET.get("after") or None)
            if runs
            else None,
            "runs": runs,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def wave_new(request: HttpRequest) -> HttpResponse:
    user = _runner(request)
    form = WaveForm(
        request.POST or None,
        instruments=queries.instruments_for(user.organization_id),  # type: ignore[attr-defined]
    )
    if request.method == "POST" and form.is_valid():
        try:
            wave = actions.wave_create(actor=user, **form.cleaned_data)  # type: ignore[arg-type]
        except actions.SurveyRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(
                request, _("The wave is ready. Staff see it on My day while it is open.")
            )
            return redirect("workforce:results", wave_id=wave.pk)
    return render(
        request,
        "workforce/wave_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, wave_id: int) -> HttpResponse:
    """Answer a survey: anonymously, once."""
    user = signed_in_staff(request)
    wave = queries.wave_for(user.organization_id, wave_id)
    today = timezone.localdate()
    if queries.has_answered(user, wave):
        return render(request, "workforce/answered.html", {"wave": wave, "already": True})
    if not wave.is_open_on(today):
        return render(request, "workforce/answered.html", {"wave": wave, "closed": True})
    form = response_form(wave.instrument, request.POST or None)  # type: ignore[arg-type]
    del form.fields["authored_on"]  # the day is kept, never the time; nobody picks it
    if request.method == "POST" and form.is_valid():
        try:
            actions.survey_answer(actor=user, wave=wave, answers=form.answers())
        except actions.SurveyRefused as refused:
            messages.info(request, str(refused.message))
        return render(request, "workforce/answered.html", {"wave": wave})
    return render(
        request,
        "workforce/answer.html",
        {
            "wave": wave,
            "form": form,
            "title": wave.instrument.instrument().title_in(request.LANGUAGE_CODE or "en"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def wave_results(request: HttpRequest, wave_id: int) -> HttpResponse:
    user = _runner(request)
    wave = queries.wave_for(user.organization_id, wave_id)  # type: ignore[attr-defined]
    others = queries.comparable_waves(wave)
    form = ResultsForm(request.GET or None, waves=others)
    by, compare = "agency", None
    if form.is_bound and form.is_valid():
        by = form.cleaned_data["by"] or "agency"
        compare = next((w for w in others if w.pk == form.cleaned_data["compare"]), None)
    shown = queries.wave_results(wave, by=by, compare=compare)
    return render(
        request,
        "workforce/results.html",
        {"wave": wave, "form": form, "results": shown, "rows": shown.rows(), "compare": compare},
    )
