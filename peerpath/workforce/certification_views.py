"""Certifications and continuing education: a peer's own page, the certificate file behind the
gate, and the certifications of the peers a supervisor or manager follows."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peerpath.core import agency

from . import certifications, support
from .forms import CertificationForm, CurriculumForm, TrainingHoursForm
from .strategies import PlanRefused
from .views import _member, _peer


@login_required
@require_http_methods(["GET", "POST"])
def my_certifications(request: HttpRequest) -> HttpResponse:
    """A peer's certifications with the hours toward each renewal; add one, or log hours."""
    user = _peer(request)
    certs = certifications.certifications_of(user)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    cert_form = CertificationForm(
        request.POST if action == "certification" else None,
        request.FILES if action == "certification" else None,
    )
    # Prefixed: the three forms share field names (ethics hours, name) on one page.
    ce_form = TrainingHoursForm(
        request.POST if action == "hours" else None, certifications=certs, prefix="ce"
    )
    curriculum_form = CurriculumForm(
        request.POST if action == "curriculum" else None, prefix="curriculum"
    )
    if action == "curriculum" and curriculum_form.is_valid():
        try:
            certifications.curriculum_add(actor=user, data=curriculum_form.cleaned_data)
        except PlanRefused as refused:
            curriculum_form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("Curriculum added."))
            return redirect("workforce:my_certifications")
    if action == "certification" and cert_form.is_valid():
        try:
            certifications.certification_add(
                actor=user, data=cert_form.cleaned_data, upload=cert_form.cleaned_data.get("file")
            )
        except PlanRefused as refused:
            cert_form.add_error(
                refused.field if refused.field in cert_form.fields else None, refused.message
            )
        else:
            messages.success(request, _("Certification added."))
            return redirect("workforce:my_certifications")
    if action == "hours" and ce_form.is_valid():
        try:
            cert = certifications.certification_of(user, ce_form.cleaned_data["certification"])
            certifications.activity_add(actor=user, certification=cert, data=ce_form.cleaned_data)
        except PlanRefused as refused:
            ce_form.add_error(
                refused.field if refused.field in ce_form.fields else None, refused.message
            )
        else:
            messages.success(request, _("Hours logged."))
            return redirect("workforce:my_certifications")
    return render(
        request,
        "workforce/my_certifications.html",
        {
            "progress": certifications.progress_of(certs, timezone.localdate()),
            "activities": certifications.activities_of(user),
            "cert_form": cert_form,
            "ce_form": ce_form,
            "curriculum_form": curriculum_form,
            "curricula": certifications.curricula_of(user),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def certification_file(request: HttpRequest, certification_id: int) -> HttpResponse:
    user = _member(request)
    cert = certifications.file_for(user, certification_id)
    response = HttpResponse(bytes(cert.file or b""), content_type=cert.file_type)
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", cert.file_name or "certificate").strip("-")
    response["Content-Disposition"] = f'attachment; filename="{name or "certificate"}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@login_required
def peers_certifications(request: HttpRequest) -> HttpResponse:
    """The certifications of the peers the user follows, soonest expiry first."""
    user = _member(request)
    if not (agency.may_run_agency(user) or support.supervises(user)):
        raise PermissionDenied
    peers = list(support.peers_of(user)[:300])
    return render(
        request,
        "workforce/peers_certifications.html",
        {"progress": certifications.for_peers(peers, timezone.localdate())},
    )
