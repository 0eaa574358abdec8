"""The parts of a Wellness Recovery Action Plan (WRAP) and the questions in each, in plain words.

A WRAP version stores its answers as {key: text}; adding a question here needs no migration.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class WrapField:
    key: str
    label: str | Promise
    hint: str | Promise = ""


@dataclass(frozen=True)
class WrapPart:
    key: str
    title: str | Promise
    fields: tuple[WrapField, ...]


PARTS: tuple[WrapPart, ...] = (
    WrapPart(
        "toolbox",
        _("My wellness toolbox"),
        (
            WrapField(
                "toolbox",
                _("Things that help me stay well or feel better"),
                _("For example: a walk, music, calling a friend, a warm shower."),
            ),
        ),
    ),
    WrapPart(
        "daily",
        _("Daily plan"),
        (
            WrapField("daily_when_well", _("What I am like when I am well")),
            WrapField("daily_every_day", _("Things I do every day to stay well")),
            WrapField("daily_reminders", _("Things I may need to do on some days")),
        ),
    ),
    WrapPart(
        "triggers",
        _("Triggers"),
        (
            WrapField("triggers", _("Things that can upset me or make me feel worse")),
            WrapField("triggers_plan", _("What I will do if they happen")),
        ),
    ),
    WrapPart(
        "early",
        _("Early warning signs"),
        (
            WrapField("early_signs", _("Small signs that I am starting to feel worse")),
            WrapField("early_plan", _("What I will do when I notice them")),
        ),
    ),
    WrapPart(
        "breaking",
        _("When things are breaking down"),
        (
            WrapField("breaking_signs", _("Signs that things are getting much worse")),
            WrapField("breaking_plan", _("What I will do right away")),
        ),
    ),
    WrapPart(
        "crisis",
        _("Crisis plan"),
        (
            WrapField("crisis_when_well", _("What I am like when I am well")),
            WrapField("crisis_signs", _("Signs that others should take over and help me")),
            WrapField(
                "crisis_supporters",
                _("People I want to help me, and how to reach them"),
                _("Name, phone number and what each person can do."),
            ),
            WrapField(
                "crisis_own_line",
                _("My own crisis line or warm line"),
                _("A name and a phone number. It is printed on page one of my crisis plan."),
            ),
            WrapField("crisis_not_involved", _("People I do not want involved")),
            WrapField("crisis_medicines", _("My medicines, and medicines I can take")),
            WrapField("crisis_medicines_refuse", _("Medicines I do not want")),
            WrapField("crisis_treatments", _("Care and treatments I accept")),
            WrapField("crisis_treatments_refuse", _("Care and treatments I do not want")),
            WrapField("crisis_places", _("Places I am willing to go for care")),
            WrapField("crisis_places_refuse", _("Places I do not want to go")),
            WrapField("crisis_helps", _("What helps me")),
            WrapField("crisis_does_not_help", _("What does not help me")),
            WrapField("crisis_plan_ends", _("Signs that I do not need this plan any more")),
            WrapField(
                "crisis_copies",
                _("People who have a copy of this plan"),
                _("One name on each line."),
            ),
        ),
    ),
    WrapPart(
        "post_crisis",
        _("After a crisis"),
        (
            WrapField("post_crisis_well", _("How I will know I am feeling better")),
            WrapField("post_crisis_plan", _("What I will do, and who will help, as I get better")),
        ),
    ),
)

FIELDS: tuple[WrapField, ...] = tuple(f for part in PARTS for f in part.fields)
KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS)
CRISIS = next(part for part in PARTS if part.key == "crisis")


def part(key: str) -> WrapPart:
    """The part with this key; the first part for an unknown key."""
    return next((p for p in PARTS if p.key == key), PARTS[0])


def label_of(key: str) -> str | Promise:
    return next((f.label for f in FIELDS if f.key == key), key)


def clean_content(content: dict[str, str]) -> dict[str, str]:
    """Only known keys, stripped text; an unknown key is a programming error."""
    unknown = set(content) - set(KEYS)
    if unknown:
        raise ValueError(f"not WRAP fields: {sorted(unknown)}")
    return {key: (content.get(key) or "").strip() for key in KEYS}
