"""Plans that belong to the person: goals in their words, WRAP, WHAM and IMR progress."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.clients.models import Client
from peerpath.core.models import Organization, Staff
from peerpath.encounters.models import Contact, GroupSession


class LifeArea(models.TextChoices):
    HOUSING = "housing", _("Housing")
    WORK = "work", _("Work")
    EDUCATION = "education", _("School and learning")
    HEALTH = "health", _("Health")
    RELATIONSHIPS = "relationships", _("Relationships")
    RECOVERY = "recovery", _("Recovery")
    COMMUNITY = "community", _("Community")
    MONEY = "money", _("Money")
    SPIRITUALITY = "spirituality", _("Spirituality")
    FUN = "fun", _("Fun and free time")
    OTHER = "other", _("Other")


class Goal(models.Model):
    """A goal in the person's own words, kept exactly as they said it."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Working on it")
        ACHIEVED = "achieved", _("Reached")
        PAUSED = "paused", _("On hold")
        SET_ASIDE = "set_aside", _("Set aside")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="goals")
    own_words = models.TextField(_("the goal, in the person's own words"))
    smart_restatement = models.TextField(
        _("specific, measurable version (optional)"),
        blank=True,
        help_text=_("What, how much, by when. Keep the person's meaning."),
    )
    life_area = models.CharField(_("life area"), max_length=20, choices=LifeArea.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["status", "-created_at"]
        indexes = [models.Index(fields=["client", "status"], name="goal_by_client")]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.own_words[:60]


class GoalStep(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(_("step"), max_length=300)
    due_on = models.DateField(_("by when"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done_on", "due_on", "id"]
        verbose_name = _("goal step")
        verbose_name_plural = _("goal steps")

    def __str__(self) -> str:
        return self.text


class GoalNote(models.Model):
    """Progress toward a goal, written after a contact or session."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("progress"))
    written_on = models.DateField(_("date"), default=timezone.localdate)
    written_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    # The contact this progress came from, if any: goals link to the contacts that serve them.
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goal_notes",
        verbose_name=_("from the contact on"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_on", "-id"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self) -> str:
        return self.text[:60]


class GoalStatusChange(models.Model):
    """The history of a goal's status: rows are only added."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=Goal.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Goal.Status.choices)
    note = models.CharField(_("why"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("goal status change")
        verbose_name_plural = _("goal status changes")

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class WrapPlan(models.Model):
    """A person's WRAP. Its content lives in versions; every save adds one."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="wrap")
    current_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("WRAP")
        verbose_name_plural = _("WRAPs")

    def __str__(self) -> str:
        return f"WRAP v{self.current_version}"


class WrapVersion(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(WrapPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField(default=dict)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    saved_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="wrap_version_unique")
        ]
        verbose_name = _("WRAP version")
        verbose_name_plural = _("WRAP versions")

    def __str__(self) -> str:
        return f"WRAP v{self.number}"


class WhamFactor(models.TextChoices):
    STRESS = "stress", _("Stress management")
    EATING = "eating", _("Healthy eating")
    ACTIVITY = "activity", _("Physical activity")
    SLEEP = "sleep", _("Restful sleep")
    SERVICE = "service", _("Service to others")
    SUPPORT = "support", _("Support network")
    OPTIMISM = "optimism", _("Optimism")
    COGNITIVE = "cognitive", _("Cognitive skills")
    SPIRITUAL = "spiritual", _("Spiritual beliefs and practices")
    MEANING = "meaning", _("Meaning and purpose")


class WhamPlan(models.Model):
    """Whole Health Action Management: one person-centered goal in one whole-health factor."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="wham_plans")
    factor = models.CharField(_("whole-health area"), max_length=20, choices=WhamFactor.choices)
    goal = models.TextField(_("my goal, in my own words"))
    started_on = models.DateField(_("started"), default=timezone.localdate)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_active", "-started_on"]
        verbose_name = _("WHAM plan")
        verbose_name_plural = _("WHAM plans")

    def __str__(self) -> str:
        return self.goal[:60]


class WhamActionPlan(models.Model):
    """A weekly action plan: what, how much, when, how often, and how sure I am (0-10)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(WhamPlan, on_delete=models.CASCADE, related_name="action_plans")
    week_of = models.DateField(_("week of"))
    what = models.CharField(_("what I will do"), max_length=300)
    how_much = models.CharField(_("how much"), max_length=200)
    when = models.CharField(_("when"), max_length=200)
    how_often = models.CharField(_("how often"), max_length=200)
    confidence = models.PositiveSmallIntegerField(_("how sure I am (0 to 10)"))
    created_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week_of", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=10),
                name="wham_confidence_0_10",
            )
        ]
        verbose_name = _("WHAM weekly action plan")
        verbose_name_plural = _("WHAM weekly action plans")

    def __str__(self) -> str:
        return self.what


class WhamLogEntry(models.Model):
    """The person's own log of how the week's plan went."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(WhamPlan, on_delete=models.CASCADE, related_name="log")
    day = models.DateField(_("date"))
    did_it = models.BooleanField(_("I did my action step"))
    note = models.CharField(_("how it went"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("WHAM log entry")
        verbose_name_plural = _("WHAM log")

    def __str__(self) -> str:
        return f"{self.day}"


class WhamSessionLink(models.Model):
    """A one-to-one session (a contact) or a WHAM group session that worked on this plan."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(WhamPlan, on_delete=models.CASCADE, related_name="session_links")
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="wham_links"
    )
    group_session = models.ForeignKey(
        GroupSession, on_delete=models.CASCADE, null=True, blank=True, related_name="wham_links"
    )
    linked_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(contact__isnull=False) & Q(group_session__isnull=True))
                | (Q(contact__isnull=True) & Q(group_session__isnull=False)),
                name="wham_link_one_kind",
            ),
            models.UniqueConstraint(
                fields=["plan", "contact"],
                condition=Q(contact__isnull=False),
                name="wham_link_contact_once",
            ),
            models.UniqueConstraint(
                fields=["plan", "group_session"],
                condition=Q(group_session__isnull=False),
                name="wham_link_group_once",
            ),
        ]
        verbose_name = _("WHAM session")
        verbose_name_plural = _("WHAM sessions")

    def __str__(self) -> str:
        return f"WHAM link {self.pk}"


class ImrModule(models.IntegerChoices):
    RECOVERY_STRATEGIES = 1, _("Recovery Strategies")
    PRACTICAL_FACTS = 2, _("Practical Facts about Mental Illness")
    STRESS_VULNERABILITY = 3, _("The Stress-Vulnerability Model")
    SOCIAL_SUPPORT = 4, _("Building Social Support")
    MEDICATION = 5, _("Using Medication Effectively")
    DRUG_ALCOHOL = 6, _("Drug and Alcohol Use")
    RELAPSES = 7, _("Reducing Relapses")
    COPING_STRESS = 8, _("Coping with Stress")
    COPING_SYMPTOMS = 9, _("Coping with Problems and Symptoms")
    NEEDS_MET = 10, _("Getting Your Needs Met in the Mental Health System")
    HEALTHY_LIFESTYLES = 11, _("Healthy Lifestyles")


class ImrPlan(models.Model):
    """Illness Management and Recovery: the recovery goal IMR works toward, and its progress."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="imr")
    recovery_goal = models.TextField(_("my recovery goal"))
    started_on = models.DateField(_("started"), default=timezone.localdate)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("IMR plan")
        verbose_name_plural = _("IMR plans")

    def __str__(self) -> str:
        return self.recovery_goal[:60]


class ImrSession(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    imr = models.ForeignKey(ImrPlan, on_delete=models.CASCADE, related_name="sessions")
    module = models.PositiveSmallIntegerField(_("module"), choices=ImrModule.choices)
    held_on = models.DateField(_("date"))
    note = models.CharField(_("what we worked on"), max_length=500, blank=True)
    led_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("IMR session")
        verbose_name_plural = _("IMR sessions")

    def __str__(self) -> str:
        return f"{self.get_module_display()} {self.held_on}"


class ImrCompletion(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    imr = models.ForeignKey(ImrPlan, on_delete=models.CASCADE, related_name="completions")
    module = models.PositiveSmallIntegerField(_("module"), choices=ImrModule.choices)
    completed_on = models.DateField(_("completed on"))

    class Meta:
        ordering = ["module"]
        constraints = [models.UniqueConstraint(fields=["imr", "module"], name="imr_module_once")]
        verbose_name = _("IMR module completed")
        verbose_name_plural = _("IMR modules completed")

    def __str__(self) -> str:
        return self.get_module_display()
