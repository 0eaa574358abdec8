"""Scoring against the published rules, with property tests for totals and bands."""

from __future__ import annotations

import json
from pathlib import Path

from django.test import SimpleTestCase
from hypothesis import given, settings
from hypothesis import strategies as st

from peerpath.measures import fhir, instruments, loading

FIXTURES = Path(__file__).parent / "fixtures"


def shipped(name: str) -> instruments.Instrument:
    return loading.read(loading.SHIPPED / f"{name}.json")[1]


PHQ9 = shipped("phq-9")
GAD7 = shipped("gad-7")
BARC10 = shipped("barc-10")
LHC_PHQ9 = instruments.parse(json.loads((FIXTURES / "lhc-forms" / "phq9.json").read_text()))
FREQUENCY_CODES = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]  # 0, 1, 2, 3


def published_phq9_band(total: int) -> str:
    # Kroenke, Spitzer & Williams (2001)
    if total <= 4:
        return "Minimal"
    if total <= 9:
        return "Mild"
    if total <= 14:
        return "Moderate"
    if total <= 19:
        return "Moderately severe"
    return "Severe"


def published_gad7_band(total: int) -> str:
    # Spitzer et al. (2006): cut points 5, 10, 15
    return ["Minimal", "Mild", "Moderate", "Severe"][min(total // 5, 3)]


class PublishedRuleTests(SimpleTestCase):
    def test_ranges(self) -> None:
        self.assertEqual(PHQ9.score_range, (0, 27))
        self.assertEqual(GAD7.score_range, (0, 21))
        self.assertEqual(BARC10.score_range, (10, 60))
        self.assertEqual(len(PHQ9.scored_questions), 9)
        self.assertEqual(len(GAD7.scored_questions), 7)
        self.assertEqual(len(BARC10.scored_questions), 10)

    def test_phq9_band_edges(self) -> None:
        for total, band in [
            (0, "Minimal"),
            (4, "Minimal"),
            (5, "Mild"),
            (9, "Mild"),
            (10, "Moderate"),
            (14, "Moderate"),
            (15, "Moderately severe"),
            (19, "Moderately severe"),
            (20, "Severe"),
            (27, "Severe"),
        ]:
            self.assertEqual(PHQ9.band_for(total), band, total)

    def test_gad7_band_edges(self) -> None:
        for total, band in [
            (4, "Minimal"),
            (5, "Mild"),
            (10, "Moderate"),
            (15, "Severe"),
            (21, "Severe"),
        ]:
            self.assertEqual(GAD7.band_for(total), band, total)

    def test_only_phq9_item_9_alerts(self) -> None:
        alerting = [q for q in PHQ9.questions if q.alert_above is not None]
        self.assertEqual([q.code for q in alerting], ["44260-8"])
        answers = {q.link_id: "LA6568-5" for q in PHQ9.questions}
        self.assertEqual(instruments.score(PHQ9, answers).alerts, ())
        answers[alerting[0].link_id] = "LA6569-3"
        self.assertEqual(instruments.score(PHQ9, answers).alerts, (alerting[0].link_id,))

    def test_missing_or_unknown_answer_is_refused(self) -> None:
        answers = {q.link_id: "LA6568-5" for q in PHQ9.questions}
        partial = dict(list(answers.items())[:-1])
        with self.assertRaises(ValueError):
            instruments.score(PHQ9, partial)
        answers[PHQ9.questions[0].link_id] = "LA9999-9"
        with self.assertRaises(ValueError):
            instruments.score(PHQ9, answers)

    def test_not_a_questionnaire_is_refused_but_a_form_without_scores_is_a_form(self) -> None:
        with self.assertRaises(instruments.QuestionnaireError):
            instruments.parse({"resourceType": "Patient"})
        resource = json.loads((loading.SHIPPED / "gad-7.json").read_text())
        for item in resource["item"]:
            for option in item.get("answerOption", []):
                option.pop("extension", None)
        unscored = instruments.parse(resource)
        self.assertFalse(unscored.has_score)
        answers = {q.link_id: q.options[3].code for q in unscored.questions}
        result = instruments.score(unscored, answers)
        self.assertIsNone(result.total)
        self.assertEqual(result.band, "")
        with self.assertRaises(fhir.InvalidResource):
            fhir.validate_questionnaire(
                {"resourceType": "Questionnaire", "status": "active", "item": [{"type": "choice"}]}
            )


class LhcFormsQuestionnaireTests(SimpleTestCase):
    """An SDC/LOINC Questionnaire published elsewhere scores with the published PHQ-9 rules."""

    def test_reads_weights_bands_and_alert_without_our_extensions(self) -> None:
        self.assertEqual(LHC_PHQ9.code, "44249-1")
        self.assertEqual(LHC_PHQ9.score_range, (0, 27))
        self.assertEqual(len(LHC_PHQ9.scored_questions), 9)
        # The calculated total is skipped; the difficulty question is asked but not scored.
        self.assertIsNone(LHC_PHQ9.question("/44261-6"))
        self.assertFalse(LHC_PHQ9.question("/69722-7").scored)  # type: ignore[union-attr]
        self.assertEqual(LHC_PHQ9.question("/44260-8").alert_above, 0)  # type: ignore[union-attr]
        self.assertEqual(LHC_PHQ9.bands, PHQ9.bands)

    def test_weight_on_the_coding_and_item_weight_also_count(self) -> None:
        resource = json.loads((FIXTURES / "lhc-forms" / "phq9.json").read_text())
        for item in resource["item"]:
            for option in item.get("answerOption", []):
                extension = option.pop("extension", None)
                if extension:
                    extension[0]["url"] = "http://hl7.org/fhir/StructureDefinition/itemWeight"
                    option["valueCoding"]["extension"] = extension
        self.assertEqual(instruments.parse(resource).score_range, (0, 27))


@st.composite
def frequency_answers(draw: st.DrawFn, instrument: instruments.Instrument) -> dict[str, int]:
    return {q.link_id: draw(st.integers(0, 3)) for q in instrument.scored_questions}


class PropertyTests(SimpleTestCase):
    @settings(max_examples=150, deadline=None)
    @given(st.data())
    def test_phq9_total_band_and_alert(self, data: st.DataObject) -> None:
        for instrument in (PHQ9, LHC_PHQ9):
            points = data.draw(frequency_answers(instrument))
            answers = {link: FREQUENCY_CODES[p] for link, p in points.items()}
            result = instruments.score(instrument, answers)
            self.assertEqual(result.total, sum(points.values()))
            self.assertTrue(0 <= result.total <= 27)
            self.assertEqual(result.band, published_phq9_band(result.total))
            item9 = next(q.link_id for q in instrument.questions if q.code == "44260-8")
            self.assertEqual(bool(result.alerts), points[item9] > 0)

    @settings(max_examples=100, deadline=None)
    @given(st.lists(st.integers(0, 3), min_size=7, max_size=7))
    def test_gad7_total_and_band(self, points: list[int]) -> None:
        answers = {
            q.link_id: FREQUENCY_CODES[p] for q, p in zip(GAD7.questions, points, strict=True)
        }
        result = instruments.score(GAD7, answers)
        self.assertEqual(result.total, sum(points))
        self.assertEqual(result.band, published_gad7_band(sum(points)))
        self.assertEqual(result.alerts, ())

    @settings(max_examples=100, deadline=None)
    @given(st.lists(st.integers(1, 6), min_size=10, max_size=10))
    def test_barc10_total(self, points: list[int]) -> None:
        answers = {q.link_id: str(p) for q, p in zip(BARC10.questions, points, strict=True)}
        result = instruments.score(BARC10, answers)
        self.assertEqual(result.total, sum(points))
        self.assertTrue(10 <= result.total <= 60)
        self.assertEqual(result.band, "")
