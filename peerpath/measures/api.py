"""FHIR QuestionnaireResponses in and out, through the gate."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Body, Router, Schema, Status

from peerpath.clients import access
from peerpath.clients.queries import audit_read

from . import actions, queries
from .fhir import InvalidResource

router = Router(tags=["measures"])


class QuestionnaireOut(Schema):
    id: int
    name: str
    title: str
    url: str
    version: str
    code: str


class Problem(Schema):
    detail: str


@router.get("/questionnaires", response=list[QuestionnaireOut], summary="Instruments offered")
def list_questionnaires(request: HttpRequest) -> list[Any]:
    org_id = getattr(request.user, "organization_id", None)
    if org_id is None:
        return []
    return list(queries.offered(org_id))


@router.get(
    "/clients/{client_id}/questionnaire-responses",
    response=list[dict[str, Any]],
    summary="A person's measures as FHIR R4 QuestionnaireResponses",
)
def list_responses(request: HttpRequest, client_id: int) -> list[dict[str, Any]]:
    user = request.user
    grant = access.client_for_read(user, client_id)
    rows = queries.responses_for_export(grant)
    resources = [dict(row.resource, id=str(row.pk)) for row in rows]
    audit_read(user, grant, "measure.export", grant.client, count=len(resources))  # type: ignore[arg-type]
    return resources


@router.post(
    "/clients/{client_id}/questionnaire-responses",
    response={201: dict[str, Any], 422: Problem},
    summary="Record a FHIR R4 QuestionnaireResponse",
)
def create_response(
    request: HttpRequest,
    client_id: int,
    resource: dict[str, Any] = Body(...),  # noqa: B008 (ninja style)
) -> Status[Any]:
    user = request.user
    grant = access.client_for_write(user, client_id)
    try:
        row = actions.response_import(actor=user, access=grant, resource=resource)  # type: ignore[arg-type]
    except (InvalidResource, ValueError) as exc:
        return Status(422, {"detail": str(exc)})
    return Status(201, dict(row.resource, id=str(row.pk)))
