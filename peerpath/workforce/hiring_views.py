"""Positions and job descriptions (those who run the agency)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import hiring, queries
from .forms import PositionForm
from .models import Position
from .strategies import PlanRefused
from .views import _runner


@login_required
def position_list(request: HttpRequest) -> HttpResponse:
    user: Any = _runner(request)
    page = queries.positions(user.organization_id, request.GET.get("after") or None)
    return render(
        request,
        "workforce/position_list.html",
        {"page": page, "wages": queries.living_wages(user.organization_id)},
    )


def _initial(position: Position) -> dict[str, Any]:
    initial = {name: getattr(position, name) for name in hiring.FIELDS}
    initial["lived_experience"] = "yes" if position.lived_experience else "no"
    initial["version"] = position.version
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def position_form(request: HttpRequest, position_id: int | None = None) -> HttpResponse:
    user: Any = _runner(request)
    position = queries.position_for(user.organization_id, position_id) if position_id else None
    form = PositionForm(
        request.POST or None,
        initial=_initial(position) if position else None,
        teams=queries.teams_of(user.organization_id),
        staff=queries.staff_choices(user.organization_id),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        try:
            saved = hiring.position_save(
                actor=user, position=position, data=data, expected_version=version
            )
        except PlanRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("Position saved. Look at the checks below."))
            return redirect("workforce:position", position_id=saved.pk)
    return render(
        request,
        "workforce/position_form.html",
        {"form": form, "position": position},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def position_detail(request: HttpRequest, position_id: int) -> HttpResponse:
    user: Any = _runner(request)
    position = queries.position_for(user.organization_id, position_id)
    checks = hiring.checks_of(position)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(
            hiring.position_pdf(position, checks), content_type="application/pdf"
        )
        name = re.sub(r"[^a-z0-9]+", "-", position.title.lower()).strip("-") or "position"
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    return render(
        request,
        "workforce/position_detail.html",
        {
            "position": position,
            "checks": checks,
            "duties": [hiring.DUTIES[k] for k in position.duties if k in hiring.DUTIES],
            "experience": [
                hiring.EXPERIENCE[k] for k in position.experience_counts if k in hiring.EXPERIENCE
            ],
            "grade_limit": hiring.GRADE_LIMIT,
        },
    )
