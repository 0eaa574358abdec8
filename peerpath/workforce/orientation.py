"""A new peer's orientation: the agency's template (PeerPath's default, which the agency edits),
each peer's checklist with due days from their start, shadowing with reflections, and the
professional development plan reviewed in supervision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peerpath.core import agency, audit
from peerpath.core.models import Staff

from .models import Orientation, OrientationItem, OrientationStep, Shadowing
from .strategies import PlanRefused, words_of
from .support import PEER_ROLES

# PeerPath's orientation: (key, words, due on day N after the start).
DEFAULT_STEPS: tuple[tuple[str, Promise, int], ...] = (
    ("welcome", _("A trauma-informed welcome: a quiet first hour, a tour, who to ask"), 1),
    ("hours", _("Work hours, and how to call in sick or late"), 1),
    ("policies", _("The agency's policies, in plain words"), 2),
    ("confidentiality", _("Confidentiality and 42 CFR Part 2"), 2),
    ("dual_relationships", _("The dual-relationship policy"), 3),
    ("documentation", _("Writing notes in PeerPath"), 3),
    ("meetings", _("What to expect of team meetings, and how to speak up"), 3),
    ("time_off", _("How to use paid time off"), 5),
    ("flexible_hours", _("Agreed non-traditional hours or breaks, if any"), 5),
    ("teams", _("Meeting each team"), 10),
    ("materials", _("Plain-language materials for the people we serve"), 10),
)
STEP_WORDS = {key: words for key, words, _day in DEFAULT_STEPS}


def step_text(item: OrientationStep | OrientationItem) -> str:
    return words_of(item.title, item.key, STEP_WORDS)


def steps_of(organization_id: int) -> list[OrientationStep]:
    """The agency's template, given PeerPath's default the first time it is read."""
    steps = list(OrientationStep.objects.filter(organization_id=organization_id, is_active=True))
    if not steps and not OrientationStep.objects.filter(organization_id=organization_id).exists():
        OrientationStep.objects.bulk_create(
            OrientationStep(organization_id=organization_id, key=key, day=day)
            for key, _words, day in DEFAULT_STEPS
        )
        steps = list(OrientationStep.objects.filter(organization_id=organization_id))
    return steps


def step_add(*, actor: Staff, title: str, day: int) -> OrientationStep:
    organization_id = _runs(actor)
    if not title.strip():
        raise PlanRefused(_("Write the step."), field="title")
    if not 0 <= day <= 180:
        raise PlanRefused(_("A step is due within 180 days of the start."), field="day")
    with transaction.atomic():
        step = OrientationStep.objects.create(
            organization_id=organization_id, title=title.strip(), day=day
        )
        audit.record(organization=organization_id, actor=actor, action="orientation.step", obj=step)
    return step


def step_retire(*, actor: Staff, step_id: int) -> None:
    organization_id = _runs(actor)
    updated = OrientationStep.objects.filter(
        organization_id=organization_id, pk=step_id, is_active=True
    ).update(is_active=False)
    if not updated:
        raise Http404
    audit.record(
        organization=organization_id,
        actor=actor,
        action="orientation.step_retire",
        details={"step": step_id},
    )


def _runs(actor: Staff) -> int:
    if not agency.may_run_agency(actor) or actor.organization_id is None:
        raise PermissionError("the template belongs to those who run the agency")
    return actor.organization_id


def may_guide(user: Staff, peer: Staff) -> bool:
    """The peer's supervisor and those who run the agency."""
    return user.organization_id == peer.organization_id and (
        peer.supervisor_id == user.pk or agency.may_run_agency(user)
    )


def start(*, actor: Staff, peer: Staff, starts_on: date) -> Orientation:
    """Give a new peer their orientation: the template's steps, due from their start day."""
    if peer.role not in PEER_ROLES or not may_guide(actor, peer):
        raise PermissionError("not this peer's supervisor")
    if Orientation.objects.filter(peer=peer).exists():
        raise PlanRefused(_("This peer's orientation has started already."), field="peer")
    if abs((starts_on - timezone.localdate()).days) > 365:
        raise PlanRefused(_("The start day is more than a year away."), field="starts_on")
    organization_id = peer.organization_id or 0
    with transaction.atomic():
        orientation = Orientation.objects.create(
            organization_id=organization_id, peer=peer, starts_on=starts_on, created_by=actor
        )
        OrientationItem.objects.bulk_create(
            OrientationItem(
                organization_id=organization_id,
                orientation=orientation,
                key=step.key,
                title=step.title,
                due_on=starts_on + timedelta(days=max(step.day - 1, 0)),
            )
            for step in steps_of(peer.organization_id or 0)
        )
        audit.record(
            organization=peer.organization_id or 0,
            actor=actor,
            action="orientation.start",
            obj=orientation,
            details={"peer": peer.pk, "starts_on": starts_on.isoformat()},
        )
    return orientation


def orientation_for(user: Staff, peer_id: int) -> Orientation:
    """A peer's orientation, for the peer, their supervisor and those who run the agency."""
    found = (
        Orientation.objects.filter(peer_id=peer_id, organization_id=user.organization_id or 0)
        .select_related("peer", "reviewed_by")
        .first()
    )
    if found is None or not (found.peer_id == user.pk or may_guide(user, found.peer)):
        raise Http404
    return found


def own(user: Staff) -> Orientation | None:
    return Orientation.objects.filter(peer=user).select_related("reviewed_by").first()


def item_done(*, actor: Staff, orientation: Orientation, item_id: int, done: bool) -> None:
    if not (orientation.peer_id == actor.pk or may_guide(actor, orientation.peer)):
        raise PermissionError("not this orientation")
    with transaction.atomic():
        item = (
            OrientationItem.objects.select_for_update()
            .filter(orientation=orientation, pk=item_id)
            .first()
        )
        if item is None:
            raise Http404
        item.done_on = timezone.localdate() if done else None
        item.done_by = actor if done else None
        item.save(update_fields=["done_on", "done_by"])
        audit.record(
            organization=orientation.organization_id,
            actor=actor,
            action="orientation.done" if done else "orientation.undone",
            obj=item,
        )


def shadowing_add(*, actor: Staff, orientation: Orientation, data: dict[str, Any]) -> Shadowing:
    if orientation.peer_id != actor.pk:
        raise PermissionError("a peer logs their own shadowing")
    if data["on"] > timezone.localdate():
        raise PlanRefused(_("The day is in the future."), field="on")
    with transaction.atomic():
        found = Shadowing.objects.create(
            organization_id=orientation.organization_id,
            orientation=orientation,
            on=data["on"],
            with_whom=data["with_whom"].strip(),
            elsewhere=(data.get("elsewhere") or "").strip(),
            work=data["work"],
            reflection=(data.get("reflection") or "").strip(),
        )
        audit.record(
            organization=orientation.organization_id, actor=actor, action="shadowing.add", obj=found
        )
    return found


def plan_save(*, actor: Staff, orientation: Orientation, data: dict[str, Any]) -> None:
    """The peer writes their development plan; their supervisor marks it reviewed."""
    with transaction.atomic():
        current = Orientation.objects.select_for_update().get(pk=orientation.pk)
        if current.peer_id == actor.pk:
            for name in ("skills", "trainings", "role_growth"):
                setattr(current, name, (data.get(name) or "").strip())
        elif not may_guide(actor, current.peer):
            raise PermissionError("not this orientation")
        if data.get("reviewed"):
            if current.peer_id == actor.pk:
                raise PlanRefused(_("Your supervisor marks the plan reviewed."))
            current.reviewed_on, current.reviewed_by = timezone.localdate(), actor
        current.save()
        audit.record(
            organization=current.organization_id,
            actor=actor,
            action="development_plan.review" if data.get("reviewed") else "development_plan.save",
            obj=current,
        )


@dataclass
class Progress:
    orientation: Orientation
    done: int
    total: int
    overdue: int

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 100


def progress_of(orientations: list[Orientation], today: date) -> list[Progress]:
    counts = {
        row["orientation_id"]: row
        for row in OrientationItem.objects.filter(orientation__in=orientations)
        .values("orientation_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(done_on__isnull=False)),
            overdue=Count("id", filter=Q(done_on__isnull=True, due_on__lt=today)),
        )
        .order_by()
    }
    return [
        Progress(
            o,
            counts.get(o.pk, {}).get("done", 0),
            counts.get(o.pk, {}).get("total", 0),
            counts.get(o.pk, {}).get("overdue", 0),
        )
        for o in orientations
    ]


def of_peers(peers: list[Staff], today: date) -> list[Progress]:
    found = list(
        Orientation.objects.filter(peer__in=peers)
        .select_related("peer")
        .order_by("-starts_on")[:300]
    )
    return progress_of(found, today)


def items_of(orientation: Orientation) -> list[OrientationItem]:
    return list(orientation.items.select_related("done_by"))


def shadowing_of(orientation: Orientation) -> list[Shadowing]:
    return list(orientation.shadowing.all()[:100])
