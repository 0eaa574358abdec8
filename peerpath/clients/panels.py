"""My day panels: the privacy officer's new notices, and a link to a staff member's own record."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from peerpath.core.slots import SlotContent

from . import access
from .models import EmergencyAccess, Notification


def privacy_panel(request: HttpRequest, user: Any, **context: Any) -> SlotContent | None:
    if access.is_privacy_officer(user):
        notices = list(Notification.objects.filter(recipient=user, read_at__isnull=True)[:5])
        pending = EmergencyAccess.objects.filter(
            organization_id=user.organization_id, review=EmergencyAccess.Review.PENDING
        ).count()
        return SlotContent(
            "clients/privacy/_my_day_officer.html", {"notices": notices, "pending": pending}
        )
    own = access.own_record(user)
    if own is not None:
        return SlotContent("clients/privacy/_my_day_own.html", {})
    return None
