"""The strategy library and the action plan: the defaults PeerPath ships, and every write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peerpath.core import agency, audit
from peerpath.core.models import Organization, Staff

from .models import ActionItem, Strategy, Wave


@dataclass(frozen=True)
class Default:
    key: str
    title: Promise
    description: Promise
    sections: tuple[str, ...]


DEFAULTS = (
    Default(
        "research",
        _("Share what research says about peer support"),
        _(
            "A short session or handout on what studies find: peer support helps people stay "
            "out of hospital, feel hopeful and take part in their care."
        ),
        ("fears", "misconceptions", "commitment"),
    ),
    Default(
        "training",
        _("Train staff on what peers do and do not do"),
        _(
            "An hour for every team: sharing one's story with purpose, self-management and WRAP, "
            "advocacy, connecting people to services; not driving, cleaning or covering shifts."
        ),
        ("misconceptions", "barriers", "efficacy"),
    ),
    Default(
        "leadership",
        _("A statement from leadership"),
        _(
            "The director says in writing and in person why the agency hires peers and what it "
            "expects of every team."
        ),
        ("commitment", "biases"),
    ),
    Default(
        "job_description",
        _("A clear job description"),
        _(
            "Write the peer role down: its duties, lived experience as a qualification, who "
            "supervises it, and what it is not."
        ),
        ("misconceptions", "barriers", "efficacy"),
    ),
    Default(
        "dual_relationships",
        _("A policy on dual relationships"),
        _(
            "Say how the agency handles a peer who was, or is, served here, or who knows the "
            "people served from the community, so that nobody has to guess."
        ),
        ("fears", "biases"),
    ),
    Default(
        "supervision",
        _("Supervision by someone who understands peer work"),
        _(
            "Name a supervisor with peer experience or training in peer supervision, and set "
            "regular one-to-one time."
        ),
        ("fears", "barriers", "efficacy"),
    ),
    Default(
        "team_meetings",
        _("Invite peers to team meetings"),
        _(
            "Peers sit at the table where plans are made and bring the person's own view; "
            "nobody works on the side."
        ),
        ("biases", "misconceptions", "commitment"),
    ),
    Default(
        "peer_cohort",
        _("No peer alone on a team"),
        _(
            "Hire peers so that each team has at least two, give peers time to meet each "
            "other every week, and open leadership roles to them."
        ),
        ("biases", "barriers"),
    ),
)
BY_KEY = {d.key: d for d in DEFAULTS}
SECTIONS: dict[str, Promise] = {
    "fears": _("Fears"),
    "misconceptions": _("What peer work is"),
    "barriers": _("What stands in the way"),
    "biases": _("How we see people in recovery"),
    "commitment": _("Change commitment"),
    "efficacy": _("Change efficacy"),
}


def words_of(own: str, key: str, defaults: dict[str, Any], fallback: str | None = None) -> str:
    """The agency's own words, else PeerPath's default for `key` in the reader's language."""
    if own or not key:
        return own
    found = defaults.get(key)
    return str(found) if found is not None else (key if fallback is None else fallback)


def title_of(strategy: Strategy) -> str:
    return words_of(strategy.title, strategy.key, {d.key: d.title for d in DEFAULTS})


def description_of(strategy: Strategy) -> str:
    defaults = {d.key: d.description for d in DEFAULTS}
    return words_of(strategy.description, strategy.key, defaults, fallback="")


def library_seed(organization: Organization) -> None:
    """Give the agency PeerPath's default strategies (once; its own changes are kept)."""
    have = set(
        Strategy.objects.filter(organization=organization)
        .exclude(key="")
        .values_list("key", flat=True)
    )
    Strategy.objects.bulk_create(
        Strategy(organization=organization, key=d.key, sections=list(d.sections))
        for d in DEFAULTS
        if d.key not in have
    )


class PlanRefused(Exception):
    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


def agency_of(actor: Staff) -> int:
    """The agency of someone who runs it (PermissionError for anyone else)."""
    if not agency.may_run_agency(actor) or actor.organization_id is None:
        raise PermissionError("the action plan belongs to those who run the agency")
    return actor.organization_id


def strategy_save(
    *,
    actor: Staff,
    strategy: Strategy | None,
    title: str,
    description: str,
    sections: list[str],
) -> Strategy:
    organization_id = agency_of(actor)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise PlanRefused(_("Choose sections from the list."), field="sections")
    with transaction.atomic():
        if strategy is None:
            strategy = Strategy(organization_id=organization_id)
        strategy.title = title.strip()
        strategy.description = description.strip()
        strategy.sections = sorted(set(sections), key=list(SECTIONS).index)
        strategy.save()
        audit.record(
            organization=strategy.organization_id,
            actor=actor,
            action="strategy.save",
            obj=strategy,
            details={"sections": strategy.sections},
        )
    return strategy


def action_add(
    *,
    actor: Staff,
    strategy: Strategy,
    owner: Staff,
    due_on: date,
    wave: Wave | None = None,
    section: str = "",
) -> ActionItem:
    organization_id = agency_of(actor)
    if owner.organization_id != organization_id or not owner.is_active:
        raise PlanRefused(_("Choose someone who works here."), field="owner")
    today = timezone.localdate()
    if due_on < today:
        raise PlanRefused(_("The due date cannot be in the past."), field="due_on")
    if due_on > today + timedelta(days=730):
        raise PlanRefused(_("Choose a due date within two years."), field="due_on")
    with transaction.atomic():
        item = ActionItem.objects.create(
            organization_id=organization_id,
            strategy=strategy,
            wave=wave,
            section=section if section in SECTIONS else "",
            owner=owner,
            due_on=due_on,
            created_by=actor,
        )
        audit.record(
            organization=item.organization_id,
            actor=actor,
            action="action.add",
            obj=item,
            details={"strategy": strategy.pk, "owner": owner.pk, "due_on": due_on},
        )
    return item


class StaleAction(Exception):
    def __init__(self, current: ActionItem) -> None:
        super().__init__("changed meanwhile")
        self.current = current


def action_update(
    *, actor: Staff, item: ActionItem, status: str, note: str, expected_version: int
) -> ActionItem:
    """The owner, or those who run the agency, say how it is going."""
    if item.owner_id != actor.pk:
        agency_of(actor)
    if status not in ActionItem.Status.values:
        raise PlanRefused(_("Choose a status from the list."), field="status")
    with transaction.atomic():
        current = ActionItem.objects.select_for_update().get(pk=item.pk)
        if current.version != expected_version:
            raise StaleAction(current)
        before = current.status
        current.status = status
        current.note = note.strip()
        current.version += 1
        current.save(update_fields=["status", "note", "version"])
        audit.record(
            organization=current.organization_id,
            actor=actor,
            action="action.update",
            obj=current,
            details={"from": before, "to": status},
        )
    return current
