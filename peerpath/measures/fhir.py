"""FHIR R4 resources at the edge: checking Questionnaires and building QuestionnaireResponses.

The `fhir.resources` R4B model validates QuestionnaireResponses (the resource is the same in R4
and R4B). Questionnaires are checked by what PeerPath needs of them (see `instruments.parse`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse as FhirQuestionnaireResponse,
)

from . import instruments


class InvalidResource(ValueError):
    """The JSON is not a valid FHIR resource of the expected type; the message says where."""


def _problems(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        parts = []
        for error in errors()[:5]:
            where = " > ".join(str(p) for p in error.get("loc", ()) if p != "__root__")
            parts.append(f"{where}: {error.get('msg')}" if where else str(error.get("msg")))
        return "; ".join(parts)
    return str(exc)


def validate_questionnaire(resource: Any) -> instruments.Instrument:
    """The shape PeerPath relies on; the rest of the file is taken as it comes.

    Questionnaires exported by other tools are often not valid against the strict R4 model (a
    narrative without `div`, variable names with `_`, an `enableWhen` answer of the wrong type)
    yet are perfectly usable, so what matters is checked by `instruments.parse`, which says
    what is wrong in words. Returns the instrument the Questionnaire describes.
    """
    if not isinstance(resource, dict) or resource.get("resourceType") != "Questionnaire":
        raise InvalidResource("This is not a FHIR Questionnaire.")
    items = resource.get("item")
    if not isinstance(items, list) or not items:
        raise InvalidResource("The Questionnaire has no items.")
    try:
        return instruments.parse(resource)
    except instruments.QuestionnaireError as exc:
        raise InvalidResource(str(exc)) from None


def validate_response(resource: Any) -> dict[str, Any]:
    if not isinstance(resource, dict) or resource.get("resourceType") != "QuestionnaireResponse":
        raise InvalidResource("This is not a FHIR QuestionnaireResponse.")
    try:
        FhirQuestionnaireResponse.parse_obj(resource)
    except Exception as exc:
        raise InvalidResource(_problems(exc)) from None
    return resource


def build_response(
    *,
    instrument: instruments.Instrument,
    canonical: str,
    client_id: int,
    authored_on: date,
    answers: dict[str, Any],
    total: Decimal | None,
) -> dict[str, Any]:
    """A completed QuestionnaireResponse for checked answers, nested as the Questionnaire is."""
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": canonical,
        "subject": {"reference": f"Patient/{client_id}"},
        "authored": authored_on.isoformat(),
        "item": instrument.response_items(answers),
    }
    if total is not None:
        whole = total == total.to_integral_value()
        resource["extension"] = [
            {
                "url": "https://peerpath.org/fhir/StructureDefinition/total-score",
                **({"valueInteger": int(total)} if whole else {"valueDecimal": float(total)}),
            }
        ]
    return validate_response(resource)
