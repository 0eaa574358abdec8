"""What the directory adds to other pages (see core/slots.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest

from peerpath.clients.access import ClientAccess
from peerpath.core.slots import SlotContent

from . import referral_queries, search


def record_resources(
    request: HttpRequest, user: Any, *, access: ClientAccess, **_: Any
) -> SlotContent:
    """On a person's record: their newest referrals, and finding resources near their
    address on file (to refer them)."""
    referrals = referral_queries.record_referrals(access)
    return SlotContent(
        "directory/panels/record_resources.html",
        {
            "client": access.client,
            "access": access,
            "has_place": search.point_for_postal_code(access.client.address) is not None,
            "referrals": referrals.latest,
            "total": referrals.total,
        },
    )


def my_day_referrals(
    request: HttpRequest, user: Any, *, today: date, **_: Any
) -> SlotContent | None:
    """Referral follow-ups due for the user's caseload; for a supervisor, the referrals on
    their teams with no outcome after the follow-up date."""
    due = referral_queries.follow_ups_due(user, today)
    overdue = referral_queries.overdue_for_supervisor(user, today)
    if not due.total and not overdue.total:
        return None
    return SlotContent(
        "directory/panels/my_day_referrals.html",
        {"due": due, "overdue": overdue, "today": today},
        shown=due.shown + overdue.shown,
    )
