"""Forms for taking a person in, moving them, discharging them and bringing them back."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.core.forms import UswdsFormMixin, choose
from peerpath.core.models import Role, Staff, Team

from .intake import ConsentGiven
from .models import DISCHARGE_REASONS, CareTeamMember, Client, ServiceConsent

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SCAN_MAX_BYTES = 10 * 1024 * 1024
# What a scan may be, told by its first bytes (not by its name or the browser's word for it).
SCAN_TYPES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
CARE_ROLE_FOR_STAFF_ROLE = {
    Role.PEER_SPECIALIST: CareTeamMember.Role.PEER,
    Role.PEER_SUPERVISOR: CareTeamMember.Role.PEER_SUPERVISOR,
    Role.CLINICIAN: CareTeamMember.Role.CLINICIAN,
    Role.CASE_MANAGER: CareTeamMember.Role.CASE_MANAGER,
}


def care_role_for(staff: Staff) -> str:
    return CARE_ROLE_FOR_STAFF_ROLE.get(staff.role, CareTeamMember.Role.OTHER)  # type: ignore[call-overload,no-any-return]


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.program.name}: {obj.name}"


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.get_role_display()})"


def teams_of(organization_id: int | None) -> Any:
    return (
        Team.objects.filter(organization_id=organization_id or 0)
        .select_related("program")
        .order_by("program__name", "name")
    )


def serving_staff(organization_id: int | None) -> Any:
    """Active staff who can be on a care team (not the privacy officer)."""
    return (
        Staff.objects.filter(organization_id=organization_id or 0, is_active=True)
        .exclude(role__in=[Role.PRIVACY_OFFICER, Role.ADMINISTRATOR])
        .order_by("full_name")
    )


def read_scan(upload: Any) -> tuple[bytes, str]:
    if upload.size > SCAN_MAX_BYTES:
        raise forms.ValidationError(
            _("The scan is larger than 10 MB. Scan it at a lower resolution.")
        )
    data = upload.read()
    for magic, kind in SCAN_TYPES.items():
        if data.startswith(magic):
            return data, kind
    raise forms.ValidationError(_("Attach the scan as a PDF, PNG or JPEG file."))


class ConsentFields(forms.Form):
    """Consent to peer services: signed on paper and scanned, or agreed out loud with a witness."""

    consent_method = forms.ChoiceField(
        label=_("How did the person agree to peer services?"),
        choices=ServiceConsent.Method.choices,
        widget=forms.RadioSelect,
    )
    consent_on = forms.DateField(label=_("Date they agreed"), widget=_DATE)
    consent_witness = forms.CharField(
        label=_("Witness"),
        max_length=200,
        required=False,
        help_text=_("For a consent given out loud: the staff member who heard it."),
    )
    consent_scan = forms.FileField(
        label=_("Scan of the signed form"),
        required=False,
        help_text=_("For a signed form: a PDF, PNG or JPEG file, up to 10 MB."),
    )

    def clean_consent_consent(self, data: dict[str, Any]) -> ConsentGiven | None:
        method = data.get("consent_method")
        on = data.get("consent_on")
        if on and on > timezone.localdate():
            self.add_error("consent_on", _("The date cannot be in the future."))
        scan, kind = None, ""
        if method == ServiceConsent.Method.SIGNED:
            upload = data.get("consent_scan")
            if not upload:
                self.add_error("consent_scan", _("Attach the scan of the signed form."))
            else:
                try:
                    scan, kind = read_scan(upload)
                except forms.ValidationError as error:
                    self.add_error("consent_scan", error)
        if (
            method == ServiceConsent.Method.VERBAL
            and not (data.get("consent_witness") or "").strip()
        ):
            self.add_error("consent_witness", _("Name the witness who heard the person agree."))
        if self.errors or not method or not on:
            return None
        return ConsentGiven(
            method=method,
            given_on=on,
            witness=data.get("consent_witness", "")
            if method == ServiceConsent.Method.VERBAL
            else "",
            scan=scan,
            scan_type=kind,
        )


class IntakeForm(UswdsFormMixin, ConsentFields):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    preferred_name = forms.CharField(label=_("Name they go by"), max_length=100, required=False)
    pronouns = forms.CharField(
        label=_("Pronouns"),
        max_length=40,
        required=False,
        help_text=_("For example: she/her, they/them."),
    )
    language = forms.CharField(
        label=_("Preferred language"),
        max_length=40,
        help_text=_("For example: English, Spanish, ASL."),
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=_DATE, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    referral_source = forms.ChoiceField(
        label=_("How did they come to us?"), choices=choose(Client.ReferralSource.choices)
    )
    team = TeamChoiceField(
        label=_("Program and team"), queryset=Team.objects.none(), empty_label=_("- Choose -")
    )
    first_member = StaffChoiceField(
        label=_("First care-team member"),
        queryset=Staff.objects.none(),
        help_text=_("Usually the person taking them in."),
    )
    enrolled_on = forms.DateField(label=_("Date they start"), widget=_DATE)
    medicaid_id = forms.CharField(label=_("Medicaid member ID"), max_length=40, required=False)
    medicaid_start = forms.DateField(label=_("Coverage starts"), widget=_DATE, required=False)
    medicaid_end = forms.DateField(label=_("Coverage ends"), widget=_DATE, required=False)
    duplicate_reason = forms.CharField(
        label=_("Why is this a new person?"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Say why none of the possible matches is this person."),
    )
    # Which possible matches the person saw (record numbers), so a new match means a new look.
    seen_matches = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = [
        "given_name",
        "family_name",
        "preferred_name",
        "pronouns",
        "language",
        "date_of_birth",
        "phone",
        "email",
        "address",
        "referral_source",
        "team",
        "first_member",
        "enrolled_on",
        "consent_method",
        "consent_on",
        "consent_witness",
        "consent_scan",
        "medicaid_id",
        "medicaid_start",
        "medicaid_end",
        "duplicate_reason",
    ]

    def __init__(self, *args: Any, user: Staff, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("first_member", user.pk)
        kwargs["initial"].setdefault("enrolled_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        org = user.organization_id
        self.fields["team"].queryset = teams_of(org)  # type: ignore[attr-defined]
        self.fields["first_member"].queryset = serving_staff(org)  # type: ignore[attr-defined]
        self.consent: ConsentGiven | None = None

    def clean_date_of_birth(self) -> date | None:
        born = self.cleaned_data.get("date_of_birth")
        today = timezone.localdate()
        if born and (born > today or born < today - timedelta(days=366 * 120)):
            raise forms.ValidationError(_("Enter a date of birth in the past 120 years."))
        return born

    def clean_enrolled_on(self) -> date:
        on: date = self.cleaned_data["enrolled_on"]
        today = timezone.localdate()
        if on > today:
            raise forms.ValidationError(_("The start date cannot be in the future."))
        if on < today - timedelta(days=366):
            raise forms.ValidationError(_("Choose a start date in the past year."))
        return on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("medicaid_start"), data.get("medicaid_end")
        if data.get("medicaid_id") and not start:
            self.add_error("medicaid_start", _("Enter when the coverage starts."))
        if (start or end) and not data.get("medicaid_id"):
            self.add_error("medicaid_id", _("Enter the member ID the coverage dates belong to."))
        if start and end and end < start:
            self.add_error("medicaid_end", _("Coverage cannot end before it starts."))
        self.consent = self.clean_consent_consent(data)
        return data

    def details(self) -> dict[str, Any]:
        data = self.cleaned_data
        text = ("preferred_name", "pronouns", "language", "phone", "email", "address")
        text += ("referral_source", "medicaid_id")  # type: ignore[assignment]
        dates = ("date_of_birth", "medicaid_start", "medicaid_end")
        return {n: data.get(n) or "" for n in text} | {n: data.get(n) for n in dates}


class ServiceConsentForm(UswdsFormMixin, ConsentFields):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.consent = self.clean_consent_consent(data)
        return data


class DischargeForm(UswdsFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is the person leaving?"), choices=DISCHARGE_REASONS, widget=forms.RadioSelect
    )
    on = forms.DateField(label=_("Date they left"), widget=_DATE)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_on(self) -> date:
        on: date = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return on


class ReadmitForm(UswdsFormMixin, forms.Form):
    team = TeamChoiceField(
        label=_("Program and team"), queryset=Team.objects.none(), empty_label=_("- Choose -")
    )
    first_member = StaffChoiceField(
        label=_("First care-team member"), queryset=Staff.objects.none()
    )
    on = forms.DateField(label=_("Date they come back"), widget=_DATE)

    def __init__(self, *args: Any, user: Staff, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "first_member": user.pk,
            "on": timezone.localdate(),
            **kwargs.get("initial", {}),
        }
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams_of(user.organization_id)  # type: ignore[arg-type,attr-defined]
        self.fields["first_member"].queryset = serving_staff(user.organization_id)  # type: ignore[arg-type,attr-defined]

    def clean_on(self) -> date:
        on: date = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return on


class TransferForm(UswdsFormMixin, forms.Form):
    to_team = TeamChoiceField(
        label=_("Move to team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("Same team"),
        help_text=_("Leave empty to stay with the same team."),
    )
    from_staff = StaffChoiceField(
        label=_("Hand off from"),
        queryset=Staff.objects.none(),
        required=False,
        empty_label=_("No one"),
        help_text=_("They leave the care team and no longer see the record."),
    )
    to_staff = StaffChoiceField(
        label=_("Hand off to"),
        queryset=Staff.objects.none(),
        required=False,
        empty_label=_("No one"),
        help_text=_("They join the care team."),
    )
    note = forms.CharField(
        label=_("Hand-off note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What the new team or peer should know: what matters to the person, what is "
            "going on, what comes next."
        ),
    )
    on = forms.DateField(label=_("Date of the move"), widget=_DATE)

    def __init__(
        self, *args: Any, client: Client, members: list[CareTeamMember], **kwargs: Any
    ) -> None:
        kwargs["initial"] = {"on": timezone.localdate(), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        org = client.organization_id
        self.fields["to_team"].queryset = teams_of(org)  # type: ignore[attr-defined]
        self.fields["from_staff"].queryset = Staff.objects.filter(  # type: ignore[attr-defined]
            pk__in=[m.staff_id for m in members]
        ).order_by("full_name")
        self.fields["to_staff"].queryset = (  # type: ignore[attr-defined]
            serving_staff(org)
            .exclude(pk__in=[m.staff_id for m in members])
            .exclude(pk=client.staff_account_id or 0)
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("to_team") and not data.get("to_staff") and not self.errors:
            self.add_error("to_team", _("Choose a new team, a new peer, or both."))
        if data.get("from_staff") and not data.get("to_staff"):
            self.add_error("to_staff", _("Choose who takes over from the person handing off."))
        on = data.get("on")
        if on and on > timezone.localdate():
            self.add_error("on", _("The date cannot be in the future."))
        return data
