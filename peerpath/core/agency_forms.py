"""Forms of the agency area: programs, teams, staff, invitations and the agency's settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .forms import UswdsFormMixin, choose
from .models import Program, Role, Staff, Team

ROLE_CHOICES = [c for c in Role.choices if c[0] != Role.ADMINISTRATOR]


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.get_role_display()})"


def agency_staff(organization_id: int | None) -> Any:
    return Staff.objects.filter(organization_id=organization_id or 0, is_active=True).order_by(
        "full_name"
    )


class ProgramForm(UswdsFormMixin, forms.Form):
    name = forms.CharField(label=_("Program name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of program"), choices=choose(Program.Kind.choices))


class TeamForm(UswdsFormMixin, forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=200)
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())

    def __init__(self, *args: Any, organization_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.filter(  # type: ignore[attr-defined]
            organization_id=organization_id or 0
        )


class TeamMemberForm(UswdsFormMixin, forms.Form):
    staff = StaffChoice(label=_("Staff member"), queryset=Staff.objects.none())
    supervises = forms.BooleanField(label=_("Supervises this team"), required=False)

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = agency_staff(team.organization_id).exclude(  # type: ignore[attr-defined]
            pk__in=team.memberships.values("staff_id")
        )


class InviteForm(UswdsFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=choose(ROLE_CHOICES))
    title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    supervises = forms.ModelMultipleChoiceField(
        label=_("Supervises these teams"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    supervisor = StaffChoice(label=_("Supervisor"), queryset=Staff.objects.none(), required=False)
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=[("en", "English"), ("es", "Español")],
        widget=forms.RadioSelect,
        initial="en",
    )

    def __init__(self, *args: Any, organization_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(organization_id=organization_id or 0).select_related("program")
        self.fields["teams"].queryset = teams  # type: ignore[attr-defined]
        self.fields["supervises"].queryset = teams  # type: ignore[attr-defined]
        self.fields["supervisor"].queryset = agency_staff(organization_id)  # type: ignore[attr-defined]

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if Staff.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Someone already signs in with this email address."))
        return email


class StaffEditForm(UswdsFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
    title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    supervisor = StaffChoice(label=_("Supervisor"), queryset=Staff.objects.none(), required=False)

    def __init__(self, *args: Any, staff: Staff, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "full_name": staff.full_name,
                "role": staff.role,
                "title": staff.title,
                "supervisor": staff.supervisor_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = agency_staff(staff.organization_id).exclude(  # type: ignore[attr-defined]
            pk=staff.pk
        )


class StaffFilterForm(UswdsFormMixin, forms.Form):
    q = forms.CharField(label=_("Name or email"), max_length=100, required=False)
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("Any role")), *ROLE_CHOICES], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("", _("Working here")),
            ("invited", _("Invited, no password yet")),
            ("ended", _("Work ended")),
            ("all", _("Everyone")),
        ],
        required=False,
    )


class SettingsForm(UswdsFormMixin, forms.Form):
    intake_roles = forms.MultipleChoiceField(
        label=_("Who may take a person in"),
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    agency_admin_roles = forms.MultipleChoiceField(
        label=_("Who may run the agency (programs, teams and staff)"),
        help_text=_("The program manager always may."),
        choices=[c for c in ROLE_CHOICES if c[0] != Role.PROGRAM_MANAGER],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class AcceptInvitationForm(UswdsFormMixin, SetPasswordForm):
    """Choose a password (the site's password rules apply)."""

    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=format_lazy(
            _(
                "At least {} characters. Not a common password, not only numbers, and not like "
                "your name or email."
            ),
            settings.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"]["min_length"],  # type: ignore[index]
        ),
    )
    new_password2 = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
