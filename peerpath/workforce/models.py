"""The agency side of a peer program: readiness surveys (and, later, hiring and support)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import Organization, Staff, Team
from peerpath.measures import instruments


class SurveyInstrument(models.Model):
    """A readiness questionnaire, kept as the FHIR R4 Questionnaire it was loaded from (by the
    measures' loader). Shipped ones have no organization and are offered to every agency."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    url = models.CharField(max_length=300)
    version = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=100)
    title = models.CharField(max_length=300)
    resource = models.JSONField()
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["url", "version"],
                condition=Q(organization__isnull=True),
                name="survey_instrument_shipped_unique",
            ),
            models.UniqueConstraint(
                fields=["organization", "url", "version"],
                condition=Q(organization__isnull=False),
                name="survey_instrument_agency_unique",
            ),
        ]
        verbose_name = _("survey questionnaire")
        verbose_name_plural = _("survey questionnaires")

    def __str__(self) -> str:
        return self.title

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


class Wave(models.Model):
    """One round of a survey (e.g. "Before peers start", "Six months later"): open to all the
    agency's staff between two days."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    instrument = models.ForeignKey(SurveyInstrument, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name of the wave"), max_length=120)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="wave_closes_after_opening"
            ),
            models.UniqueConstraint(fields=["organization", "name"], name="wave_unique_name"),
        ]
        indexes = [models.Index(fields=["organization", "closes_on"], name="wave_open")]
        verbose_name = _("survey wave")
        verbose_name_plural = _("survey waves")

    def __str__(self) -> str:
        return self.name

    def is_open_on(self, day: date) -> bool:
        return self.opens_on <= day <= self.closes_on


class Participation(models.Model):
    """That a staff member has answered a wave, so that nobody answers twice. It says nothing
    of what they answered: no link to the answers, and no time."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["wave", "staff"], name="participation_once")]

    def __str__(self) -> str:
        return f"wave {self.wave_id}"


class SurveyAnswer(models.Model):
    """One person's answers to a wave, never linked to who gave them: a random id (the order
    answers came in is not kept), the day only, and the two things results are grouped by."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    # The team of the person who answered when they are on exactly one; their role.
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True)
    role = models.CharField(max_length=32)
    answered_on = models.DateField()
    answers = models.JSONField()  # link id: the option code, or the words written

    def __str__(self) -> str:
        return f"answers to wave {self.wave_id}"


# From results to strategies ----------------------------------------------------------------------


class Strategy(models.Model):
    """Something concrete the agency can do about a readiness gap, in its own library. A default
    PeerPath ships keeps its `key` and reads in the reader's language until the agency rewrites
    it; the agency's own strategies have no key."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=40, blank=True)
    title = models.CharField(_("strategy"), max_length=200, blank=True)
    description = models.TextField(_("what it means"), blank=True)
    # The survey sections it answers (their link ids: fears, barriers, commitment, ...).
    sections = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "key"],
                condition=~Q(key=""),
                name="strategy_default_once",
            )
        ]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")

    def __str__(self) -> str:
        return self.title or self.key


class ActionItem(models.Model):
    """A strategy the agency adopted: who carries it, by when, and how it is going."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_WAY = "under_way", _("Under way")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="actions")
    # The survey result that led to it, when one did.
    wave = models.ForeignKey(Wave, on_delete=models.SET_NULL, null=True, blank=True)
    section = models.CharField(max_length=64, blank=True)
    owner = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due on"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    note = models.TextField(_("how it is going"), blank=True)
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [
            models.Index(
                fields=["organization", "due_on", "id"],
                name="action_item_open",
                condition=Q(status__in=["planned", "under_way"]),
            )
        ]
        verbose_name = _("action")
        verbose_name_plural = _("action plan")

    def __str__(self) -> str:
        return f"{self.strategy} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.UNDER_WAY)


# Champions, learning from others, and the roadmap -----------------------------------------------


class Champion(models.Model):
    """A staff member who carries the culture shift on their team."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")
    named_on = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "staff"], name="champion_once_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.staff} ({self.team})"


class LearningActivity(models.Model):
    """Learning from agencies that already employ peers: a visit where staff shadow peers
    there, or a question-and-answer or technical-assistance session with peer providers."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit to an agency that employs peers")
        QUESTIONS = "questions", _("Questions and answers with peer providers")
        ASSISTANCE = "assistance", _("Technical assistance from peer providers")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    host = models.CharField(_("with which agency or peer providers"), max_length=200)
    planned_on = models.DateField(_("on"))
    strategy = models.ForeignKey(Strategy, on_delete=models.SET_NULL, null=True, blank=True)
    section = models.CharField(max_length=64, blank=True)
    learned = models.TextField(_("what we learned"), blank=True)
    done_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["organization", "planned_on"], name="learning_when")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.host}"


class RoadmapStep(models.Model):
    """A step of the integration roadmap the agency has marked done (the steps themselves are
    PeerPath's checklist; undone, the row stays with no date)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=40)
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="roadmap_step_once")
        ]

    def __str__(self) -> str:
        return self.key


# Fair hiring -------------------------------------------------------------------------------------


class LivingWage(models.Model):
    """What a household needs to earn an hour in a county (the agency enters or imports it, for
    example from the MIT Living Wage Calculator)."""

    class Household(models.TextChoices):
        ONE_ADULT = "1a", _("One adult")
        ONE_ADULT_ONE_CHILD = "1a1c", _("One adult, one child")
        ONE_ADULT_TWO_CHILDREN = "1a2c", _("One adult, two children")
        TWO_ADULTS_ONE_WORKING = "2a1w", _("Two adults, one working")
        TWO_ADULTS_BOTH_WORKING = "2a2w", _("Two adults, both working")
        TWO_ADULTS_BOTH_WORKING_ONE_CHILD = "2a2w1c", _("Two adults, both working, one child")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    county = models.CharField(_("county"), max_length=100)
    household = models.CharField(_("household"), max_length=8, choices=Household.choices)
    hourly = models.DecimalField(_("living wage an hour"), max_digits=7, decimal_places=2)
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "county", "household"], name="living_wage_once"
            ),
            models.CheckConstraint(condition=Q(hourly__gt=0), name="living_wage_positive"),
        ]
        ordering = ["county", "household"]

    def __str__(self) -> str:
        return f"{self.county} {self.household}: {self.hourly}"


class Position(models.Model):
    """A peer position and its job description: the duties of peer work, lived experience as a
    qualification, certification, who supervises it, its pay, and what counts as experience."""

    class Certification(models.TextChoices):
        REQUIRED = "required", _("Required to start")
        WITHIN = "within", _("To be earned within some months of starting")
        NONE = "none", _("Not needed")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("about the job"))
    duties = models.JSONField(default=list)  # keys of hiring.DUTIES
    other_duties = models.TextField(_("other duties"), blank=True)
    lived_experience = models.BooleanField(_("lived experience of recovery is a qualification"))
    certification = models.CharField(max_length=8, choices=Certification.choices)
    certification_months = models.PositiveSmallIntegerField(null=True, blank=True)
    supervisor = models.ForeignKey(
        Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    supervision = models.TextField(_("how the peer is supervised"))
    # What counts toward the experience asked for (keys of hiring.EXPERIENCE).
    experience_counts = models.JSONField(default=list)
    paid_years_required = models.PositiveSmallIntegerField(default=0)
    hours_per_week = models.PositiveSmallIntegerField()
    pay_min = models.DecimalField(max_digits=7, decimal_places=2)
    pay_max = models.DecimalField(max_digits=7, decimal_places=2)
    county = models.CharField(_("county"), max_length=100)
    household = models.CharField(
        max_length=8, choices=LivingWage.Household.choices, default=LivingWage.Household.ONE_ADULT
    )
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(pay_max__gte=F("pay_min")), name="position_pay_range"
            ),
            models.CheckConstraint(condition=Q(pay_min__gt=0), name="position_pay_positive"),
        ]
        indexes = [models.Index(fields=["organization", "status", "id"], name="position_list")]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """One thing a position's interviewers score (1 to 5), with the weight the agency gives it.
    PeerPath's defaults keep their `key` and show in the reader's language; the agency's own
    keep their words in `label`."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="criteria")
    key = models.CharField(max_length=40, blank=True)
    label = models.CharField(_("what is scored"), max_length=200, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=5), name="criterion_weight_range"
            )
        ]
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")

    def __str__(self) -> str:
        return self.label or self.key


class PanelMember(models.Model):
    """An interviewer on a position's panel."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="panel")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["position", "staff"], name="panel_member_unique")
        ]
        indexes = [models.Index(fields=["staff", "position"], name="panel_member_staff")]
        verbose_name = _("interviewer")
        verbose_name_plural = _("interviewers")

    def __str__(self) -> str:
        return f"{self.staff_id} @ {self.position_id}"


class Candidate(models.Model):
    """Someone who applied for a position: personnel data, seen only by those who run the
    agency and the position's panel (every read audited), purged when not hired after
    CANDIDATE_RETENTION_DAYS."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        SCREENED_OUT = "screened_out", _("Screened out")
        INTERVIEW = "interview", _("Interviewing")
        HIRED = "hired", _("Hired")
        NOT_HIRED = "not_hired", _("Not hired")
        WITHDREW = "withdrew", _("Withdrew")

    class Certification(models.TextChoices):
        NONE = "none", _("Not certified")
        IN_PROGRESS = "in_progress", _("Certification in progress")
        CERTIFIED = "certified", _("Certified")

    class ScreenReason(models.TextChoices):
        PAID_YEARS = "paid_years", _("Fewer years of paid work than the position asks")
        CERTIFICATION = "certification", _("No certification where the position requires it")
        INCOMPLETE = "incomplete", _("The application is incomplete")
        OTHER = "other", _("Another reason (say which)")

    OPEN = (Status.APPLIED, Status.INTERVIEW)
    CLOSED = (Status.SCREENED_OUT, Status.NOT_HIRED, Status.WITHDREW)

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="candidates")
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    applied_on = models.DateField(_("applied on"))
    paid_years = models.DecimalField(_("years of paid work"), max_digits=4, decimal_places=1)
    peer_run_years = models.DecimalField(
        _("years in peer-run programs"), max_digits=4, decimal_places=1, default=0
    )
    volunteer_years = models.DecimalField(
        _("years of other volunteer work"), max_digits=4, decimal_places=1, default=0
    )
    # Only what the candidate chose to say; None: they did not say.
    lived_experience = models.BooleanField(null=True, blank=True)
    certification = models.CharField(max_length=12, choices=Certification.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.APPLIED)
    screen_reason = models.CharField(max_length=16, choices=ScreenReason.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)  # for a screening or a decision
    closed_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [
            models.Index(fields=["position", "-id"], name="candidate_position"),
            models.Index(fields=["status", "closed_on"], name="candidate_purge"),
        ]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")

    def __str__(self) -> str:
        return f"candidate {self.pk}"


class Scorecard(models.Model):
    """One interviewer's scores for one candidate: scores by criterion id (1 to 5), kept to
    themselves until they submit."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="scorecards")
    interviewer = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(default=dict)
    notes = models.TextField(_("notes"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "interviewer"], name="scorecard_one_per_interviewer"
            )
        ]
        indexes = [models.Index(fields=["interviewer", "submitted_at"], name="scorecard_todo")]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")

    def __str__(self) -> str:
        return f"scorecard {self.pk}"


class InterviewQuestion(models.Model):
    """A question in the agency's interview bank: PeerPath's defaults by `key`, or the agency's
    own words. Questions about diagnosis, medication, hospital stays or treatment are refused
    before they are saved (see recruiting.question_problem)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=40, blank=True)
    text = models.TextField(_("question"), blank=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("interview question")
        verbose_name_plural = _("interview questions")

    def __str__(self) -> str:
        return self.text or self.key


class WorkforceRules(models.Model):
    """The agency's rules for supporting peers at work: how often supervision happens, the
    share of time that should be peer work, the caseload target, and which kinds of work in a
    contact count as other work (the rest is peer work)."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="workforce_rules"
    )
    one_to_one_days = models.PositiveSmallIntegerField(
        _("a one-to-one at least every (days)"), default=14
    )
    group_days = models.PositiveSmallIntegerField(_("a group at least every (days)"), default=31)
    fidelity_target = models.PositiveSmallIntegerField(
        _("target share of time in peer work (%)"), default=80
    )
    caseload_target = models.PositiveSmallIntegerField(
        _("target caseload per peer (people)"), default=15
    )
    # Keys of encounters.PeerService and encounters.OtherTask that count as other work.
    other_work = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(fidelity_target__lte=100), name="rules_fidelity_target_percent"
            ),
            models.CheckConstraint(
                condition=Q(one_to_one_days__gte=1, group_days__gte=1), name="rules_days_positive"
            ),
        ]
        verbose_name = _("peer support rules")
        verbose_name_plural = _("peer support rules")

    def __str__(self) -> str:
        return f"rules {self.organization_id}"


class SupervisionSession(models.Model):
    """A one-to-one or group supervision session. Its notes are the supervisor's and the
    peers' alone: never in a person's record, and every read is audited."""

    class Kind(models.TextChoices):
        ONE_TO_ONE = "one_to_one", _("One-to-one")
        GROUP = "group", _("Group")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    supervisor = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    held_on = models.DateField(_("held on"))
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    peers: models.ManyToManyField[Staff, Any] = models.ManyToManyField(
        Staff, through="SupervisionAttendance", related_name="+"
    )
    topics = models.JSONField(default=list)  # keys of support.TOPICS
    notes = models.TextField(_("private notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["supervisor", "-held_on"], name="supervision_supervisor"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=5, minutes__lte=480), name="supervision_minutes_range"
            )
        ]
        verbose_name = _("supervision session")
        verbose_name_plural = _("supervision sessions")

    def __str__(self) -> str:
        return f"supervision {self.pk}"


class SupervisionAttendance(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(SupervisionSession, on_delete=models.CASCADE)
    peer = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    # Denormalized for "each peer's last session of each kind" in one indexed query.
    kind = models.CharField(max_length=12, choices=SupervisionSession.Kind.choices)
    held_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "peer"], name="supervision_attendance_once")
        ]
        indexes = [
            models.Index(fields=["peer", "kind", "-held_on"], name="supervision_peer_last"),
        ]

    def __str__(self) -> str:
        return f"{self.peer_id} @ {self.session_id}"


class SupervisionTopic(models.Model):
    """Something a peer wants to talk about at their next session."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    peer = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("what you want to talk about"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    discussed_in = models.ForeignKey(
        SupervisionSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["peer", "discussed_in"], name="supervision_topic_open")]
        verbose_name = _("topic for supervision")
        verbose_name_plural = _("topics for supervision")

    def __str__(self) -> str:
        return self.text[:40]


class SelfCarePlan(models.Model):
    """A peer's own self-care plan: theirs alone. Nobody else reads it, unless the peer turns on
    sharing it with their supervisor (each such read audited)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    staff = models.OneToOneField(Staff, on_delete=models.CASCADE, related_name="+")
    keeps_me_well = models.TextField(_("What keeps me well at work"), blank=True)
    early_signs = models.TextField(_("Early signs that I am stressed"), blank=True)
    what_helps = models.TextField(_("What helps when I am"), blank=True)
    who_to_talk_to = models.TextField(_("Who I can talk to"), blank=True)
    shared_with_supervisor = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("self-care plan")
        verbose_name_plural = _("self-care plans")

    def __str__(self) -> str:
        return f"self-care plan {self.pk}"


class WellbeingCheckin(models.Model):
    """A peer's short check-in: how they are at work, and whether they have the support they
    need (1 to 5). Read only by the peer; those who run the agency see only a team summary
    with at least SURVEY_MIN_GROUP peers in each group."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")
    on = models.DateField()
    wellbeing = models.PositiveSmallIntegerField()
    support = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "on"], name="checkin_once_a_day"),
            models.CheckConstraint(
                condition=Q(wellbeing__gte=1, wellbeing__lte=5, support__gte=1, support__lte=5),
                name="checkin_scale",
            ),
        ]
        indexes = [models.Index(fields=["organization", "on"], name="checkin_agency_day")]
        verbose_name = _("wellbeing check-in")
        verbose_name_plural = _("wellbeing check-ins")

    def __str__(self) -> str:
        return f"check-in {self.pk}"


class Certification(models.Model):
    """A peer's certification, with its renewal rule (so many hours of continuing education in
    so many years, some of them in ethics) and, if attached, the certificate file (PDF, PNG or
    JPEG, kept in the database, never under the web root)."""

    class Kind(models.TextChoices):
        STATE_PEER = "state_peer", _("State peer specialist certification")
        RECOVERY_COACH = "recovery_coach", _("Recovery coach")
        OTHER = "other", _("Another certification")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("certification"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    body = models.CharField(_("issued by"), max_length=200)
    number = models.CharField(_("number"), max_length=80, blank=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    ce_hours = models.PositiveSmallIntegerField(
        _("hours of continuing education to renew"), default=0
    )
    ce_years = models.PositiveSmallIntegerField(_("within (years)"), default=2)
    ethics_hours = models.PositiveSmallIntegerField(_("of them in ethics"), default=0)
    file = models.BinaryField(null=True, blank=True, editable=False)
    file_type = models.CharField(max_length=40, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["expires_on", "id"]
        indexes = [models.Index(fields=["staff", "expires_on"], name="certification_staff")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("issued_on")),
                name="certification_expires_after_issue",
            )
        ]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return f"certification {self.pk}"


class ContinuingEducation(models.Model):
    """Hours of continuing education a peer took, toward one certification's renewal."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")
    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="activities"
    )
    title = models.CharField(_("training"), max_length=200)
    provider = models.CharField(_("given by"), max_length=200, blank=True)
    on = models.DateField(_("on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    ethics_hours = models.DecimalField(
        _("of them in ethics"), max_digits=5, decimal_places=2, default=0
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["certification", "on"], name="ce_certification_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(ethics_hours__gte=0) & Q(ethics_hours__lte=F("hours")),
                name="ce_hours_valid",
            )
        ]
        verbose_name = _("continuing education")
        verbose_name_plural = _("continuing education")

    def __str__(self) -> str:
        return f"{self.title} ({self.on})"


class OrientationStep(models.Model):
    """A step of the agency's orientation template: PeerPath's defaults by `key`, or the
    agency's own words, due so many days after a new peer starts."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=40, blank=True)
    title = models.CharField(_("step"), max_length=200, blank=True)
    day = models.PositiveSmallIntegerField(_("due on day"))
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["day", "id"]
        verbose_name = _("orientation step")
        verbose_name_plural = _("orientation steps")

    def __str__(self) -> str:
        return self.title or self.key


class Orientation(models.Model):
    """A new peer's orientation: their start day, their checklist, shadowing and their
    professional development plan."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    peer = models.OneToOneField(Staff, on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField(_("starts on"))
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The professional development plan, reviewed in supervision.
    skills = models.TextField(_("Skills I want to grow"), blank=True)
    trainings = models.TextField(_("Trainings I want"), blank=True)
    role_growth = models.TextField(_("How my role could grow"), blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")

    def __str__(self) -> str:
        return f"orientation {self.pk}"


class OrientationItem(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    orientation = models.ForeignKey(Orientation, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=200, blank=True)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["orientation", "done_on"], name="orientation_open")]

    def __str__(self) -> str:
        return self.title or self.key


class Shadowing(models.Model):
    """A day or session a new peer spent beside someone: an experienced peer (here or at
    another agency) or another role on the team (cross-training), with what they took away."""

    class Work(models.TextChoices):
        PEER = "peer", _("Peer work")
        CLINICAL = "clinical", _("Clinical work")
        CASE_MANAGEMENT = "case_management", _("Case management")
        HOUSING = "housing", _("Housing and benefits")
        CRISIS = "crisis", _("Crisis work")
        OTHER = "other", _("Other work")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    orientation = models.ForeignKey(Orientation, on_delete=models.CASCADE, related_name="shadowing")
    on = models.DateField(_("on"))
    with_whom = models.CharField(_("with whom"), max_length=200)
    elsewhere = models.CharField(_("at another agency (which)"), max_length=200, blank=True)
    work = models.CharField(_("kind of work"), max_length=16, choices=Work.choices)
    reflection = models.TextField(_("what I took away"), blank=True)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("shadowing")
        verbose_name_plural = _("shadowing")

    def __str__(self) -> str:
        return f"shadowing {self.pk}"


class TrainedCurriculum(models.Model):
    """A curriculum a peer is trained to deliver (WHAM, IMR, WRAP, ...)."""

    class Curriculum(models.TextChoices):
        WHAM = "wham", _("WHAM facilitator")
        IMR = "imr", _("IMR (Illness Management and Recovery)")
        WRAP = "wrap", _("WRAP facilitator")
        SOLUTIONS = "solutions", _("Solutions for Wellness")
        OTHER = "other", _("Another curriculum")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")
    curriculum = models.CharField(_("curriculum"), max_length=12, choices=Curriculum.choices)
    name = models.CharField(_("its name"), max_length=200, blank=True)
    trained_on = models.DateField(_("trained on"))
    trained_by = models.CharField(_("trained by"), max_length=200, blank=True)

    class Meta:
        ordering = ["curriculum", "trained_on"]
        indexes = [
            models.Index(fields=["organization", "curriculum"], name="curriculum_agency"),
        ]
        verbose_name = _("curriculum a peer can deliver")
        verbose_name_plural = _("curricula peers can deliver")

    def __str__(self) -> str:
        return f"{self.staff_id}: {self.curriculum}"


class StepBack(models.Model):
    """A peer stepped back for the rest of a day after a hard session ("done for today"). No
    reason is asked or kept; their supervisor is told privately."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    peer = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")
    on = models.DateField()
    moved = models.PositiveIntegerField(default=0)  # next steps moved to the next day
    moved_ids = models.JSONField(default=list)  # the people whose next step moved
    # A colleague the supervisor asked to cover those of them on the colleague's own caseload.
    covered_by = models.ForeignKey(
        Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    seen_by = models.ForeignKey(
        Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["peer", "on"], name="step_back_once_a_day")]
        verbose_name = _("day stepped back")
        verbose_name_plural = _("days stepped back")

    def __str__(self) -> str:
        return f"step back {self.pk}"


class WorkUpTo(models.Model):
    """A coming team meeting a peer marked as one to work up to: the time before it is kept
    free on their day."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    peer = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey("meetings.TeamMeeting", on_delete=models.CASCADE, related_name="+")
    minutes_before = models.PositiveSmallIntegerField(_("time kept free before it (minutes)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["peer", "meeting"], name="work_up_to_once"),
            models.CheckConstraint(
                condition=Q(minutes_before__gte=15, minutes_before__lte=240),
                name="work_up_to_minutes",
            ),
        ]
        verbose_name = _("session to work up to")
        verbose_name_plural = _("sessions to work up to")

    def __str__(self) -> str:
        return f"work up to {self.pk}"
