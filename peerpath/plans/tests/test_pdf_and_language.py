"""The crisis plan PDF (text checked in English and Spanish) and plain language for the person."""

from __future__ import annotations

import io
import re
from pathlib import Path

import polib
import textstat
from django.template import loader
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from peerpath.core.models import AuditEvent
from peerpath.plans import actions, wrap_fields
from peerpath.testing import CastTestCase

from .helpers import CRISIS_TEXT, writer

APP = Path(__file__).resolve().parent.parent
CLIENT_FACING = ["plan_page.html", "wrap_view.html", "crisis_plan_pdf.html", "_record_section.html"]
MAX_GRADE = 8.0


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def _struct_kinds(node, found=None):  # type: ignore[no-untyped-def]
    """Every structure type (/H1, /P, /L...) in a PDF's tag tree."""
    found = set() if found is None else found
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        for child in node:
            _struct_kinds(child, found)
    elif hasattr(node, "get"):
        if node.get("/S") is not None:
            found.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None and not isinstance(kids, int):
            _struct_kinds(kids, found)
    return found


class CrisisPdfTests(CastTestCase):
    def setUp(self) -> None:
        self.version = actions.wrap_save(
            actor=self.cast.peer, access=writer(self.cast), based_on=0, content=dict(CRISIS_TEXT)
        )
        self.url = reverse("plans:wrap_crisis_pdf", args=[self.cast.client.pk])

    def test_english_pdf_has_the_plan_in_the_persons_words(self) -> None:
        response = self.as_("peer").get(self.url + "?lang=en")
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = pdf_text(response.content)
        self.assertIn("My crisis plan: Jordana Quillfeather", text)
        self.assertIn("Signs that others should take over and help me", text)
        self.assertIn("My sister Ana, 555-0101, can stay with me.", text)
        self.assertIn("call or text 988", text)
        event = AuditEvent.objects.last()
        self.assertEqual(event.action, "wrap.crisis_pdf")  # type: ignore[union-attr]
        self.assertEqual(event.details["language"], "en")  # type: ignore[union-attr]

    def test_page_one_crisis_lines_no_blanks_copies_and_signature_lines(self) -> None:
        content = {
            **CRISIS_TEXT,
            "crisis_own_line": "Riverbend warm line 555-0188",
            "crisis_copies": "Ana Quillfeather\nDr. Lee",
        }
        actions.wrap_save(
            actor=self.cast.peer, access=writer(self.cast), based_on=1, content=content
        )
        reader = PdfReader(io.BytesIO(self.as_("peer").get(self.url + "?lang=en").content))
        first = " ".join((reader.pages[0].extract_text() or "").split())
        for line in ("Crisis help: call or text 988.", "call 911", "Riverbend warm line 555-0188"):
            self.assertIn(line, first)
        text = pdf_text(self.as_("peer").get(self.url + "?lang=en").content)
        self.assertNotIn("Not filled in", text)
        self.assertNotIn("Medicines I do not want", text)  # an empty part is left out
        self.assertIn("People who have a copy of this plan", text)
        self.assertIn("Dr. Lee", text)
        self.assertIn("My signature", text)
        self.assertIn("Supporter's signature", text)

    def test_every_pdf_is_tagged_pdf_ua_in_the_readers_language(self) -> None:
        accounting = reverse("clients:accounting_pdf", args=[self.cast.client.pk])
        for url, language, role in (
            (self.url + "?lang=en", "en", "peer"),
            (self.url + "?lang=es", "es", "peer"),
            (accounting, "en", "peer"),
        ):
            with self.subTest(url=url, language=language):
                http = self.as_(role)
                if url == accounting:
                    response = self.fetch_download(http, http.post(url))
                else:
                    response = http.get(url)
                self.assertEqual(response["Content-Type"], "application/pdf")
                reader = PdfReader(io.BytesIO(response.content))
                catalog = reader.trailer["/Root"]
                self.assertTrue(catalog["/MarkInfo"]["/Marked"])
                tree = catalog["/StructTreeRoot"].get_object()
                self.assertIn("/K", tree)
                self.assertEqual(str(catalog["/Lang"]), language)
                self.assertIn(b"pdfuaid:part", catalog["/Metadata"].get_object().get_data())
                kinds = _struct_kinds(tree)
                self.assertIn("/H1", kinds)
                self.assertIn("/P", kinds)

    def test_spanish_pdf(self) -> None:
        text = pdf_text(self.as_("supervisor").get(self.url + "?lang=es").content)
        self.assertIn("Mi plan de crisis: Jordana Quillfeather", text)
        self.assertIn("Quiet music and a walk with Ana.", text)  # the person's words are kept
        self.assertNotIn("Signs that others should take over", text)

    def test_unknown_language_falls_back_to_english(self) -> None:
        text = pdf_text(self.as_("peer").get(self.url + "?lang=xx").content)
        self.assertIn("My crisis plan", text)


def _visible_text(html: str) -> str:
    html = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(text.split())


class PlainLanguageTests(SimpleTestCase):
    def test_wrap_questions_read_at_grade_8_or_below(self) -> None:
        with translation.override("en"):
            sentences = [f"{f.label}." for f in wrap_fields.FIELDS]
            sentences += [f"{f.hint}" for f in wrap_fields.FIELDS if f.hint]
            sentences += [f"{p.title}." for p in wrap_fields.PARTS]
        grade = textstat.flesch_kincaid_grade(" ".join(sentences))
        self.assertLessEqual(grade, MAX_GRADE, sentences)

    def test_client_facing_template_text_reads_at_grade_8_or_below(self) -> None:
        for name in CLIENT_FACING:
            source = (APP / "templates" / "plans" / name).read_text()
            # The fixed text: what {% translate %} and {% blocktranslate %} say, placeholders out.
            phrases = re.findall(r'{% translate "([^"]+)"', source)
            phrases += re.findall(
                r"{% blocktranslate[^%]*%}(.*?){% (?:plural|endblocktranslate)", source, re.S
            )
            text = " ".join(
                re.sub(r"{{[^}]+}}", "it", p).strip().rstrip(".:") + "." for p in phrases
            )
            with self.subTest(template=name):
                self.assertGreater(len(phrases), 1)
                self.assertLessEqual(textstat.flesch_kincaid_grade(text), MAX_GRADE, text)

    def test_crisis_pdf_template_renders_plain_text(self) -> None:
        # The rendered template (with the person's example words) is plain too.
        class V:
            number = 3
            saved_at = None
            content = CRISIS_TEXT

        class C:
            display_name = "Ana Lopez"

        with translation.override("en"):
            rows = [(f.label, CRISIS_TEXT.get(f.key, "")) for f in wrap_fields.CRISIS.fields]
            html = loader.render_to_string(
                "plans/crisis_plan_pdf.html",
                {
                    "client": C(),
                    "version": V(),
                    "rows": rows,
                    "printed_on": None,
                    "own_line": "Warm line 555-0188",
                    "copies": ["Ana Lopez", "Dr. Lee"],
                },
            )
        self.assertLessEqual(textstat.flesch_kincaid_grade(_visible_text(html)), MAX_GRADE)

    def test_every_string_has_a_spanish_translation(self) -> None:
        catalog = polib.pofile(str(APP / "locale" / "es" / "LC_MESSAGES" / "django.po"))
        missing = [e.msgid for e in catalog if not e.translated() and not e.obsolete]
        fuzzy = [e.msgid for e in catalog if "fuzzy" in e.flags]
        self.assertEqual((missing, fuzzy), ([], []))
        msgids = {e.msgid for e in catalog}
        with translation.override("en"):
            for f in wrap_fields.FIELDS:
                self.assertIn(str(f.label), msgids)
        self.assertIn("My crisis plan: %(name)s", msgids)
