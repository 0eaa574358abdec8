"""What the directory adds to other pages (see core/slots.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from peerpath.clients.access import ClientAccess
from peerpath.core.slots import SlotContent

from . import search


def record_resources(
    request: HttpRequest, user: Any, *, access: ClientAccess, **_: Any
) -> SlotContent:
    """On a person's record: find resources and meetings near their address on file."""
    return SlotContent(
        "directory/panels/record_resources.html",
        {
            "client": access.client,
            "has_place": search.point_for_postal_code(access.client.address) is not None,
        },
    )
