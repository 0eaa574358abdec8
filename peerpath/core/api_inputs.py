"""API request bodies that cannot hurt: a size limit (413) and no NUL characters (422).

A 3 MB or 50 MB body once gave a 500, and a NUL character in any text reached PostgreSQL, which
refuses it, as a 500 too. Both are now refused before any view runs, with a JSON message.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

READS = {"GET", "HEAD", "OPTIONS"}


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class ApiInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/") or request.method in READS:
            return self.get_response(request)
        limit = settings.API_MAX_BODY_BYTES
        too_big = JsonResponse(
            {"detail": f"The request body is larger than the {limit} bytes allowed."}, status=413
        )
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            return too_big
        try:
            body = request.body
        except RequestDataTooBig:
            return too_big
        if len(body) > limit:
            return too_big
        nul = b"\x00" in body
        if not nul and b"\\u0000" in body:
            try:
                nul = _has_nul(json.loads(body))
            except ValueError:
                nul = False  # not JSON: the API answers that itself
        if nul:
            return JsonResponse(
                {"detail": "Text may not contain the NUL character (\\u0000)."}, status=422
            )
        return self.get_response(request)
