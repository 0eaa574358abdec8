"""The person's files that grow with their record, made in the background (see core.downloads):
the accounting of disclosures, and the full record as PDF or JSON. Each renderer asks the gate
again as the person who asked, so access lost in the meantime makes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from peerpath.core.downloads import Made, register
from peerpath.core.models import Staff

from . import access, consents, full_record


def _renderer(
    opening: Callable[[Staff, Any], access.ClientAccess],
    make: Callable[..., bytes],
    content_type: str,
    file_name: str,
) -> Callable[[Staff, int | None], Made]:
    def render(requester: Staff, client_id: int | None) -> Made:
        grant = opening(requester, client_id)
        content = make(actor=requester, access=grant)
        return Made(content, content_type, file_name.format(number=grant.client.pk))

    return render


def register_all() -> None:
    register(
        "accounting",
        _("Accounting of disclosures"),
        _renderer(
            access.client_for_read,
            consents.accounting_pdf,
            "application/pdf",
            "accounting-of-disclosures-{number}.pdf",
        ),
        origin="clients:consents",
    )
    for kind, label, make, content_type, extension in (
        ("full_record_pdf", _("Full record (PDF)"), full_record.as_pdf, "application/pdf", "pdf"),
        (
            "full_record_json",
            _("Full record (JSON)"),
            full_record.as_json,
            "application/json",
            "json",
        ),
    ):
        opening = access.client_for_privacy_review
        register(
            kind, label, _renderer(opening, make, content_type, f"record-{{number}}.{extension}")
        )
