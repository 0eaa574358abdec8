"""Closed-loop referrals: every write, and each referral as a FHIR R4 Task.

A peer refers a person to a service from the directory, with the person's consent and a
follow-up date. The referral moves through the FHIR Task states (`NEXT` says which step may
follow which), each change kept with who made it and why, until the peer records what happened:
the outcome, and the barriers the person met on the way.

Sending a referral tells the service about the person, so it is a disclosure: it is kept in the
person's accounting of disclosures, and when the record is under 42 CFR Part 2 it needs a valid
Part 2 consent first.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from fhir.resources.R4B.task import Task

from peerpath.clients import consents
from peerpath.clients.access import ClientAccess
from peerpath.clients.models import Consent, Disclosure
from peerpath.core import audit
from peerpath.core.models import Staff

from .models import Entry, Referral, ReferralBarrier, ReferralChange

S = Referral.Status
OUT = Referral.Outcome

# Which status may follow which (FHIR R4 Task's state machine, as a peer lives it: a service
# often says nothing until the person has been served, so "done" may follow "referred").
NEXT: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.REQUESTED, S.CANCELLED),
    S.REQUESTED: (
        S.RECEIVED,
        S.ACCEPTED,
        S.REJECTED,
        S.IN_PROGRESS,
        S.COMPLETED,
        S.CANCELLED,
        S.FAILED,
    ),
    S.RECEIVED: (S.ACCEPTED, S.REJECTED, S.IN_PROGRESS, S.COMPLETED, S.CANCELLED, S.FAILED),
    S.ACCEPTED: (S.IN_PROGRESS, S.COMPLETED, S.CANCELLED, S.FAILED),
    S.IN_PROGRESS: (S.COMPLETED, S.CANCELLED, S.FAILED),
}
# A change to one of these needs a reason.
NEEDS_A_REASON = (S.REJECTED, S.CANCELLED, S.FAILED)
# The status an outcome moves the referral to, in order of preference from where it is.
OUTCOME_STATUS: dict[str, tuple[str, ...]] = {
    OUT.GOT_SERVICE: (S.COMPLETED,),
    OUT.WAITING_LIST: (S.ACCEPTED, S.IN_PROGRESS),
    OUT.NOT_ELIGIBLE: (S.REJECTED, S.FAILED),
    OUT.DID_NOT_GO: (S.FAILED,),
}
# An outcome that needs a few words on why.
OUTCOME_NEEDS_WHY = (OUT.NOT_ELIGIBLE, OUT.DID_NOT_GO)
FOLLOW_UP_DAYS = 7
LONGEST_FOLLOW_UP_DAYS = 366


class ReferralRefused(Exception):
    """Why the referral cannot be saved, in words for the person using the page."""

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class StaleReferral(Exception):
    """Someone else changed the referral since this page was opened."""

    def __init__(self, current: Referral) -> None:
        super().__init__("The referral changed since you opened it.")
        self.current = current


def _writer(access: ClientAccess) -> None:
    if not access.can_write:
        raise PermissionError("read-only access")


def _check_follow_up(day: date, today: date) -> None:
    if day < today:
        raise ReferralRefused(_("The follow-up date cannot be in the past."), field="follow_up_on")
    if day > today + timedelta(days=LONGEST_FOLLOW_UP_DAYS):
        raise ReferralRefused(_("Choose a follow-up date within a year."), field="follow_up_on")


def _part2_consent(referral: Referral, consent: Consent | None, today: date) -> None:
    """A referral from a Part 2 record names the person as a patient: it needs their consent."""
    if consent is not None and consent.client_id != referral.client_id:
        raise ReferralRefused(consents.REFUSALS["other_person"], field="part2_consent")
    problem = consents.consent_problem(
        consent, purpose=consent.purpose if consent else "", today=today
    )
    if problem:
        raise ReferralRefused(consents.REFUSALS[problem], field="part2_consent")


def _send(actor: Staff, referral: Referral, part2: bool, today: date) -> None:
    """What sending adds: the consent check, and the disclosure in the person's accounting."""
    if part2:
        _part2_consent(referral, referral.part2_consent, today)
    if not part2 and not referral.shared_information.strip():
        return
    referral.disclosure = consents.disclosure_log(
        actor=actor,
        client=referral.client,
        method=Disclosure.Method.SEND,
        recipient=referral.provider or referral.service_name,
        purpose=referral.part2_consent.purpose
        if part2 and referral.part2_consent
        else Consent.Purpose.OTHER,
        information=referral.shared_information or str(_("That the person is referred")),
        consent=referral.part2_consent if part2 else None,
        part2=part2,
    )


def referral_create(
    *,
    actor: Staff,
    access: ClientAccess,
    entry: Entry,
    reason: str,
    shared_information: str,
    consent_given: bool,
    follow_up_on: date,
    warm_handoff: bool,
    part2_consent: Consent | None = None,
    draft: bool = False,
) -> Referral:
    _writer(access)
    client = access.client
    if entry.organization_id != client.organization_id:
        raise ReferralRefused(_("This service is not in your agency's directory."))
    if not consent_given:
        raise ReferralRefused(
            _("Ask the person first: a referral needs their consent."), field="consent_given"
        )
    if not reason.strip():
        raise ReferralRefused(_("Say why this service."), field="reason")
    today = timezone.localdate()
    _check_follow_up(follow_up_on, today)
    part2 = consents.is_part2(client)
    with transaction.atomic():
        referral = Referral(
            organization_id=client.organization_id,
            client=client,
            service_id=entry.service_id,
            location_id=entry.location_id,
            service_name=entry.name[:300],
            provider=entry.provider[:300],
            address=entry.address[:400],
            phone=entry.phone[:64],
            reason=reason.strip(),
            shared_information=shared_information.strip(),
            consent_given=True,
            part2_consent=part2_consent if part2 else None,
            warm_handoff=warm_handoff,
            follow_up_on=follow_up_on,
            status=S.DRAFT if draft else S.REQUESTED,
            created_by=actor,
        )
        if not draft:
            _send(actor, referral, part2, today)
        referral.save()
        ReferralChange.objects.create(
            organization_id=client.organization_id,
            referral=referral,
            from_status="",
            to_status=referral.status,
            changed_by=actor,
        )
        audit.record(
            organization=client.organization_id,
            actor=actor,
            client_id=client.pk,
            action="referral.create",
            obj=referral,
            details={
                "service": entry.service_id,
                "status": referral.status,
                "warm_handoff": warm_handoff,
                "follow_up_on": follow_up_on,
            },
        )
    return referral


def _locked(referral: Referral, expected_version: int) -> Referral:
    current = Referral.objects.select_for_update().select_related("client").get(pk=referral.pk)
    if current.version != expected_version:
        raise StaleReferral(current)
    return current


def _change(actor: Staff, referral: Referral, to_status: str, note: str) -> None:
    ReferralChange.objects.create(
        organization_id=referral.organization_id,
        referral=referral,
        from_status=referral.status,
        to_status=to_status,
        note=note,
        changed_by=actor,
    )
    referral.status = to_status


def referral_status_change(
    *,
    actor: Staff,
    access: ClientAccess,
    referral: Referral,
    to_status: str,
    note: str,
    expected_version: int,
) -> Referral:
    _writer(access)
    note = note.strip()
    if referral.client_id != access.client.pk:
        raise ReferralRefused(_("This referral belongs to someone else."))
    with transaction.atomic():
        current = _locked(referral, expected_version)
        if to_status not in NEXT.get(current.status, ()):
            raise ReferralRefused(
                _("A referral that is “%(now)s” cannot become “%(next)s”.")
                % {
                    "now": current.get_status_display(),
                    "next": S(to_status).label if to_status in S.values else to_status,
                },
                field="to_status",
            )
        if to_status in NEEDS_A_REASON and not note:
            raise ReferralRefused(_("Say why, in a few words."), field="note")
        today = timezone.localdate()
        if current.status == S.DRAFT and to_status == S.REQUESTED:
            _send(actor, current, consents.is_part2(current.client), today)
        before = current.status
        _change(actor, current, to_status, note)
        current.version += 1
        current.save()
        audit.record(
            organization=current.organization_id,
            actor=actor,
            client_id=current.client_id,
            action="referral.status",
            obj=current,
            details={"from": before, "to": to_status},
        )
    return current


def referral_outcome_record(
    *,
    actor: Staff,
    access: ClientAccess,
    referral: Referral,
    outcome: str,
    note: str,
    barriers: list[str],
    barrier_note: str,
    next_follow_up: date | None,
    expected_version: int,
) -> Referral:
    """What happened: the outcome moves the referral on (a waiting list keeps it open, with
    a new follow-up date); barriers are kept with the service."""
    _writer(access)
    note = note.strip()
    if referral.client_id != access.client.pk:
        raise ReferralRefused(_("This referral belongs to someone else."))
    if outcome not in OUT.values:
        raise ReferralRefused(_("Choose what happened."), field="outcome")
    if outcome in OUTCOME_NEEDS_WHY and not note:
        raise ReferralRefused(_("Say why, in a few words."), field="note")
    unknown = [kind for kind in barriers if kind not in ReferralBarrier.Kind.values]
    if unknown:
        raise ReferralRefused(_("Choose barriers from the list."), field="barriers")
    if ReferralBarrier.Kind.OTHER in barriers and not barrier_note.strip():
        raise ReferralRefused(_("Say what else stood in the way."), field="barrier_note")
    today = timezone.localdate()
    if outcome == OUT.WAITING_LIST:
        if next_follow_up is None:
            raise ReferralRefused(
                _("Choose when to check on the waiting list."), field="next_follow_up"
            )
        _check_follow_up(next_follow_up, today)
    with transaction.atomic():
        current = _locked(referral, expected_version)
        if current.status == S.DRAFT:
            raise ReferralRefused(_("This referral was never sent. Send it or cancel it."))
        if not current.is_open:
            raise ReferralRefused(
                _("This referral is closed (“%(status)s”).")
                % {"status": current.get_status_display()}
            )
        target = next(
            (
                status
                for status in OUTCOME_STATUS[outcome]
                if status == current.status or status in NEXT[current.status]
            ),
            current.status,
        )
        before = current.status
        if target != current.status:
            _change(actor, current, target, note)
        current.outcome = outcome
        current.outcome_note = note
        current.outcome_on = today
        if outcome == OUT.WAITING_LIST and next_follow_up is not None:
            current.follow_up_on = next_follow_up
        current.version += 1
        current.save()
        ReferralBarrier.objects.bulk_create(
            ReferralBarrier(
                organization_id=current.organization_id,
                referral=current,
                service_id=current.service_id,
                kind=kind,
                note=barrier_note.strip()[:300] if kind == ReferralBarrier.Kind.OTHER else "",
                recorded_by=actor,
                recorded_on=today,
            )
            for kind in dict.fromkeys(barriers)
        )
        audit.record(
            organization=current.organization_id,
            actor=actor,
            client_id=current.client_id,
            action="referral.outcome",
            obj=current,
            details={
                "outcome": outcome,
                "from": before,
                "to": current.status,
                "barriers": sorted(set(barriers)),
            },
        )
    return current


# FHIR ---------------------------------------------------------------------------------------------

HSDS_SERVICE = "https://docs.openreferral.org/en/latest/hsds/schema_reference.html#service"


class InvalidTask(ValueError):
    """The referral did not make a valid FHIR Task (a bug, never a user's input)."""


def as_fhir_task(referral: Referral) -> dict[str, Any]:
    """The referral as a FHIR R4 Task, checked against the `fhir.resources` model.

    Needs `service`, `created_by` and `changes` loaded (see queries.referral_detail)."""
    changes = list(referral.changes.all())
    task: dict[str, Any] = {
        "resourceType": "Task",
        "id": str(referral.pk),
        "meta": {"lastUpdated": referral.updated_at.isoformat()},
        "status": referral.status,
        "intent": "order",
        "code": {
            "coding": [{"system": "http://hl7.org/fhir/CodeSystem/task-code", "code": "fulfill"}],
            "text": "Referral",
        },
        "description": referral.reason,
        "focus": {
            "identifier": {"system": HSDS_SERVICE, "value": referral.service.hsds_id},
            "display": referral.service_name,
        },
        "for": {"reference": f"Patient/{referral.client_id}"},
        "authoredOn": referral.created_at.isoformat(),
        "lastModified": referral.updated_at.isoformat(),
        "requester": {
            "reference": f"Practitioner/{referral.created_by_id}",
            "display": referral.created_by.full_name,
        },
        "owner": {"display": referral.provider or referral.service_name},
        "restriction": {"period": {"end": referral.follow_up_on.isoformat()}},
        "input": [
            {"type": {"text": "warm hand-off"}, "valueBoolean": referral.warm_handoff},
        ],
    }
    if referral.shared_information:
        task["input"].append(
            {"type": {"text": "information shared"}, "valueString": referral.shared_information}
        )
    last_note = next((change.note for change in reversed(changes) if change.note), "")
    if last_note:
        task["statusReason"] = {"text": last_note}
    if referral.outcome:
        task["businessStatus"] = {"text": str(referral.get_outcome_display())}
        task["output"] = [{"type": {"text": "outcome"}, "valueCode": referral.outcome}]
        if referral.outcome_note:
            task["note"] = [{"text": referral.outcome_note}]
    try:
        Task.parse_obj(task)
    except Exception as exc:  # the model's own message says which field
        raise InvalidTask(str(exc)) from None
    return task
