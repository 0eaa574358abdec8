from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from peerpath.clients.models import Consent
from peerpath.core.forms import WEEKDAYS, UswdsFormMixin

from .models import Referral, ReferralBarrier

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


def near_field() -> forms.CharField:
    return forms.CharField(
        label=_("Near (ZIP code or an address with one)"), max_length=200, required=False
    )


def within_field() -> forms.ChoiceField:
    return forms.ChoiceField(
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


def check_place(form: forms.Form, data: dict[str, Any]) -> None:
    """A distance needs a place to measure from."""
    if data.get("within") and not data.get("near"):
        form.add_error("near", _("Enter a ZIP code to search within a distance."))


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
    near = near_field()
    within = within_field()

    def __init__(self, *args: Any, place_known: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.place_known = place_known
        if place_known:  # distances start at the person's address, which is not shown
            del self.fields["near"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("when") == "at" and (not data.get("day") or data.get("time") is None):
            self.add_error("day", _("Choose a day and a time, or another choice under Open."))
        if not self.place_known:
            check_place(self, data)
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
    near = near_field()
    within = within_field()

    def __init__(self, *args: Any, types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("Any type")), *types]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_place(self, data)
        return data


US_STATE = forms.RegexField(
    regex=r"^[A-Za-z]{2}$",
    label=_("State"),
    max_length=2,
    required=False,
    error_messages={"invalid": _("Enter the two-letter state, like OR.")},
)


class ResourceForm(UswdsFormMixin, forms.Form):
    """A resource the agency keeps itself (a peer-run group, a landlord who rents to people
    with records): one service at one place, written as HSDS records. Nothing starts filled."""

    name = forms.CharField(label=_("Name of the service"), max_length=200)
    provider = forms.CharField(
        label=_("Who runs it"),
        max_length=200,
        help_text=_("An organization, a group or a person."),
    )
    description = forms.CharField(
        label=_("What it offers"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *CATEGORIES])
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    website = forms.URLField(
        label=_("Website or online meeting link"), required=False, assume_scheme="https"
    )
    street = forms.CharField(label=_("Street address"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    state = US_STATE
    postal_code = forms.RegexField(
        regex=r"^\d{5}(-\d{4})?$",
        label=_("ZIP code"),
        required=False,
        error_messages={"invalid": _("Enter a ZIP code like 97401.")},
    )
    days = forms.MultipleChoiceField(
        label=_("Days open"),
        choices=WEEKDAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opens = forms.TimeField(
        label=_("Opens at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    closes = forms.TimeField(
        label=_("Closes at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cost = forms.ChoiceField(
        label=_("Cost"),
        choices=[
            ("", "—"),
            ("free", _("Free")),
            ("sliding_scale", _("Sliding scale")),
            ("fee", _("A fee")),
        ],
    )
    wheelchair = forms.BooleanField(label=_("Wheelchair accessible"), required=False)
    what_to_bring = forms.CharField(
        label=_("What to bring"),
        required=False,
        max_length=500,
        help_text=_("One thing a line, for example: photo ID."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        address = [data.get(k) for k in ("street", "city", "state", "postal_code")]
        if any(address) and not all(address):
            self.add_error(
                "street", _("Give the street, city, state and ZIP code, or none of them.")
            )
        if not any(address) and not data.get("website") and not data.get("phone"):
            self.add_error(
                "phone", _("Give a way to reach it: an address, a phone number or a website.")
            )
        hours = [data.get("days"), data.get("opens"), data.get("closes")]
        if any(hours) and not all(hours):
            self.add_error("days", _("Give the days, the opening time and the closing time."))
        return data


# Referrals ---------------------------------------------------------------------------------------

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ConsentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(_("To %(recipient)s, until %(day)s")) % {
            "recipient": obj.recipient,
            "day": formats.date_format(obj.expires_on),
        }


class ReferralForm(UswdsFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why this service"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In the person's words where you can: what they hope to get there."),
    )
    shared_information = forms.CharField(
        label=_("What the service may be told"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Name each thing the person agrees to share, such as their name, phone number and "
            "what help they need. Leave it empty to share nothing."
        ),
    )
    part2_consent = ConsentChoiceField(
        label=_("Consent for substance use records"),
        queryset=Consent.objects.none(),
        required=False,
        empty_label=_("Choose the signed consent"),
        help_text=_(
            "This record is under 42 CFR Part 2: a referral says the person gets substance use "
            "care here, so it needs their signed consent naming this service."
        ),
    )
    consent_given = forms.BooleanField(
        label=_("The person agrees to this referral and to share what is named above."),
        error_messages={"required": _("Ask the person first: a referral needs their consent.")},
    )
    warm_handoff = forms.TypedChoiceField(
        label=_("Will you go along (a warm hand-off)?"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    follow_up_on = forms.DateField(
        label=_("Follow up on"),
        widget=_DATE,
        help_text=_("The day to ask the person how it went, often a week from now."),
    )

    def __init__(self, *args: Any, part2_consents: list[Consent] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.part2 = part2_consents is not None
        if part2_consents is None:
            del self.fields["part2_consent"]
        else:
            field = cast(forms.ModelChoiceField, self.fields["part2_consent"])
            field.queryset = Consent.objects.filter(pk__in=[c.pk for c in part2_consents])
            if not part2_consents:
                self.suggest(
                    "part2_consent",
                    str(
                        _(
                            "This record is under 42 CFR Part 2 and has no valid consent. "
                            "Record the person's signed consent on their privacy page first."
                        )
                    ),
                )


class ReferralStatusForm(UswdsFormMixin, forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(
        label=_("Why"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the referral is turned down, cancelled or did not happen."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to_status"]).choices = [
            ("", _("Choose a status")),
            *choices,
        ]


class ReferralOutcomeForm(UswdsFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("What happened"), choices=Referral.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("What happened, and why"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the person was not eligible or did not go."),
    )
    barriers = forms.MultipleChoiceField(
        label=_("What stood in the way"),
        choices=ReferralBarrier.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick all that apply, even when the person got the service in the end."),
    )
    barrier_note = forms.CharField(
        label=_("Something else, in a few words"), max_length=300, required=False
    )
    next_follow_up = forms.DateField(
        label=_("When to check on the waiting list"),
        widget=_DATE,
        required=False,
        help_text=_("Needed for a waiting list."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
