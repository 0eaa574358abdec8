"""Page helpers: dates in the active language's own formats where Django has no format name,
and the error summary every failed form shows."""

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


@register.inclusion_tag("core/_error_summary.html", takes_context=True)
def error_summary(context: template.Context) -> dict[str, object]:
    """The USWDS error summary for every form on the page that failed: one list, at the top,
    linking each problem to its input. The page's script moves focus to it."""
    from django import forms
    from django.core.exceptions import NON_FIELD_ERRORS

    problems: list[tuple[str, str]] = []
    seen: set[int] = set()
    for layer in context.dicts:
        for value in layer.values():
            if not isinstance(value, forms.BaseForm) or id(value) in seen or not value.is_bound:
                continue
            seen.add(id(value))
            if not value.errors:
                continue
            for error in value.non_field_errors():
                problems.append(("", str(error)))
            for name, errors in value.errors.items():
                if name == NON_FIELD_ERRORS or name not in value.fields:
                    continue
                bound = value[name]
                if isinstance(bound.field.widget, forms.HiddenInput):
                    problems.append(("", str(errors[0])))
                    continue
                target = bound.id_for_label or bound.auto_id
                if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                    target = f"{bound.auto_id}_0"
                for error in errors:
                    problems.append((target, f"{bound.label}: {error}"))
    return {"problems": problems}
