"""A file being made in the background: its progress, then the file itself (requester only)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import downloads
from .models import Download
from .requests import signed_in_staff as _user


def _context(download: Download) -> dict[str, Any]:
    return {
        "download": download,
        "label": downloads.label(download.kind),
        "back": downloads.origin_url(download),
        "expired": downloads.is_expired(download),
    }


@login_required
@require_GET
def download_status(request: HttpRequest, download_id: int) -> HttpResponse:
    download = downloads.download_for(_user(request), download_id)
    context = _context(download)
    if request.headers.get("HX-Request") == "true":
        return render(request, "core/_download_status.html", context)
    return render(request, "core/download.html", context)


@login_required
@require_GET
def download_file(request: HttpRequest, download_id: int) -> HttpResponse:
    user = _user(request)
    download = downloads.download_for(user, download_id)
    if download.status != download.Status.READY or downloads.is_expired(download):
        return render(request, "core/download.html", _context(download), status=410)
    response = HttpResponse(
        downloads.download_fetch(user, download), content_type=download.content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{download.file_name}"'
    return response
