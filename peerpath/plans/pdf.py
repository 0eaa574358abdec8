"""The WRAP crisis plan as a PDF, in English or Spanish, for the person and their supporters."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from peerpath.clients.models import Client
from peerpath.core.pdf import html_to_pdf

from . import wrap_fields
from .models import WrapVersion

LANGUAGES = ("en", "es")

# Shown on page one, or in their own list, rather than among the other answers.
FIRST_PAGE = ("crisis_own_line", "crisis_copies")


def crisis_plan_html(client: Client, version: WrapVersion, language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}")
    with translation.override(language):
        content = version.content
        # Parts the person left empty are left out, not printed as blanks.
        rows = [
            (f.label, content.get(f.key, "").strip())
            for f in wrap_fields.CRISIS.fields
            if f.key not in FIRST_PAGE and content.get(f.key, "").strip()
        ]
        copies = [line.strip() for line in content.get("crisis_copies", "").splitlines()]
        return render_to_string(
            "plans/crisis_plan_pdf.html",
            {
                "client": client,
                "version": version,
                "rows": rows,
                "own_line": content.get("crisis_own_line", "").strip(),
                "copies": [name for name in copies if name],
                "printed_on": timezone.localdate(),
                "LANGUAGE_CODE": language,
            },
        )


def crisis_plan_pdf(client: Client, version: WrapVersion, language: str) -> bytes:
    return html_to_pdf(crisis_plan_html(client, version, language))
