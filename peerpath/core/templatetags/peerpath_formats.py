"""Dates in the active language's own formats, for the few places Django has no format name."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def weekday_date(value: date | None) -> str:
    """ "Tuesday, December 1" in English, "martes, 1 de diciembre" in Spanish."""
    if not value:
        return ""
    return f"{date_format(value, 'l')}, {date_format(value, 'MONTH_DAY_FORMAT')}"
