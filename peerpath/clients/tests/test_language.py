"""Plain language for what a person served reads, and a complete Spanish catalog."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import textstat
from django.test import SimpleTestCase

APP = Path(__file__).resolve().parent.parent
MAX_GRADE = 8
# Pages and documents the person served reads themselves.
CLIENT_FACING = (
    "privacy/my_record.html",
    "pdf/accounting.html",
    "privacy/consent_new.html",
    "privacy/consent_list.html",
    "privacy/consent_revoke.html",
    "privacy/_your_rights.html",
)


class PlainLanguageTests(SimpleTestCase):
    def test_client_facing_text_reads_at_grade_8_or_below(self) -> None:
        for name in CLIENT_FACING:
            source = (APP / "templates" / "clients" / name).read_text()
            phrases = re.findall(r'{% translate "([^"]+)"', source)
            phrases += re.findall(
                r"{% blocktranslate[^%]*%}(.*?){% (?:plural|endblocktranslate)", source, re.S
            )
            text = " ".join(
                re.sub(r"{{[^}]+}}", "it", p).strip().rstrip(".:") + "." for p in phrases
            )
            with self.subTest(template=name):
                self.assertGreater(len(phrases), 3)
                self.assertLessEqual(textstat.flesch_kincaid_grade(text), MAX_GRADE, text)

    def test_the_consent_forms_a_person_signs_read_at_grade_8_or_below(self) -> None:
        from django.utils import translation

        from peerpath.clients.forms import ConsentForm, RevokeForm

        with translation.override("en"):
            texts = []
            for form in (ConsentForm(), RevokeForm()):
                for field in form.fields.values():
                    texts += [str(field.label), str(field.help_text or "")]
                    texts += [str(label) for value, label in getattr(field, "choices", []) if value]
            text = " ".join(t.strip().rstrip(".:?") + "." for t in texts if t.strip())
        self.assertLessEqual(textstat.flesch_kincaid_grade(text), MAX_GRADE, text)
        for sentence in re.split(r"(?<=\.) ", text):
            with self.subTest(sentence=sentence):
                self.assertLessEqual(textstat.flesch_kincaid_grade(sentence), 10, sentence)

    def test_spanish_words_for_a_person_do_not_assume_their_gender(self) -> None:
        # "inscrita", "dado de alta" or "cansado(a)" say something about the person's gender
        # that nobody asked; staff titles keep the inclusive "supervisor/a".
        gendered = re.compile(
            r"\w+o\(a\)|\w+a\(o\)|\binscrit[oa]s?\b|\bdad[oa] de alta\b|\bbienvenid[oa]\b",
            re.IGNORECASE,
        )
        found = []
        for path in sorted(APP.parent.glob("*/locale/es/LC_MESSAGES/django.po")):
            for entry in polib.pofile(str(path)):
                if entry.obsolete:
                    continue
                for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                    if gendered.search(text):
                        found.append(f"{path.parts[-5]}: {text}")
        self.assertEqual(found, [])

    def test_every_string_has_a_spanish_translation(self) -> None:
        catalog = polib.pofile(str(APP / "locale" / "es" / "LC_MESSAGES" / "django.po"))
        missing = [e.msgid for e in catalog if not e.translated() and not e.obsolete]
        fuzzy = [e.msgid for e in catalog if "fuzzy" in e.flags]
        self.assertEqual((missing, fuzzy), ([], []))
