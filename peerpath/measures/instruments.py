"""Reading FHIR R4 Questionnaires: the questions, when they are asked, and how they are scored.

Nothing here knows a particular instrument by code path. Answer weights come from the answer
options or their value set (`ordinalValue`, `itemWeight`, `valueset-ordinalValue` or the older
`iso21090-CO-value` extensions). A total the Questionnaire defines in FHIRPath
(`calculatedExpression`, with its `variable`s) is evaluated with fhirpathpy; otherwise the total
is the sum of the weights. Score bands and alert rules come from PeerPath extensions in the
Questionnaire, or, for instruments published elsewhere without them (such as the LHC-Forms
PHQ-9), from the published rules looked up by LOINC code in `PUBLISHED_RULES`.

A Questionnaire without any score (a check-in, an intake) is a valid form: it has no total.
Questions can depend on earlier answers (`enableWhen`, `enableBehavior`,
`enableWhenExpression`); a question that is not enabled is not asked, not required and not kept.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext_noop

LOINC = "http://loinc.org"
BAND_URL = "https://peerpath.org/fhir/StructureDefinition/score-band"
ALERT_URL = "https://peerpath.org/fhir/StructureDefinition/alert-if-above"
WEIGHT_URLS = (
    "http://hl7.org/fhir/StructureDefinition/ordinalValue",
    "http://hl7.org/fhir/StructureDefinition/itemWeight",
    "http://hl7.org/fhir/StructureDefinition/valueset-ordinalValue",
    "http://hl7.org/fhir/StructureDefinition/iso21090-CO-value",
)
TRANSLATION_URL = "http://hl7.org/fhir/StructureDefinition/translation"
CALCULATED_URLS = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression",
    "http://hl7.org/fhir/StructureDefinition/questionnaire-calculatedExpression",  # before SDC 2.7
)
LAUNCH_CONTEXT_URL = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-launchContext"
)
# Names FHIRPath gives every expression; launch context names (%patient) are added per file.
BUILTIN_NAMES = {"resource", "questionnaire", "context", "rootResource", "ucum", "sct", "loinc"}
VARIABLE_URL = "http://hl7.org/fhir/StructureDefinition/variable"
ENABLE_EXPRESSION_URL = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
)
HIDDEN_URL = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden"
DERIVED_URL_BASE = "urn:peerpath:questionnaire:"

# Item types PeerPath asks, and the FHIR value[x] name of their answers.
VALUE_KEYS = {
    "choice": "valueCoding",
    "open-choice": "valueCoding",
    "coding": "valueCoding",
    "boolean": "valueBoolean",
    "integer": "valueInteger",
    "decimal": "valueDecimal",
    "string": "valueString",
    "text": "valueString",
    "url": "valueUri",
    "date": "valueDate",
    "dateTime": "valueDateTime",
    "time": "valueTime",
}
CODED = {"choice", "open-choice", "coding"}
OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}

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
    low: Decimal
    high: Decimal
    label: str


@dataclass(frozen=True)
class PublishedRules:
    bands: tuple[Band, ...]
    # item code -> an answer weight above this value alerts the care team
    alerts: dict[str, int] = field(default_factory=dict)


def _band(low: int, high: int, label: str) -> Band:
    return Band(Decimal(low), Decimal(high), label)


PUBLISHED_RULES: dict[str, PublishedRules] = {
    # PHQ-9 (Kroenke, Spitzer & Williams 2001): total 0-27; item 9 (thoughts of self-harm).
    "44249-1": PublishedRules(
        bands=(
            _band(0, 4, "Minimal"),
            _band(5, 9, "Mild"),
            _band(10, 14, "Moderate"),
            _band(15, 19, "Moderately severe"),
            _band(20, 27, "Severe"),
        ),
        alerts={"44260-8": 0},
    ),
    # GAD-7 (Spitzer et al. 2006): total 0-21, cut points 5, 10 and 15.
    "69737-5": PublishedRules(
        bands=(
            _band(0, 4, "Minimal"),
            _band(5, 9, "Mild"),
            _band(10, 14, "Moderate"),
            _band(15, 21, "Severe"),
        )
    ),
}


class QuestionnaireError(ValueError):
    """The Questionnaire cannot be used: the message says why."""


class AnswersError(ValueError):
    """The answers do not fit the questionnaire; `problems` maps each linkId to what is wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{link}: {text}" for link, text in problems.items()))
        self.problems = problems


def _translations(element: dict[str, Any] | None) -> tuple[tuple[str, str], ...]:
    """(language, text) pairs from a primitive's FHIR `translation` extensions."""
    found = []
    for extension in (element or {}).get("extension", []) or []:
        if not isinstance(extension, dict) or extension.get("url") != TRANSLATION_URL:
            continue
        parts = {e.get("url"): e for e in extension.get("extension", []) if isinstance(e, dict)}
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
    code: str  # the coding's code, or the option's value written as text
    display: str
    weight: Decimal | None
    display_translations: tuple[tuple[str, str], ...] = ()
    value_key: str = "valueCoding"
    value: Any = None  # the option's value as it is in the file (not for codings)

    def display_in(self, language: str) -> str:
        return _in_language(self.display, self.display_translations, language)

    def coding(self) -> dict[str, str]:
        result = {"code": self.code, "display": self.display}
        if self.system:
            result["system"] = self.system
        return result

    def answer(self) -> dict[str, Any]:
        """This option as a QuestionnaireResponse answer."""
        if self.value_key == "valueCoding":
            return {"valueCoding": self.coding()}
        return {self.value_key: self.value}


@dataclass(frozen=True)
class Condition:
    """One `enableWhen`: the question it looks at, the operator and the answer compared."""

    question: str
    operator: str
    value: Any  # a code for codings, True/False for `exists`, else a Python value

    def holds(self, answer: Any) -> bool:
        given = [] if answer is None else answer if isinstance(answer, list) else [answer]
        if self.operator == "exists":
            return bool(given) == bool(self.value)
        if not given:
            return False  # R4: a comparison with an unanswered question is false
        if self.operator == "=":
            return any(_same(value, self.value) for value in given)
        if self.operator == "!=":
            return not any(_same(value, self.value) for value in given)
        for value in given:
            try:
                if _compare(value, self.value, self.operator):
                    return True
            except TypeError:
                continue
        return False


def _same(given: Any, expected: Any) -> bool:
    if isinstance(given, (int, Decimal)) and not isinstance(given, bool):
        try:
            return Decimal(str(given)) == Decimal(str(expected))
        except InvalidOperation:
            return False
    return str(given) == str(expected) if not isinstance(given, bool) else given == expected


ORDERINGS = {">": operator.gt, "<": operator.lt, ">=": operator.ge, "<=": operator.le}


def _compare(given: Any, expected: Any, op: str) -> bool:
    if isinstance(given, (int, Decimal)) and not isinstance(given, bool):
        return bool(ORDERINGS[op](Decimal(str(given)), Decimal(str(expected))))
    return bool(ORDERINGS[op](str(given), str(expected)))


@dataclass(frozen=True)
class Rule:
    """When an item is asked: its conditions and how they combine, or a FHIRPath expression."""

    conditions: tuple[Condition, ...] = ()
    behavior: str = "all"
    expression: str = ""
    variables: tuple[tuple[str, str], ...] = ()  # (name, FHIRPath) in scope for the expression

    def holds(self, answers: dict[str, Any], evaluate: Any) -> bool:
        if self.expression:
            return evaluate(self.expression, self.variables)
        results = [c.holds(answers.get(c.question)) for c in self.conditions]
        return any(results) if self.behavior == "any" else all(results)


@dataclass(frozen=True)
class Question:
    link_id: str
    text: str
    code: str
    options: tuple[Option, ...]
    required: bool
    alert_above: int | None = None
    text_translations: tuple[tuple[str, str], ...] = ()
    kind: str = "choice"
    repeats: bool = False
    prefix: str = ""
    # Its own rule and those of the groups around it: all must hold for it to be asked.
    rules: tuple[Rule, ...] = ()

    def text_in(self, language: str) -> str:
        return _in_language(self.text, self.text_translations, language)

    @property
    def scored(self) -> bool:
        return any(option.weight is not None for option in self.options)

    @property
    def conditional(self) -> bool:
        return bool(self.rules)

    @property
    def value_key(self) -> str:
        if self.options and self.kind not in CODED:
            return self.options[0].value_key
        return VALUE_KEYS[self.kind]

    def option(self, code: Any) -> Option | None:
        return next((o for o in self.options if o.code == str(code)), None)

    def answer_items(self, value: Any) -> list[dict[str, Any]]:
        """This question's answer(s) as QuestionnaireResponse `answer` entries."""
        values = value if isinstance(value, list) else [value]
        found = []
        for one in values:
            option = self.option(one) if self.options else None
            if option is not None:
                found.append(option.answer())
            elif self.kind in CODED:
                found.append({"valueString": str(one)})  # open-choice: the person's own words
            else:
                found.append({self.value_key: _json_value(one)})
        return found


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class Node:
    """The layout of the form, so a response keeps the Questionnaire's nesting."""

    link_id: str
    text: str
    kind: str  # "group", "question" or "calculated"
    children: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Calculation:
    link_id: str
    text: str
    code: str
    expression: str
    variables: tuple[tuple[str, str], ...]  # (name, FHIRPath), in scope order


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
    title_translations: tuple[tuple[str, str], ...] = ()
    layout: tuple[Node, ...] = ()
    total: Calculation | None = None
    resource: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    launch_names: tuple[str, ...] = ()
    # What PeerPath did to use the file as it came (a url derived from its id, items not asked).
    notes: tuple[str, ...] = ()

    def title_in(self, language: str) -> str:
        return _in_language(self.title, self.title_translations, language)

    def instructions_in(self, language: str) -> list[str]:
        return [
            _in_language(text, translations, language) for text, translations in self.instructions
        ]

    @property
    def scored_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.scored)

    @property
    def has_score(self) -> bool:
        return self.total is not None or bool(self.scored_questions)

    @property
    def score_range(self) -> tuple[Decimal, Decimal]:
        low = high = Decimal(0)
        for question in self.scored_questions:
            weights = [o.weight for o in question.options if o.weight is not None]
            low += min(weights)
            high += max(weights)
        return low, high

    def question(self, link_id: str) -> Question | None:
        return next((q for q in self.questions if q.link_id == link_id), None)

    def band_for(self, total: Decimal | int | None) -> str:
        if total is None:
            return ""
        for band in self.bands:
            if band.low <= total <= band.high:
                return band.label
        return ""

    def enabled(self, answers: dict[str, Any]) -> set[str]:
        """The link ids of the questions asked, given these answers.

        Rules are applied until nothing changes, so a question hidden by a hidden question is
        hidden too, and a loop of conditions cannot run forever.
        """
        current = dict(answers)
        asked: set[str] = set()
        for _ in range(len(self.questions) + 1):
            evaluate = _expression_evaluator(self, current)
            asked = {
                q.link_id
                for q in self.questions
                if all(rule.holds(current, evaluate) for rule in q.rules)
            }
            trimmed = {k: v for k, v in answers.items() if k in asked}
            if trimmed == current:
                break
            current = trimmed
        return asked

    def response_items(self, answers: dict[str, Any]) -> list[dict[str, Any]]:
        """QuestionnaireResponse items for these answers, nested as the Questionnaire is."""
        return _items_for(self, self.layout, answers)


def _items_for(
    instrument: Instrument, nodes: tuple[Node, ...], answers: dict[str, Any]
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for node in nodes:
        if node.kind == "group":
            inner = _items_for(instrument, node.children, answers)
            if inner:
                group = {"linkId": node.link_id, "item": inner}
                if node.text:
                    group["text"] = node.text
                items.append(group)
            continue
        question = instrument.question(node.link_id)
        value = answers.get(node.link_id)
        inner = _items_for(instrument, node.children, answers)
        if question is None or value is None or value == []:
            items.extend(inner)  # children of an unanswered question still keep their answers
            continue
        entry: dict[str, Any] = {
            "linkId": node.link_id,
            "text": question.text,
            "answer": question.answer_items(value),
        }
        if inner:
            entry["answer"][0]["item"] = inner
        items.append(entry)
    return items


# -- FHIRPath ----------------------------------------------------------------------------------


def _weight_of(element: Any) -> Decimal | None:
    if not isinstance(element, dict):
        return None
    for candidate in (element, element.get("valueCoding")):
        if not isinstance(candidate, dict):
            continue
        for extension in candidate.get("extension", []) or []:
            if isinstance(extension, dict) and extension.get("url") in WEIGHT_URLS:
                for key in ("valueDecimal", "valueInteger"):
                    if key in extension:
                        return Decimal(str(extension[key]))
    return None


def _weights(inputs: list[Any]) -> list[Decimal]:
    return [w for w in (_weight_of(i) for i in inputs) if w is not None]


FHIRPATH_FUNCTIONS = {
    # SDC's weight() (ordinal() in older drafts): the score of a chosen answer.
    "weight": {"fn": _weights, "arity": {0: []}},
    "ordinal": {"fn": _weights, "arity": {0: []}},
}


def _fhirpath(resource: Any, expression: str, context: dict[str, Any]) -> list[Any]:
    from fhirpathpy import evaluate
    from fhirpathpy.models import models

    result = evaluate(
        resource,
        expression,
        context,
        model=models["r4"],  # so `answer.value` finds valueString, valueCoding and the rest
        options={"userInvocationTable": FHIRPATH_FUNCTIONS},
    )
    return list(result or [])


def _scratch_response(instrument: Instrument, answers: dict[str, Any]) -> dict[str, Any]:
    """The response FHIRPath sees: each chosen option carries its weight, as SDC describes."""
    items = instrument.response_items(answers)

    def add_weights(entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            question = instrument.question(entry.get("linkId", ""))
            for answer in entry.get("answer", []):
                coding = answer.get("valueCoding")
                option = question.option(coding.get("code")) if (question and coding) else None
                if option is not None and option.weight is not None:
                    coding["extension"] = [{"url": WEIGHT_URLS[1], "valueDecimal": option.weight}]
                add_weights(answer.get("item", []))
            add_weights(entry.get("item", []))

    add_weights(items)
    return {"resourceType": "QuestionnaireResponse", "status": "completed", "item": items}


def _context(
    instrument: Instrument, response: dict[str, Any], variables: tuple[tuple[str, str], ...]
) -> dict[str, Any]:
    """What an expression sees: the response, the Questionnaire and its variables, in order."""
    context: dict[str, Any] = {"resource": response, "questionnaire": instrument.resource}
    for name in instrument.launch_names:
        context[name] = []  # PeerPath does not pre-fill from the record
    for name, expression in variables:
        context[name] = _fhirpath(response, expression, context)
    return context


def _expression_evaluator(instrument: Instrument, answers: dict[str, Any]) -> Any:
    scratch: dict[str, Any] = {}

    def evaluate(expression: str, variables: tuple[tuple[str, str], ...]) -> bool:
        if not scratch:
            scratch.update(_scratch_response(instrument, answers))
        try:
            context = _context(instrument, scratch, variables)
            result = _fhirpath(scratch, expression, context)
        except Exception:
            return False
        return bool(result) and result[0] is True

    return evaluate


def evaluate_total(instrument: Instrument, answers: dict[str, Any]) -> Decimal | None:
    """The Questionnaire's own total (its calculatedExpression), or None when it gives none."""
    calculation = instrument.total
    if calculation is None:
        return None
    response = _scratch_response(instrument, answers)
    try:
        context = _context(instrument, response, calculation.variables)
        result = _fhirpath(response, calculation.expression, context)
    except Exception as exc:
        raise ValueError(f"The total cannot be worked out: {exc}") from None
    numbers = [v for v in result if isinstance(v, (int, float, Decimal)) and v is not True]
    if not numbers or isinstance(numbers[0], bool):
        return None
    return Decimal(str(numbers[0]))


def _check_expression(where: str, expression: Any) -> str:
    from fhirpathpy import compile as compile_fhirpath

    if not isinstance(expression, str) or not expression.strip():
        raise QuestionnaireError(f"{where}: the expression is empty.")
    try:
        compile_fhirpath(expression, options={"userInvocationTable": FHIRPATH_FUNCTIONS})
    except Exception as exc:
        raise QuestionnaireError(
            f"{where}: the FHIRPath expression cannot be read ({exc})."
        ) from None
    return expression


# -- Reading the Questionnaire -----------------------------------------------------------------


def _extensions(element: dict[str, Any], url: str) -> list[dict[str, Any]]:
    return [
        e for e in element.get("extension", []) or [] if isinstance(e, dict) and e.get("url") == url
    ]


def _code(element: dict[str, Any]) -> str:
    codes = [c for c in element.get("code") or [] if isinstance(c, dict)]
    loinc = [c for c in codes if c.get("system") == LOINC]
    chosen = loinc or codes
    return str(chosen[0].get("code", "")) if chosen else ""


def _value_sets(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Contained value sets, by `#id` and by canonical url."""
    found: dict[str, dict[str, Any]] = {}
    for contained in resource.get("contained", []) or []:
        if isinstance(contained, dict) and contained.get("resourceType") == "ValueSet":
            if contained.get("id"):
                found[f"#{contained['id']}"] = contained
            if contained.get("url"):
                found[str(contained["url"])] = contained
    return found


def _value_set_options(link_id: str, value_set: dict[str, Any]) -> tuple[Option, ...]:
    entries: list[dict[str, Any]] = []
    expansion = value_set.get("expansion") or {}
    entries = [e for e in expansion.get("contains", []) or [] if isinstance(e, dict)]
    if not entries:
        for include in (value_set.get("compose") or {}).get("include", []) or []:
            for concept in include.get("concept", []) or []:
                entries.append(dict(concept, system=include.get("system", "")))
    if not entries:
        raise QuestionnaireError(
            f"Question {link_id}: its value set lists no answers (no expansion or concepts)."
        )
    return tuple(
        Option(
            system=str(entry.get("system", "")),
            code=str(entry.get("code", "")),
            display=str(entry.get("display") or entry.get("code", "")),
            weight=_weight_of(entry),
            display_translations=_translations(entry.get("_display")),
        )
        for entry in entries
    )


OPTION_VALUE_KEYS = ("valueCoding", "valueString", "valueInteger", "valueDate", "valueTime")


def _options(item: dict[str, Any], value_sets: dict[str, dict[str, Any]]) -> tuple[Option, ...]:
    link_id = item.get("linkId")
    reference = item.get("answerValueSet")
    if reference and not item.get("answerOption"):
        value_set = value_sets.get(str(reference))
        if value_set is None:
            raise QuestionnaireError(
                f"Question {link_id}: its answers come from the value set {reference}, which is "
                "not in the file. Include it as a contained ValueSet with its expansion."
            )
        return _value_set_options(str(link_id), value_set)
    options = []
    for raw in item.get("answerOption", []) or []:
        key = next((k for k in OPTION_VALUE_KEYS if k in raw), None)
        if key is None:
            raise QuestionnaireError(
                f"Question {link_id}: an answer option has no value (valueCoding, valueString, "
                "valueInteger, valueDate or valueTime)."
            )
        if key == "valueCoding":
            coding = raw["valueCoding"] or {}
            options.append(
                Option(
                    system=str(coding.get("system", "")),
                    code=str(coding.get("code", "")),
                    display=str(coding.get("display", "") or coding.get("code", "")),
                    weight=_weight_of(raw),
                    display_translations=_translations(coding.get("_display")),
                )
            )
        else:
            value = raw[key]
            options.append(
                Option(
                    system="",
                    code=str(value),
                    display=str(value),
                    weight=_weight_of(raw),
                    display_translations=_translations(raw.get(f"_{key}")),
                    value_key=key,
                    value=value,
                )
            )
    return tuple(options)


def _condition(item: dict[str, Any], raw: Any) -> Condition:
    link_id = item.get("linkId")
    if not isinstance(raw, dict) or not raw.get("question"):
        raise QuestionnaireError(f"Item {link_id}: an enableWhen names no question.")
    operator = str(raw.get("operator", ""))
    if operator not in OPERATORS:
        raise QuestionnaireError(f"Item {link_id}: enableWhen operator {operator!r} is unknown.")
    keys = [k for k in raw if k.startswith("answer")]
    if not keys:
        raise QuestionnaireError(f"Item {link_id}: an enableWhen has no answer to compare.")
    value = raw[keys[0]]
    if keys[0] == "answerCoding":
        value = str((value or {}).get("code", ""))
    elif operator == "exists":
        value = bool(value)
    # Other answer[x] values are kept as written: some exports put a date in answerInteger.
    return Condition(question=str(raw["question"]), operator=operator, value=value)


def _rule(item: dict[str, Any], variables: tuple[tuple[str, str], ...]) -> Rule | None:
    expressions = _extensions(item, ENABLE_EXPRESSION_URL)
    if expressions:
        expression = (expressions[0].get("valueExpression") or {}).get("expression")
        where = f"Item {item.get('linkId')} (enableWhenExpression)"
        return Rule(expression=_check_expression(where, expression), variables=variables)
    raw = item.get("enableWhen") or []
    if not raw:
        return None
    behavior = str(item.get("enableBehavior") or "all")
    if len(raw) > 1 and behavior not in {"all", "any"}:
        raise QuestionnaireError(f"Item {item.get('linkId')}: enableBehavior must be all or any.")
    return Rule(conditions=tuple(_condition(item, c) for c in raw), behavior=behavior)


def _variables(element: dict[str, Any], where: str) -> list[tuple[str, str]]:
    found = []
    for extension in _extensions(element, VARIABLE_URL):
        expression = extension.get("valueExpression") or {}
        if expression.get("language", "text/fhirpath") != "text/fhirpath":
            continue
        name = expression.get("name")
        if not name:
            raise QuestionnaireError(f"{where}: a variable has no name.")
        found.append(
            (
                str(name),
                _check_expression(f"{where} (variable {name})", expression.get("expression")),
            )
        )
    return found


_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'")
_NAME = re.compile(r"%(?:`([^`]+)`|([A-Za-z_][A-Za-z0-9_\-]*))")


def _names_used(expression: str) -> set[str]:
    """The %names an expression uses (text in quotes is not read)."""
    bare = _QUOTED.sub("''", expression)
    return {quoted or plain for quoted, plain in _NAME.findall(bare)}


def _check_names(
    where: str,
    expression: str,
    variables: tuple[tuple[str, str], ...],
    known: set[str],
) -> None:
    """Every %name must be FHIRPath's own, a launch context, or a variable defined before."""
    defined = set(known)
    for name, inner in variables:
        _report_unknown(f"{where} (variable {name})", _names_used(inner) - defined)
        defined.add(name)
    _report_unknown(where, _names_used(expression) - defined)


def _report_unknown(where: str, unknown: set[str]) -> None:
    unknown = {n for n in unknown if not n.startswith(("vs-", "ext-"))}
    if unknown:
        raise QuestionnaireError(
            f"{where}: uses {', '.join('%' + n for n in sorted(unknown))}, "
            "which the Questionnaire does not define."
        )


def _launch_names(resource: dict[str, Any]) -> tuple[str, ...]:
    names = []
    for extension in _extensions(resource, LAUNCH_CONTEXT_URL):
        for part in extension.get("extension", []) or []:
            if isinstance(part, dict) and part.get("url") == "name":
                name = part.get("valueId") or (part.get("valueCoding") or {}).get("code")
                if name:
                    names.append(str(name))
    return tuple(names)


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _bands(resource: dict[str, Any], code: str) -> tuple[Band, ...]:
    declared = []
    for extension in _extensions(resource, BAND_URL):
        parts = {e.get("url"): e for e in extension.get("extension", [])}
        try:
            declared.append(
                Band(
                    Decimal(
                        str(parts["low"].get("valueInteger", parts["low"].get("valueDecimal")))
                    ),
                    Decimal(
                        str(parts["high"].get("valueInteger", parts["high"].get("valueDecimal")))
                    ),
                    str(parts["label"]["valueString"]),
                )
            )
        except (KeyError, TypeError, ValueError, InvalidOperation):
            raise QuestionnaireError("A score band needs low, high and label.") from None
    if declared:
        return tuple(sorted(declared, key=lambda band: band.low))
    published = PUBLISHED_RULES.get(code)
    return published.bands if published else ()


def derived_url(resource: dict[str, Any]) -> str:
    """A canonical url for a Questionnaire published without one: from its id, else its name."""
    identifiers = [i for i in resource.get("identifier") or [] if isinstance(i, dict)]
    for candidate in (
        resource.get("id"),
        identifiers[0].get("value") if identifiers else None,
        slugify(str(resource.get("name") or resource.get("title") or "")),
    ):
        if candidate and re.fullmatch(r"[A-Za-z0-9\-\.]{1,64}", str(candidate)):
            return f"{DERIVED_URL_BASE}{candidate}"
    raise QuestionnaireError("The Questionnaire has no url, id or title to know it by.")


@dataclass
class _Reader:
    resource: dict[str, Any]
    code: str
    published: PublishedRules | None
    value_sets: dict[str, dict[str, Any]]
    questions: list[Question] = field(default_factory=list)
    instructions: list[tuple[str, tuple[tuple[str, str], ...]]] = field(default_factory=list)
    calculations: list[Calculation] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def read(
        self,
        items: Any,
        rules: tuple[Rule, ...],
        variables: tuple[tuple[str, str], ...],
        path: str = "item",
    ) -> tuple[Node, ...]:
        if not isinstance(items, list):
            raise QuestionnaireError(f"{path} must be a list of items.")
        nodes = []
        for index, item in enumerate(items, start=1):
            where = f"{path} {index}"
            if not isinstance(item, dict):
                raise QuestionnaireError(f"{where} is not an item.")
            node = self.read_item(item, rules, variables, where)
            if node is not None:
                nodes.append(node)
        return tuple(nodes)

    def read_item(
        self,
        item: dict[str, Any],
        rules: tuple[Rule, ...],
        variables: tuple[tuple[str, str], ...],
        where: str,
    ) -> Node | None:
        link_id = item.get("linkId")
        kind = item.get("type")
        if not link_id or not isinstance(link_id, str):
            raise QuestionnaireError(f"{where} has no linkId.")
        if not kind:
            raise QuestionnaireError(f"Item {link_id} has no type.")
        if link_id in self.seen:
            raise QuestionnaireError(f"Two items share the linkId {link_id}.")
        self.seen.add(link_id)
        inner_variables = variables + tuple(_variables(item, f"Item {link_id}"))
        own = _rule(item, inner_variables)
        inner_rules = rules + ((own,) if own else ())
        children = item.get("item") or []
        text = str(item.get("text") or "")
        if kind == "group":
            return Node(
                link_id,
                text,
                "group",
                self.read(children, inner_rules, inner_variables, f"Item {link_id}"),
            )
        if kind == "display":
            if text and not _extensions(item, HIDDEN_URL) and not rules:
                self.instructions.append((text, _translations(item.get("_text"))))
            return None
        calculated = [e for url in CALCULATED_URLS for e in _extensions(item, url)]
        if calculated:
            expression = (calculated[0].get("valueExpression") or {}).get("expression")
            self.calculations.append(
                Calculation(
                    link_id=link_id,
                    text=text,
                    code=_code(item),
                    expression=_check_expression(
                        f"Item {link_id} (calculatedExpression)", expression
                    ),
                    variables=inner_variables,
                )
            )
            return Node(link_id, text, "calculated")
        if item.get("readOnly"):
            return None  # a value shown, not asked
        if kind not in VALUE_KEYS:
            self.skipped.append(f"{link_id} ({kind})")
            return None
        options = _options(item, self.value_sets)
        if kind in CODED and not options:
            raise QuestionnaireError(f"Question {link_id} has no answer options.")
        item_code = _code(item)
        alert = _extensions(item, ALERT_URL)
        alert_above: int | None = int(alert[0]["valueInteger"]) if alert else None
        if alert_above is None and self.published is not None:
            alert_above = self.published.alerts.get(item_code)
        self.questions.append(
            Question(
                link_id=link_id,
                text=text,
                code=item_code,
                options=options,
                required=_truthy(item.get("required", False)),
                alert_above=alert_above,
                text_translations=_translations(item.get("_text")),
                kind=str(kind),
                repeats=_truthy(item.get("repeats", False)),
                prefix=str(item.get("prefix") or "").strip(),
                rules=inner_rules,
            )
        )
        return Node(
            link_id,
            text,
            "question",
            self.read(children, inner_rules, inner_variables, f"Item {link_id}"),
        )


def parse(resource: dict[str, Any]) -> Instrument:
    """The instrument a Questionnaire describes, or QuestionnaireError saying what is wrong."""
    if not isinstance(resource, dict) or resource.get("resourceType") != "Questionnaire":
        raise QuestionnaireError("This is not a FHIR Questionnaire.")
    code = _code(resource)
    reader = _Reader(
        resource=resource,
        code=code,
        published=PUBLISHED_RULES.get(code),
        value_sets=_value_sets(resource),
    )
    root_variables = tuple(_variables(resource, "The Questionnaire"))
    layout = reader.read(resource.get("item") or [], (), root_variables)
    questions = tuple(reader.questions)
    if not questions:
        raise QuestionnaireError("The Questionnaire has no questions PeerPath can ask.")
    known = {q.link_id for q in questions}
    for question in questions:
        for rule in question.rules:
            for condition in rule.conditions:
                if condition.question not in known:
                    raise QuestionnaireError(
                        f"Question {question.link_id} depends on {condition.question}, "
                        "which is not a question in this form."
                    )
    launch = _launch_names(resource)
    known = BUILTIN_NAMES | set(launch)
    for calculation in reader.calculations:
        _check_names(
            f"Item {calculation.link_id} (calculatedExpression)",
            calculation.expression,
            calculation.variables,
            known,
        )
    for question in questions:
        for rule in question.rules:
            if rule.expression:
                _check_names(
                    f"Question {question.link_id} (enableWhenExpression)",
                    rule.expression,
                    rule.variables,
                    known,
                )
    notes = []
    url = str(resource.get("url") or "")
    if not url:
        url = derived_url(resource)
        notes.append(f"The file has no canonical url, so PeerPath knows it as {url}.")
    if reader.skipped:
        notes.append(
            "Not asked (PeerPath does not take these answers): " + ", ".join(reader.skipped)
        )
    # The total is the last calculated item: a total follows the items it adds up.
    total = reader.calculations[-1] if reader.calculations else None
    title = str(resource.get("title") or resource.get("name") or code or url)
    return Instrument(
        url=url,
        version=str(resource.get("version", "")),
        code=code,
        name=str(resource.get("name") or resource.get("title") or code or url)[:100],
        title=title,
        questions=questions,
        bands=_bands(resource, code),
        instructions=tuple(reader.instructions),
        title_translations=_translations(resource.get("_title")),
        layout=layout,
        total=total,
        resource=resource,
        launch_names=launch,
        notes=tuple(notes),
    )


# -- Checking and scoring answers --------------------------------------------------------------


NOTHING_ANSWERED = gettext_noop("Answer at least one question.")
KIND_PROBLEMS = {
    "boolean": gettext_noop("Answer yes or no."),
    "integer": gettext_noop("Enter a whole number."),
    "decimal": gettext_noop("Enter a number."),
    "date": gettext_noop("Enter a date as YYYY-MM-DD."),
    "dateTime": gettext_noop("Enter a date and time."),
    "time": gettext_noop("Enter a time as HH:MM."),
}


def _coerce(question: Question, value: Any) -> Any:
    """The answer as PeerPath keeps it, or ValueError saying why it does not fit."""
    if question.options:
        if question.option(value) is not None:
            return question.option(value).code  # type: ignore[union-attr]
        if question.kind == "open-choice" and isinstance(value, str) and value.strip():
            return value.strip()
        raise ValueError(f"{str(value)[:40]!r} is not one of the answers to this question.")
    kind = question.kind
    try:
        if kind == "boolean":
            if isinstance(value, bool):
                return value
            raise ValueError
        if kind == "integer":
            if isinstance(value, bool):
                raise ValueError
            return int(str(value))
        if kind == "decimal":
            if isinstance(value, bool):
                raise ValueError
            return Decimal(str(value))
        if kind == "date":
            return value if isinstance(value, date) else date.fromisoformat(str(value))
        if kind == "dateTime":
            return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        if kind == "time":
            return value if isinstance(value, time) else time.fromisoformat(str(value))
    except (ValueError, InvalidOperation, TypeError):
        raise ValueError(KIND_PROBLEMS.get(kind, "This answer is not of the right kind.")) from None
    text = str(value).strip()
    if not text:
        raise ValueError("The answer is empty.")
    return text


def check(instrument: Instrument, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers kept: only questions asked, each of the right kind; AnswersError if not."""
    problems: dict[str, str] = {}
    given: dict[str, Any] = {}
    calculated = {c.link_id for c in ([instrument.total] if instrument.total else [])}
    for link_id, value in answers.items():
        question = instrument.question(link_id)
        if question is None:
            if link_id not in calculated:
                problems[link_id] = "This is not a question in this questionnaire."
            continue
        if value is None or value == "" or value == []:
            continue
        values = value if isinstance(value, list) else [value]
        if len(values) > 1 and not question.repeats:
            problems[link_id] = gettext_noop("This question takes one answer.")
            continue
        try:
            kept = [_coerce(question, one) for one in values]
        except ValueError as exc:
            problems[link_id] = str(exc)
            continue
        given[link_id] = kept if question.repeats else kept[0]
    asked = instrument.enabled(given)
    kept_answers = {k: v for k, v in given.items() if k in asked}
    for question in instrument.questions:
        if question.link_id not in asked or question.link_id in kept_answers:
            continue
        if question.required or question.scored:
            problems.setdefault(question.link_id, "This question is not answered.")
    if not problems and not kept_answers:
        problems[""] = NOTHING_ANSWERED
    if problems:
        raise AnswersError(problems)
    return kept_answers


@dataclass(frozen=True)
class Score:
    total: Decimal | None
    band: str
    alerts: tuple[str, ...]  # link ids of answers that alert the care team
    answers: dict[str, Any] = field(default_factory=dict)


def score(instrument: Instrument, answers: dict[str, Any]) -> Score:
    """The kept answers, their total and band, and which answers alert the care team.

    Every scored question that is asked must be answered: a partial PHQ-9 has no valid total.
    A form without scores has no total. A total the Questionnaire calculates comes from its
    FHIRPath expression; otherwise it is the sum of the answer weights.
    """
    kept = check(instrument, answers)
    total = Decimal(0)
    alerts = []
    for question in instrument.questions:
        value = kept.get(question.link_id)
        for code in value if isinstance(value, list) else [value] if value is not None else []:
            option = question.option(code)
            if option is None or option.weight is None:
                continue
            total += option.weight
            if question.alert_above is not None and option.weight > question.alert_above:
                alerts.append(question.link_id)
    result: Decimal | None = total if instrument.scored_questions else None
    if instrument.total is not None:
        result = evaluate_total(instrument, kept)
    return Score(
        total=result,
        band=instrument.band_for(result),
        alerts=tuple(dict.fromkeys(alerts)),
        answers=kept,
    )
