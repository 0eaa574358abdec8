"""The agency's directory of community resources, kept in HSDS 3.0's tabular form."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import Organization, Staff


class Record(models.Model):
    """One record of one HSDS table (a service, a location, a phone, a schedule, ...) in an
    agency's directory: its HSDS id and its own fields as HSDS names them. Links to other
    records are the `*_id` fields inside `data`, as in HSDS's tables."""

    class Source(models.TextChoices):
        IMPORT = "import", _("Imported")
        AGENCY = "agency", _("Added by the agency")

    # Not indexed alone: the unique (organization, table, hsds_id) leads with it.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    table = models.CharField(max_length=32)
    hsds_id = models.CharField(max_length=64)
    data = models.JSONField()
    # SHA-256 of `data` in canonical form: a re-import of the same record changes nothing.
    digest = models.CharField(max_length=64)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.IMPORT)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when a later import of the whole directory no longer has the record.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "table", "hsds_id"], name="directory_record_unique_id"
            )
        ]
        verbose_name = _("directory record")
        verbose_name_plural = _("directory records")

    def __str__(self) -> str:
        return f"{self.table} {self.data.get('name') or self.hsds_id}"


class RecordVersion(models.Model):
    """A record as it was before each change (its `version` then, and its data), with who made
    the change, which fields it changed and how (an import, an edit, a removal). The current
    version is the record itself; who added it is `Record.created_by`."""

    class How(models.TextChoices):
        IMPORT = "import", _("Import")
        EDIT = "edit", _("Edit")
        REMOVE = "remove", _("Removed by an import")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # Not indexed alone: the unique (record, version) leads with it.
    record = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="versions", db_index=False
    )
    version = models.PositiveIntegerField()
    data = models.JSONField()
    changed_fields = models.JSONField(default=list)
    how = models.CharField(max_length=8, choices=How.choices)
    changed_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record", "version"], name="directory_record_version_unique"
            )
        ]
        verbose_name = _("directory record version")
        verbose_name_plural = _("directory record versions")

    def __str__(self) -> str:
        return f"{self.record} v{self.version}"


class Entry(models.Model):
    """What the search page finds: one service at one of its locations (or a service with no
    location, online or by phone), with what its filters need, rebuilt from the records after
    each change. Never edited itself."""

    # Not indexed alone: every index of the search leads with it.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    service = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(
        Record, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=300)
    provider = models.CharField(max_length=300, blank=True)
    summary = models.TextField(blank=True)
    # Everything the words search looks in, one text (name, provider, description, terms).
    text = models.TextField(blank=True)
    address = models.CharField(max_length=400, blank=True)
    phone = models.CharField(max_length=64, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # The place as a point on the unit sphere: nearness is then plain arithmetic in SQL (the
    # dot product of two such points is the cosine of the angle between them).
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)
    z = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["organization", "name", "id"], name="directory_entry_name"),
            models.Index(
                fields=["organization", "latitude", "longitude"], name="directory_entry_place"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Facet(models.Model):
    """One thing an entry can be filtered by: a category, a language, a cost, an
    accessibility feature, or how it is delivered."""

    class Kind(models.TextChoices):
        CATEGORY = "category", _("Category")
        LANGUAGE = "language", _("Language")
        COST = "cost", _("Cost")
        ACCESS = "access", _("Accessibility")
        MODE = "mode", _("In person or online")

    # The entry's agency, copied so every filter index can lead with it. No database constraint:
    # the entry's own holds it, and an import writes a hundred thousand of these.
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="facets")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.CharField(max_length=64)

    class Meta:
        indexes = [
            models.Index(
                fields=["organization", "kind", "value", "entry"], name="directory_facet_filter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}={self.value}"


class Hours(models.Model):
    """When an entry is open on one day of the week, in minutes from midnight (local time).
    Hours past midnight are a second row on the next day."""

    # The entry's agency, without a database constraint (as on Facet).
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # Not indexed alone: directory_hours_open leads with it.
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="hours", db_index=False)
    weekday = models.PositiveSmallIntegerField()  # 0 Monday ... 6 Sunday
    opens = models.PositiveSmallIntegerField()
    closes = models.PositiveSmallIntegerField()  # up to 1440

    class Meta:
        indexes = [
            # Looked up for each entry found ("is it open then?").
            models.Index(
                fields=["entry", "weekday", "opens", "closes"], name="directory_hours_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens}-{self.closes}"


class Meeting(models.Model):
    """A mutual-aid meeting from a Meeting Guide feed (AA, NA, SMART Recovery, ...): the feed's
    own fields, and each weekly time it meets as a `MeetingTime`."""

    class Attendance(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("In person and online")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    feed = models.CharField(max_length=200)  # the feed it came from (a file or feed name)
    slug = models.CharField(max_length=200)
    name = models.CharField(max_length=300)
    types = models.JSONField(default=list, blank=True)  # type codes, unknown ones kept
    # The same codes as "|O|S|", so that a type filter is a plain text match on any database.
    type_codes = models.CharField(max_length=1000, blank=True)
    attendance = models.CharField(max_length=16, choices=Attendance.choices)
    location = models.CharField(max_length=300, blank=True)
    address = models.CharField(max_length=400, blank=True)
    region = models.CharField(max_length=200, blank=True)
    conference_url = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)
    z = models.FloatField(null=True, blank=True)
    updated = models.DateTimeField(null=True, blank=True)  # as the feed says
    data = models.JSONField()  # the meeting as the feed had it
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "feed", "slug"], name="directory_meeting_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["organization", "latitude", "longitude"], name="directory_meeting_place"
            )
        ]

    def __str__(self) -> str:
        return self.name


class MeetingTime(models.Model):
    """One weekly time a meeting meets, in minutes from midnight; one that ends after midnight
    ends past 1440."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="times")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    weekday = models.PositiveSmallIntegerField()  # 0 Monday ... 6 Sunday
    starts = models.PositiveSmallIntegerField()
    ends = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["organization", "weekday", "starts", "meeting"],
                name="directory_meeting_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.starts}"


# Referrals ---------------------------------------------------------------------------------------


class Referral(models.Model):
    """A person referred to a service in the directory, with their consent, until the loop is
    closed: the service's name, place and phone as they were when the peer referred (the
    directory may change later), a follow-up date, and what happened."""

    class Status(models.TextChoices):
        # FHIR R4 Task.status codes, the states a referral goes through.
        DRAFT = "draft", _("Draft, not sent")
        REQUESTED = "requested", _("Referred")
        RECEIVED = "received", _("Received by the service")
        ACCEPTED = "accepted", _("Accepted by the service")
        REJECTED = "rejected", _("Turned down by the service")
        IN_PROGRESS = "in-progress", _("Getting the service")
        COMPLETED = "completed", _("Done")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Did not happen")

    class Outcome(models.TextChoices):
        GOT_SERVICE = "got_service", _("Got the service")
        WAITING_LIST = "waiting_list", _("On a waiting list")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible")
        DID_NOT_GO = "did_not_go", _("Did not go")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # Not indexed alone: directory_referral_person leads with it.
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    service = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="+", db_index=False)
    location = models.ForeignKey(
        Record, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    service_name = models.CharField(_("service"), max_length=300)
    provider = models.CharField(_("provider"), max_length=300, blank=True)
    address = models.CharField(_("address"), max_length=400, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    reason = models.TextField(_("why this service"))
    # What the person agreed the service may be told; empty when nothing is shared.
    shared_information = models.TextField(_("information the person agrees to share"), blank=True)
    consent_given = models.BooleanField(default=False)
    part2_consent = models.ForeignKey(
        "clients.Consent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disclosure = models.ForeignKey(
        "clients.Disclosure", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    warm_handoff = models.BooleanField(_("the peer goes along"), default=False)
    follow_up_on = models.DateField(_("follow up on"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("what happened, and why"), blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_given=True), name="directory_referral_consented"
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="") | models.Q(outcome_on__isnull=False),
                name="directory_referral_outcome_dated",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "-created_at", "-id"], name="directory_referral_person"),
            # Follow-ups due and overdue: open referrals by date.
            models.Index(
                fields=["organization", "follow_up_on", "id"],
                name="directory_referral_follow_up",
                condition=models.Q(
                    status__in=["draft", "requested", "received", "accepted", "in-progress"]
                ),
            ),
            models.Index(fields=["organization", "service"], name="directory_referral_service"),
        ]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return self.service_name

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def loop_open(self) -> bool:
        """Still waiting to hear what happened (a waiting list is followed up too)."""
        return self.is_open and self.outcome in ("", self.Outcome.WAITING_LIST)


OPEN_STATUSES = ("draft", "requested", "received", "accepted", "in-progress")


class ReferralChange(models.Model):
    """One change of a referral's status: from, to, why, who and when."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=16, choices=Referral.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Referral.Status.choices)
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class ReferralBarrier(models.Model):
    """Something that stood in the person's way at a service, kept with the service so that
    peers and managers can take it up with the provider."""

    class Kind(models.TextChoices):
        SCHEDULING = "scheduling", _("Strict scheduling")
        PROCEDURES = "procedures", _("Unwelcoming procedures")
        DOCUMENTS = "documents", _("Documents asked for")
        COST = "cost", _("Cost")
        TRANSPORT = "transport", _("Transport")
        LANGUAGE = "language", _("Language")
        OTHER = "other", _("Something else")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="barriers")
    service = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="+", db_index=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    recorded_on = models.DateField()

    class Meta:
        indexes = [
            models.Index(
                fields=["organization", "service", "kind"], name="directory_barrier_service"
            )
        ]

    def __str__(self) -> str:
        return self.kind
