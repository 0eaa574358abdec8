from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from peerpath.clients import access as client_access
from peerpath.core import agency, audit
from peerpath.core.agency_views import agency_admin_required
from peerpath.core.forms import UswdsFormMixin
from peerpath.core.imports import max_bytes
from peerpath.core.requests import signed_in_staff

from . import actions, queries, referral_queries, resources, tasks
from . import card as card_module
from . import search as search_module
from .forms import MeetingSearchForm, ResourceForm, SearchForm


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Find community resources: words, filters, open at, near a ZIP code."""
    user = signed_in_staff(request)
    organization = user.organization
    if organization is None:  # a site operator without an agency
        raise Http404
    grant, person_place = _person_for(request, user)
    person = grant.client if grant is not None else None
    # Near a person with a place on file, their address is where distances start.
    form = SearchForm(request.GET or None, place_known=person_place is not None)
    page = None
    asked = bool(request.GET)
    if form.is_bound and form.is_valid():
        criteria, problem = queries.criteria_from(form.cleaned_data, origin=person_place)
        if problem == "near":
            form.add_error("near", _("PeerPath does not know this ZIP code. Check it."))
        else:
            page = queries.results(organization, criteria, request.GET.get("page"))
            referral_queries.mark_barriers(organization, page.object_list)
    return render(
        request,
        "directory/search.html",
        {
            "form": form,
            "page": page,
            "asked": asked,
            "has_directory": queries.has_directory(organization),
            "may_import": agency.may_run_agency(user),
            "query_string": _without_page(request),
            "person": person,
            "person_place": person_place,
            "may_refer": grant is not None and grant.can_write,
        },
    )


def _person_for(
    request: HttpRequest, user: Any
) -> tuple[client_access.ClientAccess | None, search_module.Point | None]:
    """The person the search is for (`?for=`), through the gate: results are measured from
    their address on file when PeerPath can place it, and each can be a referral for them.
    The look at their address is recorded."""
    wanted = request.GET.get("for")
    if not wanted:
        return None, None
    grant = client_access.client_for_read(user, wanted)
    place = search_module.point_for_postal_code(grant.client.address)
    audit.record(
        organization=grant.client.organization_id,
        actor=user,
        action="directory.search_near_person",
        client_id=grant.client.pk,
        details={"uses": "address on file" if place else "nothing: no place on file"},
    )
    return grant, place


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


class UploadForm(UswdsFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("HSDS file"),
        help_text=gettext_lazy(
            "A .json file (HSDS records or a page of a list, or a Meeting Guide feed of "
            "mutual-aid meetings), or a .zip of a data package (datapackage.json and CSV "
            "files) or of list pages."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = str(upload.name).lower()
        if not name.endswith((".json", ".zip")):
            raise forms.ValidationError(_("Choose a .json or a .zip file."))
        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB, the most an import takes.")
                % {"mb": max_bytes() // (1024 * 1024)}
            )
        return upload


@agency_admin_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    """Upload an HSDS file; the directory's imports, newest first."""
    user = signed_in_staff(request)
    organization = user.organization
    assert organization is not None  # noqa: S101 (agency_admin_required)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = actions.import_job_create(
            organization=organization,
            actor=user,
            file_name=str(upload.name),
            data=upload.read(),
            language=translation.get_language() or "en",
        )
        tasks.import_directory.enqueue(job.pk)
        return redirect("directory:import", job_id=job.pk)
    page = queries.import_jobs(organization, after=request.GET.get("after") or None)
    return render(request, "directory/import_list.html", {"form": form, "page": page})


@agency_admin_required
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    organization = signed_in_staff(request).organization
    assert organization is not None  # noqa: S101 (agency_admin_required)
    job = queries.import_job(organization, job_id)
    context = {"job": job}
    if request.headers.get("HX-Request") == "true":
        response = render(request, "directory/_import_status.html", context)
        if not job.is_running:
            response["HX-Refresh"] = "true"
        return response
    return render(request, "directory/import_detail.html", context)


@login_required
def meetings(request: HttpRequest) -> HttpResponse:
    """Find mutual-aid meetings: day, start time, type, in person or online, near a ZIP code."""
    organization = signed_in_staff(request).organization
    if organization is None:
        raise Http404
    form = MeetingSearchForm(request.GET or None, types=queries.meeting_types(organization))
    page = None
    if form.is_bound and form.is_valid():
        found, _problem = queries.find_meetings(organization, form.cleaned_data)
        if found is None:
            form.add_error("near", _("PeerPath does not know this ZIP code. Check it."))
        else:
            page = queries.meeting_page(found, request.GET.get("page"))
    elif not form.is_bound:
        found, _problem = queries.find_meetings(organization, {})
        page = queries.meeting_page(found, 1) if found is not None else None
    return render(
        request,
        "directory/meetings.html",
        {
            "form": form,
            "page": page,
            "asked": bool(request.GET),
            "query_string": _without_page(request),
        },
    )


@login_required
def card(request: HttpRequest, entry_id: int) -> HttpResponse:
    """The resource card as a PDF, in English or Spanish (`?language=es`)."""
    organization = signed_in_staff(request).organization
    if organization is None:
        raise Http404
    entry = queries.card_entry(organization, entry_id)
    language = request.GET.get("language") or "en"
    if language not in card_module.LANGUAGES:
        raise Http404
    response = HttpResponse(card_module.card_pdf(entry, language), content_type="application/pdf")
    name = re.sub(r"[^a-z0-9]+", "-", entry.name.lower()).strip("-") or "resource"
    response["Content-Disposition"] = f'inline; filename="{name}-{language}.pdf"'
    return response


@agency_admin_required
@require_http_methods(["GET", "POST"])
def resource_form(request: HttpRequest, service_id: uuid.UUID | None = None) -> HttpResponse:
    """Add a resource the agency keeps itself, or change one."""
    return _resource_form(request, str(service_id) if service_id else None)


def _resource_form(request: HttpRequest, service_id: str | None) -> HttpResponse:
    user = signed_in_staff(request)
    organization = user.organization
    assert organization is not None  # noqa: S101 (agency_admin_required)
    start: dict[str, Any] | None = None
    if service_id is not None:
        if not queries.agency_resource_exists(organization, service_id):
            raise Http404
        start = resources.initial(organization, service_id)
    form = ResourceForm(request.POST if request.method == "POST" else None, initial=start)
    if request.method == "POST" and form.is_valid():
        resources.resource_save(
            organization=organization, actor=user, data=form.cleaned_data, service_id=service_id
        )
        messages.success(request, _("Saved. The resource is in the directory."))
        return redirect(f"{reverse('directory:search')}?q={quote(form.cleaned_data['name'])}")
    return render(
        request, "directory/resource_form.html", {"form": form, "editing": service_id is not None}
    )


@agency_admin_required
@require_POST
def resource_remove(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    return _resource_remove(request, str(service_id))


def _resource_remove(request: HttpRequest, service_id: str) -> HttpResponse:
    user = signed_in_staff(request)
    organization = user.organization
    assert organization is not None  # noqa: S101 (agency_admin_required)
    if not queries.agency_resource_exists(organization, service_id):
        raise Http404
    service = queries.agency_resource(organization, service_id)
    resources.resource_remove(organization=organization, actor=user, service=service)
    messages.success(request, _("The resource was taken out of the directory."))
    return redirect("directory:search")
