from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.core.forms import UswdsFormMixin, choose
from peerpath.core.models import Program, Staff, Team

from .actions import EDITABLE_FIELDS
from .models import (
    CareTeamMember,
    Client,
    Consent,
    Determination,
    Disclosure,
    PrivacyPolicy,
)
from .queries import PeopleFilter, extra_sorts, serving_someone_visible_to


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


class PeopleFilterForm(UswdsFormMixin, forms.Form):
    """The People list's search, filters and sort (a GET form: nothing here is a fact)."""

    STATUS_CHOICES = [
        ("", _("Active and inactive")),
        ("active", _("Active")),
        ("inactive", _("Inactive")),
        ("discharged", _("Discharged")),
        ("all", _("Everyone")),
    ]
    SORT_CHOICES = [
        ("name", _("Name")),
        ("last_contact", _("Last contact, longest ago first")),
        ("next_step_due", _("Next step due, soonest first")),
        ("newest", _("Newest taken in first")),
    ]
    q = forms.CharField(label=_("Name or phone"), max_length=100, required=False)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("Any team")
    )
    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Program.objects.none(),
        required=False,
        empty_label=_("Any program"),
    )
    peer = forms.ModelChoiceField(
        label=_("Care team member"),
        queryset=Staff.objects.none(),
        required=False,
        empty_label=_("Anyone"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args: Any, user: Staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = [  # type: ignore[attr-defined]
            *self.SORT_CHOICES,
            *[(s.key, s.label) for s in extra_sorts()],
        ]
        org = user.organization_id or 0
        self.fields["team"].queryset = Team.objects.filter(organization_id=org)  # type: ignore[attr-defined]
        self.fields["program"].queryset = Program.objects.filter(organization_id=org)  # type: ignore[attr-defined]
        # Who serves someone the user may see: the list names staff, never a hidden record.
        self.fields["peer"].queryset = serving_someone_visible_to(user)  # type: ignore[attr-defined]

    def wanted(self) -> PeopleFilter:
        if not self.is_valid():
            return PeopleFilter()
        data = self.cleaned_data
        return PeopleFilter(
            q=data["q"].strip(),
            team=data["team"].pk if data["team"] else None,
            program=data["program"].pk if data["program"] else None,
            peer=data["peer"].pk if data["peer"] else None,
            status=data["status"] or "",
            sort=data["sort"] or "name",
        )


# Privacy: assignments, determinations, emergency access, consents, disclosures, the desk --------

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CareTeamAssignForm(UswdsFormMixin, forms.Form):
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=Staff.objects.none())
    role = forms.ChoiceField(
        label=_("Role on the care team"), choices=choose(CareTeamMember.Role.choices)
    )

    def __init__(self, *args: Any, organization_id: int, exclude_ids: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = (  # type: ignore[attr-defined]
            Staff.objects.filter(organization_id=organization_id, is_active=True)
            .exclude(pk__in=exclude_ids)
            .order_by("full_name")
        )


class DeterminationRequestForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = Determination
        fields = ["program", "reason", "conditions", "review_on"]
        widgets = {
            "review_on": _DATE,
            "reason": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "reason": _(
                "Why no other team or provider can serve the person (for example, none "
                "within a reasonable distance)."
            ),
            "conditions": _(
                "What keeps the relationship safe, for example: no shared "
                "supervisor, sessions by telehealth, notes restricted."
            ),
            "review_on": _("The exception ends on this date unless it is renewed."),
        }

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.filter(  # type: ignore[attr-defined]
            organization_id=organization_id
        )

    def clean_review_on(self) -> date:
        review_on = self.cleaned_data["review_on"]
        if review_on <= timezone.localdate():
            raise forms.ValidationError(_("Choose a review date in the future."))
        return review_on  # type: ignore[no-any-return]


class DecisionForm(UswdsFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("deny", _("Do not approve"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


def _record_number(label: Any) -> forms.IntegerField:
    """An optional record number; one too large for the database is refused in words."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        error_messages={"max_value": _("No record has a number that large.")},
    )


class FullRecordForm(UswdsFormMixin, forms.Form):
    record_number = forms.IntegerField(
        label=_("Record number"),
        min_value=1,
        max_value=2**63 - 1,
        error_messages={"max_value": _("No record has a number that large.")},
    )


class EmergencyAccessForm(UswdsFormMixin, forms.Form):
    family_name = forms.CharField(label=_("Person's family name"), max_length=100)
    date_of_birth = forms.DateField(label=_("Person's date of birth"), widget=_DATE)
    record_number = _record_number(_("Record number (if you know it)"))
    affiliation = forms.CharField(
        label=_("Your affiliation"),
        max_length=200,
        help_text=_("Your facility, program or team."),
    )
    nature_of_emergency = forms.CharField(
        label=_("Nature of the emergency"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("What is happening and why you need this record now."),
    )
    confirm = forms.BooleanField(
        label=_("I understand this access is recorded and reviewed by the privacy officer."),
    )

    def clean_nature_of_emergency(self) -> str:
        text = self.cleaned_data["nature_of_emergency"].strip()
        if len(text) < 10:
            raise forms.ValidationError(_("Describe the emergency in a few words."))
        return text  # type: ignore[no-any-return]


class ReviewForm(UswdsFormMixin, forms.Form):
    justified = forms.ChoiceField(
        label=_("Was this emergency access justified?"),
        choices=[("yes", _("Justified")), ("no", _("Not justified"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Review note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class RestrictionForm(UswdsFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why restrict this record?"),
        max_length=300,
        help_text=_("For example: the person is a public figure."),
    )


class ConsentForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = Consent
        fields = [
            "scope",
            "information",
            "recipient",
            "purpose",
            "purpose_detail",
            "signed_on",
            "expires_on",
        ]
        widgets = {
            "signed_on": _DATE,
            "expires_on": _DATE,
            "information": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "scope": _("Notes from counseling always need a consent of their own."),
            "recipient": _(
                "Write the name of a person or a group. For care, billing and how we run "
                "our services, a short description is enough."
            ),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        signed, expires = data.get("signed_on"), data.get("expires_on")
        if signed and expires and expires < signed:
            self.add_error("expires_on", _("The consent cannot expire before it is signed."))
        if data.get("purpose") == Consent.Purpose.OTHER and not data.get("purpose_detail"):
            self.add_error("purpose_detail", _("Describe the purpose."))
        return data


class RevokeForm(UswdsFormMixin, forms.Form):
    note = forms.CharField(
        label=_("How did the person revoke it?"),
        max_length=300,
        help_text=_("For example: by phone on March 3, in writing."),
    )


class DisclosureForm(UswdsFormMixin, forms.Form):
    method = forms.ChoiceField(label=_("How"), choices=choose(Disclosure.Method.choices))
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=choose([c for c in Consent.Purpose.choices if c[0] != Consent.Purpose.TPO]),
    )
    information = forms.CharField(
        label=_("What you are sharing"), max_length=300, initial=_("Record summary")
    )
    consent = forms.ModelChoiceField(
        label=_("Consent"), queryset=Consent.objects.none(), required=False
    )
    recipient = forms.CharField(
        label=_("To whom"),
        max_length=200,
        required=False,
        help_text=_(
            "Only when no consent is needed. With a consent, it goes to the recipient "
            "the consent names."
        ),
    )
    counseling_notes = forms.BooleanField(label=_("This includes counseling notes"), required=False)

    def __init__(self, *args: Any, consents: list[Consent], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["consent"]
        field.queryset = Consent.objects.filter(  # type: ignore[attr-defined]
            pk__in=[c.pk for c in consents]
        )


class _ChoiceById(forms.ModelChoiceField):
    """A choice by id where an id too large for the database is simply not a choice."""

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except OverflowError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class AuditSearchForm(UswdsFormMixin, forms.Form):
    client_id = _record_number(_("Record number"))
    actor = _ChoiceById(label=_("Staff member"), queryset=Staff.objects.none(), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=_DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=_DATE)
    action = forms.CharField(
        label=_("Action starts with"),
        max_length=64,
        required=False,
        help_text=_("For example: client.view or emergency_access"),
    )

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = Staff.objects.filter(  # type: ignore[attr-defined]
            organization_id=organization_id
        ).order_by("full_name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


class PolicyForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = PrivacyPolicy
        fields = ["mode", "emergency_access_minutes"]
        widgets = {"mode": forms.RadioSelect}

    def clean_emergency_access_minutes(self) -> int:
        minutes = self.cleaned_data["emergency_access_minutes"]
        if not 5 <= minutes <= 720:
            raise forms.ValidationError(_("Choose between 5 and 720 minutes."))
        return minutes  # type: ignore[no-any-return]
