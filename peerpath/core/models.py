"""Organizations (the tenant), programs, teams, staff and the audit trail."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def default_intake_roles() -> list[str]:
    return ["peer_specialist", "peer_supervisor", "case_manager", "program_manager"]


def default_agency_admin_roles() -> list[str]:
    return ["program_manager"]


class Organization(models.Model):
    """The tenant: one agency. A state association may run several, named as their parent."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("run by"),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="America/New_York")
    review_attestation = models.CharField(
        _("supervisor's attestation"),
        max_length=500,
        blank=True,
        help_text=_(
            "What a supervisor attests by reviewing a note (shown with their co-signature). "
            "Empty: the standard wording."
        ),
    )
    # Which staff roles may take a person in, and which may run the agency (programs, teams,
    # staff). The program manager always runs the agency.
    intake_roles = models.JSONField(_("roles that take people in"), default=default_intake_roles)
    agency_admin_roles = models.JSONField(
        _("roles that run the agency"), default=default_agency_admin_roles
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name

    def attestation(self) -> str:
        return self.review_attestation.strip() or str(DEFAULT_ATTESTATION)

    def may_take_in(self, role: str) -> bool:
        return role in (self.intake_roles or [])

    def may_run_agency(self, role: str) -> bool:
        return role == "program_manager" or role in (self.agency_admin_roles or [])


DEFAULT_ATTESTATION = _(
    "I reviewed this note. It describes peer support services that were provided as written, "
    "and it meets the agency's standards for documentation."
)


class Program(models.Model):
    """A program or department of an organization (e.g. adult outpatient, substance use)."""

    class Kind(models.TextChoices):
        MENTAL_HEALTH = "mental_health", _("Mental health")
        SUBSTANCE_USE = "substance_use", _("Substance use")
        CO_OCCURRING = "co_occurring", _("Co-occurring")
        CRISIS = "crisis", _("Crisis")
        HOUSING = "housing", _("Housing")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="programs"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=32, choices=Kind.choices, default=Kind.MENTAL_HEALTH
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="program_unique_name")
        ]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="teams")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="team_unique_name")
        ]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class StaffManager(BaseUserManager["Staff"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> Staff:
        if not email:
            raise ValueError("Staff need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> Staff:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("role", Role.ADMINISTRATOR)
        return self.create_user(email, password, **fields)


class Role(models.TextChoices):
    PEER_SPECIALIST = "peer_specialist", _("Peer specialist")
    PEER_SUPERVISOR = "peer_supervisor", _("Peer supervisor")
    CLINICIAN = "clinician", _("Clinician")
    CASE_MANAGER = "case_manager", _("Case manager")
    PROGRAM_MANAGER = "program_manager", _("Program manager")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    ADMINISTRATOR = "administrator", _("Administrator")


class Staff(AbstractBaseUser, PermissionsMixin):
    """A person who works for an organization and signs in with their email address."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("can use the admin site"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Who this staff member reports to (shown in the agency area; supervision comes later).
    supervisor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervisees",
        verbose_name=_("supervisor"),
    )
    deactivated_at = models.DateTimeField(_("work ended"), null=True, blank=True)

    objects: ClassVar[StaffManager] = StaffManager()  # type: ignore[assignment]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_peer(self) -> bool:
        return self.role in {Role.PEER_SPECIALIST, Role.PEER_SUPERVISOR}


class TeamMembership(models.Model):
    """A staff member's place on a team; a staff member may belong to several teams."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="team_memberships")
    is_supervisor = models.BooleanField(_("supervises this team"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "staff"], name="team_membership_unique")
        ]
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")

    def __str__(self) -> str:
        return f"{self.staff} @ {self.team}"


class Invitation(models.Model):
    """A one-time link for a new staff member to set a password. Only a hash of the token is kept:
    the link itself exists only in the e-mail (and on the screen of whoever sent it)."""

    VALID_HOURS = 72

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "-created_at"], name="invitation_org")]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.staff} ({self.created_at:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class ImportJob(models.Model):
    """One file brought in through the import pipeline: checked (with every problem kept for the
    preview), then written, each step by a background task reporting its progress here."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting to be checked")
        CHECKING = "checking", _("Checking")
        REFUSED = "refused", _("Has problems: nothing was written")
        CHECKED = "checked", _("Checked: ready to import")
        QUEUED = "queued", _("Waiting to be imported")
        WRITING = "writing", _("Importing")
        DONE = "done", _("Imported")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16)
    file_name = models.CharField(max_length=200)
    # The file's text until it is written (then emptied: the rows live in PeerPath).
    content = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WAITING)
    # The language of the page that uploaded it: problems are written in it.
    language = models.CharField(max_length=8, default="en")
    total_rows = models.PositiveIntegerField(default=0)
    done_rows = models.PositiveIntegerField(default=0)
    problem_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"], name="import_org_time")]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name}"

    @property
    def is_running(self) -> bool:
        running = {self.Status.WAITING, self.Status.CHECKING, self.Status.QUEUED}
        return self.status in running | {self.Status.WRITING}

    @property
    def percent(self) -> int:
        """How far the current step is (checking counts the first half, writing the second)."""
        if not self.total_rows:
            return 0
        steps = 2 * self.total_rows
        return min(100, round(100 * self.done_rows / steps)) if self.done_rows else 0


class AuditEvent(models.Model):
    """One thing someone did with PeerPath data. Append-only and hash-chained per organization
    and lane.

    Rows are never updated or deleted: on PostgreSQL and SQLite triggers refuse it, and each row
    carries a keyed hash (HMAC with the audit key, kept outside the database) over its fields and
    the previous row's hash, so `peerpath audit verify` detects any row that was changed, removed
    or inserted out of band, and with a checkpoint also a removed tail.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The person the event concerns, kept as a plain id so that the trail never blocks or
    # cascades from changes to client rows.
    client_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    purpose = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    details = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    # Which audit key signed this row (HMAC-SHA256); empty only for rows from before keying.
    key_id = models.CharField(max_length=16, blank=True)
    hash = models.CharField(max_length=64, unique=True)
    # Which of the organization's chains the row belongs to (see `AUDIT_LANES`): the writer locks
    # only its lane, so an agency's audited requests do not all wait on one lock.
    lane = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["organization", "id"], name="audit_org_chain"),
            models.Index(fields=["organization", "lane", "id"], name="audit_org_lane"),
            models.Index(fields=["actor", "created_at"], name="audit_actor_time"),
            # The privacy desk's searches: one person's trail, newest first; an action prefix
            # ("emergency_access") within an organization (pattern ops for LIKE 'prefix%').
            models.Index(fields=["client_id", "id"], name="audit_client_trail"),
            models.Index(
                fields=["organization", "action", "id"],
                name="audit_org_action",
                opclasses=["", "varchar_pattern_ops", ""],
            ),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class Download(models.Model):
    """A file made in the background for the person who asked (a PDF that grows with the
    record): asked for, made by the worker, fetched by them alone, gone after a day."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be made")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    # The person the file is about (the gate is asked again when it is made and fetched).
    client_id = models.BigIntegerField(null=True, blank=True)
    language = models.CharField(max_length=8, default="en")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="download_requester")]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.QUEUED
