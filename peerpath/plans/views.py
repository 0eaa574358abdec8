"""Plan pages. Thin: the gate first (with the client_id in the URL), then a query or an action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerpath.clients import access
from peerpath.clients.queries import audit_read
from peerpath.core import audit
from peerpath.core.models import Staff
from peerpath.core.requests import signed_in_staff as _user

from . import actions, pdf, queries, wrap_fields
from .forms import (
    GoalEditForm,
    GoalForm,
    ImrGoalForm,
    ImrSessionForm,
    PdfLanguageForm,
    StepForm,
    WhamActionPlanForm,
    WhamLogForm,
    WhamPlanForm,
    WrapForm,
    note_form,
    wham_link_form,
)


def _audit_open(user: Staff, grant: access.ClientAccess, action: str, obj: object) -> None:
    """Opening an edit form shows the saved plan: that is a view of the person's data."""
    audit_read(user, grant, action, obj, purpose="edit")


@login_required
def plan_page(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    page = queries.plan_page(user, access.client_for_read(user, client_id))
    return render(
        request,
        "plans/plan_page.html",
        {"page": page, "client": page.access.client, "access": page.access},
    )


# Goals ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        goal = actions.goal_create(actor=user, access=grant, **form.cleaned_data)
        messages.success(request, _("Goal saved."))
        return redirect("plans:goal", client_id=grant.client.pk, goal_id=goal.pk)
    return render(request, "plans/goal_form.html", {"client": grant.client, "form": form})


@login_required
def goal_detail(request: HttpRequest, client_id: int, goal_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_read(user, client_id)
    goal = queries.goal_detail(user, grant, goal_id)
    return render(
        request,
        "plans/goal_detail.html",
        {
            "client": grant.client,
            "access": grant,
            "goal": goal,
            # One form at a time ("?form=step" or "?form=note"); each keeps ids of its own.
            "open_form": request.GET.get("form", ""),
            "step_form": StepForm(auto_id="step_%s"),
            "note_form": note_form(queries.recent_contacts(grant), auto_id="note_%s")
            if grant.can_write
            else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, client_id: int, goal_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    goal = queries.goal_for(grant, goal_id)
    conflict = None
    if request.method == "POST":
        form = GoalEditForm(request.POST)
        if form.is_valid():
            try:
                actions.goal_update(
                    actor=user,
                    access=grant,
                    goal=goal,
                    expected_version=form.cleaned_data["version"],
                    changes=form.changes(),
                )
            except actions.StaleVersionError as stale:
                conflict = stale
                data = request.POST.copy()
                data["version"] = str(stale.current.version)
                form = GoalEditForm(data)
            else:
                messages.success(request, _("Goal saved."))
                return redirect("plans:goal", client_id=grant.client.pk, goal_id=goal.pk)
    else:
        _audit_open(user, grant, "goal.view", goal)
        form = GoalEditForm(
            initial={
                "own_words": goal.own_words,
                "smart_restatement": goal.smart_restatement,
                "life_area": goal.life_area,
                "status": goal.status,
                "version": goal.version,
            }
        )
    return render(
        request,
        "plans/goal_form.html",
        {"client": grant.client, "form": form, "goal": goal, "conflict": conflict},
        status=409 if conflict else 200,
    )


@login_required
@require_POST
def goal_step_add(request: HttpRequest, client_id: int, goal_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    goal = queries.goal_for(grant, goal_id)
    form = StepForm(request.POST)
    if form.is_valid():
        actions.goal_step_add(actor=user, access=grant, goal=goal, **form.cleaned_data)
        messages.success(request, _("Step added."))
    else:
        messages.error(request, _("The step was not added: write what the step is."))
    return redirect("plans:goal", client_id=grant.client.pk, goal_id=goal.pk)


@login_required
@require_POST
def goal_step_done(
    request: HttpRequest, client_id: int, goal_id: int, step_id: int
) -> HttpResponse:
    from django.utils import timezone

    user = _user(request)
    grant = access.client_for_write(user, client_id)
    goal = queries.goal_for(grant, goal_id)
    step = queries.step_for(grant, goal, step_id)
    actions.goal_step_done(actor=user, access=grant, step=step, done_on=timezone.localdate())
    messages.success(request, _("Step marked as done."))
    return redirect("plans:goal", client_id=grant.client.pk, goal_id=goal.pk)


@login_required
@require_POST
def goal_note_add(request: HttpRequest, client_id: int, goal_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    goal = queries.goal_for(grant, goal_id)
    contacts = {c.pk: c for c in queries.recent_contacts(grant)}
    form = note_form(list(contacts.values()), request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        contact_id = data.pop("contact", None)
        actions.goal_note_add(
            actor=user, access=grant, goal=goal, contact=contacts.get(contact_id), **data
        )
        messages.success(request, _("Progress note saved."))
    else:
        messages.error(request, _("The note was not saved: write the progress and a date."))
    return redirect("plans:goal", client_id=grant.client.pk, goal_id=goal.pk)


# WRAP -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def wrap_edit(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    current = queries.wrap_current(grant)[1]
    # One part at a time (a short form each), with jump links to the others.
    part = wrap_fields.part(request.POST.get("part") or request.GET.get("part") or "")
    conflict_rows: list[queries.DiffRow] = []
    conflict = None
    if request.method == "POST":
        form = WrapForm(request.POST)
        if form.is_valid():
            try:
                version = actions.wrap_save(
                    actor=user,
                    access=grant,
                    based_on=form.cleaned_data["based_on"],
                    content=form.content(),
                    note=form.cleaned_data["note"],
                )
            except actions.NothingChangedError:
                messages.info(request, _("Nothing changed, so no new version was saved."))
                if current is None:
                    return redirect("clients:detail", client_id=grant.client.pk)
                return redirect("plans:wrap", client_id=grant.client.pk)
            except actions.StaleVersionError as stale:
                conflict = stale
                conflict_rows = (
                    [
                        row
                        for row in queries.wrap_diff(form.content(), stale.current.content)
                        if row.key in stale.changed_fields
                    ]
                    if stale.current is not None
                    else []
                )
                data = request.POST.copy()
                data["based_on"] = str(stale.current.number if stale.current else 0)
                form = WrapForm(data)
            else:
                messages.success(
                    request, _("WRAP saved as version %(number)s.") % {"number": version.number}
                )
                return redirect("plans:wrap", client_id=grant.client.pk)
    else:
        if current is not None:
            _audit_open(user, grant, "wrap.view", current)
        initial = dict(current.content) if current else {}
        initial["based_on"] = current.number if current else 0
        form = WrapForm(initial=initial)
    return render(
        request,
        "plans/wrap_edit.html",
        {
            "client": grant.client,
            "form": form,
            "part": part,
            "parts": wrap_fields.PARTS,
            "fields": form.part_fields(part.key),
            "carried": form.other_fields(part.key),
            "conflict": conflict,
            "conflict_rows": conflict_rows,
        },
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


@login_required
def wrap_view(request: HttpRequest, client_id: int, number: int | None = None) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_read(user, client_id)
    versions = queries.wrap_versions(user, grant)
    if number is None:
        version = versions[0] if versions else None
    else:
        version = next((v for v in versions if v.number == number), None)
        if version is None:
            from django.http import Http404

            raise Http404
    parts = []
    if version is not None:
        parts = [
            (part.title, [(f.label, version.content.get(f.key, "")) for f in part.fields])
            for part in wrap_fields.PARTS
        ]
    return render(
        request,
        "plans/wrap_view.html",
        {
            "client": grant.client,
            "access": grant,
            "version": version,
            "versions": versions,
            "parts": parts,
            "is_current": bool(versions) and version is versions[0],
        },
    )


@login_required
def wrap_compare(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_read(user, client_id)
    versions = queries.wrap_versions(user, grant)
    by_number = {v.number: v for v in versions}
    try:
        old_number = int(request.GET.get("old", ""))
        new_number = int(request.GET.get("new", ""))
    except ValueError:
        old_number = new_number = 0
    old, new = by_number.get(old_number), by_number.get(new_number)
    if old is None or new is None:
        if len(versions) < 2:
            messages.info(request, _("There is only one version, so there is nothing to compare."))
            return redirect("plans:wrap", client_id=grant.client.pk)
        new, old = versions[0], versions[1]
    rows = queries.wrap_diff(old.content, new.content)
    return render(
        request,
        "plans/wrap_compare.html",
        {
            "client": grant.client,
            "old": old,
            "new": new,
            "rows": rows,
            "changed": [row for row in rows if row.changed],
            "versions": versions,
        },
    )


@login_required
def wrap_crisis_pdf(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_read(user, client_id)
    form = PdfLanguageForm(request.GET)
    language = (form.cleaned_data.get("lang") if form.is_valid() else "") or "en"
    version = queries.wrap_current(grant)[1]
    if version is None:
        messages.error(request, _("Write the crisis plan before printing it."))
        return redirect("plans:wrap_edit", client_id=grant.client.pk)
    document = pdf.crisis_plan_pdf(grant.client, version, language)
    audit.record(
        organization=grant.client.organization_id,
        actor=user,
        client_id=grant.client.pk,
        action="wrap.crisis_pdf",
        obj=version,
        details={"language": language, "version": version.number},
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="crisis-plan-{language}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# WHAM -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def wham_new(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    form = WhamPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = actions.wham_plan_create(actor=user, access=grant, **form.cleaned_data)
        messages.success(request, _("WHAM goal saved. Now make a plan for this week."))
        return redirect("plans:wham", client_id=grant.client.pk, plan_id=plan.pk)
    return render(request, "plans/wham_new.html", {"client": grant.client, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def wham_detail(request: HttpRequest, client_id: int, plan_id: int) -> HttpResponse:
    user = _user(request)
    grant = (
        access.client_for_write(user, client_id)
        if request.method == "POST"
        else access.client_for_read(user, client_id)
    )
    plan = queries.wham_for(grant, plan_id)
    action_form = WhamActionPlanForm(prefix="action")
    log_form = WhamLogForm(prefix="log")
    contacts = {c.pk: c for c in queries.recent_contacts(grant)} if grant.can_write else {}
    sessions = (
        {g.pk: g for g in queries.recent_wham_group_sessions(grant)} if grant.can_write else {}
    )
    link_form = wham_link_form(list(contacts.values()), list(sessions.values()))
    status = 200
    if request.method == "POST":
        if "link-session" in request.POST:
            link_form = wham_link_form(
                list(contacts.values()), list(sessions.values()), request.POST
            )
            if link_form.is_valid():
                kind, _sep, pk = link_form.cleaned_data["session"].partition("-")
                actions.wham_session_link(
                    actor=user,
                    access=grant,
                    plan=plan,
                    contact=contacts.get(int(pk)) if kind == "contact" else None,
                    group_session=sessions.get(int(pk)) if kind == "group" else None,
                )
                messages.success(request, _("Session linked to this plan."))
                return redirect("plans:wham", client_id=grant.client.pk, plan_id=plan.pk)
        elif "action-what" in request.POST:
            action_form = WhamActionPlanForm(request.POST, prefix="action")
            if action_form.is_valid():
                data = dict(action_form.cleaned_data)
                data.pop("keep_anyway")
                actions.wham_action_plan_add(actor=user, access=grant, plan=plan, **data)
                messages.success(request, _("Weekly plan saved."))
                return redirect("plans:wham", client_id=grant.client.pk, plan_id=plan.pk)
        else:
            log_form = WhamLogForm(request.POST, prefix="log")
            if log_form.is_valid():
                actions.wham_log_add(actor=user, access=grant, plan=plan, **log_form.cleaned_data)
                messages.success(request, _("Log entry saved."))
                return redirect("plans:wham", client_id=grant.client.pk, plan_id=plan.pk)
        status = 400
    else:
        audit.record(
            organization=grant.client.organization_id,
            actor=user,
            client_id=grant.client.pk,
            action="wham.view",
            obj=plan,
        )
    return render(
        request,
        "plans/wham_detail.html",
        {
            "client": grant.client,
            "access": grant,
            "plan": plan,
            "action_plans": list(plan.action_plans.all()[:20]),
            "log": list(plan.log.all()[:30]),
            "action_form": action_form,
            "log_form": log_form,
            "link_form": link_form,
            "links": list(
                plan.session_links.select_related("contact__author", "group_session__group")
            ),
        },
        status=status,
    )


# IMR ------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def imr(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = (
        access.client_for_write(user, client_id)
        if request.method == "POST"
        else access.client_for_read(user, client_id)
    )
    progress = queries.imr_progress(grant)
    plan = progress.plan if progress else None
    goal_form = ImrGoalForm(
        prefix="goal",
        initial={
            "recovery_goal": plan.recovery_goal if plan else "",
            "version": plan.version if plan else 0,
        },
    )
    session_form = ImrSessionForm(prefix="session")
    conflict = None
    status = 200
    if request.method == "POST":
        if "goal-recovery_goal" in request.POST:
            goal_form = ImrGoalForm(request.POST, prefix="goal")
            if goal_form.is_valid():
                try:
                    actions.imr_goal_set(
                        actor=user,
                        access=grant,
                        recovery_goal=goal_form.cleaned_data["recovery_goal"],
                        expected_version=goal_form.cleaned_data["version"] or None,
                    )
                except actions.StaleVersionError as stale:
                    conflict = stale
                    status = 409
                else:
                    messages.success(request, _("Recovery goal saved."))
                    return redirect("plans:imr", client_id=grant.client.pk)
            else:
                status = 400
        elif plan is not None:
            session_form = ImrSessionForm(request.POST, prefix="session")
            if session_form.is_valid():
                actions.imr_session_add(
                    actor=user, access=grant, imr=plan, **session_form.cleaned_data
                )
                messages.success(request, _("Session saved."))
                return redirect("plans:imr", client_id=grant.client.pk)
            status = 400
        else:
            messages.error(request, _("Write the recovery goal first."))
            status = 400
    else:
        audit.record(
            organization=grant.client.organization_id,
            actor=user,
            client_id=grant.client.pk,
            action="imr.view",
            obj=grant.client,
        )
    return render(
        request,
        "plans/imr.html",
        {
            "client": grant.client,
            "access": grant,
            "progress": progress,
            "goal_form": goal_form,
            "session_form": session_form,
            "conflict": conflict,
        },
        status=status,
    )


@login_required
@require_POST
def contact_follow_up(request: HttpRequest, client_id: int, contact_id: int) -> HttpResponse:
    """Save the goals a signed contact worked on and the person's next step."""
    from peerpath.encounters import queries as contacts

    from .forms import FollowUpForm

    user = _user(request)
    grant = access.client_for_write(user, client_id)
    contact = contacts.contact_for(grant, contact_id)
    goals = queries.open_goals_with_next_steps(grant)
    form = FollowUpForm(request.POST, goals=goals, auto_id="follow_%s")
    back = reverse("encounters:contact_detail", args=[grant.client.pk, contact.pk])
    if not contact.is_signed:
        messages.error(request, _("Sign the note first."))
        return redirect(back)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back + "?signed=1#follow-up")
    actions.contact_follow_up(
        actor=user,
        access=grant,
        contact=contact,
        goals=list(form.cleaned_data["goals"]),
        next_step=form.cleaned_data["next_step"],
        next_step_due=form.cleaned_data["next_step_due"],
    )
    messages.success(request, _("Saved: the goals you worked on and the next step."))
    return redirect(back + "?signed=1&followed=1")
