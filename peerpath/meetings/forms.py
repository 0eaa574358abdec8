from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.core.forms import UswdsFormMixin
from peerpath.core.models import Staff, Team

from .models import TeamMeeting


class MeetingForm(UswdsFormMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=TeamMeeting.Kind.choices)
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class AttendanceForm(UswdsFormMixin, forms.Form):
    attendees = forms.ModelMultipleChoiceField(
        label=_("Team members who came"),
        queryset=Staff.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = staff  # type: ignore[attr-defined]


class VoiceForm(UswdsFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    what_they_want = forms.CharField(
        label=_("What they want"),
        help_text=_("In their words, written with them."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    what_worries_them = forms.CharField(
        label=_("What worries them"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    view_of_plan = forms.CharField(
        label=_("What they think of the proposed plan"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DiscussionForm(UswdsFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    discussion = forms.CharField(
        label=_("What the team said"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class JoinMeetingForm(UswdsFormMixin, forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=TeamMeeting.objects.none())

    def __init__(self, *args: Any, meetings: list[TeamMeeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = TeamMeeting.objects.filter(pk__in=[m.pk for m in meetings])
        self.fields["meeting"].queryset = choices  # type: ignore[attr-defined]
