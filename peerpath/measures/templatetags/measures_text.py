"""A questionnaire's words in the reader's language (where the Questionnaire translates them)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def question_in(alert: Any, language: str) -> str:
    return str(alert.question_in(language))


@register.filter
def answer_in(alert: Any, language: str) -> str:
    return str(alert.answer_in(language))


@register.filter
def score(value: Any) -> str:
    """A total as the reader writes numbers: 12, or 12,5 in Spanish; a dash when there is none."""
    if value is None or value == "":
        return "—"
    number = Decimal(str(value)).normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    places = max(0, -int(number.as_tuple().exponent))
    return str(formats.number_format(number, decimal_pos=places, use_l10n=True))
