from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from peerpath.core.forms import UswdsFormMixin, recent_moment

from .models import Alert, Questionnaire


class ResponseFormBase(UswdsFormMixin, forms.Form):
    """The date it was completed; `response_form` adds one radio group per question."""

    authored_on = forms.DateField(
        label=_("Date completed"), widget=forms.DateInput(attrs={"type": "date"})
    )
    link_ids: dict[str, str] = {}
    instructions: list[str] = []

    def clean_authored_on(self) -> Any:
        day = self.cleaned_data["authored_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def question_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.link_ids]

    def answers(self) -> dict[str, str]:
        return {
            link_id: self.cleaned_data[name]
            for name, link_id in self.link_ids.items()
            if self.cleaned_data.get(name)
        }


def response_form(questionnaire: Questionnaire, data: Any = None) -> ResponseFormBase:
    """A form for this instrument's questions (fields declared before the form is bound)."""
    instrument = questionnaire.instrument()
    language = translation.get_language() or "en"
    fields: dict[str, Any] = {"link_ids": {}, "instructions": instrument.instructions_in(language)}
    for index, question in enumerate(instrument.questions):
        name = f"q{index}"
        fields["link_ids"][name] = question.link_id
        fields[name] = forms.ChoiceField(
            label=question.text_in(language),
            choices=[(o.code, o.display_in(language)) for o in question.options],
            widget=forms.RadioSelect,
            required=question.scored or question.required,
            error_messages={"required": _("Choose an answer to this question.")},
        )
    form_class = type("ResponseForm", (ResponseFormBase,), fields)
    return form_class(data, initial={"authored_on": timezone.localdate()})


class ScheduleForm(UswdsFormMixin, forms.Form):
    questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=Questionnaire.objects.none()
    )
    every_days = forms.TypedChoiceField(
        label=_("How often"),
        coerce=int,
        choices=[
            (14, _("Every 2 weeks")),
            (30, _("Every 30 days")),
            (90, _("Every 90 days")),
            (180, _("Every 6 months")),
        ],
        initial=30,
    )
    next_due_on = forms.DateField(
        label=_("Next due"), widget=forms.DateInput(attrs={"type": "date"})
    )


def schedule_form(organization_id: int, data: Any = None, **kwargs: Any) -> ScheduleForm:
    """The schedule form offering this organization's instruments.

    The choices are declared on a subclass because the form validates as it is built.
    """
    field = forms.ModelChoiceField(
        label=_("Questionnaire"),
        queryset=Questionnaire.objects.for_organization(organization_id),
    )
    form_class = type("ScheduleForm", (ScheduleForm,), {"questionnaire": field})
    return form_class(data, **kwargs)


class ResolveAlertForm(UswdsFormMixin, forms.Form):
    """What was done about a safety alert, and when. Nothing is chosen for the person."""

    action_taken = forms.ChoiceField(
        label=_("What was done"),
        choices=Alert.Action.choices,
        widget=forms.RadioSelect,
    )
    done_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    done_time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        help_text=_("Needed for “something else”. For example: went with them to the clinic."),
    )

    @classmethod
    def initial_now(cls) -> dict[str, Any]:
        now = timezone.localtime()
        return {"done_on": now.date(), "done_time": now.time().replace(second=0, microsecond=0)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        when = recent_moment(
            self,
            data,
            day="done_on",
            time="done_time",
            max_age=timedelta(days=90),
            future_message=_("This cannot be in the future."),
            old_message=_("Enter a date within the last 90 days."),
        )
        if when is not None:
            data["done_at"] = when
        if data.get("action_taken") == Alert.Action.OTHER and not data.get("note", "").strip():
            self.add_error("note", _("Say what was done."))
        return data
