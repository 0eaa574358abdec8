"""Measures pages. Thin: the gate first, then a query or an action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerpath.clients import access
from peerpath.clients.queries import audit_read
from peerpath.core.requests import signed_in_staff as _user

from . import actions, queries
from .forms import ResolveAlertForm, response_form, schedule_form


@login_required
def overview(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_read(user, client_id)
    summary = queries.summary(grant, audit_as=user)
    form = schedule_form(
        grant.client.organization_id, initial={"next_due_on": timezone.localdate()}
    )
    return render(
        request,
        "measures/overview.html",
        {
            "client": grant.client,
            "access": grant,
            "summary": summary,
            "schedule_form": form,
            "alert_section": {"alerts": summary.open_alerts, "on_record": True},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, client_id: int, questionnaire_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    questionnaire = queries.questionnaire_for(grant, questionnaire_id)
    form = response_form(questionnaire, request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = actions.response_record(
            actor=user,
            access=grant,
            questionnaire=questionnaire,
            authored_on=form.cleaned_data["authored_on"],
            answers=form.answers(),
        )
        if response.alerts.exists():
            messages.warning(
                request,
                _("Saved. An answer needs the care team's attention today: see the alert below."),
            )
        else:
            messages.success(request, _("Saved."))
        return redirect("measures:overview", client_id=grant.client.pk)
    return render(
        request,
        "measures/record.html",
        {"client": grant.client, "questionnaire": questionnaire, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def response_detail(request: HttpRequest, client_id: int, response_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_read(user, client_id)
    response = queries.response_for(grant, response_id)
    rows = queries.answer_rows(response, translation.get_language() or "en")
    audit_read(user, grant, "measure.view_response", response)
    return render(
        request,
        "measures/response_detail.html",
        {"client": grant.client, "response": response, "rows": rows},
    )


@login_required
@require_POST
def schedule(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    form = schedule_form(grant.client.organization_id, request.POST)
    if form.is_valid():
        actions.schedule_set(
            actor=user,
            access=grant,
            questionnaire=form.cleaned_data["questionnaire"],
            every_days=form.cleaned_data["every_days"],
            next_due_on=form.cleaned_data["next_due_on"],
        )
        messages.success(request, _("Schedule saved."))
        return redirect("measures:overview", client_id=grant.client.pk)
    summary = queries.summary(grant, audit_as=user)
    return render(
        request,
        "measures/overview.html",
        {
            "client": grant.client,
            "access": grant,
            "summary": summary,
            "schedule_form": form,
        },
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def resolve_alert(request: HttpRequest, client_id: int, alert_id: int) -> HttpResponse:
    """A safety alert and the short form saying what was done about it, by whom and when."""
    user = _user(request)
    grant = (
        access.client_for_write(user, client_id)
        if request.method == "POST"
        else access.client_for_read(user, client_id)
    )
    alert = queries.alert_for(grant, alert_id)
    form = ResolveAlertForm(request.POST or None, initial=ResolveAlertForm.initial_now())
    if request.method == "POST" and form.is_valid():
        try:
            actions.alert_resolve(
                actor=user,
                access=grant,
                alert=alert,
                action_taken=form.cleaned_data["action_taken"],
                done_at=form.cleaned_data["done_at"],
                note=form.cleaned_data["note"],
            )
        except actions.AlreadyResolvedError as done:
            who = done.current.resolved_by.full_name if done.current.resolved_by else ""
            messages.info(
                request,
                _("%(name)s already recorded what was done about this alert.") % {"name": who},
            )
        else:
            messages.success(request, _("Saved. The alert is closed."))
        return redirect("clients:detail", client_id=grant.client.pk)
    if request.method == "GET":
        audit_read(user, grant, "measure.alert_view", alert)
    return render(
        request,
        "measures/alert_resolve.html",
        {"client": grant.client, "access": grant, "alert": alert, "form": form},
        status=400 if request.method == "POST" else 200,
    )
