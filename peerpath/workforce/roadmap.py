"""The integration roadmap: four stages with what is done and what is next; the champions of
each team; visits and sessions to learn from agencies that already employ peers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peerpath.core import audit
from peerpath.core.models import Staff, Team

from .models import Champion, LearningActivity, RoadmapStep, Strategy
from .strategies import SECTIONS, PlanRefused, agency_of

STAGES: tuple[tuple[str, Promise, tuple[tuple[str, Promise], ...]], ...] = (
    (
        "exposure",
        _("Exposure"),
        (
            ("hear_peers", _("Leaders and staff have heard from peer providers at another agency")),
            ("first_wave", _("The first staff survey has been run")),
            ("champions", _("Each team has named a champion")),
        ),
    ),
    (
        "adoption",
        _("Adoption"),
        (
            ("statement", _("Leadership has shared a statement on why the agency hires peers")),
            ("job_description", _("The peer job description is written")),
            ("dual_relationships", _("The policy on dual relationships is adopted")),
            ("supervisor", _("A supervisor who understands peer work is named")),
        ),
    ),
    (
        "implementation",
        _("Implementation"),
        (
            ("hired", _("The first peer specialists are hired")),
            ("trained", _("Staff are trained on what peers do and do not do")),
            ("meetings", _("Peers take part in team meetings")),
            ("second_wave", _("A second survey wave shows what changed")),
        ),
    ),
    (
        "practice",
        _("Practice"),
        (
            ("supervised", _("Peers have regular supervision from someone who knows peer work")),
            ("routine", _("Peer work is part of every team's routine")),
            ("moved", _("The survey sections that needed work have moved")),
        ),
    ),
)
STEP_KEYS = {key for _s, _n, steps in STAGES for key, _t in steps}


@dataclass(frozen=True)
class Step:
    key: str
    text: str
    done: RoadmapStep | None


@dataclass(frozen=True)
class Stage:
    key: str
    name: str
    steps: list[Step]

    @property
    def done(self) -> bool:
        return all(step.done for step in self.steps)


@dataclass(frozen=True)
class Roadmap:
    stages: list[Stage]

    @property
    def current(self) -> Stage | None:
        """The first stage with something left to do (None: all done)."""
        return next((stage for stage in self.stages if not stage.done), None)

    @property
    def next_step(self) -> Step | None:
        stage = self.current
        return next((s for s in stage.steps if not s.done), None) if stage else None


def roadmap_of(done: dict[str, RoadmapStep]) -> Roadmap:
    return Roadmap(
        [
            Stage(key, str(name), [Step(k, str(text), done.get(k)) for k, text in steps])
            for key, name, steps in STAGES
        ]
    )


def step_mark(*, actor: Staff, key: str, done: bool) -> RoadmapStep:
    organization_id = agency_of(actor)
    if key not in STEP_KEYS:
        raise PlanRefused(_("This is not a step of the roadmap."))
    with transaction.atomic():
        step, _created = RoadmapStep.objects.select_for_update().get_or_create(
            organization_id=organization_id, key=key
        )
        step.done_on = timezone.localdate() if done else None
        step.done_by = actor if done else None
        step.save(update_fields=["done_on", "done_by"])
        audit.record(
            organization=organization_id,
            actor=actor,
            action="roadmap.step",
            obj=step,
            details={"key": key, "done": done},
        )
    return step


def champion_name(*, actor: Staff, team: Team, staff: Staff) -> Champion:
    organization_id = agency_of(actor)
    if team.organization_id != organization_id:
        raise PlanRefused(_("Choose one of your agency's teams."), field="team")
    if staff.organization_id != organization_id or not staff.is_active:
        raise PlanRefused(_("Choose someone who works here."), field="staff")
    try:
        with transaction.atomic():
            champion = Champion.objects.create(
                organization_id=organization_id, team=team, staff=staff
            )
            audit.record(
                organization=organization_id,
                actor=actor,
                action="champion.name",
                obj=champion,
                details={"team": team.pk, "staff": staff.pk},
            )
    except IntegrityError:
        raise PlanRefused(
            _("This person is already a champion of this team."), field="staff"
        ) from None
    return champion


def activity_plan(
    *,
    actor: Staff,
    kind: str,
    host: str,
    planned_on: date,
    strategy: Strategy | None,
    section: str,
) -> LearningActivity:
    organization_id = agency_of(actor)
    if kind not in LearningActivity.Kind.values:
        raise PlanRefused(_("Choose a kind from the list."), field="kind")
    if strategy is not None and strategy.organization_id != organization_id:
        raise PlanRefused(_("Choose one of your agency's strategies."), field="strategy")
    if planned_on > timezone.localdate() + timedelta(days=730):
        raise PlanRefused(_("Choose a day within two years."), field="planned_on")
    with transaction.atomic():
        activity = LearningActivity.objects.create(
            organization_id=organization_id,
            kind=kind,
            host=host.strip(),
            planned_on=planned_on,
            strategy=strategy,
            section=section if section in SECTIONS else "",
            created_by=actor,
        )
        audit.record(
            organization=organization_id,
            actor=actor,
            action="learning.plan",
            obj=activity,
            details={"kind": kind, "planned_on": planned_on},
        )
    return activity


def activity_record(*, actor: Staff, activity: LearningActivity, learned: str) -> LearningActivity:
    """What staff learned there (the visit or session took place)."""
    organization_id = agency_of(actor)
    if activity.organization_id != organization_id:
        raise PermissionError("another agency's activity")
    if not learned.strip():
        raise PlanRefused(_("Write what you learned."), field="learned")
    if activity.planned_on > timezone.localdate():
        raise PlanRefused(_("This has not happened yet."), field="learned")
    with transaction.atomic():
        activity.learned = learned.strip()
        activity.done_on = timezone.localdate()
        activity.save(update_fields=["learned", "done_on"])
        audit.record(
            organization=organization_id,
            actor=actor,
            action="learning.record",
            obj=activity,
        )
    return activity
