from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

_USWDS_CLASSES = {
    "Select": "usa-select",
    "SelectMultiple": "usa-select",
    "Textarea": "usa-textarea",
    "CheckboxInput": "usa-checkbox__input",
    "RadioSelect": "usa-radio__input",
    "CheckboxSelectMultiple": "usa-checkbox__input",
}


def choose(choices: Any) -> list[tuple[str, Any]]:
    """Choices for a fact about what happened: the list starts empty, so someone must choose."""
    return [("", _("- Choose -")), *choices]


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
