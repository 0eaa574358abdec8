"""The JSON API (django-ninja): session-authenticated, every client read through the gate."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from peerpath.clients.api import router as clients_router
from peerpath.directory.api import router as directory_router
from peerpath.directory.referral_api import router as referrals_router
from peerpath.encounters.api import router as encounters_router
from peerpath.measures.api import router as measures_router
from peerpath.workforce.api import router as workforce_router

# The errors every operation can answer, each with a JSON body {"detail": ...}.
ERRORS = {
    401: "Not signed in.",
    403: "Signed in, but not allowed (for example, read-only access to this record).",
    404: "No such record, or not one this staff member may see.",
    413: "The request body is larger than API_MAX_BODY_KB.",
    422: "The input was refused; `detail` says why (a message, or a list of field errors).",
}
PROBLEM = {
    "title": "Problem",
    "type": "object",
    "properties": {
        "detail": {
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "object"}},
            ]
        }
    },
    "required": ["detail"],
}
READ_ONLY_ERRORS = (401, 403, 404, 422)


class PeerPathAPI(NinjaAPI):
    """The API, with the error answers every operation can give declared in its schema."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                codes = READ_ONLY_ERRORS if method == "get" else tuple(ERRORS)
                responses = operation.setdefault("responses", {})
                for code in codes:
                    if code in responses or str(code) in responses:
                        continue
                    responses.setdefault(
                        code,
                        {
                            "description": ERRORS[code],
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Problem"}
                                }
                            },
                        },
                    )
        return schema


api = PeerPathAPI(
    title="PeerPath API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    docs_url="/docs",
    docs_decorator=login_required,  # the schema and its docs are for signed-in staff
)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "Forbidden"}, status=403)


api.add_router("/", clients_router)
api.add_router("/", measures_router)
api.add_router("/", encounters_router)
api.add_router("/", directory_router)
api.add_router("/", referrals_router)
api.add_router("/", workforce_router)
