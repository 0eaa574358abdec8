"""Privacy protections around a person's record.

* `PrivacyPolicy`: how an organization treats staff members who are also clients (strict/flexible).
* `Determination`: a documented, person-by-person exception in flexible mode.
* `EmergencyAccess`: "break the glass" access, with the fields 42 CFR 2.51 asks for, and its review.
* `Consent` and `Disclosure`: 42 CFR Part 2 consents and every disclosure made under them.
* `Notification`: an in-app message to a staff member (e.g. the privacy officer).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from peerpath.core.models import Organization, Program, Staff

from .people import Client

# The notice 42 CFR 2.32 requires with every disclosure of Part 2 records (2024 rule wording).
PART2_NOTICE = (
    "This record which has been disclosed to you is protected by federal confidentiality "
    "rules (42 CFR part 2). These rules prohibit you from using or disclosing this record, or"
    " testimony that describes the information contained in this record, in any civil, "
    "criminal, administrative, or legislative proceedings by any Federal, State, or local "
    "authority, against the patient, unless authorized by the consent of the patient, except "
    "as provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR "
    "2.64 or 2.65. In addition, the Federal rules prohibit you from making any other use or "
    "disclosure of this record unless at least one of the following applies: further use or "
    "disclosure is expressly permitted by the written consent of the individual whose "
    "information is being disclosed in this record or as otherwise permitted by 42 CFR part "
    "2; you are a covered entity or business associate and have received the record for "
    "treatment, payment, or health care operations; or you have received the record from a "
    "covered entity or business associate as permitted by 45 CFR part 164, subparts A and E. "
    "A general authorization for the release of medical or other information is NOT "
    "sufficient to meet the required elements of written consent to further use or redisclose"
    " the record (see 42 CFR 2.31). 42 CFR part 2 prohibits unauthorized use or disclosure of"
    " these records."
)
# What 42 CFR 2.31(a)(6) asks a consent to say about taking it back.
PART2_REVOCATION = (
    "The patient may revoke this consent in writing at any time, except to the extent that the "
    "part 2 program or other lawful holder of patient identifying information that is "
    "permitted to make the disclosure has already acted in reliance on it. The patient may "
    "revoke it by telling their care team or the privacy officer, or in writing to the program."
)
# Marked for translation: a PDF in Spanish carries it in Spanish (gettext at the time of use).
PART2_SHORT_NOTICE = gettext_noop(
    "42 CFR part 2 prohibits unauthorized use or disclosure of these records."
)


def default_emergency_minutes() -> int:
    return int(getattr(settings, "EMERGENCY_ACCESS_MINUTES", 60))


class PrivacyPolicy(models.Model):
    """How one organization protects staff members who are also its clients."""

    class Mode(models.TextChoices):
        STRICT = "strict", _("Strict: staff are not served by this agency")
        FLEXIBLE = "flexible", _("Flexible: exceptions decided person by person")

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="privacy_policy"
    )
    mode = models.CharField(
        _("dual relationship policy"), max_length=16, choices=Mode.choices, default=Mode.FLEXIBLE
    )
    emergency_access_minutes = models.PositiveSmallIntegerField(
        _("emergency access lasts (minutes)"), default=default_emergency_minutes
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(emergency_access_minutes__gte=5, emergency_access_minutes__lte=720),
                name="privacy_policy_emergency_minutes_range",
            )
        ]
        verbose_name = _("privacy policy")
        verbose_name_plural = _("privacy policies")

    def __str__(self) -> str:
        return f"{self.organization}: {self.get_mode_display()}"

    @classmethod
    def for_organization(cls, organization_id: int) -> PrivacyPolicy:
        """The saved policy, or the default (flexible, settings' emergency minutes) unsaved."""
        policy = cls.objects.filter(organization_id=organization_id).first()
        return policy or cls(organization_id=organization_id)


class Determination(models.Model):
    """A documented individual determination: may this staff member be served in this program?"""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the privacy officer")
        APPROVED = "approved", _("Approved")
        DENIED = "denied", _("Not approved")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="determinations")
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="+", verbose_name=_("program")
    )
    reason = models.TextField(_("why an exception is needed"))
    conditions = models.TextField(_("conditions"))
    review_on = models.DateField(_("review date"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending")
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="determination_decided_has_who_and_when",
            )
        ]
        verbose_name = _("individual determination")
        verbose_name_plural = _("individual determinations")

    def __str__(self) -> str:
        return f"{self.program} ({self.get_status_display()})"

    def is_in_force(self, today: date) -> bool:
        return self.status == self.Status.APPROVED and self.review_on >= today


class EmergencyAccessQuerySet(models.QuerySet["EmergencyAccess"]):
    def active(self) -> EmergencyAccessQuerySet:
        return self.filter(expires_at__gt=timezone.now())


class EmergencyAccess(models.Model):
    """Break-the-glass access to one record, with the facts 42 CFR 2.51 asks to record."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        JUSTIFIED = "justified", _("Justified")
        NOT_JUSTIFIED = "not_justified", _("Not justified")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="emergency_accesses")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="emergency_accesses")
    affiliation = models.CharField(_("your affiliation (facility or team)"), max_length=200)
    nature_of_emergency = models.TextField(_("nature of the emergency"))
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    review = models.CharField(max_length=16, choices=Review.choices, default=Review.PENDING)
    reviewed_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    objects = EmergencyAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("started_at")),
                name="emergency_access_expires_after_start",
            ),
            models.CheckConstraint(
                condition=Q(review="pending")
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="emergency_access_review_has_who_and_when",
            ),
        ]
        indexes = [
            models.Index(fields=["staff", "client", "expires_at"], name="emergency_access_lookup")
        ]
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")

    def __str__(self) -> str:
        return f"{self.staff} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()


class Consent(models.Model):
    """A person's written consent to share their substance-use (Part 2) records."""

    class Scope(models.TextChoices):
        RECORDS = "records", _("Substance use treatment records")
        COUNSELING_NOTES = "counseling_notes", _("Substance use counseling notes only")

    class Purpose(models.TextChoices):
        TPO = "tpo", _("Treatment, payment and health care operations")
        TREATMENT = "treatment", _("Treatment")
        PAYMENT = "payment", _("Payment")
        OPERATIONS = "operations", _("Health care operations")
        OTHER = "other", _("Something else (say what below)")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("what kind of record"), max_length=20, choices=Scope.choices)
    information = models.TextField(_("what may be shared"))
    recipient = models.CharField(_("who may receive it"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    purpose_detail = models.CharField(
        _("purpose, in the person's words"), max_length=300, blank=True
    )
    signed_on = models.DateField(_("signed on"))
    expires_on = models.DateField(_("expires on"))
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revocation_note = models.CharField(_("how the person revoked it"), max_length=300, blank=True)

    class Meta:
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("signed_on")),
                name="consent_expires_after_signing",
            )
        ]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.recipient} ({self.get_purpose_display()})"

    def is_valid_on(self, day: date) -> bool:
        return self.revoked_at is None and self.signed_on <= day <= self.expires_on

    def covers(self, *, purpose: str, counseling_notes: bool) -> bool:
        """Whether this consent permits a disclosure for this purpose of this kind of record."""
        if counseling_notes != (self.scope == self.Scope.COUNSELING_NOTES):
            return False
        if self.purpose == purpose:
            return True
        tpo = {self.Purpose.TREATMENT, self.Purpose.PAYMENT, self.Purpose.OPERATIONS}
        return self.purpose == self.Purpose.TPO and purpose in tpo


class Disclosure(models.Model):
    """One disclosure of a person's record (printed, exported or sent), for their accounting."""

    class Method(models.TextChoices):
        PRINT = "print", _("Printed")
        EXPORT = "export", _("Exported")
        SEND = "send", _("Sent to another provider")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="disclosures")
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="disclosures"
    )
    method = models.CharField(_("how"), max_length=16, choices=Method.choices)
    recipient = models.CharField(_("to whom"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Consent.Purpose.choices)
    information = models.CharField(_("what was shared"), max_length=300)
    includes_counseling_notes = models.BooleanField(default=False)
    is_part2 = models.BooleanField(default=False)
    notice = models.TextField(blank=True)
    disclosed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    disclosed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-disclosed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_part2=False) | Q(consent__isnull=False),
                name="disclosure_part2_needs_consent",
            )
        ]
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")

    def __str__(self) -> str:
        return f"{self.recipient} {self.disclosed_at:%Y-%m-%d}"


class Notification(models.Model):
    """A message for one staff member inside PeerPath (shown on My day)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            )
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.message
