"""The resource card: one service on one page, in English or Spanish, to hand to the person."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from peerpath.core.models import Organization
from peerpath.core.pdf import html_to_pdf

from . import queries
from .models import Entry, Hours, Record

LANGUAGES = ("en", "es")


def _linked(organization: Organization, table: str, column: str, hsds_id: str) -> list[Any]:
    return list(
        Record.objects.filter(
            organization=organization,
            table=table,
            removed_at__isnull=True,
            **{f"data__{column}": hsds_id},
        ).values_list("data", flat=True)
    )


def card_html(entry: Entry, language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}")
    service: dict[str, Any] = entry.service.data
    location: dict[str, Any] = entry.location.data if entry.location is not None else {}
    organization = entry.organization
    documents = _linked(organization, "required_document", "service_id", entry.service.hsds_id)
    hours = list(Hours.objects.filter(entry=entry).order_by("weekday", "opens"))
    with translation.override(language):  # day names are translated as the card is made
        return render_to_string(
            "directory/card_pdf.html",
            {
                "entry": entry,
                "week": queries.week(hours),
                "getting_there": str(location.get("transportation") or "").strip(),
                "how_to_apply": str(service.get("application_process") or "").strip(),
                "fees": str(service.get("fees_description") or "").strip(),
                "website": str(service.get("url") or location.get("url") or "").strip(),
                "documents": [
                    str(d.get("document", "")).strip() for d in documents if d.get("document")
                ],
                "printed_on": timezone.localdate(),
                "LANGUAGE_CODE": language,
            },
        )


def card_pdf(entry: Entry, language: str) -> bytes:
    return html_to_pdf(card_html(entry, language))
