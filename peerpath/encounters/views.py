"""Contact notes, outreach, groups and review pages. Thin: the gate first, then queries/actions."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerpath.clients import access
from peerpath.clients import queries as client_queries
from peerpath.core import slots
from peerpath.core.models import Staff
from peerpath.core.requests import signed_in_staff as _user

from . import actions, language, listing, queries
from .forms import (
    ATTENDANCE_CHOICES,
    AddendumForm,
    ContactForm,
    EngagementForm,
    GroupForm,
    JoinGroupForm,
    OutreachForm,
    ReviewForm,
    SessionForm,
)
from .models import Contact, Place


def _flags(contact_or_form: Any, organization_id: int) -> list[language.Flag]:
    if isinstance(contact_or_form, Contact):
        texts = (contact_or_form.in_their_words, contact_or_form.summary)
    else:
        data = contact_or_form
        texts = (data.get("in_their_words", ""), data.get("summary", ""))
    return language.check_note(organization_id, *texts)


def _advise(request: HttpRequest, values: dict[str, Any], organization_id: int) -> None:
    """After a save, repeat the person-first advice (it never blocks the save)."""
    flags = _flags(values, organization_id)
    if flags:
        messages.info(
            request,
            _("Person-first language: consider %(suggestions)s.")
            % {
                "suggestions": "; ".join(
                    _("“%(suggestion)s” instead of “%(found)s”")
                    % {"suggestion": f.suggestion, "found": f.found}
                    for f in flags[:5]
                )
            },
        )


# --- Contact notes --------------------------------------------------------------------------------


def _last_place(user: Staff) -> str:
    place = queries.last_place_of(user)
    return str(Place(place).label) if place in Place.values else ""


def _new_form_context(
    grant: access.ClientAccess, user: Staff, form: ContactForm, token: str, **extra: Any
) -> dict[str, Any]:
    last = _last_place(user)
    if last:
        form.suggest(
            "place", _("Needed to sign. Your last contact was at: %(place)s.") % {"place": last}
        )
    return {
        "client": grant.client,
        "access": grant,
        "contact": None,
        "form": form,
        "edit_token": token,
        "flags": _flags(form.data if form.is_bound else {}, grant.client.organization_id),
        **extra,
    }


def _posted_draft(request: HttpRequest, grant: access.ClientAccess) -> Contact | None:
    """The draft this page's autosave already created, if it did."""
    raw = request.POST.get("contact_id", "")
    if not raw:
        return None
    try:
        return queries.contact_for(grant, int(raw))
    except ValueError:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def contact_start(request: HttpRequest, client_id: int) -> HttpResponse:
    """A new contact's form. No draft exists until something is written in it."""
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    if request.method == "GET":
        now = timezone.localtime()
        form = ContactForm(
            initial={
                "version": 0,
                "occurred_on": now.date(),
                "occurred_time": now.time().replace(second=0, microsecond=0),
                "minutes": 30,
            }
        )
        return render(
            request,
            "encounters/contact_edit.html",
            _new_form_context(grant, user, form, secrets.token_hex(8)),
        )
    draft = _posted_draft(request, grant)
    if draft is not None:
        return _save_posted(request, user, grant, draft)
    form = ContactForm(request.POST)
    token = request.POST.get("edit_token", "")[:32]
    what = request.POST.get("action", "save")
    if what == "discard":
        messages.info(request, _("Nothing was saved."))
        return redirect("clients:detail", client_id=grant.client.pk)
    if not form.is_valid():
        return render(
            request,
            "encounters/contact_edit.html",
            _new_form_context(grant, user, form, token),
            status=400,
        )
    if not _has_content(form.changes()):
        form.add_error(None, _("Nothing is written yet, so there is nothing to save."))
        return render(
            request,
            "encounters/contact_edit.html",
            _new_form_context(grant, user, form, token),
            status=400,
        )
    draft = actions.contact_start(actor=user, access=grant, **form.changes())
    return _save_posted(request, user, grant, draft, version=draft.version)


def _has_content(values: dict[str, Any]) -> bool:
    return any(
        values.get(name) for name in ("summary", "in_their_words", "services", "other_tasks")
    )


@login_required
@require_POST
def contact_start_autosave(request: HttpRequest, client_id: int) -> HttpResponse:
    """htmx, for a new contact: the first save that holds any text creates the draft."""
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    draft = _posted_draft(request, grant)
    if draft is not None:
        return _autosave(request, user, grant, draft)
    form = ContactForm(request.POST)
    flags = _flags(request.POST, grant.client.organization_id)
    context: dict[str, Any] = {"client": grant.client, "contact": None, "flags": flags}
    if not form.is_valid():
        context.update(state="invalid", form=form)
    elif not _has_content(form.changes()):
        context["state"] = "empty"
    else:
        token = request.POST.get("edit_token", "")[:32]
        draft = actions.contact_start(actor=user, access=grant, edit_token=token, **form.changes())
        context.update(state="saved", contact=draft, saved_at=timezone.localtime(), created=True)
    return render(request, "encounters/_autosave.html", context)


@login_required
def contact_list(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_read(user, client_id)
    contacts = queries.contact_history(user, grant, after=request.GET.get("after"))
    return render(
        request,
        "encounters/contact_list.html",
        {"client": grant.client, "access": grant, "contacts": contacts},
    )


@login_required
def contact_detail(request: HttpRequest, client_id: int, contact_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_read(user, client_id)
    contact = queries.contact_view(user, grant, contact_id)
    if not contact.is_signed and contact.author_id != user.pk and not grant.can_write:
        # A supervisor sees that a draft exists (review queue) but not its unfinished text.
        raise PermissionDenied
    can_review = (
        contact.review == Contact.Review.WAITING
        and contact.author_id != user.pk
        and actions.supervises_author(user, contact.author_id)
    )
    # Just signed by its author: what comes next (goals, next step), then the next person due
    # or My day, rather than an addendum form.
    just_signed = (
        bool(request.GET.get("signed")) and contact.is_signed and contact.author_id == user.pk
    )
    follow_up = (
        slots.fill("contact_signed", request, user, access=grant, contact=contact)
        if just_signed and not request.GET.get("followed")
        else []
    )
    next_due = (
        queries.next_person_due(user, timezone.localdate(), after=grant.client.pk)
        if just_signed
        else None
    )
    return render(
        request,
        "encounters/contact_detail.html",
        {
            "client": grant.client,
            "access": grant,
            "contact": contact,
            "just_signed": just_signed,
            "follow_up": follow_up,
            "next_due": next_due,
            "addendum_form": AddendumForm()
            if grant.can_write and contact.is_signed and not just_signed
            else None,
            "review_form": ReviewForm() if can_review else None,
            "attestation": user.organization.attestation() if can_review else "",  # type: ignore[union-attr]
        },
    )


def _edit_context(
    grant: access.ClientAccess, contact: Contact, form: ContactForm, token: str, **extra: Any
) -> dict[str, Any]:
    return {
        "client": grant.client,
        "access": grant,
        "contact": contact,
        "form": form,
        "edit_token": token,
        "flags": _flags(form.data if form.is_bound else contact, grant.client.organization_id),
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, client_id: int, contact_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    contact = queries.contact_for(grant, contact_id)
    if contact.is_signed:
        messages.info(request, _("This note is signed. Add an addendum to change it."))
        return redirect(
            "encounters:contact_detail", client_id=grant.client.pk, contact_id=contact.pk
        )
    if request.method == "GET":
        form = ContactForm(initial=ContactForm.initial_for(contact))
        return render(
            request,
            "encounters/contact_edit.html",
            _edit_context(grant, contact, form, secrets.token_hex(8)),
        )
    return _save_posted(request, user, grant, contact)


def _save_posted(
    request: HttpRequest,
    user: Staff,
    grant: access.ClientAccess,
    contact: Contact,
    *,
    version: int | None = None,
) -> HttpResponse:
    """Save, sign or discard the draft from the posted form (the edit and new pages share it)."""
    token = request.POST.get("edit_token", "")[:32]
    data = request.POST.copy()
    if version is not None:
        data["version"] = str(version)
    form = ContactForm(data)
    what = request.POST.get("action", "save")
    if what == "discard":
        return _discard(request, user, grant, contact, form)
    if not form.is_valid():
        return render(
            request,
            "encounters/contact_edit.html",
            _edit_context(grant, contact, form, token),
            status=400,
        )
    try:
        if what == "sign":
            actions.contact_sign(
                actor=user,
                access=grant,
                contact=contact,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                edit_token=token,
            )
            messages.success(request, _("Signed. The note is now locked and waits for review."))
            _advise(request, form.changes(), grant.client.organization_id)
            return redirect(
                reverse(
                    "encounters:contact_detail",
                    kwargs={"client_id": grant.client.pk, "contact_id": contact.pk},
                )
                + "?signed=1"
            )
        actions.contact_save_draft(
            actor=user,
            access=grant,
            contact=contact,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
            edit_token=token,
        )
    except actions.StaleVersionError as stale:
        return _conflict_page(request, grant, contact, form, token, stale.current)
    except actions.IncompleteNoteError as incomplete:
        # Not signed (that rolled back), but keep what was written as the draft.
        actions.contact_save_draft(
            actor=user,
            access=grant,
            contact=contact,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
            edit_token=token,
        )
        if "place" in incomplete.missing:
            form.add_error("place", _("Choose where the contact happened to sign."))
        if "services" in incomplete.missing:
            form.add_error("services", _("Choose at least one peer service or other task to sign."))
        if "summary" in incomplete.missing:
            form.add_error("summary", _("Write a short summary to sign."))
        current = queries.contact_for(grant, contact.pk)
        rebased = data.copy()
        rebased["version"] = str(current.version)
        bound = ContactForm(rebased)
        bound.is_valid()
        for field, errors in form.errors.items():
            for error in errors:
                bound.add_error(field, error)
        return render(
            request,
            "encounters/contact_edit.html",
            _edit_context(grant, current, bound, token),
            status=400,
        )
    except actions.NotAllowedError:
        raise PermissionDenied from None
    except actions.NoteLockedError:
        messages.info(request, _("This note is signed. Add an addendum to change it."))
        return redirect(
            "encounters:contact_detail", client_id=grant.client.pk, contact_id=contact.pk
        )
    messages.success(request, _("Draft saved. You can finish it later from My day."))
    _advise(request, form.changes(), grant.client.organization_id)
    return redirect("clients:my_day")


def _discard(
    request: HttpRequest,
    user: Staff,
    grant: access.ClientAccess,
    contact: Contact,
    form: ContactForm,
) -> HttpResponse:
    try:
        version = int(request.POST.get("version", ""))
        actions.contact_discard(actor=user, access=grant, contact=contact, expected_version=version)
    except ValueError:
        return HttpResponse(status=400)
    except actions.NotAllowedError:
        raise PermissionDenied from None
    except actions.StaleVersionError as stale:
        form.is_valid()
        return _conflict_page(request, grant, contact, form, "", stale.current)
    messages.success(request, _("Draft discarded."))
    return redirect("clients:detail", client_id=grant.client.pk)


def _conflict_page(
    request: HttpRequest,
    grant: access.ClientAccess,
    contact: Contact,
    form: ContactForm,
    token: str,
    current: Contact,
) -> HttpResponse:
    """Nothing was saved: keep this person's text, show the saved note, base the form on it."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    rebased = ContactForm(data)
    rebased.is_valid()
    return render(
        request,
        "encounters/contact_edit.html",
        _edit_context(grant, current, rebased, token, conflict=current),
        status=409,
    )


@login_required
@require_POST
def contact_autosave(request: HttpRequest, client_id: int, contact_id: int) -> HttpResponse:
    """htmx: save the draft as the person types; answer with a status line and the word check."""
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    return _autosave(request, user, grant, queries.contact_for(grant, contact_id))


def _autosave(
    request: HttpRequest, user: Staff, grant: access.ClientAccess, contact: Contact
) -> HttpResponse:
    form = ContactForm(request.POST)
    flags = _flags(request.POST, grant.client.organization_id)
    context: dict[str, Any] = {"client": grant.client, "contact": contact, "flags": flags}
    status = 200
    if contact.is_signed:
        context["state"] = "locked"
        status = 409
    elif not form.is_valid():
        context["state"] = "invalid"
        context["form"] = form
    else:
        try:
            saved = actions.contact_save_draft(
                actor=user,
                access=grant,
                contact=contact,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                edit_token=request.POST.get("edit_token", "")[:32],
                autosave=True,
            )
        except actions.StaleVersionError as stale:
            context.update(state="conflict", current=stale.current)
            status = 409
        except (actions.NoteLockedError, actions.NotAllowedError):
            context["state"] = "locked"
            status = 409
        else:
            context.update(state="saved", contact=saved, saved_at=timezone.localtime())
    return render(request, "encounters/_autosave.html", context, status=status)


@login_required
@require_POST
def addendum_add(request: HttpRequest, client_id: int, contact_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    contact = queries.contact_for(grant, contact_id)
    form = AddendumForm(request.POST)
    if form.is_valid() and contact.is_signed:
        actions.addendum_add(
            actor=user, access=grant, contact=contact, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Addendum added."))
        return redirect(
            "encounters:contact_detail", client_id=grant.client.pk, contact_id=contact.pk
        )
    return render(
        request,
        "encounters/contact_detail.html",
        {
            "client": grant.client,
            "access": grant,
            "contact": contact,
            "addendum_form": form if contact.is_signed else None,
        },
        status=400,
    )


@login_required
@require_POST
def contact_review(request: HttpRequest, client_id: int, contact_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_read(user, client_id)
    contact = queries.contact_for(grant, contact_id)
    if contact.author_id == user.pk or not actions.supervises_author(user, contact.author_id):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            actions.contact_review(
                actor=user,
                access=grant,
                contact=contact,
                returned=form.cleaned_data["decision"] == "returned",
                comment=form.cleaned_data["comment"],
            )
        except actions.NotAllowedError:
            messages.warning(request, _("This note is no longer waiting for review."))
            return redirect(
                "encounters:contact_detail", client_id=grant.client.pk, contact_id=contact.pk
            )
        following = actions.next_to_review(user, contact)
        if following is None:
            messages.success(request, _("Review saved. No more notes wait for you."))
            return redirect("encounters:review_queue")
        messages.success(request, _("Review saved. Here is the next note waiting for you."))
        return redirect(
            "encounters:contact_detail", client_id=following.client_id, contact_id=following.pk
        )
    return render(
        request,
        "encounters/contact_detail.html",
        {
            "client": grant.client,
            "access": grant,
            "contact": contact,
            "review_form": form,
            "attestation": user.organization.attestation(),  # type: ignore[union-attr]
        },
        status=400,
    )


@login_required
def my_notes(request: HttpRequest) -> HttpResponse:
    """All the user's notes to finish (My day shows the oldest few), a page at a time."""
    user = _user(request)
    page = queries.my_open_notes_page(user, after=request.GET.get("after") or None)
    client_queries.audit_list(user, "contact.open_notes", [note.client_id for note in page])
    return render(request, "encounters/my_notes.html", {"page": page})


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    queue = queries.review_queue(user, params=request.GET.dict())
    return render(
        request,
        "encounters/review_queue.html",
        {
            "waiting": queue.waiting,
            "drafts": queue.drafts,
            "waiting_total": queue.waiting_total,
            "drafts_total": queue.drafts_total,
        },
    )


# --- Before a session -----------------------------------------------------------------------------


@login_required
def prepare(request: HttpRequest, client_id: int) -> HttpResponse:
    """One page to read before meeting the person: recent contacts, next steps, meetings."""
    user = _user(request)
    grant = access.client_for_read(user, client_id)
    contacts = queries.contact_history(user, grant, per_page=3)
    sections = slots.fill("client_prepare", request, user, access=grant)
    return render(
        request,
        "encounters/prepare.html",
        {
            "client": grant.client,
            "access": grant,
            "contacts": contacts,
            "engagement_label": queries.engagement_label(
                grant.client, queries.engagement_of(grant), timezone.localdate()
            ),
            "sections": sections,
        },
    )


# --- Outreach -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def outreach(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = (
        access.client_for_write(user, client_id)
        if request.method == "POST"
        else access.client_for_read(user, client_id)
    )
    form = OutreachForm(request.POST or None, initial=OutreachForm.initial_now())
    if request.method == "POST" and form.is_valid():
        actions.outreach_record(actor=user, access=grant, **form.cleaned_data)
        messages.success(request, _("Outreach attempt saved."))
        return redirect("encounters:outreach", client_id=grant.client.pk)
    attempts = queries.outreach_of(grant)
    engagement = queries.engagement_of(grant)
    queries.audit_view(user, grant, "outreach.view")
    return render(
        request,
        "encounters/outreach.html",
        {
            "client": grant.client,
            "access": grant,
            "form": form,
            "attempts": attempts,
            "engagement": engagement,
            "engagement_label": queries.engagement_label(
                grant.client, engagement, timezone.localdate()
            ),
            "engagement_form": EngagementForm(
                initial={"status": engagement.status if engagement else "new"}
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def engagement_update(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    form = EngagementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an engagement status."))
    else:
        actions.engagement_set(actor=user, access=grant, status=form.cleaned_data["status"])
        messages.success(request, _("Engagement updated."))
    return redirect("encounters:outreach", client_id=grant.client.pk)


# --- Groups ---------------------------------------------------------------------------------------


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    groups = list(queries.groups_for(_user(request)))
    return render(request, "encounters/group_list.html", {"groups": groups})


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.organization_id:
        raise PermissionDenied
    form = GroupForm(
        request.POST or None,
        organization_id=user.organization_id,
        initial={"facilitators": [user.pk]},
    )
    facilitator_panels = slots.fill("group_form", request, user, kind="", facilitators=[])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Who is trained to lead this kind of group; without one, the user confirms first.
        facilitator_panels = slots.fill(
            "group_form",
            request,
            user,
            kind=data["kind"],
            facilitators=list(data["facilitators"]),
        )
        untrained = any(p.context.get("untrained") for p in facilitator_panels)
        if untrained and not request.POST.get("confirm_untrained"):
            return render(
                request,
                "encounters/group_form.html",
                {"form": form, "panels": facilitator_panels, "confirm": True},
            )
        group = actions.group_create(
            actor=user,
            organization=user.organization,  # type: ignore[arg-type]
            name=data["name"],
            kind=data["kind"],
            schedule=data["schedule"],
            location=data["location"],
            team=data["team"],
            facilitators=list(data["facilitators"]),
        )
        messages.success(request, _("Group created."))
        return redirect("encounters:group_detail", group_id=group.pk)
    return render(
        request,
        "encounters/group_form.html",
        {"form": form, "panels": facilitator_panels},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    user = _user(request)
    group = queries.group_for(user, group_id)
    return render(
        request,
        "encounters/group_detail.html",
        {
            "group": group,
            "roster": queries.group_roster(user, group),
            "sessions": queries.group_sessions(user, group, after=request.GET.get("after")),
            "is_facilitator": queries.is_facilitator(user, group),
            "may_list": listing.may_list(user, group),
            "listing": listing.listing_of(group),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, group_id: int) -> HttpResponse:
    """Attendance for the whole room on one screen, and a short group note."""
    user = _user(request)
    group = queries.group_for(user, group_id)
    if not queries.is_facilitator(user, group):
        raise PermissionDenied
    # The roster view was audited when the form was shown; a save audits the attendance itself.
    roster = queries.group_roster(user, group, audit_view=request.method == "GET")
    walk_in_choices = queries.walk_in_choices(user, group)
    form = SessionForm(
        request.POST or None,
        initial={"held_on": timezone.localdate()},
        walk_ins=walk_in_choices,
    )
    marks: dict[int, str] = {}
    missing: list[int] = []
    nobody = False
    if request.method == "POST":
        valid_statuses = dict(ATTENDANCE_CHOICES)
        for member in roster:
            value = request.POST.get(f"attendance-{member.client_id}", "")
            if value in valid_statuses:
                marks[member.client_id] = value
            else:
                missing.append(member.client_id)
        if form.is_valid() and not missing:
            walk_ins = {c.pk for c in form.cleaned_data["walk_ins"]}
            guests = form.cleaned_data["guests"] or 0
            if not marks and not walk_ins and not guests:
                nobody = True
            else:
                actions.group_session_record(
                    actor=user,
                    group=group,
                    held_on=form.cleaned_data["held_on"],
                    topic=form.cleaned_data["topic"],
                    note=form.cleaned_data["note"],
                    attendance=marks,
                    roster_ids={m.client_id for m in roster},
                    walk_in_ids=walk_ins,
                    guests=guests,
                )
                messages.success(request, _("Session and attendance saved."))
                return redirect("encounters:group_detail", group_id=group.pk)
    rows = [
        (member, marks.get(member.client_id, ""), member.client_id in missing) for member in roster
    ]
    return render(
        request,
        "encounters/session_form.html",
        {
            "group": group,
            "form": form,
            "rows": rows,
            "choices": ATTENDANCE_CHOICES,
            "missing": bool(missing),
            "nobody": nobody,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def group_join(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    form = JoinGroupForm(request.POST, groups=queries.groups_to_join(grant))
    if form.is_valid():
        actions.group_member_add(actor=user, access=grant, group=form.cleaned_data["group"])
        messages.success(request, _("Added to the group."))
    else:
        messages.error(request, _("Choose a group to join."))
    return redirect("clients:detail", client_id=grant.client.pk)
