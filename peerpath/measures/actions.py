"""Every write to measures: typed, keyword-only, atomic, audited in the same transaction."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from peerpath.clients.access import ClientAccess
from peerpath.core import audit
from peerpath.core.models import Organization, Staff

from . import fhir, instruments
from .models import Alert, Questionnaire, Response, Schedule, answers_of


def _require_write(access: ClientAccess) -> None:
    if not access.can_write:
        raise PermissionError("read-only access")


def questionnaire_import(
    *, actor: Staff | None, organization: Organization, resource: dict[str, Any]
) -> Questionnaire:
    """Add or refresh an agency's own instrument from a FHIR Questionnaire (validated first)."""
    from . import loading

    instrument = fhir.validate_questionnaire(resource)
    with transaction.atomic():
        row = loading.upsert(
            Questionnaire, resource, organization_id=organization.pk, instrument=instrument
        )
        audit.record(
            organization=organization,
            actor=actor,
            action="questionnaire.import",
            obj=row,
            details={"url": instrument.url, "version": instrument.version},
        )
    return row


def response_record(
    *,
    actor: Staff | None,
    access: ClientAccess,
    questionnaire: Questionnaire,
    authored_on: date,
    answers: dict[str, Any],
) -> Response:
    """Score the answers, store them as a QuestionnaireResponse, alert the care team if needed."""
    _require_write(access)
    client = access.client
    if questionnaire.organization_id not in (None, client.organization_id):
        raise ValueError("This questionnaire belongs to another organization.")
    instrument = questionnaire.instrument()
    result = instruments.score(instrument, answers)
    answers = result.answers  # only the questions asked, each as PeerPath keeps it
    resource = fhir.build_response(
        instrument=instrument,
        canonical=questionnaire.canonical,
        client_id=client.pk,
        authored_on=authored_on,
        answers=answers,
        total=result.total,
    )
    with transaction.atomic():
        response = Response.objects.create(
            organization_id=client.organization_id,
            client=client,
            questionnaire=questionnaire,
            authored_on=authored_on,
            total=result.total,
            band=result.band,
            resource=resource,
            recorded_by=actor,
        )
        for link_id in result.alerts:
            question = instrument.question(link_id)
            option = question.option(answers[link_id]) if question else None
            Alert.objects.create(
                organization_id=client.organization_id,
                client=client,
                response=response,
                link_id=link_id,
                question_text=question.text[:500] if question else link_id,
                answer_display=option.display[:200] if option else "",
            )
        schedule = (
            Schedule.objects.select_for_update()
            .filter(client=client, questionnaire=questionnaire)
            .first()
        )
        if schedule is not None:
            # Completing it moves the due date on; an old, back-dated response never moves it back.
            next_due = authored_on + timedelta(days=schedule.every_days)
            if next_due > schedule.next_due_on:
                schedule.next_due_on = next_due
                schedule.save(update_fields=["next_due_on"])
        audit.record(
            organization=client.organization_id,
            actor=actor,
            client_id=client.pk,
            action="measure.record",
            obj=response,
            details={
                "questionnaire": questionnaire.name,
                "total": None if result.total is None else str(result.total),
                "alerts": len(result.alerts),
            },
        )
    return response


_REFERENCE = re.compile(r"^(?:.*/)?Questionnaire/([A-Za-z0-9\-.]{1,64})$")


def _questionnaire_named(organization_id: int, reference: str) -> Questionnaire | None:
    """The offered Questionnaire a response names: canonical url (with |version), or a
    `Questionnaire/<id>` reference to a PeerPath row or to the id the file was published with."""
    offered = Questionnaire.objects.for_organization(organization_id)
    url, _, version = reference.partition("|")
    candidates = offered.filter(url=url)
    if version:
        candidates = candidates.filter(version=version)
    found = candidates.order_by("-version").first()
    if found is not None:
        return found
    match = _REFERENCE.match(reference)
    if match is None:
        return None
    key = match.group(1)
    if key.isdigit():
        found = offered.filter(pk=int(key)).first()
        if found is not None:
            return found
    return offered.filter(resource__id=key).order_by("-loaded_at").first()


def response_import(*, actor: Staff | None, access: ClientAccess, resource: Any) -> Response:
    """Record a FHIR QuestionnaireResponse made elsewhere (validated, then scored here)."""
    fhir.validate_response(resource)
    if resource.get("status") != "completed":
        raise ValueError("Only a completed QuestionnaireResponse can be recorded.")
    subject = (resource.get("subject") or {}).get("reference")
    if subject and subject != f"Patient/{access.client.pk}":
        raise ValueError(
            f"This response is about {subject}, not this person (Patient/{access.client.pk}). "
            "Nothing was recorded."
        )
    reference = str(resource.get("questionnaire", ""))
    questionnaire = _questionnaire_named(access.client.organization_id, reference)
    if questionnaire is None:
        raise ValueError(f"No questionnaire here is known as {reference!r}.")
    authored = str(resource.get("authored", ""))[:10]
    try:
        authored_on = date.fromisoformat(authored) if authored else timezone.localdate()
    except ValueError:
        raise ValueError("authored must be a date.") from None
    if authored_on > timezone.localdate():
        raise ValueError("authored cannot be in the future.")
    return response_record(
        actor=actor,
        access=access,
        questionnaire=questionnaire,
        authored_on=authored_on,
        answers=answers_of(resource),
    )


def schedule_set(
    *,
    actor: Staff | None,
    access: ClientAccess,
    questionnaire: Questionnaire,
    every_days: int,
    next_due_on: date,
) -> Schedule:
    _require_write(access)
    client = access.client
    if every_days < 1:
        raise ValueError("every_days must be at least 1.")
    with transaction.atomic():
        schedule, created = Schedule.objects.update_or_create(
            client=client,
            questionnaire=questionnaire,
            defaults={
                "organization_id": client.organization_id,
                "every_days": every_days,
                "next_due_on": next_due_on,
            },
        )
        audit.record(
            organization=client.organization_id,
            actor=actor,
            client_id=client.pk,
            action="measure.schedule",
            obj=schedule,
            details={
                "questionnaire": questionnaire.name,
                "every_days": every_days,
                "next_due_on": next_due_on,
                "created": created,
            },
        )
    return schedule


def alert_resolve(
    *,
    actor: Staff,
    access: ClientAccess,
    alert: Alert,
    action_taken: str,
    done_at: datetime,
    note: str = "",
) -> Alert:
    """Record what was done about an alert, by whom and when; the alert then closes."""
    _require_write(access)
    if alert.client_id != access.client.pk:
        raise ValueError("This alert is about someone else.")
    if action_taken not in Alert.Action.values:
        raise ValueError("unknown action")
    if action_taken == Alert.Action.OTHER and not note.strip():
        raise ValueError("say what was done")
    with transaction.atomic():
        current = Alert.objects.select_for_update().get(pk=alert.pk)
        if current.resolved_at is not None:
            raise AlreadyResolvedError(current)
        current.resolved_at = timezone.now()
        current.resolved_by = actor
        current.action_taken = action_taken
        current.done_at = done_at
        current.resolution_note = note.strip()[:500]
        current.save(
            update_fields=[
                "resolved_at",
                "resolved_by",
                "action_taken",
                "done_at",
                "resolution_note",
            ]
        )
        audit.record(
            organization=current.organization_id,
            actor=actor,
            client_id=current.client_id,
            action="measure.alert_resolve",
            obj=current,
            details={"action": action_taken, "done_at": done_at.isoformat()},
        )
    return current


class AlertResolveError(Exception):
    pass


class AlreadyResolvedError(AlertResolveError):
    """Someone already recorded what was done about this alert."""

    def __init__(self, current: Alert) -> None:
        super().__init__("already resolved")
        self.current = current
