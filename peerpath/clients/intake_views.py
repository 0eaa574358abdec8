"""Pages for a person's way through the agency: intake, consent to peer services, hand-off and
transfer, leaving the care team, discharge and re-admission. Thin, like views.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerpath.core.models import Organization
from peerpath.core.requests import signed_in_staff as _user

from . import access, actions, intake, queries
from .intake_forms import (
    DischargeForm,
    IntakeForm,
    ReadmitForm,
    ServiceConsentForm,
    TransferForm,
    care_role_for,
)
from .models import CareTeamMember, Client


def _organization_taking_in(request: HttpRequest) -> Organization:
    user = _user(request)
    org = user.organization
    if org is None or not org.may_take_in(user.role):
        raise PermissionDenied
    return org


def _after_change(request: HttpRequest, client: Client) -> HttpResponse:
    """Back to the record when the user still sees it; otherwise to the People list."""
    if access.visible_clients(_user(request)).filter(pk=client.pk).exists():
        return redirect("clients:detail", client_id=client.pk)
    return redirect("clients:list")


def _match_key(matches: intake.PossibleMatches) -> str:
    return ",".join(str(pk) for pk in sorted(matches.ids)) + f"+{matches.hidden}"


@login_required
@require_http_methods(["GET", "POST"])
def client_new(request: HttpRequest) -> HttpResponse:
    """Take a person in. Likely matches are shown before anything is saved."""
    user = _user(request)
    org = _organization_taking_in(request)
    form = IntakeForm(request.POST or None, request.FILES or None, user=user)
    matches = intake.PossibleMatches()
    if request.method == "POST" and form.is_valid() and form.consent is not None:
        data = form.cleaned_data
        matches = intake.possible_matches(
            user,
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            phone=data["phone"],
            email=data["email"],
        )
        key = _match_key(matches)
        acknowledged = bool(matches) and data["seen_matches"] == key
        if matches and not (acknowledged and data["duplicate_reason"].strip()):
            if acknowledged:
                form.add_error("duplicate_reason", _("Say why this is a new person."))
            else:
                form.data = form.data.copy()  # type: ignore[attr-defined]
                form.data["seen_matches"] = key  # type: ignore[index]
                if form.consent.scan is not None:
                    messages.info(request, _("Attach the scan again before you save."))
            queries.audit_list(user, "client.intake_matches", matches.visible)
        else:
            member = data["first_member"]
            client = intake.client_intake(
                actor=user,
                organization=org,
                given_name=data["given_name"].strip(),
                family_name=data["family_name"].strip(),
                program=data["team"].program,
                team=data["team"],
                first_member=member,
                member_role=care_role_for(member),
                consent=form.consent,
                enrolled_on=data["enrolled_on"],
                duplicate_reason=data["duplicate_reason"] if matches else "",
                matched=matches.ids if matches else None,
                **form.details(),
            )
            messages.success(
                request,
                _("%(name)s was taken in. %(member)s is on their care team.")
                % {"name": client.display_name, "member": member.full_name},
            )
            return _after_change(request, client)
    return render(
        request,
        "clients/intake/new.html",
        {"form": form, "matches": matches},
        status=200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_consent_new(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    form = ServiceConsentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and form.consent is not None:
        intake.service_consent_add(actor=user, access=grant, consent=form.consent)
        messages.success(request, _("Consent to peer services recorded."))
        return redirect("clients:detail", client_id=grant.client.pk)
    return render(
        request, "clients/intake/consent_new.html", {"client": grant.client, "form": form}
    )


@login_required
def service_consent_scan(request: HttpRequest, client_id: int, consent_id: int) -> HttpResponse:
    """The scanned consent form, for those who may read the record (an audited look)."""
    user = _user(request)
    grant = access.client_for_read(user, client_id)
    consent = queries.service_consent_scan_of(grant.client, consent_id)
    queries.audit_read(user, grant, "service_consent.scan_view", consent)
    extension = {"application/pdf": "pdf", "image/png": "png"}.get(consent.scan_type, "jpg")
    response = HttpResponse(bytes(consent.scan or b""), content_type=consent.scan_type)
    response["Content-Disposition"] = (
        f'inline; filename="consent-{grant.client.pk}-{consent.pk}.{extension}"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def client_discharge(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    client = grant.client
    form = DischargeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            intake.client_discharge(
                actor=user,
                access=grant,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
            )
        except intake.LifecycleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s was discharged.") % {"name": client.display_name})
            return _after_change(request, client)
    return render(request, "clients/intake/discharge.html", {"client": client, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def client_readmit(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_read(user, client_id)
    client = grant.client
    _organization_taking_in(request)
    if grant.basis not in {access.CARE_TEAM, access.FORMER_CARE_TEAM}:
        raise PermissionDenied
    if client.status != Client.Status.DISCHARGED:
        messages.info(request, _("This person is not discharged."))
        return redirect("clients:detail", client_id=client.pk)
    form = ReadmitForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["first_member"]
        try:
            intake.client_readmit(
                actor=user,
                access=grant,
                program=form.cleaned_data["team"].program,
                team=form.cleaned_data["team"],
                first_member=member,
                member_role=care_role_for(member),
                on=form.cleaned_data["on"],
            )
        except intake.LifecycleError as error:
            form.add_error(None, str(error))
        except actions.AssignmentRefused as refused:
            for reason in refused.check.reasons:
                form.add_error("first_member", str(reason))
        else:
            messages.success(
                request, _("%(name)s is back with the agency.") % {"name": client.display_name}
            )
            return _after_change(request, client)
    return render(request, "clients/intake/readmit.html", {"client": client, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def client_transfer(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    client = grant.client
    members = queries.active_care_team(client)
    initial = {"from_staff": user.pk} if any(m.staff_id == user.pk for m in members) else {}
    form = TransferForm(request.POST or None, client=client, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        to_staff = data["to_staff"]
        try:
            intake.client_transfer(
                actor=user,
                access=grant,
                note=data["note"],
                on=data["on"],
                to_team=data["to_team"],
                from_staff=data["from_staff"],
                to_staff=to_staff,
                to_role=care_role_for(to_staff) if to_staff else CareTeamMember.Role.PEER,
            )
        except intake.LifecycleError as error:
            form.add_error(None, str(error))
        except actions.AssignmentRefused as refused:
            for reason in refused.check.reasons:
                form.add_error("to_staff", str(reason))
        else:
            messages.success(request, _("%(name)s was handed off.") % {"name": client.display_name})
            return _after_change(request, client)
    return render(
        request,
        "clients/intake/transfer.html",
        {"client": client, "form": form, "members": members},
    )


@login_required
@require_POST
def care_team_end(request: HttpRequest, client_id: int, member_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    member = queries.care_team_member_of(grant.client, member_id)
    try:
        intake.care_team_end(actor=user, access=grant, member=member)
    except intake.LifecycleError as error:
        messages.error(request, str(error))
        return redirect("clients:detail", client_id=grant.client.pk)
    messages.success(request, _("%(name)s left the care team.") % {"name": member.staff.full_name})
    return _after_change(request, grant.client)
