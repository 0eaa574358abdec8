from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.core.forms import UswdsFormMixin

from .models import SurveyInstrument

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InstrumentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        from django.utils import translation

        return obj.instrument().title_in(translation.get_language() or "en")


class WaveForm(UswdsFormMixin, forms.Form):
    instrument = InstrumentChoice(
        label=_("Questionnaire"),
        queryset=SurveyInstrument.objects.none(),
        empty_label=_("Choose a questionnaire"),
    )
    name = forms.CharField(
        label=_("Name of the wave"),
        max_length=120,
        help_text=_("For example: Before peers start, or Six months later."),
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=_DATE)
    closes_on = forms.DateField(label=_("Closes on"), widget=_DATE)

    def __init__(self, *args: Any, instruments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments  # type: ignore[attr-defined]


class ResultsForm(forms.Form):
    """How to look at a wave's results (a GET form)."""

    by = forms.ChoiceField(
        label=_("Show results for"),
        choices=[
            ("agency", _("The whole agency")),
            ("team", _("Each team")),
            ("role", _("Each role")),
        ],
        required=False,
    )
    compare = forms.TypedChoiceField(
        label=_("Compare with"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, waves: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["compare"].choices = [  # type: ignore[attr-defined]
            ("", _("No other wave")),
            *[(w.pk, w.name) for w in waves],
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "usa-select"


class StrategyForm(UswdsFormMixin, forms.Form):
    title = forms.CharField(label=_("Strategy"), max_length=200)
    description = forms.CharField(
        label=_("What it means"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    sections = forms.MultipleChoiceField(
        label=_("Survey sections it answers"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .strategies import SECTIONS

        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = list(SECTIONS.items())  # type: ignore[attr-defined]


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class ActionForm(UswdsFormMixin, forms.Form):
    owner = StaffChoice(label=_("Who carries it"), queryset=None, empty_label=_("Choose someone"))
    due_on = forms.DateField(label=_("Due on"), widget=_DATE)

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff  # type: ignore[attr-defined]


class ActionUpdateForm(UswdsFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[])
    note = forms.CharField(
        label=_("How it is going"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import ActionItem

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = ActionItem.Status.choices  # type: ignore[attr-defined]
