"""42 CFR Part 2 (2024 rule): labelled records, consents, disclosures and their accounting.

* A person's record is labelled Part 2 when they were ever enrolled in a substance-use (or
  co-occurring) program.
* A disclosure (print, export, sending to another provider) of a labelled record needs a valid
  consent that names the recipient and covers the purpose; substance-use counseling notes need
  their own separate consent. Every disclosure carries the required notice and is kept for the
  person's accounting of disclosures (3 years).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from peerpath.core import audit
from peerpath.core.models import Program, Staff
from peerpath.core.pdf import html_to_pdf

from .access import ClientAccess
from .models import CareTeamMember, Client, Consent, Disclosure, Enrollment
from .models.privacy import PART2_NOTICE, PART2_SHORT_NOTICE

PART2_PROGRAM_KINDS = (Program.Kind.SUBSTANCE_USE, Program.Kind.CO_OCCURRING)
ACCOUNTING_YEARS = 3


class DisclosureRefused(Exception):
    """Why a disclosure cannot be made: `code` for the audit trail, `message` for the person."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
        self.message = REFUSALS[code]


REFUSALS = {
    "no_consent": _("A valid consent is needed to share substance use records."),
    "consent_not_valid": _("This consent is revoked or expired. It no longer allows sharing."),
    "notes_need_own_consent": _("Counseling notes need their own, separate consent."),
    "purpose_not_covered": _("This consent does not cover that purpose."),
    "other_person": _("This consent belongs to someone else."),
    "no_recipient": _("Say who receives the record."),
}


def is_part2(client: Client) -> bool:
    return Enrollment.objects.filter(client=client, program__kind__in=PART2_PROGRAM_KINDS).exists()


def valid_consents(client: Client, today: date | None = None) -> list[Consent]:
    today = today or timezone.localdate()
    return list(
        Consent.objects.filter(
            client=client, revoked_at__isnull=True, signed_on__lte=today, expires_on__gte=today
        )
    )


def consent_record(
    *,
    actor: Staff,
    access: ClientAccess,
    scope: str,
    information: str,
    recipient: str,
    purpose: str,
    purpose_detail: str,
    signed_on: date,
    expires_on: date,
) -> Consent:
    if not access.can_write:
        raise PermissionError("read-only access")
    if expires_on < signed_on:
        raise ValueError("A consent cannot expire before it is signed.")
    if purpose == Consent.Purpose.OTHER and not purpose_detail.strip():
        raise ValueError("Describe the purpose.")
    client = access.client
    with transaction.atomic():
        consent = Consent.objects.create(
            organization_id=client.organization_id,
            client=client,
            scope=scope,
            information=information,
            recipient=recipient,
            purpose=purpose,
            purpose_detail=purpose_detail,
            signed_on=signed_on,
            expires_on=expires_on,
            recorded_by=actor,
        )
        audit.record(
            organization=client.organization_id,
            actor=actor,
            client_id=client.pk,
            action="consent.record",
            obj=consent,
            details={"scope": scope, "purpose": purpose, "expires_on": expires_on},
        )
    return consent


def consent_revoke(*, actor: Staff, access: ClientAccess, consent: Consent, note: str) -> Consent:
    if not access.can_write:
        raise PermissionError("read-only access")
    if consent.client_id != access.client.pk:
        raise ValueError("This consent belongs to someone else.")
    with transaction.atomic():
        current = Consent.objects.select_for_update().get(pk=consent.pk)
        if current.revoked_at is not None:
            raise ValueError("This consent was already revoked.")
        current.revoked_at = timezone.now()
        current.revoked_by = actor
        current.revocation_note = note
        current.save(update_fields=["revoked_at", "revoked_by", "revocation_note"])
        audit.record(
            organization=current.organization_id,
            actor=actor,
            client_id=current.client_id,
            action="consent.revoke",
            obj=current,
            details={"note": note[:300]},
        )
    return current


@dataclass(frozen=True)
class DisclosureResult:
    disclosure: Disclosure
    pdf: bytes


def _render_pdf(template: str, context: dict[str, object]) -> bytes:
    html = render_to_string(template, {**context, "LANGUAGE_CODE": get_language() or "en"})
    return html_to_pdf(html)


def disclosure_make(
    *,
    actor: Staff,
    access: ClientAccess,
    method: str,
    purpose: str,
    information: str,
    recipient: str = "",
    consent: Consent | None = None,
    counseling_notes: bool = False,
) -> DisclosureResult:
    """Disclose the record summary: refused for Part 2 records without a valid, fitting consent."""
    if not access.can_write:
        raise PermissionError("read-only access")
    client = access.client
    part2 = is_part2(client)
    today = timezone.localdate()
    if consent is not None:
        if consent.client_id != client.pk:
            raise DisclosureRefused("other_person")
        recipient = consent.recipient
    if part2 or counseling_notes:
        problem = consent_problem(consent, purpose=purpose, notes=counseling_notes, today=today)
        if problem:
            with transaction.atomic():
                audit.record(
                    organization=client.organization_id,
                    actor=actor,
                    client_id=client.pk,
                    action="disclosure.refuse",
                    obj=client,
                    purpose=purpose,
                    details={"method": method, "problem": problem},
                )
            raise DisclosureRefused(problem)
    if not recipient.strip():
        raise DisclosureRefused("no_recipient")
    disclosure = disclosure_log(
        actor=actor,
        client=client,
        method=method,
        recipient=recipient,
        purpose=purpose,
        information=information,
        consent=consent if part2 or counseling_notes else None,
        part2=part2 or counseling_notes,
        counseling_notes=counseling_notes,
    )
    care_team = CareTeamMember.objects.filter(client=client, ended_on__isnull=True).select_related(
        "staff"
    )
    pdf = _render_pdf(
        "clients/pdf/disclosure.html",
        {
            "client": client,
            "disclosure": disclosure,
            "care_team": list(care_team),
            "enrollments": list(
                Enrollment.objects.filter(client=client).select_related("program", "team")
            ),
            "notice": disclosure.notice,
            "short_notice": gettext(PART2_SHORT_NOTICE) if disclosure.is_part2 else "",
        },
    )
    return DisclosureResult(disclosure=disclosure, pdf=pdf)


def disclosure_log(
    *,
    actor: Staff,
    client: Client,
    method: str,
    recipient: str,
    purpose: str,
    information: str,
    consent: Consent | None,
    part2: bool,
    counseling_notes: bool = False,
) -> Disclosure:
    """Keep a disclosure for the person's accounting, with its audit event; the caller has
    checked that it may be made (`consent_problem`)."""
    with transaction.atomic():
        disclosure = Disclosure.objects.create(
            organization_id=client.organization_id,
            client=client,
            consent=consent,
            method=method,
            recipient=recipient.strip()[:200],
            purpose=purpose,
            information=information[:300],
            includes_counseling_notes=counseling_notes,
            is_part2=part2,
            notice=PART2_NOTICE if part2 else "",
            disclosed_by=actor,
        )
        audit.record(
            organization=client.organization_id,
            actor=actor,
            client_id=client.pk,
            action="disclosure.make",
            obj=disclosure,
            purpose=purpose,
            details={
                "method": method,
                "recipient": disclosure.recipient,
                "consent": consent.pk if consent else None,
                "part2": part2,
            },
        )
    return disclosure


def consent_problem(
    consent: Consent | None, *, purpose: str, notes: bool = False, today: date
) -> str:
    """Why this consent does not allow the disclosure (a REFUSALS code), or "" when it does."""
    if consent is None:
        return "no_consent"
    if not consent.is_valid_on(today):
        return "consent_not_valid"
    if not consent.covers(purpose=purpose, counseling_notes=notes):
        return "notes_need_own_consent" if notes else "purpose_not_covered"
    return ""


def accounting_since(today: date) -> datetime:
    try:
        start = today.replace(year=today.year - ACCOUNTING_YEARS)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - ACCOUNTING_YEARS, day=28)
    return timezone.make_aware(datetime.combine(start, time.min))


def accounting(client: Client, today: date | None = None) -> list[Disclosure]:
    """Disclosures of the person's record in the past 3 years, newest first."""
    since = accounting_since(today or timezone.localdate())
    return list(
        Disclosure.objects.filter(client=client, disclosed_at__gte=since).select_related(
            "disclosed_by", "consent"
        )
    )


def accounting_pdf(*, actor: Staff, access: ClientAccess) -> bytes:
    """The person's accounting of disclosures as a PDF; producing it is audited."""
    client = access.client
    today = timezone.localdate()
    rows = accounting(client, today)
    with transaction.atomic():
        audit.record(
            organization=client.organization_id,
            actor=actor,
            client_id=client.pk,
            action="disclosure.accounting",
            obj=client,
            details={"rows": len(rows)},
        )
    return _render_pdf(
        "clients/pdf/accounting.html",
        {
            "client": client,
            "disclosures": rows,
            "since": accounting_since(today).date(),
            "today": today,
            "generated_at": timezone.localtime(),
            "notice": gettext(PART2_SHORT_NOTICE),
            "part2": is_part2(client),
        },
    )
