"""Reading FHIR R4 Questionnaires: the questions, the answer weights and the scoring rules.

Nothing here knows a particular instrument by code path: the weights come from the answer options
(the `ordinalValue`, `itemWeight` or older `iso21090-CO-value` extensions), and the score bands and
alert rules come from PeerPath extensions in the Questionnaire. For instruments published elsewhere
without those extensions (such as the LHC-Forms PHQ-9), the published rules are looked up by the
instrument's LOINC code in `PUBLISHED_RULES`, so loading such a file needs no code change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_noop

LOINC = "http://loinc.org"
BAND_URL = "https://peerpath.org/fhir/StructureDefinition/score-band"
ALERT_URL = "https://peerpath.org/fhir/StructureDefinition/alert-if-above"
WEIGHT_URLS = (
    "http://hl7.org/fhir/StructureDefinition/ordinalValue",
    "http://hl7.org/fhir/StructureDefinition/itemWeight",
    "http://hl7.org/fhir/StructureDefinition/iso21090-CO-value",
)
TRANSLATION_URL = "http://hl7.org/fhir/StructureDefinition/translation"
ANSWERABLE = {"choice", "coding", "open-choice"}

# Band labels shown to staff; marked here so they are in the Spanish catalog.
BAND_LABELS = [
    gettext_noop("Minimal"),
    gettext_noop("Mild"),
    gettext_noop("Moderate"),
    gettext_noop("Moderately severe"),
    gettext_noop("Severe"),
]


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    label: str


@dataclass(frozen=True)
class PublishedRules:
    bands: tuple[Band, ...]
    # item code -> an answer weight above this value alerts the care team
    alerts: dict[str, int] = field(default_factory=dict)


PUBLISHED_RULES: dict[str, PublishedRules] = {
    # PHQ-9 (Kroenke, Spitzer & Williams 2001): total 0-27; item 9 (thoughts of self-harm).
    "44249-1": PublishedRules(
        bands=(
            Band(0, 4, "Minimal"),
            Band(5, 9, "Mild"),
            Band(10, 14, "Moderate"),
            Band(15, 19, "Moderately severe"),
            Band(20, 27, "Severe"),
        ),
        alerts={"44260-8": 0},
    ),
    # GAD-7 (Spitzer et al. 2006): total 0-21, cut points 5, 10 and 15.
    "69737-5": PublishedRules(
        bands=(
            Band(0, 4, "Minimal"),
            Band(5, 9, "Mild"),
            Band(10, 14, "Moderate"),
            Band(15, 21, "Severe"),
        )
    ),
}


class QuestionnaireError(ValueError):
    """The Questionnaire cannot be used: the message says why."""


def _translations(element: dict[str, Any] | None) -> tuple[tuple[str, str], ...]:
    """(language, text) pairs from a primitive's FHIR `translation` extensions."""
    found = []
    for extension in (element or {}).get("extension", []):
        if extension.get("url") != TRANSLATION_URL:
            continue
        parts = {e.get("url"): e for e in extension.get("extension", [])}
        lang = parts.get("lang", {}).get("valueCode")
        content = parts.get("content", {}).get("valueString")
        if lang and content:
            found.append((str(lang), str(content)))
    return tuple(found)


def _in_language(default: str, translations: tuple[tuple[str, str], ...], language: str) -> str:
    """The text in `language` ("es" or "es-MX"), else the text as written."""
    base = language.split("-")[0].lower()
    for lang, text in translations:
        if lang.lower() == language.lower() or lang.split("-")[0].lower() == base:
            return text
    return default


@dataclass(frozen=True)
class Option:
    system: str
    code: str
    display: str
    weight: Decimal | None
    display_translations: tuple[tuple[str, str], ...] = ()

    def display_in(self, language: str) -> str:
        return _in_language(self.display, self.display_translations, language)

    def coding(self) -> dict[str, str]:
        result = {"code": self.code, "display": self.display}
        if self.system:
            result["system"] = self.system
        return result


@dataclass(frozen=True)
class Question:
    link_id: str
    text: str
    code: str
    options: tuple[Option, ...]
    required: bool
    alert_above: int | None = None
    text_translations: tuple[tuple[str, str], ...] = ()

    def text_in(self, language: str) -> str:
        return _in_language(self.text, self.text_translations, language)

    @property
    def scored(self) -> bool:
        return any(option.weight is not None for option in self.options)

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)


@dataclass(frozen=True)
class Instrument:
    url: str
    version: str
    code: str
    name: str
    title: str
    questions: tuple[Question, ...]
    bands: tuple[Band, ...]
    # Instructions shown before the questions (display items), with their translations.
    instructions: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    def instructions_in(self, language: str) -> list[str]:
        return [
            _in_language(text, translations, language) for text, translations in self.instructions
        ]

    @property
    def scored_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.scored)

    @property
    def score_range(self) -> tuple[int, int]:
        low = high = Decimal(0)
        for question in self.scored_questions:
            weights = [o.weight for o in question.options if o.weight is not None]
            low += min(weights)
            high += max(weights)
        return int(low), int(high)

    def question(self, link_id: str) -> Question | None:
        return next((q for q in self.questions if q.link_id == link_id), None)

    def band_for(self, total: int) -> str:
        for band in self.bands:
            if band.low <= total <= band.high:
                return band.label
        return ""


def _extensions(element: dict[str, Any], url: str) -> list[dict[str, Any]]:
    return [e for e in element.get("extension", []) if e.get("url") == url]


def _weight(option: dict[str, Any]) -> Decimal | None:
    # The weight sits on the answerOption (R4 ordinalValue, R5 itemWeight) or on its coding.
    for element in (option, option.get("valueCoding", {})):
        for extension in element.get("extension", []):
            if extension.get("url") in WEIGHT_URLS:
                for key in ("valueDecimal", "valueInteger"):
                    if key in extension:
                        return Decimal(str(extension[key]))
    return None


def _code(element: dict[str, Any]) -> str:
    codes = element.get("code") or []
    loinc = [c for c in codes if c.get("system") == LOINC]
    chosen = loinc or codes
    return str(chosen[0].get("code", "")) if chosen else ""


def _options(item: dict[str, Any]) -> tuple[Option, ...]:
    options = []
    for raw in item.get("answerOption", []):
        coding = raw.get("valueCoding")
        if coding is None:
            raise QuestionnaireError(
                f"Question {item.get('linkId')}: answer options must be codings (valueCoding)."
            )
        options.append(
            Option(
                system=coding.get("system", ""),
                code=str(coding.get("code", "")),
                display=coding.get("display", "") or str(coding.get("code", "")),
                weight=_weight(raw),
                display_translations=_translations(coding.get("_display")),
            )
        )
    return tuple(options)


def _walk(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    flat: list[dict[str, Any]] = []
    for item in items:
        if item.get("type") == "group":
            flat.extend(_walk(item.get("item", [])))
        else:
            flat.append(item)
    return flat


def _bands(resource: dict[str, Any], code: str) -> tuple[Band, ...]:
    declared = []
    for extension in _extensions(resource, BAND_URL):
        parts = {e.get("url"): e for e in extension.get("extension", [])}
        try:
            declared.append(
                Band(
                    int(parts["low"]["valueInteger"]),
                    int(parts["high"]["valueInteger"]),
                    str(parts["label"]["valueString"]),
                )
            )
        except (KeyError, TypeError, ValueError):
            raise QuestionnaireError("A score band needs low, high and label.") from None
    if declared:
        return tuple(sorted(declared, key=lambda band: band.low))
    published = PUBLISHED_RULES.get(code)
    return published.bands if published else ()


def parse(resource: dict[str, Any]) -> Instrument:
    """The instrument a Questionnaire describes, or QuestionnaireError saying what is wrong."""
    if resource.get("resourceType") != "Questionnaire":
        raise QuestionnaireError("This is not a FHIR Questionnaire.")
    code = _code(resource)
    published = PUBLISHED_RULES.get(code)
    questions = []
    instructions = []
    for item in _walk(resource.get("item", [])):
        kind = item.get("type")
        if kind == "display" and item.get("text"):
            instructions.append((str(item["text"]), _translations(item.get("_text"))))
            continue
        if kind == "display" or item.get("readOnly"):
            continue  # instructions, and calculated totals we compute ourselves
        if kind not in ANSWERABLE:
            continue
        link_id = item.get("linkId")
        if not link_id:
            raise QuestionnaireError("Every question needs a linkId.")
        options = _options(item)
        if not options:
            raise QuestionnaireError(f"Question {link_id} has no answer options.")
        item_code = _code(item)
        alert = _extensions(item, ALERT_URL)
        alert_above: int | None = int(alert[0]["valueInteger"]) if alert else None
        if alert_above is None and published is not None:
            alert_above = published.alerts.get(item_code)
        questions.append(
            Question(
                link_id=str(link_id),
                text=item.get("text", ""),
                code=item_code,
                options=options,
                required=bool(item.get("required", False)),
                alert_above=alert_above,
                text_translations=_translations(item.get("_text")),
            )
        )
    if not questions:
        raise QuestionnaireError("The Questionnaire has no questions with answer options.")
    if not any(q.scored for q in questions):
        raise QuestionnaireError("No answer option carries a score (ordinalValue or itemWeight).")
    if not resource.get("url"):
        raise QuestionnaireError("The Questionnaire needs a canonical url.")
    return Instrument(
        url=str(resource["url"]),
        version=str(resource.get("version", "")),
        code=code,
        name=str(resource.get("name") or resource.get("title") or code),
        title=str(resource.get("title") or resource.get("name") or code),
        questions=tuple(questions),
        bands=_bands(resource, code),
        instructions=tuple(instructions),
    )


@dataclass(frozen=True)
class Score:
    total: int
    band: str
    alerts: tuple[str, ...]  # link ids of answers that alert the care team


def score(instrument: Instrument, answers: dict[str, str]) -> Score:
    """Total of the answer weights, its band, and which answers alert. `answers`: linkId -> code.

    Every scored question must be answered: a partial PHQ-9 has no valid total.
    """
    total = Decimal(0)
    alerts = []
    for question in instrument.questions:
        code = answers.get(question.link_id)
        if code is None:
            if question.scored:
                raise ValueError(f"Question {question.link_id} is not answered.")
            continue
        option = question.option(code)
        if option is None:
            raise ValueError(f"{code!r} is not an answer to question {question.link_id}.")
        if option.weight is not None:
            total += option.weight
            if question.alert_above is not None and option.weight > question.alert_above:
                alerts.append(question.link_id)
    whole = int(total)
    return Score(total=whole, band=instrument.band_for(whole), alerts=tuple(alerts))
