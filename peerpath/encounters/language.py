"""Person-first language: find words that can hurt in a note and suggest better ones.

The checker advises; it never blocks saving. Terms are data (`LanguageTerm`): defaults for every
agency (loaded by a migration) plus each organization's own rows, which can add words or turn a
default off.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from .models import LanguageTerm

# English and Spanish defaults: (language, term, suggestion, why).
DEFAULT_TERMS: list[tuple[str, str, str, str]] = [
    (
        "en",
        "addict",
        "person with a substance use disorder; person in recovery",
        "Names the person, not the condition.",
    ),
    ("en", "abuser", "person who uses substances", "“Abuser” blames and shames."),
    (
        "en",
        "substance abuse",
        "substance use; substance use disorder",
        "“Abuse” suggests a willful, harmful act.",
    ),
    (
        "en",
        "drug abuse",
        "drug use; substance use disorder",
        "“Abuse” suggests a willful, harmful act.",
    ),
    ("en", "alcoholic", "person with an alcohol use disorder", "Names the person first."),
    ("en", "junkie", "person who uses drugs", "A slur that keeps people from asking for help."),
    (
        "en",
        "clean",
        "negative test result; not using; in recovery",
        "Implies that a person who uses is dirty.",
    ),
    ("en", "dirty", "positive test result; currently using", "Shames the person."),
    (
        "en",
        "non-compliant",
        "chose another option; not following the plan yet",
        "Describe what happened and why, in their terms.",
    ),
    (
        "en",
        "noncompliant",
        "chose another option; not following the plan yet",
        "Describe what happened and why, in their terms.",
    ),
    ("en", "suffers from", "lives with; has", "People are more than their condition."),
    ("en", "suffering from", "living with; having", "People are more than their condition."),
    (
        "en",
        "frequent flyer",
        "person who often uses crisis services",
        "Mocks someone who needs help often.",
    ),
    (
        "en",
        "manipulative",
        "trying to get their needs met",
        "Describe the need behind the behavior.",
    ),
    (
        "en",
        "attention seeking",
        "asking for connection or support",
        "Describe the need behind the behavior.",
    ),
    (
        "en",
        "attention-seeking",
        "asking for connection or support",
        "Describe the need behind the behavior.",
    ),
    (
        "en",
        "drug seeking",
        "asking for pain relief or medication",
        "Describe what the person asked for.",
    ),
    (
        "en",
        "drug-seeking",
        "asking for pain relief or medication",
        "Describe what the person asked for.",
    ),
    ("en", "schizophrenic", "person living with schizophrenia", "Names the person first."),
    ("en", "mentally ill", "person with a mental health condition", "Names the person first."),
    (
        "en",
        "crazy",
        "person with a mental health condition; struggling",
        "A slur that keeps people from asking for help.",
    ),
    (
        "en",
        "psycho",
        "person with a mental health condition",
        "A slur that keeps people from asking for help.",
    ),
    (
        "en",
        "in denial",
        "not ready to talk about it yet",
        "Readiness changes; meet the person where they are.",
    ),
    (
        "en",
        "resistant",
        "not ready yet; has other priorities",
        "Readiness changes; meet the person where they are.",
    ),
    ("en", "committed suicide", "died by suicide", "“Committed” suggests a crime."),
    (
        "es",
        "adicto",
        "persona con un trastorno por uso de sustancias; persona en recuperación",
        "Nombra primero a la persona, no la condición.",
    ),
    (
        "es",
        "adicta",
        "persona con un trastorno por uso de sustancias; persona en recuperación",
        "Nombra primero a la persona, no la condición.",
    ),
    ("es", "drogadicto", "persona que usa drogas", "Es un insulto que aleja a las personas."),
    ("es", "drogadicta", "persona que usa drogas", "Es un insulto que aleja a las personas."),
    ("es", "tecato", "persona que usa drogas", "Es un insulto que aleja a las personas."),
    (
        "es",
        "alcohólico",
        "persona con un trastorno por consumo de alcohol",
        "Nombra primero a la persona.",
    ),
    (
        "es",
        "alcohólica",
        "persona con un trastorno por consumo de alcohol",
        "Nombra primero a la persona.",
    ),
    (
        "es",
        "abuso de sustancias",
        "uso de sustancias; trastorno por uso de sustancias",
        "“Abuso” sugiere un acto dañino y voluntario.",
    ),
    (
        "es",
        "limpio",
        "resultado negativo; no está usando; en recuperación",
        "Sugiere que quien usa está sucio.",
    ),
    (
        "es",
        "limpia",
        "resultado negativo; no está usando; en recuperación",
        "Sugiere que quien usa está sucia.",
    ),
    ("es", "sucio", "resultado positivo; está usando", "Avergüenza a la persona."),
    ("es", "sucia", "resultado positivo; está usando", "Avergüenza a la persona."),
    ("es", "sufre de", "vive con; tiene", "La persona es más que su condición."),
    (
        "es",
        "incumplidor",
        "eligió otra opción; aún no sigue el plan",
        "Describa qué pasó y por qué, en sus palabras.",
    ),
    (
        "es",
        "no cumple",
        "eligió otra opción; aún no sigue el plan",
        "Describa qué pasó y por qué, en sus palabras.",
    ),
    (
        "es",
        "manipulador",
        "intenta cubrir sus necesidades",
        "Describa la necesidad detrás de la conducta.",
    ),
    (
        "es",
        "manipuladora",
        "intenta cubrir sus necesidades",
        "Describa la necesidad detrás de la conducta.",
    ),
    ("es", "esquizofrénico", "persona que vive con esquizofrenia", "Nombra primero a la persona."),
    ("es", "esquizofrénica", "persona que vive con esquizofrenia", "Nombra primero a la persona."),
    (
        "es",
        "enfermo mental",
        "persona con una condición de salud mental",
        "Nombra primero a la persona.",
    ),
    (
        "es",
        "enferma mental",
        "persona con una condición de salud mental",
        "Nombra primero a la persona.",
    ),
    (
        "es",
        "loco",
        "persona con una condición de salud mental",
        "Es un insulto que aleja a las personas.",
    ),
    (
        "es",
        "loca",
        "persona con una condición de salud mental",
        "Es un insulto que aleja a las personas.",
    ),
    (
        "es",
        "se suicidó",
        "murió por suicidio",
        "“Se suicidó” puede sonar a culpa; nombre la pérdida.",
    ),
]


def load_default_terms(model: Any = LanguageTerm) -> None:
    """Put the defaults in place (the data migration calls this with the historical model)."""
    for language, term, suggestion, reason in DEFAULT_TERMS:
        model.objects.update_or_create(
            organization=None,
            language=language,
            term=term,
            defaults={"suggestion": suggestion, "reason": reason, "is_active": True},
        )


@dataclass(frozen=True)
class Flag:
    """One word found in the text, where, and what to say instead."""

    found: str
    term: str
    suggestion: str
    reason: str
    language: str
    start: int


def terms_for(organization_id: int | None) -> list[LanguageTerm]:
    """The defaults, overridden or extended by the organization's own rows. One query."""
    rows = LanguageTerm.objects.filter(organization_id__isnull=True)
    if organization_id is not None:
        rows = LanguageTerm.objects.filter(
            organization_id__isnull=True
        ) | LanguageTerm.objects.filter(organization_id=organization_id)
    chosen: dict[tuple[str, str], LanguageTerm] = {}
    # Organization rows come last so they replace a default of the same term.
    for row in sorted(rows, key=lambda r: r.organization_id is not None):
        chosen[(row.language, row.term.lower())] = row
    return [row for row in chosen.values() if row.is_active]


# Longer texts are cut here before checking (the note's own limits are lower); the advice shows
# a few flags, so a text full of one word still answers at once.
MAX_CHECKED_CHARS = 20_000
MAX_FLAGS = 200


def _term_source(term: str) -> str:
    words = [re.escape(word) for word in term.split()]
    # Whole words only, any spacing between words, simple plurals ("addicts").
    return r"\s+".join(words) + r"(?:s|es)?"


@functools.lru_cache(maxsize=64)
def _matcher(terms: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation of every term, longest first, so a scan is one pass over the text.

    At each place the longest term that matches wins, and matches never overlap: a term inside
    a longer flagged term ("addict" in "drug addict") is not flagged twice.
    """
    alternatives = "|".join(f"(?P<t{i}>{_term_source(term)})" for i, term in enumerate(terms))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def check_text(text: str, terms: list[LanguageTerm]) -> list[Flag]:
    """Every flagged word in reading order, in time linear in the text's length."""
    if not text or not terms:
        return []
    ordered = sorted(terms, key=lambda t: (-len(t.term), t.term))
    pattern = _matcher(tuple(t.term for t in ordered))
    flags: list[Flag] = []
    for match in pattern.finditer(text[:MAX_CHECKED_CHARS]):
        term = ordered[int((match.lastgroup or "t0")[1:])]
        flags.append(
            Flag(
                found=match.group(0),
                term=term.term,
                suggestion=term.suggestion,
                reason=term.reason,
                language=term.language,
                start=match.start(),
            )
        )
        if len(flags) >= MAX_FLAGS:
            break
    return flags


def check_note(organization_id: int | None, *texts: str) -> list[Flag]:
    """Check the parts of a note together (one query for the terms)."""
    terms = terms_for(organization_id)
    flags: list[Flag] = []
    for text in texts:
        flags.extend(check_text(text, terms))
    return flags
