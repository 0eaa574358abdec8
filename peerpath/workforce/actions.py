"""Every write of the workforce app: audited, in one transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.core import agency, audit
from peerpath.core.models import Organization, Staff, TeamMembership

from . import loading
from .models import Participation, SurveyAnswer, SurveyInstrument, Wave


class SurveyRefused(Exception):
    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


def wave_create(
    *, actor: Staff, instrument: SurveyInstrument, name: str, opens_on: date, closes_on: date
) -> Wave:
    if not agency.may_run_agency(actor) or actor.organization_id is None:
        raise PermissionError("runs surveys: those who run the agency")
    if instrument.organization_id not in (None, actor.organization_id):
        raise SurveyRefused(_("This questionnaire belongs to another agency."), field="instrument")
    if closes_on < opens_on:
        raise SurveyRefused(_("The wave cannot close before it opens."), field="closes_on")
    if Wave.objects.filter(organization_id=actor.organization_id, name__iexact=name).exists():
        raise SurveyRefused(_("Another wave has this name."), field="name")
    with transaction.atomic():
        wave = Wave.objects.create(
            organization_id=actor.organization_id,
            instrument=instrument,
            name=name.strip(),
            opens_on=opens_on,
            closes_on=closes_on,
            created_by=actor,
        )
        audit.record(
            organization=wave.organization_id,
            actor=actor,
            action="survey.wave_create",
            obj=wave,
            details={"instrument": instrument.url, "opens_on": opens_on, "closes_on": closes_on},
        )
    return wave


def _single_team(staff: Staff) -> int | None:
    teams = list(TeamMembership.objects.filter(staff=staff).values_list("team_id", flat=True)[:2])
    return teams[0] if len(teams) == 1 else None


def survey_answer(*, actor: Staff, wave: Wave, answers: dict[str, Any]) -> None:
    """Keep the answers without the person: who answered goes in one table (to stop a second
    answer), what was answered in another, with a random id and the day only. The audit event
    says that the person answered the wave, never what."""
    today = timezone.localdate()
    if wave.organization_id != actor.organization_id:
        raise PermissionError("another agency's survey")
    if not wave.is_open_on(today):
        raise SurveyRefused(_("This survey is closed."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                Participation.objects.create(
                    organization_id=wave.organization_id, wave=wave, staff=actor
                )
        except IntegrityError:
            raise SurveyRefused(_("You have already answered this survey. Thank you.")) from None
        SurveyAnswer.objects.create(
            organization_id=wave.organization_id,
            wave=wave,
            team_id=_single_team(actor),
            role=actor.role,
            answered_on=today,
            answers={key: _plain(value) for key, value in answers.items()},
        )
        audit.record(
            organization=wave.organization_id,
            actor=actor,
            action="survey.answer",
            obj=wave,
        )


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def survey_instrument_import(
    *, organization: Organization, resource: dict[str, Any]
) -> SurveyInstrument:
    """An agency's own readiness questionnaire (checked by loading.check_file)."""
    with transaction.atomic():
        row = loading.upsert(SurveyInstrument, resource, organization_id=organization.pk)
        audit.record(
            organization=organization,
            action="survey.questionnaire_load",
            obj=row,
            details={"url": row.url, "version": row.version},
        )
    return row
