"""Questionnaires PeerPath did not write (LHC-Forms' own R4 test files) load, ask and score.

The files and their source and licence are in fixtures/lhc-forms/README.md.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from peerpath.measures import actions, instruments, loading
from peerpath.measures.models import Response
from peerpath.measures.templatetags.measures_text import score as score_filter
from peerpath.testing import CastTestCase

LHC = Path(__file__).parent / "fixtures" / "lhc-forms"
FREQUENCY = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]  # 0, 1, 2, 3 points


def published(name: str) -> dict[str, Any]:
    return json.loads((LHC / name).read_text(encoding="utf-8"))


def load(name: str) -> instruments.Instrument:
    return loading.read(LHC / name)[1]


class EveryPublishedFileLoadsTests(SimpleTestCase):
    def test_each_file_loads_as_it_comes(self) -> None:
        files = sorted(LHC.glob("*.json"))
        self.assertGreaterEqual(len(files), 6)
        for path in files:
            with self.subTest(file=path.name):
                _resource, instrument = loading.read(path)
                self.assertTrue(instrument.questions)
                self.assertTrue(instrument.url)

    def test_a_missing_url_is_derived_from_the_id_and_said(self) -> None:
        nested = load("q-with-nested-enableWhen.json")
        self.assertEqual(nested.url, "urn:peerpath:questionnaire:minimal-lforms-skiplogic-loop")
        self.assertIn("has no canonical url", nested.notes[0])
        # No id either: the LOINC identifier, then the title.
        self.assertEqual(load("phq9.json").url, "urn:peerpath:questionnaire:44249-1")
        self.assertEqual(
            load("apgar-with-itemWeight-variable.json").url,
            "urn:peerpath:questionnaire:1-minute-apgar-score",
        )

    def test_a_form_without_scores_is_a_form(self) -> None:
        form = load("enableWhen-test.R4.json")
        self.assertFalse(form.has_score)
        result = instruments.score(form, {"Q1": True, "Q7": "test"})
        self.assertIsNone(result.total)

    def test_an_unknown_variable_or_value_set_is_refused_in_words(self) -> None:
        resource = published("phq9.json")
        total = next(i for i in resource["item"] if i["linkId"] == "/44261-6")
        total["extension"] = [e for e in total["extension"] if "variable" not in e["url"]]
        with self.assertRaisesMessage(instruments.QuestionnaireError, "%any_questions_answered"):
            instruments.parse(resource)
        argonaut = published("argonaut-phq9-ish.json")
        argonaut["contained"] = []
        with self.assertRaisesMessage(instruments.QuestionnaireError, "not in the file"):
            instruments.parse(argonaut)


class FhirPathTotalsTests(SimpleTestCase):
    """Totals the Questionnaire defines in FHIRPath are evaluated by fhirpathpy."""

    @settings(max_examples=25, deadline=None)
    @given(st.lists(st.integers(0, 3), min_size=9, max_size=9), st.integers(0, 3))
    def test_phq9_variables_weight_function_and_sum_agree(
        self, points: list[int], difficulty: int
    ) -> None:
        for name in ("phq9.json", "phq9-with-the-weight-function.json"):
            instrument = load(name)
            self.assertIsNotNone(instrument.total)
            answers: dict[str, Any] = {
                q.link_id: FREQUENCY[p]
                for q, p in zip(instrument.scored_questions, points, strict=True)
            }
            answers["/69722-7"] = ["LA6572-7", "LA6573-5", "LA6575-0", "LA6574-3"][difficulty]
            result = instruments.score(instrument, answers)
            self.assertEqual(result.total, sum(points), name)
            self.assertEqual(result.band, instrument.band_for(Decimal(sum(points))))
            self.assertEqual(bool(result.alerts), points[8] > 0)

    def test_the_calculated_total_is_not_a_question(self) -> None:
        instrument = load("phq9.json")
        self.assertIsNone(instrument.question("/44261-6"))
        self.assertEqual(instrument.total.link_id, "/44261-6")  # type: ignore[union-attr]

    def test_apgar_total_from_variables_keeps_its_decimals(self) -> None:
        resource = published("apgar-with-itemWeight-variable.json")
        whole = instruments.parse(resource)
        answers = {q.link_id: q.options[2].code for q in whole.questions}
        self.assertEqual(instruments.score(whole, answers).total, 10)
        # The same file with a half-point weight: the total keeps the half.
        resource["item"][0]["answerOption"][1]["extension"][0]["valueDecimal"] = 1.5
        half = instruments.parse(resource)
        answers[half.questions[0].link_id] = half.questions[0].options[1].code
        self.assertEqual(instruments.score(half, answers).total, Decimal("9.5"))
        with translation.override("es"):
            self.assertEqual(score_filter(Decimal("9.5000")), "9,5")
        with translation.override("en"):
            self.assertEqual(score_filter(Decimal("18.0000")), "18")

    def test_value_set_weights_and_published_bands(self) -> None:
        instrument = load("argonaut-phq9-ish.json")
        self.assertEqual(instrument.score_range, (0, 27))
        answers = {q.link_id: q.options[3].code for q in instrument.questions}
        result = instruments.score(instrument, answers)
        self.assertEqual((result.total, result.band), (27, "Severe"))
        self.assertEqual(result.alerts, ("g1.q9",))
        # The hidden scoring note is not shown; the instructions are.
        self.assertEqual(len(instrument.instructions), 1)
        self.assertIn("Over the last 2 weeks", instrument.instructions[0][0])


class EnableWhenTests(SimpleTestCase):
    def test_each_answer_type_decides_what_is_asked(self) -> None:
        form = load("enableWhen-test.R4.json")
        asked = form.enabled({})
        self.assertIn("Q1-not-exists", asked)
        self.assertNotIn("Q1-true", asked)
        cases: list[tuple[dict[str, Any], set[str], set[str]]] = [
            ({"Q1": True}, {"Q1-exists", "Q1-true"}, {"Q1-false", "Q1-not-true"}),
            ({"Q1": False}, {"Q1-false", "Q1-not-true"}, {"Q1-true"}),
            ({"Q2": Decimal("5.6")}, {"Q2-equal", "Q2-ge"}, {"Q2-not-exists"}),
            ({"Q2": Decimal("4.7")}, {"Q2-exists"}, {"Q2-equal", "Q2-ge"}),
            ({"Q3": 4}, {"Q3-ge"}, {"Q3-equal"}),
            ({"Q4": "2020-06-01"}, {"Q4-ge"}, {"Q4-equal"}),
            ({"Q7": "test"}, {"Q7-equals", "Q7-ge", "Q7-gt"}, {"Q7-notequals", "Q7-lt"}),
            ({"Q8": ["B"]}, {"Q8-eq-B"}, {"Q8-eq-B-and-C"}),
            ({"Q8": ["B", "C"]}, {"Q8-eq-B", "Q8-eq-B-and-C"}, set()),
            ({"Q9": "A"}, {"Q9-noteq-B"}, {"Q9-eq-B"}),
            ({"Q9b": "34"}, {"Q9b-eq-B"}, {"Q9b-noteq-B"}),
            ({"Q9c": "2022-09"}, {"Q9c-eq-B"}, {"Q9c-noteq-B"}),
            ({"Q10": "chic", "Q10b": "ken"}, {"Q10-ewe"}, set()),
            ({"Q10": "chic", "Q10b": "ago"}, set(), {"Q10-ewe"}),
        ]
        for answers, shown, hidden in cases:
            with self.subTest(answers=answers):
                asked = form.enabled(instruments.check(form, answers))
                self.assertLessEqual(shown, asked)
                self.assertFalse(hidden & asked)

    def test_answers_to_questions_not_asked_are_not_kept_nor_required(self) -> None:
        nested = load("q-with-nested-enableWhen.json")
        kept = instruments.score(nested, {"p1": "NO", "c1": "A", "d1": "from before"}).answers
        self.assertEqual(kept, {"p1": "NO"})
        kept = instruments.score(nested, {"p1": "YES", "c1": "B", "d1": "asked"}).answers
        self.assertEqual(kept, {"p1": "YES", "c1": "B", "d1": "asked"})
        items = nested.response_items(kept)
        group = next(i for i in items if i["linkId"] == "g1")
        self.assertEqual([i["linkId"] for i in group["item"]], ["c1", "d1"])

    def test_a_form_with_nothing_answered_is_refused(self) -> None:
        with self.assertRaises(instruments.AnswersError) as caught:
            instruments.check(load("q-with-nested-enableWhen.json"), {})
        self.assertEqual(caught.exception.problems, {"": "Answer at least one question."})

    def test_wrong_kinds_of_answers_say_what_is_wrong(self) -> None:
        form = load("enableWhen-test.R4.json")
        with self.assertRaises(instruments.AnswersError) as caught:
            instruments.check(form, {"Q3": "three", "Q9": "Z", "Q1": "yes", "nope": "x"})
        problems = caught.exception.problems
        self.assertEqual(problems["Q3"], "Enter a whole number.")
        self.assertIn("not one of the answers", problems["Q9"])
        self.assertEqual(problems["Q1"], "Answer yes or no.")
        self.assertIn("not a question", problems["nope"])


class PublishedFormsInPeerPathTests(CastTestCase):
    def import_(self, name: str) -> Any:
        return actions.questionnaire_import(
            actor=None, organization=self.cast.org, resource=published(name)
        )

    def test_a_peer_fills_in_the_unscored_form_and_nesting_and_types_are_kept(self) -> None:
        q = self.import_("enableWhen-test.R4.json")
        url = reverse("measures:record", args=[self.cast.client.pk, q.pk])
        page = self.as_("peer").get(url)
        self.assertContains(page, 'type="checkbox"')
        self.assertContains(page, 'type="date"')
        self.assertContains(page, "Answer only if “Q1 Boolean field” is “Yes”.")
        empty = self.as_("peer").post(url, {"authored_on": timezone.localdate().isoformat()})
        self.assertContains(empty, "Answer at least one question.", status_code=400)
        self.assertFalse(Response.objects.exists())
        form = page.context["form"]
        name = {link: field for field, link in form.link_ids.items()}
        data = {
            "authored_on": timezone.localdate().isoformat(),
            name["Q1"]: "true",
            name["Q1-true"]: "shown because Q1 is yes",
            name["Q1-false"]: "typed, but not asked",
            name["Q2"]: "5.6",
            name["Q4"]: "2020-05-01",
            name["Q8"]: ["B", "C"],
        }
        self.assertEqual(self.as_("peer").post(url, data).status_code, 302)
        saved = Response.objects.get(questionnaire=q)
        self.assertIsNone(saved.total)
        answers = saved.answers()
        self.assertEqual(answers["Q1"], True)
        self.assertEqual(answers["Q2"], Decimal("5.6"))
        self.assertEqual(answers["Q4"], "2020-05-01")
        self.assertEqual(answers["Q8"], ["B", "C"])
        self.assertNotIn("Q1-false", answers)
        group = next(i for i in saved.resource["item"] if i["linkId"] == "g8")
        self.assertEqual(len(group["item"][0]["answer"]), 2)
        detail = self.as_("peer").get(
            reverse("measures:response", args=[self.cast.client.pk, saved.pk])
        )
        self.assertContains(detail, "shown because Q1 is yes")
        self.assertNotContains(detail, "total")

    def test_a_required_question_that_is_asked_must_be_answered(self) -> None:
        q = self.import_("argonaut-phq9-ish.json")
        url = reverse("measures:record", args=[self.cast.client.pk, q.pk])
        data = {f"q{i}": "LA6570-1" for i in range(9)}
        data["authored_on"] = timezone.localdate().isoformat()
        page = self.as_("peer").post(url, data)  # the difficulty question is left out
        self.assertContains(page, "Choose an answer to this question.", status_code=400)
        self.assertFalse(Response.objects.exists())
        data["q9"] = "LA6573-5"
        self.assertEqual(self.as_("peer").post(url, data).status_code, 302)
        saved = Response.objects.get()
        self.assertEqual((saved.total, saved.band), (18, "Moderately severe"))
        self.assertEqual([i["linkId"] for i in saved.resource["item"]], ["g1", "g2"])

    def post_response(self, resource: dict[str, Any]) -> Any:
        url = f"/api/v1/clients/{self.cast.client.pk}/questionnaire-responses"
        return self.as_("peer").post(url, json.dumps(resource), content_type="application/json")

    def response_for(self, reference: str, subject: str | None = None) -> dict[str, Any]:
        resource: dict[str, Any] = {
            "resourceType": "QuestionnaireResponse",
            "status": "completed",
            "questionnaire": reference,
            "authored": timezone.localdate().isoformat(),
            "item": [
                {"linkId": "p1", "answer": [{"valueCoding": {"code": "YES"}}]},
                {
                    "linkId": "g1",
                    "item": [
                        {"linkId": "c1", "answer": [{"valueCoding": {"code": "B"}}]},
                        {"linkId": "d1", "answer": [{"valueString": "inner"}]},
                    ],
                },
            ],
        }
        if subject:
            resource["subject"] = {"reference": subject}
        return resource

    def test_questionnaire_references_resolve_and_another_persons_response_is_refused(self) -> None:
        q = self.import_("q-with-nested-enableWhen.json")
        for reference in (
            "Questionnaire/minimal-lforms-skiplogic-loop",
            f"Questionnaire/{q.pk}",
            q.canonical,
        ):
            with self.subTest(reference=reference):
                created = self.post_response(
                    self.response_for(reference, f"Patient/{self.cast.client.pk}")
                )
                self.assertEqual(created.status_code, 201, created.content)
                row = Response.objects.get(pk=int(created.json()["id"]))
                self.assertEqual(row.answers(), {"p1": "YES", "c1": "B", "d1": "inner"})
        before = Response.objects.count()
        other = self.post_response(
            self.response_for(q.canonical, f"Patient/{self.cast.client.pk + 1000}")
        )
        self.assertEqual(other.status_code, 422)
        self.assertIn("not this person", other.json()["detail"])
        unknown = self.post_response(self.response_for("Questionnaire/not-here"))
        self.assertEqual(unknown.status_code, 422)
        self.assertEqual(Response.objects.count(), before)


class SpanishQuestionnaireTests(CastTestCase):
    def test_shipped_titles_in_spanish_and_no_gendered_person_words(self) -> None:
        from peerpath.measures.models import Questionnaire

        phq9 = Questionnaire.objects.get(organization__isnull=True, code="44249-1")
        with translation.override("es"):
            self.assertIn("depresión", phq9.display_title)
        url = reverse("measures:record", args=[self.cast.client.pk, phq9.pk])
        page = self.as_("peer").get(url, HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(page, "cuestionario breve sobre la depresión")
        for path in loading.SHIPPED.glob("*.json"):
            text = path.read_text(encoding="utf-8")
            for marker in ("(a)", "o/a", "os/as"):
                self.assertNotIn(marker, text, path.name)


class QuestionNumberTests(SimpleTestCase):
    def test_questions_are_numbered_only_when_none_can_be_hidden(self) -> None:
        from peerpath.measures.forms import response_form

        class Row:
            def __init__(self, name: str) -> None:
                self.resource = published(name)

            def instrument(self) -> instruments.Instrument:
                return instruments.parse(self.resource)

        self.assertTrue(response_form(Row("phq9.json")).numbered)  # type: ignore[arg-type]
        self.assertFalse(response_form(Row("q-with-nested-enableWhen.json")).numbered)  # type: ignore[arg-type]
