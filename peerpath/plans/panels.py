"""What plans add to the person's record page: a link to the plan page with a short summary."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from peerpath.clients.access import ClientAccess
from peerpath.core.slots import SlotContent

from . import queries
from .models import Goal, WrapPlan


def record_section(
    request: HttpRequest, user: Any, *, access: ClientAccess, **context: Any
) -> SlotContent:
    active_goals = Goal.objects.filter(client=access.client, status=Goal.Status.ACTIVE).count()
    wrap = WrapPlan.objects.filter(client=access.client).values_list("current_version", flat=True)
    return SlotContent(
        "plans/_record_section.html",
        {
            "client": access.client,
            "active_goals": active_goals,
            "wrap_version": wrap.first() or 0,
        },
    )


def prepare_goals(
    request: HttpRequest, user: Any, *, access: ClientAccess, **context: Any
) -> SlotContent:
    """The prepare page: open goals in the person's words, and the next step of each."""
    return SlotContent(
        "plans/_prepare_goals.html",
        {"client": access.client, "goals": queries.open_goals_with_next_steps(access)},
    )


def contact_follow_up(
    request: HttpRequest, user: Any, *, access: ClientAccess, contact: Any, **context: Any
) -> SlotContent | None:
    """Just after signing: link the goals the contact worked on and set the next step."""
    from .forms import FollowUpForm

    if not access.can_write:
        return None
    goals = queries.open_goals_with_next_steps(access)
    form = FollowUpForm(
        goals=goals,
        initial={
            "next_step": access.client.next_step,
            "next_step_due": access.client.next_step_due,
        },
        auto_id="follow_%s",
    )
    return SlotContent(
        "plans/_contact_follow_up.html",
        {"client": access.client, "contact": contact, "form": form, "goals": goals},
    )
