"""Survey results: scores by section and item, and the rule that keeps small groups hidden.

Scores are the questionnaire's own answer weights (1 to 5, higher is readier: statements of a
fear, a misconception or a bias are weighted in reverse). A section's score is, for each person,
the mean of the section's items they answered (as ORIC scores its two subscales), then the mean
of those over the people who answered the section.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from peerpath.measures import instruments

LOW = Decimal(3)  # below the middle of the scale: the section needs work


@dataclass(frozen=True)
class Section:
    link_id: str
    title: str
    questions: tuple[instruments.Question, ...]

    @property
    def scored(self) -> tuple[instruments.Question, ...]:
        return tuple(q for q in self.questions if q.scored)

    @property
    def open_questions(self) -> tuple[instruments.Question, ...]:
        return tuple(q for q in self.questions if not q.scored and q.kind in ("text", "string"))


def sections_of(instrument: instruments.Instrument, language: str = "en") -> list[Section]:
    """The questionnaire's groups, in order, each with its questions (questions outside any
    group make a section of their own)."""
    by_id = {q.link_id: q for q in instrument.questions}
    titles = {node.link_id: node.text for node in instrument.layout}
    found: list[Section] = []
    loose: list[instruments.Question] = []
    for node in instrument.layout:
        if node.kind == "group":
            questions = tuple(by_id[c.link_id] for c in _leaves(node) if c.link_id in by_id)
            title = _translated_title(instrument, node.link_id, language) or titles[node.link_id]
            found.append(Section(node.link_id, title, questions))
        elif node.link_id in by_id:
            loose.append(by_id[node.link_id])
    if loose:
        found.append(Section("", "", tuple(loose)))
    return found


def _leaves(node: instruments.Node) -> Iterable[instruments.Node]:
    for child in node.children:
        if child.kind == "group":
            yield from _leaves(child)
        else:
            yield child


def _translated_title(instrument: instruments.Instrument, link_id: str, language: str) -> str:
    for item in instrument.resource.get("item", []):
        if item.get("linkId") == link_id:
            for extension in item.get("_text", {}).get("extension", []):
                parts = {e.get("url"): e for e in extension.get("extension", [])}
                if parts.get("lang", {}).get("valueCode") == language:
                    return str(parts.get("content", {}).get("valueString", ""))
    return ""


def weight(question: instruments.Question, answer: Any) -> Decimal | None:
    option = question.option(answer) if answer is not None else None
    return option.weight if option is not None else None


def person_section_score(section: Section, answers: dict[str, Any]) -> Decimal | None:
    """One person's score on a section: the mean of the items they answered (ORIC's subscale
    score), or None when they answered none."""
    weights = [w for q in section.scored if (w := weight(q, answers.get(q.link_id))) is not None]
    if not weights:
        return None
    return sum(weights, Decimal(0)) / len(weights)


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class ItemScore:
    link_id: str
    text: str
    mean: Decimal | None
    answered: int


@dataclass(frozen=True)
class SectionScore:
    link_id: str
    title: str
    mean: Decimal | None
    answered: int
    items: tuple[ItemScore, ...] = ()

    @property
    def is_low(self) -> bool:
        return self.mean is not None and self.mean < LOW


def summarize(
    sections: list[Section], everyone: list[dict[str, Any]], language: str = "en"
) -> list[SectionScore]:
    """Each section's score and each of its items' mean, over these people's answers."""
    scores = []
    for section in sections:
        if not section.scored:
            continue
        people = [s for a in everyone if (s := person_section_score(section, a)) is not None]
        items = []
        for question in section.scored:
            weights = [
                w for a in everyone if (w := weight(question, a.get(question.link_id))) is not None
            ]
            items.append(
                ItemScore(
                    question.link_id, question.text_in(language), _mean(weights), len(weights)
                )
            )
        scores.append(
            SectionScore(section.link_id, section.title, _mean(people), len(people), tuple(items))
        )
    return scores


def written(sections: list[Section], everyone: list[dict[str, Any]]) -> dict[str, list[str]]:
    """What people wrote, per section, in random order (never the order it came in)."""
    found: dict[str, list[str]] = {}
    for section in sections:
        texts = [
            str(a[q.link_id]).strip()
            for a in everyone
            for q in section.open_questions
            if str(a.get(q.link_id) or "").strip()
        ]
        random.SystemRandom().shuffle(texts)
        if texts:
            found[section.link_id] = texts
    return found


@dataclass(frozen=True)
class Group:
    """A group of answers shown together: one team (or role), or "other" for several small ones."""

    keys: tuple[Hashable, ...]
    count: int
    is_other: bool = False
    members: list[Any] = field(default_factory=list, compare=False)


def shown_groups(counts: dict[Hashable, int], minimum: int) -> list[Group]:
    """Which groups results may show: each has at least `minimum` answers. Smaller ones are
    merged into "other"; when "other" is still too small, the smallest shown groups join it
    (else subtracting the shown groups from the whole would reveal it). Nothing shows when the
    whole has fewer than `minimum`. The groups returned cover every answer, once."""
    counts = {key: n for key, n in counts.items() if n > 0}
    if sum(counts.values()) < minimum:
        return []
    shown = sorted(((n, repr(k), k) for k, n in counts.items() if n >= minimum), reverse=True)
    hidden = [k for k, n in counts.items() if n < minimum]
    while hidden and sum(counts[k] for k in hidden) < minimum and shown:
        _, _, smallest = shown.pop()
        hidden.append(smallest)
    groups = [Group((key,), n) for n, _, key in shown]
    if hidden:
        groups.append(Group(tuple(hidden), sum(counts[k] for k in hidden), is_other=True))
    return groups
