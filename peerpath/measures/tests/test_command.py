"""Loading Questionnaire files from the command line: all checked first, then loaded together."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.management import CommandError, call_command
from django.test import TestCase

from peerpath.core.models import AuditEvent
from peerpath.measures.models import Questionnaire
from peerpath.testing import make_organization

FIXTURES = Path(__file__).parent / "fixtures"


class LoadQuestionnairesTests(TestCase):
    def test_shipped_instruments_are_loaded_by_the_migration(self) -> None:
        codes = set(
            Questionnaire.objects.filter(organization__isnull=True).values_list("code", flat=True)
        )
        self.assertEqual(codes, {"44249-1", "69737-5", "barc-10"})
        call_command("load_questionnaires", stdout=StringIO())  # idempotent
        self.assertEqual(Questionnaire.objects.count(), 3)

    def test_agency_file_is_loaded_for_that_agency_only(self) -> None:
        org = make_organization()
        out = StringIO()
        call_command(
            "load_questionnaires",
            str(FIXTURES / "lhc-forms" / "phq9.json"),
            organization=org.slug,
            stdout=out,
        )
        row = Questionnaire.objects.get(organization=org)
        # The LHC-Forms file has no url: one is derived from its LOINC identifier, and said so.
        self.assertEqual(
            (row.code, row.canonical), ("44249-1", "urn:peerpath:questionnaire:44249-1")
        )
        self.assertIn("Loaded", out.getvalue())
        self.assertIn("has no canonical url", out.getvalue())
        self.assertEqual(AuditEvent.objects.filter(action="questionnaire.import").count(), 1)

    def test_one_bad_file_loads_nothing_and_names_the_problem(self) -> None:
        org = make_organization()
        with TemporaryDirectory() as tmp:
            bad = Path(tmp) / "broken.json"
            resource = json.loads((FIXTURES / "lhc-forms" / "phq9.json").read_text())
            resource["item"][0]["answerOption"][0]["valueCoding"]["code"] = "LA6569-3"
            resource["item"][1]["linkId"] = resource["item"][0]["linkId"]
            bad.write_text(json.dumps(resource))
            with self.assertRaises(CommandError) as caught:
                call_command(
                    "load_questionnaires",
                    str(FIXTURES / "lhc-forms" / "phq9.json"),
                    str(bad),
                    organization=org.slug,
                    stdout=StringIO(),
                )
        self.assertIn("broken.json", str(caught.exception))
        self.assertIn("Two items share the linkId /44250-9", str(caught.exception))
        self.assertFalse(Questionnaire.objects.filter(organization=org).exists())
