"""The JSON API (django-ninja): session-authenticated, every client read through the gate."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from peerpath.clients.api import router as clients_router
from peerpath.encounters.api import router as encounters_router
from peerpath.measures.api import router as measures_router

api = NinjaAPI(
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
