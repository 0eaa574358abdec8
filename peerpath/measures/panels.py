"""What measures add to shared pages: the My day panel and a section on the person's record."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest

from peerpath.clients.access import ClientAccess
from peerpath.core.slots import SlotContent

from . import queries


def my_day_panel(
    request: HttpRequest, user: Any, *, today: date, **context: Any
) -> SlotContent | None:
    """Measures due this week for the user's caseload (one query)."""
    due = queries.due_for(user, today, within_days=7)
    if not due:
        return None
    return SlotContent("measures/_my_day.html", {"due": due, "today": today})


def my_day_safety(
    request: HttpRequest, user: Any, *, today: date, **context: Any
) -> SlotContent | None:
    """Open safety alerts, at the very top of My day, until someone records what was done."""
    alerts = queries.open_alerts_for(user)
    if not alerts:
        return None
    return SlotContent("measures/_safety_alerts.html", {"alerts": alerts, "on_record": False})


def record_safety(
    request: HttpRequest, user: Any, *, access: ClientAccess, **context: Any
) -> SlotContent | None:
    """The person's open safety alerts: the first thing under their name."""
    alerts = queries.open_alerts_of(access)
    if not alerts:
        return None
    return SlotContent(
        "measures/_safety_alerts.html",
        {"alerts": alerts, "on_record": True, "access": access, "client": access.client},
    )


def record_section(
    request: HttpRequest, user: Any, *, access: ClientAccess, **context: Any
) -> SlotContent:
    return SlotContent("measures/_record_section.html", {"client": access.client})
