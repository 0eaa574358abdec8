"""Reads of measures for pages, panels and the API: through the gate, bounded, audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from peerpath.clients import access as gate
from peerpath.clients.queries import audit_read
from peerpath.core.models import Staff

from .chart import Chart, line_chart
from .models import Alert, Questionnaire, Response, Schedule

# The chart and table show at most this many responses per instrument (about three years monthly).
HISTORY_LIMIT = 40


@dataclass
class InstrumentHistory:
    questionnaire: Questionnaire
    responses: list[Response] = field(default_factory=list)  # oldest first
    schedule: Schedule | None = None

    @property
    def latest(self) -> Response | None:
        return self.responses[-1] if self.responses else None

    @property
    def chart(self) -> Chart:
        low, high = self.questionnaire.instrument().score_range
        series = [(r.authored_on, r.total) for r in self.responses if r.total is not None]
        return line_chart(series, low=low, high=high)

    @property
    def scored(self) -> bool:
        return self.questionnaire.instrument().has_score


@dataclass
class MeasuresSummary:
    histories: list[InstrumentHistory]
    open_alerts: list[Alert]
    offered: list[Questionnaire]


def offered(organization_id: int) -> QuerySet[Questionnaire]:
    return Questionnaire.objects.for_organization(organization_id).order_by("name")


def questionnaire_for(access: gate.ClientAccess, questionnaire_id: int) -> Questionnaire:
    found = offered(access.client.organization_id).filter(pk=questionnaire_id).first()
    if found is None:
        raise Http404
    return found


def response_for(access: gate.ClientAccess, response_id: int) -> Response:
    found = (
        Response.objects.filter(pk=response_id, client=access.client)
        .select_related("questionnaire", "recorded_by")
        .first()
    )
    if found is None:
        raise Http404
    return found


def alert_for(access: gate.ClientAccess, alert_id: int) -> Alert:
    found = Alert.objects.filter(pk=alert_id, client=access.client).first()
    if found is None:
        raise Http404
    return found


def summary(access: gate.ClientAccess, *, audit_as: Staff | None = None) -> MeasuresSummary:
    """Every instrument the person has used or is scheduled for, with its history.

    Four queries whatever the number of responses. Audited when `audit_as` is given.
    """
    client = access.client
    questionnaires = list(offered(client.organization_id))
    responses = list(
        Response.objects.filter(client=client)
        .order_by("questionnaire_id", "-authored_on", "-id")
        .only("id", "questionnaire_id", "authored_on", "total", "band")
    )
    schedules = {s.questionnaire_id: s for s in Schedule.objects.filter(client=client)}
    alerts = list(
        Alert.objects.filter(client=client, resolved_at__isnull=True)
        .select_related("response__questionnaire")
        .order_by("-created_at", "-id")
    )
    by_questionnaire: dict[int, list[Response]] = {}
    for response in responses:
        bucket = by_questionnaire.setdefault(response.questionnaire_id, [])
        if len(bucket) < HISTORY_LIMIT:
            bucket.append(response)
    histories = [
        InstrumentHistory(
            questionnaire=q,
            responses=list(reversed(by_questionnaire.get(q.pk, []))),
            schedule=schedules.get(q.pk),
        )
        for q in questionnaires
        if q.pk in by_questionnaire or q.pk in schedules
    ]
    if audit_as is not None:
        audit_read(audit_as, access, "measure.view", client)
    return MeasuresSummary(histories=histories, open_alerts=alerts, offered=questionnaires)


@dataclass(frozen=True)
class DueItem:
    schedule: Schedule
    overdue: bool


def due_for(user: Staff, today: date, *, within_days: int = 0) -> list[DueItem]:
    """Measures due (or overdue) for the people on the user's caseload. One query."""
    limit = today.toordinal() + within_days
    schedules = (
        Schedule.objects.filter(
            client__in=gate.caseload(user), next_due_on__lte=date.fromordinal(limit)
        )
        .select_related("client", "questionnaire")
        .order_by("next_due_on", "client__family_name")[:50]
    )
    return [DueItem(schedule=s, overdue=s.next_due_on < today) for s in schedules]


def open_alerts_for(user: Staff) -> list[Alert]:
    """Open safety alerts for My day: about people on the user's care teams, and (for a
    supervisor) people enrolled with the teams they supervise, as far as the gate allows.
    Newest first, one query; every open alert is shown (they are few, and none may be missed)."""
    people = gate.caseload(user)
    if gate.is_supervisor_of_any_team(user):
        people = gate.visible_clients(user).filter(
            Q(pk__in=gate.caseload(user).values("pk")) | Q(pk__in=gate.supervised(user))
        )
    return list(
        Alert.objects.filter(client__in=people, resolved_at__isnull=True)
        .select_related("client", "response__questionnaire")
        .order_by("-created_at", "-id")
    )


def open_alerts_of(access: gate.ClientAccess) -> list[Alert]:
    """The person's open safety alerts, newest first (for the top of their record)."""
    return list(
        Alert.objects.filter(client=access.client, resolved_at__isnull=True)
        .select_related("response__questionnaire")
        .order_by("-created_at", "-id")
    )


def responses_for_export(access: gate.ClientAccess, limit: int = 500) -> list[Response]:
    """A person's responses, oldest first, for the FHIR export."""
    return list(Response.objects.filter(client=access.client).order_by("authored_on", "id")[:limit])


@dataclass(frozen=True)
class AnswerRow:
    question: str
    answer: Any  # text, a date or time (formatted by the template), or None
    points: Decimal | None


def answer_rows(response: Response, language: str) -> list[AnswerRow]:
    """Each question asked with the stored answer, in the reader's language where translated."""
    instrument = response.questionnaire.instrument()
    answers = response.answers()
    rows = []
    for question in instrument.questions:
        value = answers.get(question.link_id)
        if value is None and question.conditional:
            continue  # not asked this time
        values = value if isinstance(value, list) else [] if value is None else [value]
        shown: list[Any] = []
        points = None
        for one in values:
            option = question.option(one) if question.options else None
            if option is not None:
                shown.append(option.display_in(language))
                if option.weight is not None:
                    points = (points or Decimal(0)) + option.weight
            elif isinstance(one, bool):
                shown.append(_("Yes") if one else _("No"))
            else:
                shown.append(_typed(question.kind, one))
        answer: Any = None
        if len(shown) == 1:
            answer = shown[0]
        elif shown:
            answer = ", ".join(str(s) for s in shown)
        rows.append(AnswerRow(question.text_in(language), answer, points))
    return rows


def _typed(kind: str, value: Any) -> Any:
    """A stored date, time or number as a value the template formats for the reader."""
    try:
        if kind == "date":
            return date.fromisoformat(str(value))
        if kind == "dateTime":
            return datetime.fromisoformat(str(value))
        if kind == "time":
            return time.fromisoformat(str(value))
        if kind == "decimal":
            return Decimal(str(value))
    except (ValueError, ArithmeticError):
        return str(value)  # a partial date such as "2022-09" stays as written
    return value
