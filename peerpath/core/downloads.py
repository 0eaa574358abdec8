"""Files made in the background: a request asks, the worker makes, the requester fetches.

A PDF whose size grows with a person's record (their accounting of disclosures, their full
record) is never rendered inside a request: the page asks for it (`download_request`), a task
renders it (`download_make`) with the renderer its app registered, and the page shows its
progress and then a link. Only the person who asked can fetch it, for a day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation

from . import audit
from .models import Download, Staff

KEEP_FOR = timedelta(days=1)


@dataclass(frozen=True)
class Made:
    content: bytes
    content_type: str
    file_name: str


# kind -> renderer(requester, client_id) -> Made, and what to call the file. Each app registers
# its own in `ready()`.
_renderers: dict[str, Callable[[Staff, int | None], Made]] = {}
_labels: dict[str, Any] = {}
_origins: dict[str, str] = {}


def register(
    kind: str, label: Any, renderer: Callable[[Staff, int | None], Made], *, origin: str = ""
) -> None:
    """`origin`: the name of the page the file is asked from (taking the person's record number),
    so the file's page leads back there."""
    _renderers[kind] = renderer
    _labels[kind] = label
    _origins[kind] = origin


def label(kind: str) -> Any:
    return _labels.get(kind, kind)


def origin_url(download: Download) -> str:
    from django.urls import reverse

    name = _origins.get(download.kind, "")
    if not name or download.client_id is None:
        return ""
    return reverse(name, args=[download.client_id])


def download_request(*, actor: Staff, kind: str, client_id: int | None) -> Download:
    """Ask for a file. The task is queued in the same database transaction as the row (the
    database queue), so the worker never sees one without the other."""
    if kind not in _renderers:
        raise ValueError(f"no renderer for {kind!r}")
    if actor.organization_id is None:
        raise Http404
    from . import tasks

    now = timezone.now()
    with transaction.atomic():
        download = Download.objects.create(
            organization_id=actor.organization_id,
            requested_by=actor,
            kind=kind,
            client_id=client_id,
            language=translation.get_language() or "en",
            created_at=now,
            expires_at=now + KEEP_FOR,
        )
        tasks.make_download.enqueue(download.pk)
    download.refresh_from_db(fields=["status"])  # an in-process queue has made it already
    return download


def download_make(download_id: int) -> str:
    """Render one asked-for file (run by the worker)."""
    download = Download.objects.select_related("requested_by").get(pk=download_id)
    if download.status != Download.Status.QUEUED:
        return download.status
    try:
        with translation.override(download.language):
            made = _renderers[download.kind](download.requested_by, download.client_id)
    except Http404:
        # The requester may no longer see the person: nothing is made.
        download.status = Download.Status.FAILED
    else:
        download.content = made.content
        download.content_type = made.content_type
        download.file_name = made.file_name
        download.status = Download.Status.READY
    download.finished_at = timezone.now()
    download.save(update_fields=["content", "content_type", "file_name", "status", "finished_at"])
    return download.status


def download_for(user: Staff, download_id: int) -> Download:
    """The requester's own download (404 for anyone else); its content is not loaded."""
    if user.organization_id is None:
        raise Http404
    download = (
        Download.objects.defer("content")
        .filter(pk=download_id, requested_by=user, organization_id=user.organization_id)
        .first()
    )
    if download is None:
        raise Http404
    return download


def download_fetch(user: Staff, download: Download) -> bytes:
    """The file's bytes, fetched by its requester: audited like every look at a record."""
    content = Download.objects.filter(pk=download.pk).values_list("content", flat=True).get()
    audit.record(
        organization=download.organization_id,
        actor=user,
        client_id=download.client_id,
        action="download.fetch",
        obj=download,
        details={"kind": download.kind},
    )
    return bytes(content or b"")


def is_expired(download: Download) -> bool:
    return download.expires_at <= timezone.now()
