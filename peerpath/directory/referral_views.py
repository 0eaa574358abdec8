"""Referral pages. Thin: the gate first (the person's number is in the URL), then a query or an
action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerpath.clients import access as gate
from peerpath.core.requests import signed_in_staff

from . import referral_queries as queries
from . import referrals
from .forms import ReferralForm, ReferralOutcomeForm, ReferralStatusForm
from .models import Referral


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, client_id: int) -> HttpResponse:
    """Refer the person to a service found in the directory (`?entry=`)."""
    user = signed_in_staff(request)
    grant = gate.client_for_write(user, client_id)
    organization = user.organization
    if organization is None:
        raise Http404
    entry = queries.entry_to_refer(organization, request.GET.get("entry"))
    today = timezone.localdate()
    form = ReferralForm(request.POST or None, part2_consents=queries.part2_consents(grant, today))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = referrals.referral_create(
                actor=user,
                access=grant,
                entry=entry,
                reason=data["reason"],
                shared_information=data["shared_information"],
                consent_given=data["consent_given"],
                follow_up_on=data["follow_up_on"],
                warm_handoff=data["warm_handoff"],
                part2_consent=data.get("part2_consent"),
                draft="draft" in request.POST,
            )
        except referrals.ReferralRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            if referral.status == Referral.Status.DRAFT:
                messages.success(request, _("Saved as a draft. Nothing was sent."))
            else:
                messages.success(
                    request,
                    _("Referred. The follow-up will be on your My day on %(day)s.")
                    % {"day": _day(referral.follow_up_on)},
                )
            return redirect(
                "directory:referral", client_id=grant.client.pk, referral_id=referral.pk
            )
    return render(
        request,
        "directory/referral_form.html",
        {"client": grant.client, "entry": entry, "form": form},
    )


def _day(day: Any) -> str:
    return formats.date_format(day, "DATE_FORMAT")


@login_required
def referral_detail(request: HttpRequest, client_id: int, referral_id: int) -> HttpResponse:
    user = signed_in_staff(request)
    grant = gate.client_for_read(user, client_id)
    referral = queries.referral_detail(user, grant, referral_id)
    return render(request, "directory/referral_detail.html", _detail_context(grant, referral))


def _detail_context(
    grant: gate.ClientAccess,
    referral: Referral,
    *,
    status_form: ReferralStatusForm | None = None,
    outcome_form: ReferralOutcomeForm | None = None,
    conflict: Referral | None = None,
) -> dict[str, Any]:
    writable = grant.can_write and referral.is_open
    return {
        "client": grant.client,
        "access": grant,
        "referral": referral,
        "conflict": conflict,
        "status_form": status_form or (_status_form(referral) if writable else None),
        "outcome_form": outcome_form
        or (
            ReferralOutcomeForm(initial={"version": referral.version}, auto_id="outcome_%s")
            if writable and referral.status != Referral.Status.DRAFT
            else None
        ),
    }


def _status_form(referral: Referral, data: Any = None) -> ReferralStatusForm:
    labels = dict(Referral.Status.choices)
    return ReferralStatusForm(
        data,
        initial={"version": referral.version},
        choices=[(s, str(labels[s])) for s in referrals.NEXT.get(referral.status, ())],
        auto_id="status_%s",
    )


@login_required
@require_POST
def referral_status(request: HttpRequest, client_id: int, referral_id: int) -> HttpResponse:
    user = signed_in_staff(request)
    grant = gate.client_for_write(user, client_id)
    referral = queries.referral_for(grant, referral_id)
    form = _status_form(referral, request.POST)

    def change() -> None:
        referrals.referral_status_change(
            actor=user,
            access=grant,
            referral=referral,
            to_status=form.cleaned_data["to_status"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )

    return _submit(request, grant, referral, form, change, _("Status changed."))


@login_required
@require_POST
def referral_outcome(request: HttpRequest, client_id: int, referral_id: int) -> HttpResponse:
    user = signed_in_staff(request)
    grant = gate.client_for_write(user, client_id)
    referral = queries.referral_for(grant, referral_id)
    form = ReferralOutcomeForm(request.POST, auto_id="outcome_%s")

    def record() -> None:
        data = form.cleaned_data
        referrals.referral_outcome_record(
            actor=user,
            access=grant,
            referral=referral,
            outcome=data["outcome"],
            note=data["note"],
            barriers=data["barriers"],
            barrier_note=data["barrier_note"],
            next_follow_up=data["next_follow_up"],
            expected_version=data["version"],
        )

    return _submit(request, grant, referral, form, record, _("Outcome saved."))


def _submit(
    request: HttpRequest,
    grant: gate.ClientAccess,
    referral: Referral,
    form: forms.Form,
    write: Callable[[], None],
    done: str,
) -> HttpResponse:
    """Run one of the referral page's forms: back to the page when it is saved; the page with
    the form's problems when it is not; the page as it is now when someone changed it
    meanwhile (nothing saved)."""
    user = signed_in_staff(request)
    conflict = None
    if form.is_valid():
        try:
            write()
        except referrals.StaleReferral as stale:
            conflict = stale.current
        except referrals.ReferralRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(request, done)
            return redirect(
                "directory:referral", client_id=grant.client.pk, referral_id=referral.pk
            )
    shown = queries.referral_detail(user, grant, referral.pk)
    if conflict is not None:
        context = _detail_context(grant, shown, conflict=conflict)
    elif isinstance(form, ReferralStatusForm):
        context = _detail_context(grant, shown, status_form=form)
    else:
        context = _detail_context(grant, shown, outcome_form=cast(ReferralOutcomeForm, form))
    return render(
        request,
        "directory/referral_detail.html",
        context,
        status=409 if conflict is not None else 400,
    )


@login_required
def person_referrals(request: HttpRequest, client_id: int) -> HttpResponse:
    user = signed_in_staff(request)
    grant = gate.client_for_read(user, client_id)
    page = queries.person_referrals(user, grant, request.GET.get("after") or None)
    return render(
        request,
        "directory/person_referrals.html",
        {"client": grant.client, "access": grant, "page": page},
    )


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    """Follow-ups due for me, past due on the teams I supervise, or every open referral."""
    user = signed_in_staff(request)
    if user.organization is None:
        raise Http404
    view = request.GET.get("view") or "due"
    if view not in queries.VIEWS:
        raise Http404
    today = timezone.localdate()
    page = queries.referral_list(user, view, today, request.GET.get("after") or None)
    return render(
        request,
        "directory/referral_list.html",
        {
            "page": page,
            "view": view,
            "today": today,
            "supervises": gate.is_supervisor_of_any_team(user),
        },
    )


@login_required
def service_outcomes(request: HttpRequest) -> HttpResponse:
    """What happened at each service people were referred to, and what stood in their way."""
    organization = signed_in_staff(request).organization
    if organization is None:
        raise Http404
    page = queries.service_outcomes(organization, request.GET.get("after") or None)
    return render(request, "directory/service_outcomes.html", {"page": page})
