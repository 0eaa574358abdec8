"""What this app adds to a person's record page and to the prepare page (see core/slots.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from peerpath.clients.access import ClientAccess
from peerpath.core.slots import SlotContent

from . import queries


def record_meetings(
    request: HttpRequest, user: Any, *, access: ClientAccess, **_: Any
) -> SlotContent:
    return SlotContent(
        "meetings/panels/record_meetings.html",
        {
            "access": access,
            "client": access.client,
            "items": queries.items_of(access),
            "joinable": queries.meetings_to_join(user, access) if access.can_write else [],
        },
    )


def prepare_meetings(
    request: HttpRequest, user: Any, *, access: ClientAccess, **_: Any
) -> SlotContent:
    return SlotContent(
        "meetings/panels/prepare_meetings.html",
        {"access": access, "client": access.client, "items": queries.upcoming_for(access)},
    )
