"""Small helpers for views."""

from __future__ import annotations

from django.http import HttpRequest

from .models import Staff


def signed_in_staff(request: HttpRequest) -> Staff:
    """The signed-in staff member (views that call this are behind login_required)."""
    return request.user  # type: ignore[return-value]
