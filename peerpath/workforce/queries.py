"""Reads of the workforce app for pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from peerpath.core.models import Role, Staff, Team
from peerpath.core.pagination import Page, first_and_total, keyset_page
from peerpath.encounters import language

from . import results
from .models import (
    ActionItem,
    Champion,
    LearningActivity,
    LivingWage,
    Participation,
    Position,
    RoadmapStep,
    Strategy,
    SurveyAnswer,
    SurveyInstrument,
    Wave,
)
from .strategies import DEFAULTS, title_of


def instruments_for(organization_id: int) -> QuerySet[SurveyInstrument]:
    return SurveyInstrument.objects.filter(
        Q(organization__isnull=True) | Q(organization_id=organization_id)
    )


def waves(organization_id: int, after: str | None) -> Page[Wave]:
    return keyset_page(
        Wave.objects.filter(organization_id=organization_id).select_related("instrument"),
        order=("-opens_on", "-id"),
        after=after,
        per_page=25,
    )


def wave_for(organization_id: int | None, wave_id: int) -> Wave:
    wave = (
        Wave.objects.filter(pk=wave_id, organization_id=organization_id or 0)
        .select_related("instrument")
        .first()
    )
    if wave is None:
        raise Http404
    return wave


def open_waves_to_answer(user: Staff, today: date) -> list[Wave]:
    """Open waves of the user's agency they have not answered yet."""
    if not getattr(user, "organization_id", None):
        return []
    answered = Participation.objects.filter(staff=user).values("wave_id")
    return list(
        Wave.objects.filter(
            organization_id=user.organization_id or 0, opens_on__lte=today, closes_on__gte=today
        )
        .exclude(pk__in=answered)
        .select_related("instrument")
        .order_by("closes_on", "id")
    )


def has_answered(user: Staff, wave: Wave) -> bool:
    return Participation.objects.filter(staff=user, wave=wave).exists()


def answered_count(wave: Wave) -> int:
    return Participation.objects.filter(wave=wave).count()


def comparable_waves(wave: Wave) -> list[Wave]:
    """Other waves of the same questionnaire, to compare with."""
    return list(
        Wave.objects.filter(organization_id=wave.organization_id, instrument=wave.instrument_id)
        .exclude(pk=wave.pk)
        .order_by("-opens_on", "-id")
    )


@dataclass(frozen=True)
class GroupResult:
    label: str
    count: int
    sections: list[results.SectionScore]
    is_other: bool = False


@dataclass(frozen=True)
class WaveResults:
    wave: Wave
    answered: int
    minimum: int
    shown: bool  # enough answers to show anything
    sections: list[results.SectionScore]
    earlier: list[results.SectionScore] | None
    earlier_answered: int
    written: dict[str, list[str]]
    groups: list[GroupResult]
    by: str

    def rows(self) -> list[Row]:
        """Each section, then its items: the score now, before (the wave compared with, when
        it has enough answers) and the change."""
        before: dict[tuple[str, str], Any] = {}
        for section in self.earlier or []:
            before[(section.link_id, "")] = section.mean
            for item in section.items:
                before[(section.link_id, item.link_id)] = item.mean
        found = []
        for section in self.sections:
            found.append(
                _row(
                    section.link_id,
                    "",
                    section.title,
                    section.mean,
                    section.answered,
                    before,
                    section.is_low,
                )
            )
            for item in section.items:
                found.append(
                    _row(
                        section.link_id,
                        item.link_id,
                        item.text,
                        item.mean,
                        item.answered,
                        before,
                        False,
                    )
                )
        return found


@dataclass(frozen=True)
class Row:
    section: str
    item: str
    text: str
    mean: Any
    answered: int
    earlier: Any
    change: Any
    is_low: bool

    @property
    def is_section(self) -> bool:
        return not self.item


def _row(
    section: str,
    item: str,
    text: str,
    mean: Any,
    answered: int,
    before: dict[tuple[str, str], Any],
    is_low: bool,
) -> Row:
    earlier = before.get((section, item))
    change = mean - earlier if mean is not None and earlier is not None else None
    return Row(section, item, text, mean, answered, earlier, change, is_low)


BY = ("agency", "team", "role")


def wave_results(wave: Wave, *, by: str, compare: Wave | None) -> WaveResults:
    """Results of a wave: nothing below the agency's threshold, small groups merged into
    "other", what people wrote only above it. Two or three queries whatever the size."""
    minimum = settings.SURVEY_MIN_GROUP
    language = translation.get_language() or "en"
    sections = results.sections_of(wave.instrument.instrument(), language)
    rows: list[dict[str, Any]] = [
        {"team_id": row["team_id"], "role": row["role"], "answers": row["answers"]}
        for row in SurveyAnswer.objects.filter(wave=wave).values("team_id", "role", "answers")
    ]
    everyone = [row["answers"] for row in rows]
    shown = len(rows) >= minimum
    earlier = None
    earlier_answered = 0
    if compare is not None:
        before = list(SurveyAnswer.objects.filter(wave=compare).values_list("answers", flat=True))
        earlier_answered = len(before)
        if earlier_answered >= minimum:
            earlier = results.summarize(sections, before, language)
    groups: list[GroupResult] = []
    if shown and by in ("team", "role"):
        key = "team_id" if by == "team" else "role"
        counts: dict[Any, int] = {}
        for row in rows:
            counts[row[key]] = counts.get(row[key], 0) + 1
        labels = _labels(by, [k for k in counts if k is not None])
        for group in results.shown_groups(counts, minimum):
            members = [row["answers"] for row in rows if row[key] in group.keys]
            if group.is_other:
                label = _("Other (small groups together)")
            elif group.keys[0] is None:
                label = _("On several teams, or none")
            else:
                label = labels.get(group.keys[0], "")
            groups.append(
                GroupResult(
                    label=label,
                    count=group.count,
                    sections=results.summarize(sections, members, language),
                    is_other=group.is_other,
                )
            )
    return WaveResults(
        wave=wave,
        answered=len(rows),
        minimum=minimum,
        shown=shown,
        sections=results.summarize(sections, everyone, language) if shown else [],
        earlier=earlier if shown else None,
        earlier_answered=earlier_answered,
        written=results.written(sections, everyone) if shown else {},
        groups=groups,
        by=by,
    )


def _labels(by: str, keys: list[Any]) -> dict[Any, str]:
    if by == "team":
        return dict(Team.objects.filter(pk__in=keys).values_list("pk", "name"))
    return {key: str(Role(key).label) if key in Role.values else key for key in keys}


# Strategies and the action plan --------------------------------------------------------------


def library(organization_id: int, section: str = "") -> list[Strategy]:
    strategies = Strategy.objects.filter(organization_id=organization_id, is_active=True)
    order = {default.key: index for index, default in enumerate(DEFAULTS)}
    found = sorted(strategies, key=lambda s: (order.get(s.key, len(order)), s.pk))
    if section:
        found = [s for s in found if section in s.sections]
    return found


def strategy_for(organization_id: int | None, strategy_id: Any) -> Strategy:
    strategy = Strategy.objects.filter(
        organization_id=organization_id or 0, pk=_number(strategy_id)
    ).first()
    if strategy is None:
        raise Http404
    return strategy


def _number(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def wave_or_none(organization_id: int | None, wave_id: Any) -> Wave | None:
    if not wave_id:
        return None
    return wave_for(organization_id, _number(wave_id))


def plan(organization_id: int, view: str, after: str | None) -> Page[ActionItem]:
    """The action plan: open items (soonest due first), or everything."""
    items = ActionItem.objects.filter(organization_id=organization_id).select_related(
        "strategy", "owner", "wave"
    )
    if view != "all":
        items = items.filter(status__in=(ActionItem.Status.PLANNED, ActionItem.Status.UNDER_WAY))
    return keyset_page(
        items, order=("due_on", "id"), after=after, per_page=25, params={"view": view}
    )


def action_for(organization_id: int | None, item_id: int) -> ActionItem:
    item = (
        ActionItem.objects.filter(organization_id=organization_id or 0, pk=item_id)
        .select_related("strategy", "owner")
        .first()
    )
    if item is None:
        raise Http404
    return item


MY_DAY_ACTIONS = 10
SOON_DAYS = 14


def actions_soon(user: Staff, today: date, *, everyone: bool) -> tuple[list[ActionItem], int]:
    """Open action-plan items due within two weeks (or late): the user's own, or (for those
    who run the agency) everyone's. One query."""
    items = ActionItem.objects.filter(
        organization_id=user.organization_id or 0,
        status__in=(ActionItem.Status.PLANNED, ActionItem.Status.UNDER_WAY),
        due_on__lte=today + timedelta(days=SOON_DAYS),
    )
    if not everyone:
        items = items.filter(owner=user)
    return first_and_total(
        items.select_related("strategy", "owner").order_by("due_on", "id"), MY_DAY_ACTIONS
    )


def staff_choices(organization_id: int) -> QuerySet[Staff]:
    return Staff.objects.filter(organization_id=organization_id, is_active=True).order_by(
        "full_name"
    )


# The roadmap page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RoadmapPage:
    roadmap: Any
    teams: list[tuple[Team, list[Champion]]]
    upcoming: list[LearningActivity]
    learned: Page[LearningActivity]


def roadmap_page(organization_id: int, after: str | None) -> RoadmapPage:
    """The stages, each team with its champions (teams without one stand out), the visits and
    sessions to come, and what was learned at those that took place (newest first). Five
    queries whatever the agency's size."""
    from .roadmap import roadmap_of

    done = {
        step.key: step
        for step in RoadmapStep.objects.filter(
            organization_id=organization_id, done_on__isnull=False
        ).select_related("done_by")
    }
    champions: dict[int, list[Champion]] = {}
    for champion in Champion.objects.filter(organization_id=organization_id).select_related(
        "staff"
    ):
        champions.setdefault(champion.team_id, []).append(champion)
    teams = list(Team.objects.filter(organization_id=organization_id).order_by("name"))
    activities = LearningActivity.objects.filter(organization_id=organization_id).select_related(
        "strategy"
    )
    upcoming = list(activities.filter(done_on__isnull=True).order_by("planned_on", "id")[:50])
    for activity in upcoming:
        activity.strategy_title = (  # type: ignore[attr-defined]
            title_of(activity.strategy) if activity.strategy else ""
        )
    return RoadmapPage(
        roadmap=roadmap_of(done),
        teams=[(team, champions.get(team.pk, [])) for team in teams],
        upcoming=upcoming,
        learned=keyset_page(
            activities.filter(done_on__isnull=False),
            order=("-done_on", "-id"),
            after=after,
            per_page=10,
        ),
    )


def activity_for(organization_id: int | None, activity_id: int) -> LearningActivity:
    activity = LearningActivity.objects.filter(
        organization_id=organization_id or 0, pk=activity_id
    ).first()
    if activity is None:
        raise Http404
    return activity


def teams_of(organization_id: int) -> QuerySet[Team]:
    return Team.objects.filter(organization_id=organization_id).order_by("name")


def strategies_of(organization_id: int) -> QuerySet[Strategy]:
    return Strategy.objects.filter(organization_id=organization_id, is_active=True)


# Positions -----------------------------------------------------------------------------------


def positions(organization_id: int, after: str | None) -> Page[Position]:
    """The agency's positions, newest first, each with its checks (living wage in one query
    for the page; the words checked in memory)."""
    from .hiring import checks_of

    page = keyset_page(
        Position.objects.filter(organization_id=organization_id).select_related("team"),
        order=("-id",),
        after=after,
        per_page=25,
    )
    wages = {
        (w.county.lower(), w.household): w.hourly
        for w in LivingWage.objects.filter(organization_id=organization_id)
    }
    terms = language.terms_for(organization_id)
    for position in page.items:
        position.checks = checks_of(  # type: ignore[attr-defined]
            position,
            wage=wages.get((position.county.lower(), position.household)),
            known=True,
            terms=terms,
        )
    return page


def position_for(organization_id: int | None, position_id: int) -> Position:
    position = (
        Position.objects.filter(organization_id=organization_id or 0, pk=position_id)
        .select_related("team", "supervisor")
        .first()
    )
    if position is None:
        raise Http404
    return position


def living_wages(organization_id: int) -> list[LivingWage]:
    return list(LivingWage.objects.filter(organization_id=organization_id)[:500])
