"""My day panel: a link to a staff member's own record (the privacy officer's home is the desk)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from peerpath.core.slots import SlotContent

from . import access


def privacy_panel(request: HttpRequest, user: Any, **context: Any) -> SlotContent | None:
    own = access.own_record(user)
    if own is not None:
        return SlotContent("clients/privacy/_my_day_own.html", {})
    return None
