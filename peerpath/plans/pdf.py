"""The WRAP crisis plan as a PDF, in English or Spanish, for the person and their supporters."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string
from django.utils import timezone, translation

from peerpath.clients.models import Client

from . import wrap_fields
from .models import WrapVersion

LANGUAGES = ("en", "es")

# WeasyPrint reports each layout step at INFO level; keep the server log for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def crisis_plan_html(client: Client, version: WrapVersion, language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}")
    with translation.override(language):
        rows = [(f.label, version.content.get(f.key, "")) for f in wrap_fields.CRISIS.fields]
        return render_to_string(
            "plans/crisis_plan_pdf.html",
            {
                "client": client,
                "version": version,
                "rows": rows,
                "printed_on": timezone.localdate(),
                "LANGUAGE_CODE": language,
            },
        )


def crisis_plan_pdf(client: Client, version: WrapVersion, language: str) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDFs need it

    document: bytes = HTML(string=crisis_plan_html(client, version, language)).write_pdf()
    return document
