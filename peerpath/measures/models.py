"""Outcome measures: instruments (FHIR Questionnaires), responses, schedules, care-team alerts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from peerpath.clients.models import Client
from peerpath.core.models import Organization, Staff

from . import instruments


class QuestionnaireQuerySet(models.QuerySet["Questionnaire"]):
    def for_organization(self, organization_id: int) -> QuestionnaireQuerySet:
        return self.filter(
            Q(organization__isnull=True) | Q(organization_id=organization_id), is_active=True
        )


class Questionnaire(models.Model):
    """An instrument, kept as the FHIR R4 Questionnaire it was loaded from.

    Instruments shipped with PeerPath have no organization and are offered to every agency; an
    agency's own instruments carry its organization.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    url = models.CharField(_("canonical URL"), max_length=300)
    version = models.CharField(_("version"), max_length=40, blank=True)
    code = models.CharField(_("code"), max_length=64, blank=True)
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    resource = models.JSONField()
    is_active = models.BooleanField(_("offered"), default=True)
    loaded_at = models.DateTimeField(default=timezone.now)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["url", "version"],
                condition=Q(organization__isnull=True),
                name="questionnaire_shipped_unique",
            ),
            models.UniqueConstraint(
                fields=["organization", "url", "version"],
                condition=Q(organization__isnull=False),
                name="questionnaire_agency_unique",
            ),
        ]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.title

    @property
    def canonical(self) -> str:
        return f"{self.url}|{self.version}" if self.version else self.url

    @property
    def display_title(self) -> str:
        """The title in the reader's language where the Questionnaire carries a translation."""
        return self.instrument().title_in(translation.get_language() or "en")

    def instrument(self) -> instruments.Instrument:
        cached: instruments.Instrument | None = getattr(self, "_instrument", None)
        if cached is None:
            cached = instruments.parse(self.resource)
            self._instrument = cached
        return cached


class Response(models.Model):
    """One completed questionnaire, stored as the FHIR QuestionnaireResponse, with its score."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="measure_responses")
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses"
    )
    authored_on = models.DateField(_("date"))
    # None for a form without scores; decimals are kept where the instrument has them.
    total = models.DecimalField(
        _("total score"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    band = models.CharField(_("band"), max_length=40, blank=True)
    resource = models.JSONField()
    recorded_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-authored_on", "-id"]
        indexes = [
            models.Index(
                fields=["client", "questionnaire", "authored_on"], name="response_by_client"
            )
        ]
        verbose_name = _("measure response")
        verbose_name_plural = _("measure responses")

    def __str__(self) -> str:
        return f"{self.questionnaire.name} {self.authored_on}: {self.total}"

    def answers(self) -> dict[str, Any]:
        """linkId -> answer (a code for coded answers), read from the stored response."""
        return answers_of(self.resource)


def _answer_value(key: str, value: Any) -> Any:
    if key == "valueCoding":
        return str((value or {}).get("code", ""))
    if key == "valueDecimal":
        return Decimal(str(value))
    return value


def answers_of(resource: dict[str, Any]) -> dict[str, Any]:
    """linkId -> answer, read from a QuestionnaireResponse at any depth of nesting.

    A coded answer is its code; several answers to one question are a list.
    """
    found: dict[str, Any] = {}

    def walk(items: Any) -> None:
        for item in items or []:
            if not isinstance(item, dict):
                continue
            values = []
            for answer in item.get("answer") or []:
                if not isinstance(answer, dict):
                    continue
                for key, value in answer.items():
                    if key.startswith("value"):
                        values.append(_answer_value(key, value))
                walk(answer.get("item"))
            if values and isinstance(item.get("linkId"), str):
                found[item["linkId"]] = values[0] if len(values) == 1 else values
            walk(item.get("item"))

    walk(resource.get("item"))
    return found


class Schedule(models.Model):
    """How often a person completes an instrument, and when it is next due."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="measure_schedules")
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="schedules"
    )
    every_days = models.PositiveIntegerField(_("every (days)"))
    next_due_on = models.DateField(_("next due"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["next_due_on"]
        constraints = [
            models.UniqueConstraint(fields=["client", "questionnaire"], name="schedule_unique"),
            models.CheckConstraint(condition=Q(every_days__gte=1), name="schedule_every_positive"),
        ]
        verbose_name = _("measure schedule")
        verbose_name_plural = _("measure schedules")

    def __str__(self) -> str:
        return f"{self.questionnaire.name} every {self.every_days} days"


class Alert(models.Model):
    """Something in a response the care team must see (e.g. PHQ-9 item 9 answered above 0).

    It stays open until someone on the care team records what was done, by whom and when.
    """

    class Action(models.TextChoices):
        CALLED = "called", _("Reached out to the person (call or visit)")
        SAFETY_PLAN = "safety_plan", _("Reviewed their safety plan with them")
        CRISIS_LINE = "crisis_line", _("Gave the crisis line (988) and stayed with them")
        OTHER = "other", _("Something else (say what)")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="measure_alerts")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="alerts")
    # The question that raised it, so it can be named in the reader's language.
    link_id = models.CharField(max_length=100, blank=True)
    question_text = models.CharField(max_length=500)
    answer_display = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action_taken = models.CharField(
        _("what was done"), max_length=20, choices=Action.choices, blank=True
    )
    done_at = models.DateTimeField(_("when it was done"), null=True, blank=True)
    resolution_note = models.CharField(_("what was done"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["client"],
                condition=Q(resolved_at__isnull=True),
                name="alert_open_by_client",
            )
        ]
        verbose_name = _("care team alert")
        verbose_name_plural = _("care team alerts")

    def __str__(self) -> str:
        return f"{self.response} alert"

    def _question(self) -> Any:
        if not self.link_id:
            return None
        return self.response.questionnaire.instrument().question(self.link_id)

    def question_in(self, language: str) -> str:
        """The question that raised the alert, in the reader's language where it is translated."""
        question = self._question()
        return question.text_in(language) if question else self.question_text

    def answer_in(self, language: str) -> str:
        question = self._question()
        if question is None:
            return self.answer_display
        code = (self.response.answers() or {}).get(self.link_id, "")
        option = question.option(code)
        return option.display_in(language) if option else self.answer_display
