"""FHIR R4 resources at the edge: validating Questionnaires and building QuestionnaireResponses.

`fhir.resources` R4B models are used for validation: the Questionnaire and QuestionnaireResponse
resources are the same in R4 and R4B.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire as FhirQuestionnaire
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


def validate_questionnaire(resource: Any) -> dict[str, Any]:
    if not isinstance(resource, dict) or resource.get("resourceType") != "Questionnaire":
        raise InvalidResource("This is not a FHIR Questionnaire.")
    try:
        FhirQuestionnaire.parse_obj(resource)
    except Exception as exc:  # pydantic's ValidationError and friends
        raise InvalidResource(_problems(exc)) from None
    return resource


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
    answers: dict[str, str],
    total: int,
) -> dict[str, Any]:
    """A completed QuestionnaireResponse for these answers (linkId -> option code)."""
    items = []
    for question in instrument.questions:
        code = answers.get(question.link_id)
        if code is None:
            continue
        option = question.option(code)
        if option is None:
            raise ValueError(f"{code!r} is not an answer to question {question.link_id}.")
        items.append(
            {
                "linkId": question.link_id,
                "text": question.text,
                "answer": [{"valueCoding": option.coding()}],
            }
        )
    resource = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": canonical,
        "subject": {"reference": f"Patient/{client_id}"},
        "authored": authored_on.isoformat(),
        "item": items,
        "extension": [
            {
                "url": "https://peerpath.org/fhir/StructureDefinition/total-score",
                "valueInteger": total,
            }
        ],
    }
    return validate_response(resource)
