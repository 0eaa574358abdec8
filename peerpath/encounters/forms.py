from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.clients.models import Client
from peerpath.core.forms import WEEKDAYS, UswdsFormMixin, choose, limit_choices, recent_moment
from peerpath.core.models import Staff, Team

from .listing import TYPES as LISTING_TYPES
from .models import (
    Attendance,
    Contact,
    Engagement,
    Group,
    GroupListing,
    OtherTask,
    OutreachAttempt,
    PeerService,
    Place,
)

# A note is written soon after the contact; older history comes in through an import.
CONTACT_MAX_AGE = timedelta(days=366)


class ContactForm(UswdsFormMixin, forms.Form):
    """The note. Six required fields at most: date, time, minutes, place, services, summary.

    Drafts save with any of them missing; signing asks for services and the summary.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    occurred_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    occurred_time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=720)
    place = forms.ChoiceField(
        label=_("Where"),
        help_text=_("Needed to sign."),
        choices=choose(Place.choices),
        required=False,
    )
    services = forms.MultipleChoiceField(
        label=_("Peer services"),
        help_text=_("Choose at least one to sign."),
        choices=PeerService.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_tasks = forms.MultipleChoiceField(
        label=_("Other tasks"),
        help_text=_("Work that was not peer support. This helps keep peer roles on track."),
        choices=OtherTask.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    in_their_words = forms.CharField(
        label=_("In their words"),
        help_text=_("Written with the person: what they want others to know."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    summary = forms.CharField(
        label=_("Your summary"),
        help_text=_("What you did together and what comes next. Needed to sign."),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    @classmethod
    def initial_for(cls, contact: Contact) -> dict[str, Any]:
        local = timezone.localtime(contact.occurred_at)
        return {
            "version": contact.version,
            "occurred_on": local.date(),
            "occurred_time": local.time().replace(second=0, microsecond=0),
            "minutes": contact.minutes,
            "place": contact.place,
            "services": contact.services,
            "other_tasks": contact.other_tasks,
            "in_their_words": contact.in_their_words,
            "summary": contact.summary,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        occurred = recent_moment(
            self,
            data,
            day="occurred_on",
            time="occurred_time",
            max_age=CONTACT_MAX_AGE,
            future_message=_("A contact cannot be in the future."),
            old_message=_("Enter a date within the last year."),
            slack=timedelta(hours=1),
        )
        if occurred is not None:
            data["occurred_at"] = occurred
        return data

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "occurred_at": data["occurred_at"],
            "minutes": data["minutes"],
            "place": data["place"],
            "services": list(data["services"]),
            "other_tasks": list(data["other_tasks"]),
            "in_their_words": data["in_their_words"],
            "summary": data["summary"],
        }


class AddendumForm(UswdsFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Addendum"),
        help_text=_("Add what was missing or corrects the note. The signed note stays as it was."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(UswdsFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("reviewed", _("Reviewed: the note is fine")),
            ("returned", _("Return to the author")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment for the author"),
        help_text=_("Needed when you return a note: say what to change."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "returned" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what the author should change."))
        return data


class OutreachForm(UswdsFormMixin, forms.Form):
    attempted_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    attempted_time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    method = forms.ChoiceField(label=_("How"), choices=choose(OutreachAttempt.Method.choices))
    outcome = forms.ChoiceField(
        label=_("What happened"), choices=choose(OutreachAttempt.Outcome.choices)
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    next_try_on = forms.DateField(
        label=_("Next try"),
        help_text=_("Leave empty if no next try is planned."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    @classmethod
    def initial_now(cls) -> dict[str, Any]:
        now = timezone.localtime()
        return {"attempted_on": now.date(), "attempted_time": now.time().replace(second=0)}

    def clean_next_try_on(self) -> Any:
        value = self.cleaned_data.get("next_try_on")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("The next try cannot be in the past."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        when = recent_moment(
            self,
            data,
            day="attempted_on",
            time="attempted_time",
            max_age=CONTACT_MAX_AGE,
            future_message=_("An outreach attempt cannot be in the future."),
            old_message=_("Enter a date within the last year."),
        )
        data.pop("attempted_on", None)
        data.pop("attempted_time", None)
        if when is not None:
            data["attempted_at"] = when
        return data


class EngagementForm(UswdsFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Engagement"), choices=Engagement.Status.choices)


class GroupForm(UswdsFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of group"), choices=choose(Group.Kind.choices))
    schedule = forms.CharField(
        label=_("When it meets"),
        help_text=_("For example: Tuesdays 2 pm"),
        required=False,
        max_length=200,
    )
    location = forms.CharField(label=_("Where it meets"), required=False, max_length=200)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Facilitators"),
        queryset=Staff.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        self.organization_id = organization_id
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(organization_id=organization_id)
        staff = Staff.objects.filter(organization_id=organization_id, is_active=True)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["facilitators"].queryset = staff.order_by("full_name")  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Group.objects.filter(organization_id=self.organization_id, name__iexact=name).exists():
            raise forms.ValidationError(_("A group with this name already exists."))
        return name


class SessionForm(UswdsFormMixin, forms.Form):
    held_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    topic = forms.CharField(label=_("Topic"), required=False, max_length=200)
    note = forms.CharField(
        label=_("Group note"),
        help_text=_("A short note about the session as a whole. Do not name members here."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    walk_ins = forms.ModelMultipleChoiceField(
        label=_("People from your caseload who came without being members (walk-ins)"),
        queryset=Client.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    guests = forms.IntegerField(
        label=_("Guests"),
        help_text=_("How many came who are not served by the agency (family, friends, visitors)."),
        min_value=0,
        max_value=500,
        required=False,
    )

    def __init__(self, *args: Any, walk_ins: list[Client], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["walk_ins"], walk_ins, lambda client: client.display_name)

    def clean_held_on(self) -> Any:
        value = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A session cannot be in the future."))
        if value < timezone.localdate() - timedelta(days=366):
            raise forms.ValidationError(_("Enter a date within the last year."))
        return value


ATTENDANCE_CHOICES = Attendance.Status.choices


class JoinGroupForm(UswdsFormMixin, forms.Form):
    group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.none())

    def __init__(self, *args: Any, groups: list[Group], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.filter(pk__in=[g.pk for g in groups])  # type: ignore[attr-defined]


class GroupListingForm(UswdsFormMixin, forms.Form):
    """When and where a group meets, for the agency's public feed of its groups."""

    is_published = forms.BooleanField(
        label=_("List this group in the agency's public feed of groups"), required=False
    )
    days = forms.TypedMultipleChoiceField(
        label=_("Days it meets"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    starts = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends = forms.TimeField(
        label=_("Ends at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    attendance = forms.ChoiceField(
        label=_("How people take part"),
        choices=GroupListing.Attendance.choices,
        widget=forms.RadioSelect,
    )
    place = forms.CharField(
        label=_("Name of the place"),
        required=False,
        max_length=200,
        help_text=_("For example: Riverbend Center, room 2"),
    )
    address = forms.CharField(label=_("Street address"), required=False, max_length=200)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    state = forms.RegexField(
        label=_("State"),
        regex=r"^[A-Za-z]{2}$",
        required=False,
        max_length=2,
        error_messages={"invalid": _("Use the two-letter state code, such as OR.")},
    )
    postal_code = forms.RegexField(
        label=_("ZIP code"),
        regex=r"^\d{5}(-\d{4})?$",
        required=False,
        max_length=10,
        error_messages={"invalid": _("Enter a ZIP code such as 97401.")},
    )
    region = forms.CharField(
        label=_("Area of town"),
        required=False,
        max_length=100,
        help_text=_("Meeting finders group meetings by area."),
    )
    conference_url = forms.URLField(
        label=_("Link to join online"), required=False, max_length=500, assume_scheme="https"
    )
    types = forms.MultipleChoiceField(
        label=_("Who it is for"),
        choices=LISTING_TYPES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes for the public"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to anyone. Never write about a person here."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends == starts:
            self.add_error("ends", _("The end time is the same as the start time."))
        return data
