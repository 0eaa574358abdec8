"""A peer's self-care: their own plan, short wellbeing check-ins, and plain-language tips.

Both are the peer's alone. A supervisor reads the plan only while the peer shares it (each read
audited); check-ins are never shown to anyone but the peer: those who run the agency see a
summary by team only where a group holds at least SURVEY_MIN_GROUP peers (the rule of the
survey results, `results.shown_groups`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.db.models import Avg
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peerpath.core import audit
from peerpath.core.models import Staff, TeamMembership

from .models import SelfCarePlan, WellbeingCheckin
from .results import shown_groups
from .strategies import PlanRefused
from .support import PEER_ROLES

PLAN_FIELDS = ("keeps_me_well", "early_signs", "what_helps", "who_to_talk_to")
SUMMARY_DAYS = 30

# Plain-language tips for peers, each a title and a few short sentences (grade 8 or below).
TIPS: tuple[tuple[Promise, Promise], ...] = (
    (
        _("Take care of yourself first"),
        _(
            "Your own recovery comes first. Keep the things that keep you well, even on busy "
            "weeks. Take your breaks. When a day is hard, say so. You can step back for the "
            "rest of the day."
        ),
    ),
    (
        _("Meet people where they are"),
        _(
            "Start with what the person wants, not what you think they need. Go at their pace. "
            "Ask, listen, and ask again. Small steps count."
        ),
    ),
    (
        _("Share your story with a purpose"),
        _(
            "Before you share, ask yourself: will this help them? Keep it short. Say what "
            "helped you, not every detail. Then turn back to them."
        ),
    ),
    (
        _("Keep good boundaries"),
        _(
            "Be warm and be clear. Say what you can do and what you cannot. Talk with your "
            "supervisor when a line feels blurry."
        ),
    ),
)


def _peer(actor: Staff) -> int:
    if actor.role not in PEER_ROLES or actor.organization_id is None:
        raise PermissionError("self-care is a peer's own")
    return actor.organization_id


def plan_of(actor: Staff) -> SelfCarePlan | None:
    _peer(actor)
    return SelfCarePlan.objects.filter(staff=actor).first()


def plan_save(*, actor: Staff, data: dict[str, Any]) -> SelfCarePlan:
    organization_id = _peer(actor)
    with transaction.atomic():
        plan, _created = SelfCarePlan.objects.select_for_update().get_or_create(
            staff=actor, defaults={"organization_id": organization_id}
        )
        for name in PLAN_FIELDS:
            setattr(plan, name, str(data.get(name, "")).strip())
        plan.shared_with_supervisor = bool(data.get("shared_with_supervisor"))
        plan.save()
        # The trail says the plan changed and whether it is shared, never what it says.
        audit.record(
            organization=organization_id,
            actor=actor,
            action="self_care.save",
            details={"shared": plan.shared_with_supervisor},
        )
    return plan


def shared_plan_for(supervisor: Staff, peer_id: int) -> SelfCarePlan:
    """A peer's plan, for their own supervisor, while the peer shares it (404 otherwise)."""
    plan = (
        SelfCarePlan.objects.filter(
            staff_id=peer_id,
            staff__supervisor=supervisor,
            organization_id=supervisor.organization_id or 0,
            shared_with_supervisor=True,
        )
        .select_related("staff")
        .first()
    )
    if plan is None:
        raise Http404
    audit.record(
        organization=plan.organization_id,
        actor=supervisor,
        action="self_care.read",
        obj=plan,
    )
    return plan


def shared_plans(supervisor: Staff) -> list[Staff]:
    """The peers who report to the supervisor and share their plan with them."""
    return [
        plan.staff
        for plan in SelfCarePlan.objects.filter(
            staff__supervisor=supervisor, shared_with_supervisor=True
        )
        .select_related("staff")
        .order_by("staff__full_name")[:100]
    ]


def checkin(
    *, actor: Staff, on: date, wellbeing: int, support: int, note: str = ""
) -> WellbeingCheckin:
    """Today's check-in (a second one the same day replaces the first)."""
    organization_id = _peer(actor)
    if wellbeing not in range(1, 6) or support not in range(1, 6):
        raise PlanRefused(_("Choose from 1 to 5."))
    with transaction.atomic():
        found, _created = WellbeingCheckin.objects.update_or_create(
            staff=actor,
            on=on,
            defaults={
                "organization_id": organization_id,
                "wellbeing": wellbeing,
                "support": support,
                "note": note.strip(),
            },
        )
    return found


def checkins_of(actor: Staff) -> list[WellbeingCheckin]:
    _peer(actor)
    return list(WellbeingCheckin.objects.filter(staff=actor)[:12])


@dataclass
class SummaryRow:
    label: str
    peers: int
    wellbeing: float
    support: float
    is_other: bool = False


def team_summary(organization_id: int, today: date) -> tuple[list[SummaryRow], int]:
    """Peers' check-ins of the last 30 days, by team (each peer counted once, in their first
    team by name): the average of each peer's own average. A group shows only with at least
    SURVEY_MIN_GROUP peers; smaller ones are merged into "other teams", and nothing shows when
    the agency has fewer. Returns the rows and how many peers checked in."""
    since = today - timedelta(days=SUMMARY_DAYS)
    per_peer = {
        row["staff_id"]: (row["w"], row["s"])
        for row in WellbeingCheckin.objects.filter(organization_id=organization_id, on__gte=since)
        .values("staff_id")
        .annotate(w=Avg("wellbeing"), s=Avg("support"))
        .order_by()
    }
    team_of: dict[int, tuple[str, str]] = {}
    for staff_id, team_id, name in (
        TeamMembership.objects.filter(staff_id__in=list(per_peer))
        .order_by("team__name", "team_id")
        .values_list("staff_id", "team_id", "team__name")
    ):
        team_of.setdefault(staff_id, (str(team_id), name))
    members: dict[tuple[str, str], list[int]] = {}
    for staff_id in per_peer:
        members.setdefault(team_of.get(staff_id, ("", str(_("No team")))), []).append(staff_id)
    groups = shown_groups(
        {key: len(ids) for key, ids in members.items()}, settings.SURVEY_MIN_GROUP
    )
    rows = []
    for group in groups:
        keys = cast(list[tuple[str, str]], list(group.keys))
        ids = [pk for key in keys for pk in members[key]]
        rows.append(
            SummaryRow(
                (str(_("All teams")) if len(groups) == 1 else str(_("Other teams")))
                if group.is_other
                else keys[0][1],
                len(ids),
                round(sum(per_peer[pk][0] for pk in ids) / len(ids), 1),
                round(sum(per_peer[pk][1] for pk in ids) / len(ids), 1),
                group.is_other,
            )
        )
    return rows, len(per_peer)
