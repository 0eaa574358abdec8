"""Privacy pages: care-team assignment under the dual-relationship policy, individual
determinations, restriction, emergency access, consents and disclosures, the privacy officer's desk
and a staff member's own record seen as a client.

Thin, like views.py: every client fetch goes through `access`, every write through an action.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerpath.core import audit, downloads
from peerpath.core.models import Staff
from peerpath.core.requests import signed_in_staff as _user

from . import access, actions, consents, desk, emergency, policy, queries
from .forms import (
    AuditSearchForm,
    CareTeamAssignForm,
    ConsentForm,
    DecisionForm,
    DeterminationRequestForm,
    DisclosureForm,
    EmergencyAccessForm,
    FullRecordForm,
    PolicyForm,
    RestrictionForm,
    ReviewForm,
    RevokeForm,
)
from .models import (
    Consent,
    Determination,
    EmergencyAccess,
    PrivacyPolicy,
)


def privacy_officer_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not access.is_privacy_officer(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _review_access(user: Staff, client_id: int) -> access.ClientAccess:
    """The privacy officer's review access; others who may see the record are refused (403)."""
    if access.is_privacy_officer(user):
        return access.client_for_privacy_review(user, client_id)
    access.client_for_read(user, client_id)  # 404 for those who may not see the record at all
    raise PermissionDenied


# Care team and determinations -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def care_team_add(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    client = grant.client
    current = queries.active_care_team_ids(client)
    exclude = [*current, client.staff_account_id] if client.staff_account_id else current
    form = CareTeamAssignForm(
        request.POST or None, organization_id=client.organization_id, exclude_ids=exclude
    )
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.care_team_assign(
                actor=user,
                client=client,
                staff=form.cleaned_data["staff"],
                role=form.cleaned_data["role"],
            )
        except actions.AssignmentRefused as refused:
            refusal = refused.check
        else:
            messages.success(request, _("Added to the care team."))
            return redirect("clients:detail", client_id=client.pk)
    return render(
        request,
        "clients/privacy/care_team_add.html",
        {"client": client, "form": form, "refusal": refusal},
        status=409 if refusal else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def determination_new(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    client = grant.client
    if client.staff_account_id is None:
        raise Http404
    initial = {}
    if request.GET.get("program", "").isdigit():
        initial["program"] = int(request.GET["program"])
    form = DeterminationRequestForm(
        request.POST or None, organization_id=client.organization_id, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        policy.determination_request(actor=user, client=client, **form.cleaned_data)
        messages.success(request, _("Sent to the privacy officer for a decision."))
        return redirect("clients:detail", client_id=client.pk)
    return render(
        request, "clients/privacy/determination_new.html", {"client": client, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def determination_decide(
    request: HttpRequest, client_id: int, determination_id: int
) -> HttpResponse:
    user = _user(request)
    grant = _review_access(user, client_id)
    determination = queries.determination_of(grant.client, determination_id)
    form = DecisionForm(request.POST or None)
    pending = determination.status == Determination.Status.PENDING
    if request.method == "POST" and pending and form.is_valid():
        policy.determination_decide(
            actor=user,
            determination=determination,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Decision saved."))
        return redirect("clients:privacy_desk")
    with transaction.atomic():
        audit.record(
            organization=grant.client.organization_id,
            actor=user,
            client_id=grant.client.pk,
            action="determination.view",
            obj=determination,
            purpose="privacy_review",
        )
    return render(
        request,
        "clients/privacy/determination_decide.html",
        {"client": grant.client, "determination": determination, "form": form},
    )


# Restriction ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def restriction(request: HttpRequest, client_id: int) -> HttpResponse:
    """The care team restricts a record by hand; the privacy officer may lift a hand-set one."""
    user = _user(request)
    grant = access.client_for_read(user, client_id)
    client = grant.client
    lifting = client.is_restricted and client.staff_account_id is None
    if lifting and not access.is_privacy_officer(user):
        raise PermissionDenied
    if not lifting and not grant.can_write:
        raise PermissionDenied
    if client.staff_account_id is not None:
        messages.info(request, _("This record is linked to a staff account and stays restricted."))
        return redirect("clients:detail", client_id=client.pk)
    form = RestrictionForm(request.POST or None) if not lifting else None
    if request.method == "POST" and (lifting or (form is not None and form.is_valid())):
        reason = "" if lifting or form is None else form.cleaned_data["reason"]
        actions.client_set_restriction(
            actor=user, client=client, restricted=not lifting, reason=reason
        )
        messages.success(
            request, _("The restriction is lifted.") if lifting else _("The record is restricted.")
        )
        if lifting:
            return redirect("clients:privacy_desk")
        return redirect("clients:detail", client_id=client.pk)
    return render(
        request,
        "clients/privacy/restriction.html",
        {"client": client, "form": form, "lifting": lifting},
    )


# Emergency access -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def emergency_access_start(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = EmergencyAccessForm(request.POST or None)
    not_found = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        client = access.emergency_candidate(
            user,
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            record_number=data["record_number"],
        )
        if client is None:
            not_found = True
            with transaction.atomic():
                audit.record(
                    organization=user.organization_id,  # type: ignore[arg-type]
                    actor=user,
                    action="emergency_access.not_found",
                    purpose="emergency",
                    details={"record_number": data["record_number"]},
                )
        else:
            try:
                emergency.emergency_access_start(
                    actor=user,
                    client=client,
                    affiliation=data["affiliation"],
                    nature_of_emergency=data["nature_of_emergency"],
                )
            except emergency.OnOwnCaseloadError:
                # No break-glass, and nothing for the privacy officer to review.
                messages.info(
                    request,
                    _(
                        "You are on this person's care team, so their record opens without "
                        "emergency access."
                    ),
                )
                return redirect("clients:detail", client_id=client.pk)
            except emergency.EmergencyAccessRefused:
                form.add_error(None, _("This record cannot be opened with emergency access."))
            else:
                return redirect("clients:detail", client_id=client.pk)
    return render(
        request,
        "clients/privacy/emergency_start.html",
        {"form": form, "not_found": not_found, "minutes": _minutes(user)},
        status=404 if not_found else 200,
    )


def _minutes(user: Staff) -> int:
    if not user.organization_id:
        return 0
    return PrivacyPolicy.for_organization(user.organization_id).emergency_access_minutes


@login_required
@require_http_methods(["GET", "POST"])
def emergency_review(request: HttpRequest, client_id: int, access_id: int) -> HttpResponse:
    user = _user(request)
    grant = _review_access(user, client_id)
    record = queries.emergency_access_of(grant.client, access_id)
    form = ReviewForm(request.POST or None)
    pending = record.review == EmergencyAccess.Review.PENDING
    if request.method == "POST" and not pending:
        messages.info(request, _("This emergency access was already reviewed."))
        return redirect("clients:privacy_desk")
    if request.method == "POST" and form.is_valid():
        try:
            emergency.emergency_access_review(
                actor=user,
                grant=record,
                justified=form.cleaned_data["justified"] == "yes",
                note=form.cleaned_data["note"],
            )
        except ValueError:  # a second submit, or a colleague, got there first
            messages.info(request, _("This emergency access was already reviewed."))
        else:
            messages.success(request, _("Review saved."))
        return redirect("clients:privacy_desk")
    # What the staff member looked at while the access was open.
    events = queries.events_during_emergency_access(record)
    with transaction.atomic():
        audit.record(
            organization=record.organization_id,
            actor=user,
            client_id=record.client_id,
            action="emergency_access.view",
            obj=record,
            purpose="privacy_review",
        )
    return render(
        request,
        "clients/privacy/emergency_review.html",
        {"client": grant.client, "record": record, "form": form, "events": list(events)},
    )


# Consents and disclosures ---------------------------------------------------------------------


@login_required
def consent_list(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_read(user, client_id)
    client = grant.client
    today = timezone.localdate()
    all_consents = queries.consents_of(client)
    with transaction.atomic():
        audit.record(
            organization=client.organization_id,
            actor=user,
            client_id=client.pk,
            action="consent.list",
            obj=client,
        )
    return render(
        request,
        "clients/privacy/consent_list.html",
        {
            "client": client,
            "access": grant,
            "consents": all_consents,
            "valid_ids": {c.pk for c in all_consents if c.is_valid_on(today)},
            "part2": consents.is_part2(client),
            "disclosures": consents.accounting(client, today),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_new(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    form = ConsentForm(
        request.POST or None,
        initial={"signed_on": timezone.localdate(), "purpose": Consent.Purpose.TPO},
    )
    if request.method == "POST" and form.is_valid():
        consents.consent_record(actor=user, access=grant, **form.cleaned_data)
        messages.success(request, _("Consent saved."))
        return redirect("clients:consents", client_id=grant.client.pk)
    return render(
        request, "clients/privacy/consent_new.html", {"client": grant.client, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_revoke(request: HttpRequest, client_id: int, consent_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    consent = queries.consent_of(grant.client, consent_id)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and consent.revoked_at is None and form.is_valid():
        consents.consent_revoke(
            actor=user, access=grant, consent=consent, note=form.cleaned_data["note"]
        )
        messages.success(request, _("The consent is revoked. It no longer allows sharing."))
        return redirect("clients:consents", client_id=grant.client.pk)
    return render(
        request,
        "clients/privacy/consent_revoke.html",
        {"client": grant.client, "consent": consent, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def disclosure_new(request: HttpRequest, client_id: int) -> HttpResponse:
    user = _user(request)
    grant = access.client_for_write(user, client_id)
    client = grant.client
    valid = consents.valid_consents(client)
    form = DisclosureForm(request.POST or None, consents=valid)
    refused = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = consents.disclosure_make(
                actor=user,
                access=grant,
                method=data["method"],
                purpose=data["purpose"],
                information=data["information"],
                recipient=data["recipient"],
                consent=data["consent"],
                counseling_notes=data["counseling_notes"],
            )
        except consents.DisclosureRefused as problem:
            refused = str(problem.message)
        else:
            response = HttpResponse(result.pdf, content_type="application/pdf")
            response["Content-Disposition"] = (
                f'attachment; filename="disclosure-{result.disclosure.pk}.pdf"'
            )
            return response
    return render(
        request,
        "clients/privacy/disclosure_new.html",
        {
            "client": client,
            "form": form,
            "refused": refused,
            "part2": consents.is_part2(client),
            "notice": consents.PART2_SHORT_NOTICE,
        },
        status=403 if refused else 200,
    )


@login_required
@require_POST
def accounting_pdf(request: HttpRequest, client_id: int) -> HttpResponse:
    """Ask for the person's accounting of disclosures; it is made in the background."""
    user = _user(request)
    grant = access.client_for_read(user, client_id)
    made = downloads.download_request(actor=user, kind="accounting", client_id=grant.client.pk)
    return redirect("core:download", download_id=made.pk)


# The privacy officer's desk --------------------------------------------------------------------


@privacy_officer_required
def privacy_desk(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    with transaction.atomic():
        audit.record(
            organization=user.organization_id,  # type: ignore[arg-type]
            actor=user,
            action="privacy_desk.view",
            purpose="privacy_review",
        )
    return render(
        request,
        "clients/privacy/desk.html",
        {
            "desk": desk.desk(user),
            "policy": PrivacyPolicy.for_organization(user.organization_id),  # type: ignore[arg-type]
            "today": timezone.localdate(),
        },
    )


def _audit_filter(form: AuditSearchForm) -> desk.AuditFilter:
    data = form.cleaned_data
    return desk.AuditFilter(
        client_id=data.get("client_id"),
        actor_id=data["actor"].pk if data.get("actor") else None,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        action=(data.get("action") or "").strip(),
    )


@privacy_officer_required
def audit_search(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = AuditSearchForm(request.GET or None, organization_id=user.organization_id)  # type: ignore[arg-type]
    events = None
    if form.is_bound and form.is_valid():
        params = {k: str(v) for k, v in request.GET.items() if k != "after"}
        try:
            events = desk.audit_search(
                user, _audit_filter(form), after=request.GET.get("after") or None, params=params
            )
        except BadRequest as error:
            form.add_error(None, str(error))
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "clients/privacy/audit_search.html",
        {
            "form": form,
            "events": events,
            "limit": desk.AUDIT_PAGE_SIZE,
            "query": query.urlencode(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@privacy_officer_required
def audit_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    user = _user(request)
    form = AuditSearchForm(request.GET, organization_id=user.organization_id)  # type: ignore[arg-type]
    if not form.is_valid():
        return render(
            request,
            "clients/privacy/audit_search.html",
            {"form": form, "events": None, "limit": desk.AUDIT_PAGE_SIZE, "query": ""},
            status=400,
        )
    lines = desk.audit_csv(user, _audit_filter(form))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response


@privacy_officer_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    current = PrivacyPolicy.for_organization(user.organization_id)  # type: ignore[arg-type]
    form = PolicyForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        policy.policy_set(
            actor=user,
            mode=form.cleaned_data["mode"],
            emergency_access_minutes=form.cleaned_data["emergency_access_minutes"],
        )
        messages.success(request, _("Policy saved."))
        return redirect("clients:privacy_desk")
    return render(request, "clients/privacy/policy.html", {"form": form})


# A staff member's own record, as a client sees it -----------------------------------------------


@login_required
def my_record(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    client = access.own_record(user)
    if client is None:
        raise Http404
    with transaction.atomic():
        audit.record(
            organization=client.organization_id,
            actor=user,
            client_id=client.pk,
            action="client.view_own",
            obj=client,
            purpose="individual_access",
        )
    return render(
        request,
        "clients/privacy/my_record.html",
        {
            "client": client,
            **queries.own_record_parts(client),
            "disclosures": consents.accounting(client),
            "opened": queries.who_opened(client),
            "opened_days": queries.OPENED_DAYS,
        },
    )


# A person's full record, for the person (right of access) ------------------------------------


@privacy_officer_required
@require_http_methods(["GET", "POST"])
def full_record(request: HttpRequest, client_id: int | None = None) -> HttpResponse:
    """Find the person by record number, then make their full record as a PDF or JSON file."""
    user = _user(request)
    if client_id is None:
        form = FullRecordForm(request.GET or None)
        if form.is_valid():
            grant = access.client_for_privacy_review(user, form.cleaned_data["record_number"])
            return redirect("clients:full_record", client_id=grant.client.pk)
        return render(request, "clients/privacy/full_record_find.html", {"form": form})
    grant = access.client_for_privacy_review(user, client_id)
    kind = request.POST.get("format") if request.method == "POST" else None
    if kind in ("json", "pdf"):
        made = downloads.download_request(
            actor=user, kind=f"full_record_{kind}", client_id=grant.client.pk
        )
        return redirect("core:download", download_id=made.pk)
    return render(request, "clients/privacy/full_record.html", {"client": grant.client})
