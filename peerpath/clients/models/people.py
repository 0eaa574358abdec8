"""The people an organization serves, their program enrollments and their care teams."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import Organization, Program, Staff, Team


class ClientQuerySet(models.QuerySet["Client"]):
    def current(self) -> ClientQuerySet:
        """Not soft-deleted."""
        return self.filter(deleted_at__isnull=True)


class Client(models.Model):
    """A person served. Reach records only through `clients.access`."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        DISCHARGED = "discharged", _("Discharged")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    preferred_name = models.CharField(
        _("preferred name"), max_length=100, blank=True, help_text=_("The name the person goes by.")
    )
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    language = models.CharField(_("preferred language"), max_length=40, default="English")
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    # The person may also work here; such records get extra protection.
    staff_account = models.OneToOneField(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="client_record",
        verbose_name=_("also a staff member"),
    )
    # Restricted records are seen only by their care team and the privacy officer (clients.access).
    # A record linked to a staff account is always treated as restricted, whatever this says.
    is_restricted = models.BooleanField(_("restricted record"), default=False)
    restricted_reason = models.CharField(
        _("why the record is restricted"), max_length=300, blank=True
    )
    # Kept on the row so that caseload pages stay one query at any scale.
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_due = models.DateField(_("next step due"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(
                fields=["organization", "family_name", "given_name"], name="client_org_name"
            ),
        ]
        verbose_name = _("person served")
        verbose_name_plural = _("people served")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.given_name
        return f"{first} {self.family_name}".strip()

    @property
    def restricted(self) -> bool:
        return self.is_restricted or self.staff_account_id is not None

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Enrollment(models.Model):
    """A person's time in a program, served by one of its teams."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="enrollments")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="enrollments")
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="enrollments"
    )
    started_on = models.DateField(_("started"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="enrollment_ends_after_start",
            )
        ]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")

    def __str__(self) -> str:
        return f"{self.program} ({self.started_on})"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class CareTeamMember(models.Model):
    """A staff member who serves a person, and in what role."""

    class Role(models.TextChoices):
        PEER = "peer", _("Peer specialist")
        PEER_SUPERVISOR = "peer_supervisor", _("Peer supervisor")
        CLINICIAN = "clinician", _("Clinician")
        CASE_MANAGER = "case_manager", _("Case manager")
        PRESCRIBER = "prescriber", _("Prescriber")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="care_team")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="care_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    started_on = models.DateField(_("started"), default=timezone.localdate)
    ended_on = models.DateField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["-is_primary", "staff__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "staff"],
                condition=Q(ended_on__isnull=True),
                name="care_team_one_active_assignment",
            )
        ]
        indexes = [
            models.Index(
                fields=["staff", "client"],
                condition=Q(ended_on__isnull=True),
                name="care_team_active_by_staff",
            )
        ]
        verbose_name = _("care team member")
        verbose_name_plural = _("care team")

    def __str__(self) -> str:
        return f"{self.staff} ({self.get_role_display()})"
