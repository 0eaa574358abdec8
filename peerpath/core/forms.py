from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_USWDS_CLASSES = {
    "Select": "usa-select",
    "SelectMultiple": "usa-select",
    "Textarea": "usa-textarea",
    "CheckboxInput": "usa-checkbox__input",
    "RadioSelect": "usa-radio__input",
    "CheckboxSelectMultiple": "usa-checkbox__input",
    # Not "usa-file-input": USWDS enhances that with an inline handler the CSP refuses.
    "ClearableFileInput": "pp-file-input",
    "FileInput": "pp-file-input",
}


def recent_moment(
    form: forms.BaseForm,
    data: dict[str, Any],
    *,
    day: str,
    time: str,
    max_age: timedelta,
    future_message: Any,
    old_message: Any,
    slack: timedelta = timedelta(minutes=5),
) -> datetime | None:
    """The local date and time two fields give, if it lies between `max_age` ago and now.

    Otherwise the day field gets the error and None comes back. The date is checked before any
    date arithmetic, so a year-1 date is refused instead of overflowing.
    """
    on, at = data.get(day), data.get(time)
    if not on or not at:
        return None
    today = timezone.localdate()
    if on > today + timedelta(days=1):
        form.add_error(day, future_message)
        return None
    if on < today - max_age - timedelta(days=1):
        form.add_error(day, old_message)
        return None
    when = timezone.make_aware(datetime.combine(on, at))
    if when > timezone.now() + slack:
        form.add_error(day, future_message)
        return None
    if when < timezone.now() - max_age:
        form.add_error(day, old_message)
        return None
    return when


def limit_choices(field: forms.Field, objects: list[Any], label: Callable[[Any], str]) -> None:
    """Offer exactly these objects (already read through the gate), labelled as given."""
    model = field.queryset.model  # type: ignore[attr-defined]
    field.queryset = model.objects.filter(pk__in=[o.pk for o in objects])  # type: ignore[attr-defined]
    field.label_from_instance = label  # type: ignore[attr-defined]


def choose(choices: Any) -> list[tuple[str, Any]]:
    """Choices for a fact about what happened: the list starts empty, so someone must choose."""
    return [("", _("- Choose -")), *choices]


# The days of the week as forms offer them, Monday first (Python's weekday numbers).
WEEKDAYS = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


class UswdsFormMixin:
    """Give widgets the USWDS classes and link each input to its hint and error text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = _USWDS_CLASSES.get(type(widget).__name__, "usa-input")
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint"  # type: ignore[index]

    def suggest(self, name: str, help_text: str) -> None:
        """Replace a field's hint after the form is built (a suggestion, never a default)."""
        self.fields[name].help_text = help_text  # type: ignore[attr-defined]
        # The bound field copied the old hint when it was first built.
        self._bound_fields_cache.pop(name, None)  # type: ignore[attr-defined]

    def full_clean(self) -> None:
        """After validation, point each invalid input at its error message."""
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            field = self.fields.get(name)  # type: ignore[attr-defined]
            if field is None or isinstance(field.widget, forms.HiddenInput):
                continue
            attrs = field.widget.attrs
            attrs["aria-invalid"] = "true"
            described = attrs.get("aria-describedby", "").split()
            error_id = f"{self[name].auto_id}-error"  # type: ignore[index]
            attrs["aria-describedby"] = " ".join([*described, error_id])


class SignInForm(UswdsFormMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class TokenForm(UswdsFormMixin, forms.Form):
    token = forms.RegexField(
        label=_("6-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits your app shows.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
