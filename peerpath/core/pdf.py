"""Every PDF PeerPath makes: tagged PDF/UA-1, in the reader's language, fonts embedded.

A screen reader reads the tag tree (headings, lists, tables) in order; the document's language
is set from the page's `<html lang>`.
"""

from __future__ import annotations

import logging

# WeasyPrint reports each layout step at INFO level; keep the server log for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDFs need it

    document: bytes = HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
    return document
