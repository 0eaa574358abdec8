from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from peerpath.core.forms import UswdsFormMixin, recent_moment

from . import instruments
from .models import Alert, Questionnaire


class ResponseFormBase(UswdsFormMixin, forms.Form):
    """The date it was completed; `response_form` adds one field per question."""

    authored_on = forms.DateField(
        label=_("Date completed"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    link_ids: dict[str, str] = {}
    instructions: list[str] = []
    instrument: instruments.Instrument
    numbered = True

    def clean_authored_on(self) -> Any:
        day = self.cleaned_data["authored_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def question_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.link_ids]

    def raw_answers(self) -> dict[str, Any]:
        found = {}
        for name, link_id in self.link_ids.items():
            value = self.cleaned_data.get(name)
            if value in (None, "", []):
                continue
            found[link_id] = list(value) if isinstance(value, (list, tuple)) else value
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = {link_id: name for name, link_id in self.link_ids.items()}
        try:
            self._answers = instruments.check(self.instrument, self.raw_answers())
        except instruments.AnswersError as exc:
            for link_id, problem in exc.problems.items():
                if link_id == "":
                    self.add_error(None, _(problem))
                    continue
                name = names.get(link_id)
                if name and name not in self.errors:
                    if problem != "This question is not answered.":
                        self.add_error(name, _(problem))
                    elif self.fields[name].widget.input_type in {"radio", "checkbox"}:
                        self.add_error(name, _("Choose an answer to this question."))
                    else:
                        self.add_error(name, _("Answer this question."))
        return data

    def answers(self) -> dict[str, Any]:
        """The answers to the questions asked (an answer to a question not asked is dropped)."""
        return dict(getattr(self, "_answers", {}))


YES_NO = [("true", _("Yes")), ("false", _("No"))]


def _condition_text(
    instrument: instruments.Instrument, rule: instruments.Rule, language: str
) -> str:
    if rule.expression:
        return str(_("Asked only when earlier answers call for it."))
    parts = []
    for condition in rule.conditions:
        question = instrument.question(condition.question)
        name = question.text_in(language) if question else condition.question
        option = question.option(condition.value) if question else None
        value = option.display_in(language) if option else condition.value
        if isinstance(value, bool):
            value = _("Yes") if value else _("No")
        templates = {
            "exists": _("“%(question)s” is answered")
            if condition.value
            else _("“%(question)s” is not answered"),
            "=": _("“%(question)s” is “%(value)s”"),
            "!=": _("“%(question)s” is not “%(value)s”"),
            ">": _("“%(question)s” is more than %(value)s"),
            "<": _("“%(question)s” is less than %(value)s"),
            ">=": _("“%(question)s” is at least %(value)s"),
            "<=": _("“%(question)s” is at most %(value)s"),
        }
        parts.append(str(templates[condition.operator] % {"question": name, "value": value}))
    joined = (_(" or ") if rule.behavior == "any" else _(" and ")).join(parts)
    return str(_("Answer only if %(conditions)s.") % {"conditions": joined})


def _field(question: instruments.Question, language: str, help_text: str) -> forms.Field:
    common: dict[str, Any] = {
        "label": question.text_in(language),
        "required": False,  # whether it must be answered depends on the other answers
        "help_text": help_text,
    }
    kind = question.kind
    if question.options:
        choices = [(o.code, o.display_in(language)) for o in question.options]
        if question.repeats:
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == "boolean":
        return forms.TypedChoiceField(
            choices=YES_NO,
            coerce=lambda value: value == "true",
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    if kind == "integer":
        return forms.IntegerField(**common)
    if kind == "decimal":
        return forms.DecimalField(**common)
    if kind == "date":
        return forms.DateField(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common
        )
    if kind == "dateTime":
        return forms.DateTimeField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            **common,
        )
    if kind == "time":
        return forms.TimeField(
            widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), **common
        )
    if kind == "text":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, **common)
    if kind == "url":
        return forms.URLField(max_length=500, **common)
    return forms.CharField(max_length=1000, **common)


def _browser_rules(question: instruments.Question, names: dict[str, str]) -> str:
    """The question's enableWhen rules for the page's script (which shows and hides it as
    answers change), as JSON; empty when there are none, or when a rule is an expression the
    browser cannot work out (then the question stays shown and the server decides)."""
    if not question.rules or any(rule.expression for rule in question.rules):
        return ""
    rules = [
        {
            "behavior": rule.behavior,
            "conditions": [
                {
                    "field": names[c.question],
                    "op": c.operator,
                    "value": float(c.value) if isinstance(c.value, Decimal) else c.value,
                }
                for c in rule.conditions
            ],
        }
        for rule in question.rules
    ]
    return json.dumps(rules)


def response_form(questionnaire: Questionnaire, data: Any = None) -> ResponseFormBase:
    """A form for this instrument's questions (fields declared before the form is bound)."""
    instrument = questionnaire.instrument()
    language = translation.get_language() or "en"
    fields: dict[str, Any] = {
        "link_ids": {},
        "instructions": instrument.instructions_in(language),
        "instrument": instrument,
        # Numbers only where every question is asked: with some hidden they would skip.
        "numbered": not any(q.rules for q in instrument.questions),
    }
    names = {q.link_id: f"q{i}" for i, q in enumerate(instrument.questions)}
    for index, question in enumerate(instrument.questions):
        name = f"q{index}"
        fields["link_ids"][name] = question.link_id
        hint = " ".join(_condition_text(instrument, rule, language) for rule in question.rules)
        fields[name] = _field(question, language, hint)
        fields[name].must_answer = (question.required or question.scored) and not question.rules
        fields[name].enable_rules = _browser_rules(question, names)
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
        label=_("Next due"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
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
