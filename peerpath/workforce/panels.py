"""What the workforce app adds to My day."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest

from peerpath.core.slots import SlotContent

from . import queries


def my_day_surveys(request: HttpRequest, user: Any, *, today: date, **_: Any) -> SlotContent | None:
    """Open staff surveys the user has not answered yet."""
    waves = queries.open_waves_to_answer(user, today)
    if not waves:
        return None
    return SlotContent("workforce/_my_day_surveys.html", {"waves": waves})
