"""Team meetings, the people discussed, and each person's own view, kept with the decisions."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.clients.models import Client
from peerpath.core.models import Organization, Staff, Team


class TeamMeeting(models.Model):
    class Kind(models.TextChoices):
        HUDDLE = "huddle", _("Daily huddle")
        TREATMENT_PLANNING = "treatment_planning", _("Treatment-planning meeting")
        INTERDISCIPLINARY = "interdisciplinary", _("Interdisciplinary team meeting")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("kind of meeting"), max_length=24, choices=Kind.choices)
    starts_at = models.DateTimeField(_("date and time"))
    attendees = models.ManyToManyField(
        Staff, blank=True, related_name="meetings_attended", verbose_name=_("who came")
    )
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["team", "-starts_at"], name="meeting_team_time")]
        verbose_name = _("team meeting")
        verbose_name_plural = _("team meetings")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d}"


class AgendaItem(models.Model):
    """One person on a meeting's agenda: their view (prepared with them) and what was decided."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(TeamMeeting, on_delete=models.CASCADE, related_name="agenda")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="agenda_items")
    added_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    what_they_want = models.TextField(_("What they want"), blank=True)
    what_worries_them = models.TextField(_("What worries them"), blank=True)
    view_of_plan = models.TextField(_("What they think of the proposed plan"), blank=True)
    voice_prepared_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    voice_prepared_at = models.DateTimeField(null=True, blank=True)
    discussion = models.TextField(_("What the team said"), blank=True)
    decisions = models.TextField(_("Decisions"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "client"], name="agenda_item_unique")
        ]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.client_id}"

    @property
    def has_voice(self) -> bool:
        return bool(self.what_they_want or self.what_worries_them or self.view_of_plan)
