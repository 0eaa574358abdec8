"""Peer contacts and their notes, outreach, groups and attendance, and the words we choose."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.clients.models import Client
from peerpath.core.models import Organization, Staff, Team


class PeerService(models.TextChoices):
    """What peer work a contact held (role fidelity is measured against this list)."""

    RECOVERY_STORY = "recovery_story", _("Sharing recovery story / role modeling")
    HOPE = "hope", _("Offering hope")
    GOAL_SETTING = "goal_setting", _("Goal setting")
    SKILL_BUILDING = "skill_building", _("Skill building")
    COPING_SKILLS = "coping_skills", _("Coping skills")
    EDUCATION = "education", _("Education about mental health or substance use")
    MEDICATIONS = "medications", _("Using medications effectively")
    RELAPSE_PREVENTION = "relapse_prevention", _("Relapse prevention")
    SOCIAL_SUPPORTS = "social_supports", _("Building social supports")
    RESOURCES = "resources", _("Linking to resources")
    SELF_HELP = "self_help", _("Linking to self-help groups (NAMI, DBSA, AA, NA and others)")
    COMMUNITY = "community", _("Community integration")
    ADVOCACY = "advocacy", _("Advocacy")
    MENTORING = "mentoring", _("Mentoring / recovery coaching")
    CRISIS = "crisis", _("Crisis support")


class OtherTask(models.TextChoices):
    """Work that is not peer support, kept apart so that role drift can be seen."""

    TRANSPORT = "transport", _("Transportation only")
    PAPERWORK = "paperwork", _("Paperwork or forms")
    RECEPTION = "reception", _("Covering reception or the front desk")
    ERRANDS = "errands", _("Running errands")
    MONITORING = "monitoring", _("Watching or monitoring someone")
    CLERICAL = "clerical", _("Other office work")


class Place(models.TextChoices):
    OFFICE = "office", _("Office")
    COMMUNITY = "community", _("Community")
    HOME = "home", _("Home")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")
    TEXT = "text", _("Text messages")


class ContactQuerySet(models.QuerySet["Contact"]):
    def current(self) -> ContactQuerySet:
        return self.filter(deleted_at__isnull=True)


class Contact(models.Model):
    """One contact between a peer and a person, and its note.

    A draft may be saved many times (each save bumps `version`, so a stale save is refused). Once
    the author signs it, the note is locked: later changes are `Addendum` rows.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")

    class Review(models.TextChoices):
        NOT_READY = "not_ready", _("Not signed yet")
        WAITING = "waiting", _("Waiting for review")
        REVIEWED = "reviewed", _("Reviewed")
        RETURNED = "returned", _("Returned to the author")
        IMPORTED = "imported", _("Signed in the earlier system (imported)")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="contacts")
    author = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="contacts_written")
    occurred_at = models.DateTimeField(_("date and time"), default=timezone.now)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=30)
    # No default: where a contact happened is a fact someone must choose (signing needs it).
    place = models.CharField(_("where"), max_length=16, choices=Place.choices, blank=True)
    services = models.JSONField(_("peer services"), default=list, blank=True)
    other_tasks = models.JSONField(_("other tasks"), default=list, blank=True)
    in_their_words = models.TextField(_("in their words"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    signed_at = models.DateTimeField(null=True, blank=True)
    review = models.CharField(max_length=16, choices=Review.choices, default=Review.NOT_READY)
    reviewed_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    # The words the supervisor attested to, as they stood when they co-signed.
    review_attestation = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    # Which open copy of the form saved last: autosaves from one page never conflict with that
    # page's own final save, while a save from any other copy with an old version does.
    edit_token = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Notes brought in from an earlier system: signed by the import, never edited here. The key
    # (a hash of the row) makes importing the same file twice change nothing.
    imported_at = models.DateTimeField(null=True, blank=True)
    import_key = models.CharField(max_length=64, blank=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=720), name="contact_minutes_range"
            ),
            models.CheckConstraint(
                condition=Q(status="draft", signed_at__isnull=True, review="not_ready")
                | (Q(status="signed", signed_at__isnull=False) & ~Q(review="not_ready")),
                name="contact_signed_state",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(place=""), name="contact_signed_has_place"
            ),
            models.UniqueConstraint(
                fields=["organization", "import_key"],
                condition=~Q(import_key=""),
                name="contact_unique_import_key",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "-occurred_at"], name="contact_client_time"),
            models.Index(fields=["author", "status", "review"], name="contact_author_state"),
            # A supervisor's page: each peer's newest signed note.
            models.Index(fields=["author", "status", "-occurred_at"], name="contact_author_latest"),
        ]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.client_id} {self.occurred_at:%Y-%m-%d}"

    @staticmethod
    def has_content_q() -> Q:
        """Notes someone wrote something in (an untouched draft is never listed)."""
        return ~Q(summary="") | ~Q(in_their_words="") | ~Q(services=[]) | ~Q(other_tasks=[])

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    def service_labels(self) -> list[str]:
        return [str(PeerService(s).label) for s in self.services if s in PeerService.values]

    def other_task_labels(self) -> list[str]:
        return [str(OtherTask(s).label) for s in self.other_tasks if s in OtherTask.values]


class Addendum(models.Model):
    """A change after signing. Never edited: each addendum is its own row, in order."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("addendum"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")

    def __str__(self) -> str:
        return f"{self.contact_id} +{self.pk}"


class LanguageTerm(models.Model):
    """A word that can hurt, and a person-first way to say it.

    Rows without an organization are the defaults every agency gets; an organization adds its own
    (or turns a default off with an inactive row of the same term).
    """

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        SPANISH = "es", _("Spanish")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    term = models.CharField(_("word or phrase"), max_length=80)
    suggestion = models.CharField(_("say instead"), max_length=200)
    reason = models.CharField(_("why"), max_length=300, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["language", "term"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "language", "term"], name="language_term_unique"
            ),
            models.UniqueConstraint(
                fields=["language", "term"],
                condition=Q(organization__isnull=True),
                name="language_term_default_unique",
            ),
        ]
        verbose_name = _("person-first language term")
        verbose_name_plural = _("person-first language terms")

    def __str__(self) -> str:
        return f"{self.term} → {self.suggestion}"


class Engagement(models.Model):
    """Where outreach to one person stands."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ENGAGING = "engaging", _("Engaging")
        ENGAGED = "engaged", _("Engaged")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="engagement")
    status = models.CharField(
        _("engagement"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    last_reached_on = models.DateField(_("last reached"), null=True, blank=True)
    next_attempt_on = models.DateField(_("next try"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagement")

    def __str__(self) -> str:
        return f"{self.client_id}: {self.status}"


class OutreachAttempt(models.Model):
    class Method(models.TextChoices):
        PHONE = "phone", _("Phone call")
        TEXT = "text", _("Text message")
        HOME_VISIT = "home_visit", _("Home visit")
        STREET = "street", _("Street or shelter outreach")
        LETTER = "letter", _("Letter or email")
        THROUGH_OTHERS = "through_others", _("Through family or another provider")

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached the person")
        MESSAGE = "message", _("Left a message")
        NO_ANSWER = "no_answer", _("No answer")
        NOT_FOUND = "not_found", _("Could not find them")
        WRONG_NUMBER = "wrong_number", _("Wrong number or address")
        DECLINED = "declined", _("Said no for now")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="outreach_attempts")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    attempted_at = models.DateTimeField(_("when"), default=timezone.now)
    method = models.CharField(_("how"), max_length=20, choices=Method.choices)
    outcome = models.CharField(_("what happened"), max_length=20, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    next_try_on = models.DateField(_("next try"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-attempted_at", "-id"]
        indexes = [models.Index(fields=["client", "-attempted_at"], name="outreach_client_time")]
        verbose_name = _("outreach attempt")
        verbose_name_plural = _("outreach attempts")

    def __str__(self) -> str:
        return f"{self.client_id} {self.attempted_at:%Y-%m-%d} {self.outcome}"


class Group(models.Model):
    class Kind(models.TextChoices):
        SKILL_BUILDING = "skill_building", _("Skill-building group")
        WHAM = "wham", _("WHAM support group")
        WRAP = "wrap", _("WRAP group")
        IMR = "imr", _("IMR group")
        PEER_SUPPORT = "peer_support", _("Peer support group")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of group"), max_length=20, choices=Kind.choices)
    schedule = models.CharField(
        _("when it meets"), max_length=200, blank=True, help_text=_("For example: Tuesdays 2 pm")
    )
    location = models.CharField(_("where it meets"), max_length=200, blank=True)
    facilitators = models.ManyToManyField(Staff, related_name="groups_facilitated")
    is_active = models.BooleanField(_("meeting now"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="group_unique_name")
        ]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="group_memberships")
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "client"],
                condition=Q(left_on__isnull=True),
                name="group_member_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id} in {self.group_id}"


class GroupSession(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"), default=timezone.localdate)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    note = models.TextField(_("group note"), blank=True)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    guests = models.PositiveSmallIntegerField(
        _("guests"), default=0, help_text=_("People who came and are not served by the agency.")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["group", "-held_on", "-id"], name="group_session_time")]
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")

    def __str__(self) -> str:
        return f"{self.group_id} {self.held_on}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Came")
        ABSENT = "absent", _("Did not come")
        EXCUSED = "excused", _("Let us know ahead")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendance")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="group_attendance")
    status = models.CharField(_("attendance"), max_length=16, choices=Status.choices)
    # Came without being a member of the group.
    walk_in = models.BooleanField(_("walk-in"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "client"], name="attendance_unique")
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.client_id} {self.status}"


class GroupListing(models.Model):
    """How a group appears in the agency's public feed of its peer-run groups (the Meeting Guide
    format mutual-aid finders read): when and where it meets, for whom, and whether it is
    listed at all. Nothing about the people in it."""

    class Attendance(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("In person and online")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="listing")
    is_published = models.BooleanField(_("list it in the public feed"), default=False)
    days = models.JSONField(default=list)  # 0 Monday ... 6 Sunday
    starts = models.TimeField(_("starts at"))
    ends = models.TimeField(_("ends at"), null=True, blank=True)
    attendance = models.CharField(
        _("how people take part"), max_length=16, choices=Attendance.choices
    )
    place = models.CharField(_("name of the place"), max_length=200, blank=True)
    address = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=2, blank=True)
    postal_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    region = models.CharField(_("area of town"), max_length=100, blank=True)
    conference_url = models.URLField(_("link to join online"), max_length=500, blank=True)
    types = models.JSONField(default=list)  # Meeting Guide type codes
    notes = models.TextField(_("notes for the public"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [
            models.Index(
                fields=["organization", "group"],
                name="group_listing_published",
                condition=Q(is_published=True),
            )
        ]

    def __str__(self) -> str:
        return str(self.group)
