from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the page shell needs: the organization, the signed-in person, navigation by role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {
        "current_organization": user.organization,
        "nav_items": navigation_for(user, request.path),
    }
