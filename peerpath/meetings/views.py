"""Team meeting pages. Agendas list only people the gate lets the viewer see."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerpath.clients import access
from peerpath.core.models import Role
from peerpath.core.requests import signed_in_staff as _user

from . import actions, queries
from .forms import AttendanceForm, DiscussionForm, JoinMeetingForm, MeetingForm, VoiceForm


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "meetings/meeting_list.html",
        {"meetings": queries.meetings_for(user), "can_create": queries.my_teams(user).exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    teams = queries.my_teams(user)
    if not teams.exists():
        raise PermissionDenied
    form = MeetingForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        meeting = actions.meeting_create(
            actor=user,
            team=form.cleaned_data["team"],
            kind=form.cleaned_data["kind"],
            starts_at=form.cleaned_data["starts_at"],
        )
        messages.success(request, _("Meeting added."))
        return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = _user(request)
    meeting = queries.meeting_for(user, meeting_id)
    agenda = queries.agenda_for(user, meeting)
    attendees = list(meeting.attendees.all())
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "agenda": agenda,
            "upcoming": meeting.starts_at > timezone.now(),
            "attendees": attendees,
            "peers_present": sum(
                1 for a in attendees if a.role in {Role.PEER_SPECIALIST, Role.PEER_SUPERVISOR}
            ),
            "attendance_form": AttendanceForm(
                staff=queries.team_staff(meeting), initial={"attendees": attendees}
            ),
        },
    )


@login_required
@require_POST
def meeting_attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = _user(request)
    meeting = queries.meeting_for(user, meeting_id)
    form = AttendanceForm(request.POST, staff=queries.team_staff(meeting))
    if form.is_valid():
        actions.meeting_attendance_set(
            actor=user, meeting=meeting, attendees=list(form.cleaned_data["attendees"])
        )
        messages.success(request, _("Attendance saved."))
    else:
        messages.error(request, _("Choose team members from the list."))
    return redirect("meetings:detail", meeting_id=meeting.pk)


@login_required
@require_POST
def agenda_add(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    form = JoinMeetingForm(request.POST, meetings=queries.meetings_to_join(user, grant))
    if not form.is_valid():
        messages.error(request, _("Choose an upcoming meeting."))
        return redirect("clients:detail", client_id=grant.client.pk)
    meeting = form.cleaned_data["meeting"]
    actions.agenda_add(actor=user, access=grant, meeting=meeting)
    messages.success(request, _("Added to the agenda. Now prepare their view with them."))
    return redirect("meetings:item", client_id=grant.client.pk, meeting_id=meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item(request: HttpRequest, client_id: int, meeting_id: int) -> HttpResponse:
    """One person at one meeting: their view (prepared with them) and what the team decided."""
    user = _user(request)
    grant = (
        access.client_for_write(user, client_id)
        if request.method == "POST"
        else access.client_for_read(user, client_id)
    )
    item = (
        queries.item_for(grant, meeting_id)
        if request.method == "POST"
        else queries.item_view(user, grant, meeting_id)
    )
    # Two forms on one page: each gets ids of its own (the field names stay the same).
    voice_form = VoiceForm(
        auto_id="voice_%s",
        initial={
            "version": item.version,
            "what_they_want": item.what_they_want,
            "what_worries_them": item.what_worries_them,
            "view_of_plan": item.view_of_plan,
        },
    )
    discussion_form = DiscussionForm(
        auto_id="discussion_%s",
        initial={
            "version": item.version,
            "discussion": item.discussion,
            "decisions": item.decisions,
        },
    )
    conflict = None
    status = 200
    if request.method == "POST":
        part = request.POST.get("part")
        form: Any = (
            VoiceForm(request.POST, auto_id="voice_%s")
            if part == "voice"
            else DiscussionForm(request.POST, auto_id="discussion_%s")
        )
        if part == "voice":
            voice_form = form
        else:
            discussion_form = form
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            save = actions.agenda_voice_save if part == "voice" else actions.agenda_discussion_save
            try:
                save(actor=user, access=grant, item=item, expected_version=version, **data)
            except actions.StaleVersionError as stale:
                conflict = stale.current
                bound = request.POST.copy()
                bound["version"] = str(stale.current.version)
                form.data = bound
                status = 409
            else:
                messages.success(request, _("Saved."))
                return redirect("meetings:item", client_id=grant.client.pk, meeting_id=meeting_id)
        else:
            status = 400
    return render(
        request,
        "meetings/agenda_item.html",
        {
            "client": grant.client,
            "access": grant,
            "item": item,
            "meeting": item.meeting,
            "voice_form": voice_form,
            "discussion_form": discussion_form,
            "conflict": conflict,
        },
        status=status,
    )
