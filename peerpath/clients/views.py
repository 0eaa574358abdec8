"""Client pages. Thin: every client fetch goes through `access`, every read through `queries`."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peerpath.core import slots
from peerpath.core.models import Role
from peerpath.core.requests import signed_in_staff as _user

from . import access, actions, queries
from .consents import PART2_PROGRAM_KINDS
from .forms import ClientDetailsForm, PeopleFilterForm
from .models import Client


def _display(client: Client, name: str) -> object:
    display = getattr(client, f"get_{name}_display", None)
    return display() if display else getattr(client, name)


@login_required
def my_day(request: HttpRequest) -> HttpResponse:
    """Home. A privacy officer's home is the privacy desk; other roles get their panels here."""
    if _user(request).role == Role.PRIVACY_OFFICER:
        return redirect("clients:privacy_desk")
    user = _user(request)
    today = timezone.localdate()
    people = queries.my_day_people(user, today)
    panels = slots.fill("my_day", request, user, today=today)
    # One event naming everyone the page shows (the panels say whom they name).
    shown: list[Client | int] = [*people.steps_due, *people.caseload]
    shown += [number for panel in panels for number in panel.shown]
    queries.audit_list(user, "my_day.view", shown)
    return render(
        request,
        "clients/my_day.html",
        {"people": people, "today": today, "panels": panels},
    )


@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PeopleFilterForm(request.GET, user=user)
    wanted = form.wanted()
    page = queries.people_page(user, wanted, after=request.GET.get("after") or None)
    org = user.organization
    return render(
        request,
        "clients/client_list.html",
        {
            "form": form,
            "page": page,
            "wanted": wanted,
            "filtered": wanted != queries.PeopleFilter(),
            "may_take_in": org is not None and org.may_take_in(user.role),
        },
    )


@login_required
def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    record = queries.client_record(user, access.client_for_read(user, client_id))
    alerts = slots.fill("client_alerts", request, user, access=record.access)
    sections = slots.fill("client_record", request, user, access=record.access)
    part2 = any(e.program.kind in PART2_PROGRAM_KINDS for e in record.enrollments)
    return render(
        request,
        "clients/client_detail.html",
        {
            "record": record,
            "client": record.client,
            "alerts": alerts,
            "sections": sections,
            "part2": part2,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_edit(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    client = grant.client
    conflict = None
    conflict_rows: list[tuple[str, object]] = []
    if request.method == "POST":
        # A copy: validating a model form writes into its instance.
        form = ClientDetailsForm(request.POST, instance=copy.copy(client))
        if form.is_valid():
            try:
                actions.client_update(
                    actor=user,
                    access=grant,
                    expected_version=form.cleaned_data["version"],
                    changes=form.changes(),
                )
            except actions.StaleVersionError as stale:
                conflict = stale
                conflict_rows = [
                    (str(form.fields[name].label), _display(stale.current, name))
                    for name in stale.changed_fields
                ]
                # Keep this person's text in the form, now based on the saved version.
                data = request.POST.copy()
                data["version"] = str(stale.current.version)
                form = ClientDetailsForm(data, instance=copy.copy(stale.current))
            else:
                messages.success(request, _("Saved."))
                return redirect("clients:detail", client_id=client.pk)
    else:
        form = ClientDetailsForm(instance=client, initial={"version": client.version})
    return render(
        request,
        "clients/client_edit.html",
        {"form": form, "client": client, "conflict": conflict, "conflict_rows": conflict_rows},
        status=409 if conflict else 200,
    )
