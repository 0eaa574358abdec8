from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from peerpath.core.forms import UswdsFormMixin, choose, limit_choices

from . import wrap_fields
from .actions import LOW_CONFIDENCE
from .models import Goal, ImrModule, LifeArea, WhamFactor

DATE = {"type": "date"}


class GoalForm(UswdsFormMixin, forms.Form):
    own_words = forms.CharField(
        label=_("The goal, in the person's own words"),
        help_text=_("Write it down exactly as they say it."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    smart_restatement = forms.CharField(
        label=_("Specific, measurable version (optional)"),
        help_text=_("What, how much, by when. Keep the person's meaning."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    life_area = forms.ChoiceField(label=_("Life area"), choices=choose(LifeArea.choices))


class GoalEditForm(GoalForm):
    status = forms.ChoiceField(label=_("Status"), choices=Goal.Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def changes(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("own_words", "smart_restatement", "life_area", "status")
        }


class StepForm(UswdsFormMixin, forms.Form):
    text = forms.CharField(label=_("Next step"), max_length=300)
    due_on = forms.DateField(
        label=_("By when"), required=False, widget=forms.DateInput(DATE, format="%Y-%m-%d")
    )


class NoteForm(UswdsFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    written_on = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(DATE, format="%Y-%m-%d")
    )


def _day(value: Any) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return date_format(value, "DATE_FORMAT")


def note_form(contacts: list[Any], data: Any = None, *, auto_id: str = "id_%s") -> NoteForm:
    """The progress form, offering the person's recent contacts to link the note to."""
    field = forms.TypedChoiceField(
        label=_("From the contact on (optional)"),
        choices=[("", _("Not linked to a contact"))]
        + [(c.pk, f"{_day(c.occurred_at)} · {c.author.full_name}") for c in contacts],
        coerce=int,
        empty_value=None,
        required=False,
    )
    form_class = type("NoteForm", (NoteForm,), {"contact": field})
    return form_class(data, auto_id=auto_id)


def wham_link_form(contacts: list[Any], sessions: list[Any], data: Any = None) -> forms.Form:
    """One list of the person's recent contacts and the WHAM group sessions they came to."""
    choices = [
        (f"contact-{c.pk}", f"{_day(c.occurred_at)} · {c.author.full_name}") for c in contacts
    ]
    choices += [(f"group-{g.pk}", f"{_day(g.held_on)} · {g.group.name}") for g in sessions]
    field = forms.ChoiceField(label=_("Session"), choices=choices)
    form_class = type("WhamLinkForm", (UswdsFormMixin, forms.Form), {"session": field})
    return form_class(data, prefix="link")


class WrapForm(UswdsFormMixin, forms.Form):
    """Every WRAP question as a text box, and the version the editor started from."""

    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note = forms.CharField(label=_("What changed (optional)"), max_length=300, required=False)

    def parts(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(part.title, [self[f.key] for f in part.fields]) for part in wrap_fields.PARTS]

    def part_fields(self, key: str) -> list[forms.BoundField]:
        """The questions of one part, edited on their own short form."""
        part = wrap_fields.part(key)
        return [self[f.key] for f in part.fields]

    def other_fields(self, key: str) -> list[forms.BoundField]:
        """Every other part's answers, carried along unchanged as hidden inputs."""
        part = wrap_fields.part(key)
        own = {f.key for f in part.fields}
        return [self[k] for k in wrap_fields.KEYS if k not in own]

    def content(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key, "") for key in wrap_fields.KEYS}


for _field in wrap_fields.FIELDS:
    WrapForm.base_fields[_field.key] = forms.CharField(
        label=_field.label,  # type: ignore[arg-type]
        help_text=_field.hint,  # type: ignore[arg-type]
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PdfLanguageForm(forms.Form):
    lang = forms.ChoiceField(choices=[("en", "English"), ("es", "Español")], required=False)


class WhamPlanForm(UswdsFormMixin, forms.Form):
    factor = forms.ChoiceField(label=_("Whole-health area"), choices=WhamFactor.choices)
    goal = forms.CharField(
        label=_("My goal, in my own words"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    started_on = forms.DateField(
        label=_("Start date"),
        initial=timezone.localdate,
        widget=forms.DateInput(DATE, format="%Y-%m-%d"),
    )


class WhamActionPlanForm(UswdsFormMixin, forms.Form):
    week_of = forms.DateField(
        label=_("Week of"),
        initial=timezone.localdate,
        widget=forms.DateInput(DATE, format="%Y-%m-%d"),
    )
    what = forms.CharField(label=_("What I will do"), max_length=300)
    how_much = forms.CharField(label=_("How much"), max_length=200)
    when = forms.CharField(label=_("When"), max_length=200)
    how_often = forms.CharField(label=_("How often"), max_length=200)
    confidence = forms.IntegerField(
        label=_("How sure am I that I can do it? (0 to 10)"),
        min_value=0,
        max_value=10,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    keep_anyway = forms.BooleanField(
        label=_("Keep this step as it is"),
        required=False,
        help_text=_("Tick this only after talking about a smaller step."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        confidence = data.get("confidence")
        if confidence is not None and confidence < LOW_CONFIDENCE and not data.get("keep_anyway"):
            self.add_error(
                "confidence",
                _(
                    "Below 7: try a smaller step that feels more doable, "
                    "or tick “Keep this step as it is”."
                ),
            )
        return data


class WhamLogForm(UswdsFormMixin, forms.Form):
    day = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(DATE, format="%Y-%m-%d")
    )
    did_it = forms.BooleanField(label=_("I did my action step"), required=False)
    note = forms.CharField(label=_("How it went"), max_length=500, required=False)


class ImrGoalForm(UswdsFormMixin, forms.Form):
    recovery_goal = forms.CharField(
        label=_("My recovery goal"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ImrSessionForm(UswdsFormMixin, forms.Form):
    module = forms.TypedChoiceField(label=_("Module"), choices=ImrModule.choices, coerce=int)
    held_on = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(DATE, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("What we worked on"), max_length=500, required=False)
    completed = forms.BooleanField(label=_("The person finished this module"), required=False)


class FollowUpForm(UswdsFormMixin, forms.Form):
    """After signing: the goals the contact worked on, and what comes next."""

    goals = forms.ModelMultipleChoiceField(
        label=_("Goals you worked on together"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    next_step = forms.CharField(
        label=_("Next step"),
        help_text=_("What the person will do next, in a few words."),
        max_length=300,
        required=False,
    )
    next_step_due = forms.DateField(
        label=_("By when"), required=False, widget=forms.DateInput(DATE, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, goals: list[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["goals"], goals, lambda goal: f"“{goal.own_words}”")

    def clean_next_step_due(self) -> Any:
        value = self.cleaned_data.get("next_step_due")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        if value and value > timezone.localdate() + timedelta(days=366):
            raise forms.ValidationError(_("Choose a date within the next year."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("next_step_due") and not (data.get("next_step") or "").strip():
            self.add_error("next_step", _("Write the next step that is due on that date."))
        return data
