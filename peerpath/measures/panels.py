"""What measures add to shared pages: the My day panel and a section on the person's record."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest

from peerpath.clients.access import ClientAccess
from peerpath.core.slots import SlotContent

from . import queries
from .models import Alert


def my_day_panel(
    request: HttpRequest, user: Any, *, today: date, **context: Any
) -> SlotContent | None:
    """Measures due this week and open alerts for the user's caseload (two queries)."""
    due = queries.due_for(user, today, within_days=7)
    alerts = queries.open_alerts_for(user)
    if not due and not alerts:
        return None
    return SlotContent("measures/_my_day.html", {"due": due, "alerts": alerts, "today": today})


def record_section(
    request: HttpRequest, user: Any, *, access: ClientAccess, **context: Any
) -> SlotContent:
    alerts = list(Alert.objects.filter(client=access.client, resolved_at__isnull=True))
    return SlotContent("measures/_record_section.html", {"client": access.client, "alerts": alerts})
