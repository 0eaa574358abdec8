from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.core.forms import UswdsFormMixin

CATEGORIES = [
    ("housing", _("Housing")),
    ("food", _("Food")),
    ("benefits", _("Benefits")),
    ("employment", _("Jobs")),
    ("legal", _("Legal help")),
    ("health", _("Health care")),
    ("mental_health", _("Mental health")),
    ("substance_use", _("Substance use")),
    ("mutual_aid", _("Mutual aid and support groups")),
    ("transportation", _("Transportation")),
    ("education", _("Education")),
    ("goods", _("Clothing and goods")),
]
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("zh", _("Chinese")),
    ("vi", _("Vietnamese")),
    ("ru", _("Russian")),
    ("ar", _("Arabic")),
    ("ko", _("Korean")),
    ("tl", _("Tagalog")),
    ("fr", _("French")),
    ("ase", _("American Sign Language")),
]
WEEKDAYS = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


class SearchForm(UswdsFormMixin, forms.Form):
    """The resource search (a GET form: every field starts empty and means "any")."""

    q = forms.CharField(label=_("Words"), max_length=200, required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("Any category")), *CATEGORIES], required=False
    )
    language = forms.ChoiceField(
        label=_("Language spoken"), choices=[("", _("Any language")), *LANGUAGES], required=False
    )
    cost = forms.ChoiceField(
        label=_("Cost"),
        choices=[("", _("Any cost")), ("free", _("Free")), ("sliding_scale", _("Sliding scale"))],
        required=False,
    )
    access = forms.ChoiceField(
        label=_("Accessibility"),
        choices=[
            ("", _("No need named")),
            ("wheelchair", _("Wheelchair access")),
            ("hearing", _("For people who are deaf or hard of hearing")),
            ("vision", _("For people who are blind or have low vision")),
        ],
        required=False,
    )
    mode = forms.ChoiceField(
        label=_("In person or online"),
        choices=[
            ("", _("Either")),
            ("in_person", _("In person")),
            ("online", _("Online")),
            ("phone", _("By phone")),
        ],
        required=False,
    )
    when = forms.ChoiceField(
        label=_("Open"),
        choices=[("", _("Any time")), ("now", _("Open now")), ("at", _("Open at a day and time"))],
        required=False,
    )
    day = forms.ChoiceField(label=_("Day"), choices=[("", "—"), *WEEKDAYS], required=False)
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    near = forms.CharField(
        label=_("Near (ZIP code or an address with one)"), max_length=200, required=False
    )
    within = forms.ChoiceField(
        label=_("Within"),
        choices=[
            ("", _("Any distance")),
            ("1", _("1 mile")),
            ("5", _("5 miles")),
            ("10", _("10 miles")),
            ("25", _("25 miles")),
        ],
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("when") == "at" and (not data.get("day") or data.get("time") is None):
            self.add_error("day", _("Choose a day and a time, or another choice under Open."))
        if data.get("within") and not data.get("near"):
            self.add_error("near", _("Enter a ZIP code to search within a distance."))
        return data


class MeetingSearchForm(UswdsFormMixin, forms.Form):
    """The meetings finder (a GET form: every field starts empty and means "any")."""

    day = forms.ChoiceField(label=_("Day"), choices=[("", _("Any day")), *WEEKDAYS], required=False)
    start_from = forms.TimeField(
        label=_("Starting from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    start_to = forms.TimeField(
        label=_("Starting by"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    type = forms.ChoiceField(label=_("Type"), required=False)
    attendance = forms.ChoiceField(
        label=_("In person or online"),
        choices=[
            ("", _("Either")),
            ("in_person", _("In person")),
            ("online", _("Online")),
        ],
        required=False,
    )
    near = forms.CharField(
        label=_("Near (ZIP code or an address with one)"), max_length=200, required=False
    )
    within = forms.ChoiceField(
        label=_("Within"),
        choices=[
            ("", _("Any distance")),
            ("1", _("1 mile")),
            ("5", _("5 miles")),
            ("10", _("10 miles")),
            ("25", _("25 miles")),
        ],
        required=False,
    )

    def __init__(self, *args: Any, types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("Any type")), *types]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("within") and not data.get("near"):
            self.add_error("near", _("Enter a ZIP code to search within a distance."))
        return data
