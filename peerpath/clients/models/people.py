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

    class ReferralSource(models.TextChoices):
        SELF = "self", _("Came on their own")
        HOSPITAL = "hospital", _("Hospital")
        COURT = "court", _("Court")
        SHELTER = "shelter", _("Shelter")
        OTHER_PROGRAM = "other_program", _("Another program")
        OUTREACH = "outreach", _("Outreach")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    preferred_name = models.CharField(
        _("preferred name"), max_length=100, blank=True, help_text=_("The name the person goes by.")
    )
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    language = models.CharField(_("preferred language"), max_length=40, default="English")
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The phone's digits (the last ten), kept for finding the same person twice.
    phone_digits = models.CharField(max_length=15, blank=True, editable=False)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    referral_source = models.CharField(
        _("how they came to us"), max_length=32, choices=ReferralSource.choices, blank=True
    )
    # For billing later. Optional; the coverage dates say when the member id applies.
    medicaid_id = models.CharField(_("Medicaid member ID"), max_length=40, blank=True)
    medicaid_start = models.DateField(_("coverage starts"), null=True, blank=True)
    medicaid_end = models.DateField(_("coverage ends"), null=True, blank=True)
    # An id the agency's earlier system gave the person: imports match on it.
    external_id = models.CharField(_("external ID"), max_length=100, blank=True)
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
            models.Index(fields=["organization", "date_of_birth"], name="client_org_birth"),
            models.Index(fields=["organization", "phone_digits"], name="client_org_phone"),
            models.Index(fields=["organization", "email"], name="client_org_email"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "external_id"],
                condition=~Q(external_id=""),
                name="client_unique_external_id",
            ),
            models.CheckConstraint(
                condition=Q(medicaid_end__isnull=True)
                | Q(medicaid_start__isnull=True)
                | Q(medicaid_end__gte=models.F("medicaid_start")),
                name="client_medicaid_coverage_order",
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


class EndReason(models.TextChoices):
    """Why an enrollment ended (a discharge, or a move to another team)."""

    GOALS_MET = "goals_met", _("Reached their goals")
    MOVED = "moved", _("Moved away")
    CHOSE_TO_STOP = "chose_to_stop", _("Chose to stop")
    UNREACHABLE = "unreachable", _("Could not be reached")
    DIED = "died", _("Died")
    OTHER = "other", _("Other")
    TRANSFERRED = "transferred", _("Moved to another team")


DISCHARGE_REASONS = [c for c in EndReason.choices if c[0] != EndReason.TRANSFERRED]


def phone_digits(phone: str) -> str:
    """The last ten digits of a phone number (a US number without its country code)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits[-10:]


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
    end_reason = models.CharField(
        _("why it ended"), max_length=32, choices=EndReason.choices, blank=True
    )
    end_note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
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
    # Why the membership ended. Members at a discharge keep reading the closed record.
    end_reason = models.CharField(max_length=32, blank=True)

    class EndedBy(models.TextChoices):
        REMOVED = "removed", _("Left the care team")
        TRANSFERRED = "transferred", _("Handed off")
        DISCHARGE = "discharge", _("Discharged")
        WORK_ENDED = "work_ended", _("Work at the agency ended")

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


class ServiceConsent(models.Model):
    """The person's consent to peer services, recorded at intake (separate from Part 2 consents)."""

    class Method(models.TextChoices):
        SIGNED = "signed", _("Signed on paper (scanned)")
        VERBAL = "verbal", _("Agreed out loud, with a witness")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="service_consents")
    method = models.CharField(_("how they agreed"), max_length=16, choices=Method.choices)
    given_on = models.DateField(_("date"))
    witness = models.CharField(_("witness"), max_length=200, blank=True)
    # The scan of the signed form (PDF, PNG or JPEG), kept in the database with the record.
    scan = models.BinaryField(null=True, blank=True, editable=False)
    scan_type = models.CharField(max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method="signed") | ~Q(witness=""), name="service_consent_witness"
            )
        ]
        verbose_name = _("consent to peer services")
        verbose_name_plural = _("consents to peer services")

    def __str__(self) -> str:
        return f"{self.get_method_display()} ({self.given_on})"


class Handoff(models.Model):
    """A person moved to another team or peer, with what the new peer should know."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="handoffs")
    from_staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("hand-off note"))
    written_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_at", "-id"]
        verbose_name = _("hand-off")
        verbose_name_plural = _("hand-offs")

    def __str__(self) -> str:
        return f"{self.client_id}: {self.from_staff_id} -> {self.to_staff_id}"
