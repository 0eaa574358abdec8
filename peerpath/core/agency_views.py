"""The agency area (/agency/): programs, teams and their members, staff and invitations, and the
agency's settings, for the program manager and the roles the agency names. Thin: forms parse,
`agency` writes, everything is scoped to the user's organization (others' objects are 404)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import agency
from . import agency_queries as queries
from .agency_forms import (
    AcceptInvitationForm,
    InviteForm,
    ProgramForm,
    SettingsForm,
    StaffEditForm,
    StaffFilterForm,
    TeamForm,
    TeamMemberForm,
)
from .models import Invitation, Program, Staff, Team
from .requests import signed_in_staff as _user

STAFF_PER_PAGE = 50


def agency_admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not agency.may_run_agency(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _org(request: HttpRequest) -> int:
    return _user(request).organization_id or 0


def _own(model: Any, request: HttpRequest, pk: int) -> Any:
    """One object of the user's organization; 404 for anything else."""
    return queries.own(model, _org(request), pk)


@agency_admin_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/agency/home.html", {"counts": queries.counts(_org(request))})


# Programs -----------------------------------------------------------------------------------


@agency_admin_required
def program_list(request: HttpRequest) -> HttpResponse:
    programs = queries.programs(_org(request))
    return render(request, "core/agency/program_list.html", {"programs": programs})


@agency_admin_required
@require_http_methods(["GET", "POST"])
def program_edit(request: HttpRequest, program_id: int | None = None) -> HttpResponse:
    program = _own(Program, request, program_id) if program_id else None
    initial = {"name": program.name, "kind": program.kind} if program else None
    form = ProgramForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            agency.program_save(actor=_user(request), program=program, **form.cleaned_data)
        except agency.AgencyError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("agency:programs")
    return render(request, "core/agency/program_edit.html", {"form": form, "program": program})


# Teams --------------------------------------------------------------------------------------


@agency_admin_required
def team_list(request: HttpRequest) -> HttpResponse:
    teams = queries.teams(_org(request))
    return render(request, "core/agency/team_list.html", {"teams": teams})


@agency_admin_required
@require_http_methods(["GET", "POST"])
def team_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = TeamForm(request.POST or None, organization_id=user.organization_id)
    if request.method == "POST" and form.is_valid():
        try:
            team = agency.team_save(actor=user, **form.cleaned_data)
        except agency.AgencyError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("Team created. Now add its members."))
            return redirect("agency:team", team_id=team.pk)
    return render(request, "core/agency/team_new.html", {"form": form})


@agency_admin_required
@require_http_methods(["GET", "POST"])
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    user = _user(request)
    team = _own(Team, request, team_id)
    action = request.POST.get("form") if request.method == "POST" else None
    team_form = TeamForm(
        request.POST if action == "team" else None,
        organization_id=user.organization_id,
        initial={"name": team.name, "program": team.program_id},
        prefix="team",
    )
    member_form = TeamMemberForm(
        request.POST if action == "member" else None, team=team, prefix="member"
    )
    if action == "team" and team_form.is_valid():
        try:
            agency.team_save(actor=user, team=team, **team_form.cleaned_data)
        except agency.AgencyError as error:
            team_form.add_error("name", str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("agency:team", team_id=team.pk)
    if action == "member" and member_form.is_valid():
        agency.team_member_set(actor=user, team=team, **member_form.cleaned_data)
        messages.success(request, _("Added to the team."))
        return redirect("agency:team", team_id=team.pk)
    members = queries.team_members(team)
    return render(
        request,
        "core/agency/team_detail.html",
        {"team": team, "team_form": team_form, "member_form": member_form, "members": members},
    )


@agency_admin_required
@require_POST
def team_member_change(request: HttpRequest, team_id: int, membership_id: int) -> HttpResponse:
    user = _user(request)
    team = _own(Team, request, team_id)
    membership = queries.team_membership(team, membership_id)
    if request.POST.get("change") == "remove":
        agency.team_member_remove(actor=user, membership=membership)
        messages.success(request, _("Removed from the team."))
    else:
        agency.team_member_set(
            actor=user,
            team=team,
            staff=membership.staff,
            supervises=request.POST.get("change") == "supervise",
        )
        messages.success(request, _("Saved."))
    return redirect("agency:team", team_id=team.pk)


# Staff --------------------------------------------------------------------------------------


@agency_admin_required
def staff_list(request: HttpRequest) -> HttpResponse:
    form = StaffFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {"q": "", "role": "", "status": ""}
    page = queries.staff_page(
        _org(request), **data, after=request.GET.get("after") or None, per_page=STAFF_PER_PAGE
    )
    params = {k: v for k, v in data.items() if v}
    return render(
        request, "core/agency/staff_list.html", {"form": form, "page": page, "filtered": params}
    )


@agency_admin_required
@require_http_methods(["GET", "POST"])
def staff_invite(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = InviteForm(request.POST or None, organization_id=user.organization_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = agency.staff_invite(
                actor=user,
                organization=user.organization,  # type: ignore[arg-type]
                full_name=data["full_name"],
                email=data["email"],
                role=data["role"],
                title=data["title"],
                teams=list(data["teams"]),
                supervises=list(data["supervises"]),
                supervisor=data["supervisor"],
                language=data["language"],
            )
        except agency.AgencyError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link works once, for %(hours)s hours.")
                % {"email": sent.invitation.staff.email, "hours": Invitation.VALID_HOURS},
            )
            return redirect("agency:staff_member", staff_id=sent.invitation.staff_id)
    return render(request, "core/agency/staff_invite.html", {"form": form})


@agency_admin_required
@require_http_methods(["GET", "POST"])
def staff_member(request: HttpRequest, staff_id: int) -> HttpResponse:
    user = _user(request)
    staff = _own(Staff, request, staff_id)
    form = StaffEditForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        try:
            agency.staff_update(actor=user, staff=staff, **form.cleaned_data)
        except (agency.AgencyError, PermissionDenied) as error:
            form.add_error("role", str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("agency:staff_member", staff_id=staff.pk)
    invitation = queries.latest_invitation(staff)
    teams = queries.teams_of_staff(staff)
    return render(
        request,
        "core/agency/staff_member.html",
        {"staff": staff, "form": form, "invitation": invitation, "teams": teams, "me": user},
    )


@agency_admin_required
@require_POST
def staff_invite_again(request: HttpRequest, staff_id: int) -> HttpResponse:
    staff = _own(Staff, request, staff_id)
    try:
        agency.invitation_resend(actor=_user(request), staff=staff)
    except agency.AgencyError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("A new invitation was sent to %(email)s.") % {"email": staff.email}
        )
    return redirect("agency:staff_member", staff_id=staff.pk)


@agency_admin_required
@require_POST
def staff_invite_revoke(request: HttpRequest, staff_id: int) -> HttpResponse:
    staff = _own(Staff, request, staff_id)
    invitation = queries.latest_invitation(staff)
    if invitation is None or not invitation.is_open:
        messages.info(request, _("There is no open invitation."))
    else:
        agency.invitation_revoke(actor=_user(request), invitation=invitation)
        messages.success(request, _("The invitation link no longer works."))
    return redirect("agency:staff_member", staff_id=staff.pk)


@agency_admin_required
@require_POST
def staff_reactivate(request: HttpRequest, staff_id: int) -> HttpResponse:
    staff = _own(Staff, request, staff_id)
    try:
        agency.staff_reactivate(actor=_user(request), staff=staff)
    except agency.AgencyError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s works here again. Add them to care teams as needed.")
            % {"name": staff.full_name},
        )
    return redirect("agency:staff_member", staff_id=staff.pk)


@agency_admin_required
@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    org = user.organization
    assert org is not None  # noqa: S101 (agency_admin_required)
    form = SettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"intake_roles": org.intake_roles, "agency_admin_roles": org.agency_admin_roles},
    )
    if request.method == "POST" and form.is_valid():
        agency.organization_settings(
            actor=user,
            organization=org,
            intake_roles=form.cleaned_data["intake_roles"],
            admin_roles=form.cleaned_data["agency_admin_roles"],
        )
        messages.success(request, _("Saved."))
        return redirect("agency:home")
    return render(request, "core/agency/settings.html", {"form": form})


# The invitee's side -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link: choose a password, then go on signed in (two-step sign-in next,
    where it is required)."""
    invitation = agency.invitation_for_token(token)
    if invitation is None:
        return render(request, "core/invitation_gone.html", status=410)
    staff = invitation.staff
    form = AcceptInvitationForm(staff, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff = agency.invitation_accept(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except (agency.AgencyError, ValidationError):
            return render(request, "core/invitation_gone.html", status=410)
        login(request, staff, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your password is set. You are signed in to PeerPath."))
        return redirect("clients:my_day")
    return render(request, "core/accept_invitation.html", {"form": form, "staff": staff})
