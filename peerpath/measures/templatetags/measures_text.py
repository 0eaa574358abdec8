"""A questionnaire's words in the reader's language (where the Questionnaire translates them)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def question_in(alert: Any, language: str) -> str:
    return str(alert.question_in(language))


@register.filter
def answer_in(alert: Any, language: str) -> str:
    return str(alert.answer_in(language))
