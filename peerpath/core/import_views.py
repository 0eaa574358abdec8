"""Import pages (agency area): upload a CSV, watch it being checked, read every problem by line
and column, then import it all (or nothing); templates to download. Thin: the pipeline is
`imports`, the work is done by background tasks (`tasks.py`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import agency_queries, imports, tasks
from .agency_views import _org, _own, agency_admin_required
from .forms import UswdsFormMixin
from .models import ImportJob
from .requests import signed_in_staff as _user


class UploadForm(UswdsFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), widget=forms.RadioSelect)
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("Save the spreadsheet as CSV (comma-separated values)."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = [(i.kind, i.label) for i in imports.kinds()]  # type: ignore[attr-defined]

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > imports.max_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB. Split it into smaller files.")
                % {"mb": imports.max_bytes() // (1024 * 1024)}
            )
        return imports.decode(upload.read())


def _own_job(request: HttpRequest, job_id: int) -> ImportJob:
    """One of the organization's imports through this pipeline (others have their own pages)."""
    job: ImportJob = _own(ImportJob, request, job_id)
    if job.kind not in {importer.kind for importer in imports.kinds()}:
        raise Http404
    return job


@agency_admin_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = imports.job_create(
            organization_id=_org(request),
            kind=form.cleaned_data["kind"],
            file_name=str(request.FILES["file"].name),  # type: ignore[union-attr]
            content=form.cleaned_data["file"],
            actor=_user(request),
            language=translation.get_language() or "en",
        )
        tasks.check_import.enqueue(job.pk)
        return redirect("agency:import", job_id=job.pk)
    page = agency_queries.import_jobs(_org(request), after=request.GET.get("after") or None)
    return render(
        request,
        "core/agency/import_list.html",
        {"form": form, "page": page, "importers": imports.kinds()},
    )


@agency_admin_required
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _own_job(request, job_id)
    context = {"job": job, "importer": imports.importer_for(job.kind)}
    if request.headers.get("HX-Request") == "true":
        response = render(request, "core/agency/_import_status.html", context)
        if not job.is_running:
            response["HX-Refresh"] = "true"
        return response
    return render(request, "core/agency/import_detail.html", context)


@agency_admin_required
@require_POST
def import_write(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _own_job(request, job_id)
    if imports.job_queue(job):
        tasks.write_import.enqueue(job.pk)
    else:
        messages.info(request, _("This file is not ready to import."))
    return redirect("agency:import", job_id=job.pk)


@agency_admin_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    try:
        importer = imports.importer_for(kind)
    except ValueError:
        raise Http404 from None
    spanish = request.GET.get("language") == "es"
    response = HttpResponse(
        "\ufeff" + imports.template_csv(importer, spanish=spanish),
        content_type="text/csv; charset=utf-8",
    )
    name = f"peerpath-{kind}{'-es' if spanish else ''}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
