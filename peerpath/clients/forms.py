from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.core.forms import UswdsFormMixin

from .actions import EDITABLE_FIELDS
from .models import Client


class ClientDetailsForm(UswdsFormMixin, forms.ModelForm):
    """The details a care-team member may change; `version` catches a stale save."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Client
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "next_step_due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "next_step": _("What happens next, in a few words (shows on My day)."),
        }

    def changes(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class SearchForm(UswdsFormMixin, forms.Form):
    q = forms.CharField(label=_("Search by name"), max_length=100, required=False)
