"""Reads of the workforce app for pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from peerpath.core.models import Role, Staff, Team
from peerpath.core.pagination import Page, keyset_page

from . import results
from .models import Participation, SurveyAnswer, SurveyInstrument, Wave


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
