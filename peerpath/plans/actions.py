"""Every write to plans: typed, keyword-only, atomic, audited in the same transaction.

Goals and the IMR recovery goal carry a version; WRAP saves name the version they started from.
A stale save raises StaleVersionError instead of overwriting someone else's work.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from peerpath.clients.access import ClientAccess
from peerpath.core import audit
from peerpath.core.models import Staff
from peerpath.encounters.models import Attendance, Contact, Group, GroupSession

from . import wrap_fields
from .models import (
    Goal,
    GoalNote,
    GoalStatusChange,
    GoalStep,
    ImrCompletion,
    ImrPlan,
    ImrSession,
    WhamActionPlan,
    WhamLogEntry,
    WhamPlan,
    WhamSessionLink,
    WrapPlan,
    WrapVersion,
)

GOAL_FIELDS = ("own_words", "smart_restatement", "life_area")
LOW_CONFIDENCE = 7


class NothingChangedError(Exception):
    """The save would repeat what is already saved: no new version is made."""


class StaleVersionError(Exception):
    """Someone else saved since this edit began; `current` is what they saved."""

    def __init__(self, current: Any, changed_fields: list[str]) -> None:
        super().__init__("The plan changed since you opened it.")
        self.current = current
        self.changed_fields = changed_fields


def _writer(access: ClientAccess) -> None:
    if not access.can_write:
        raise PermissionError("read-only access")


def _audit(
    actor: Staff | None, access: ClientAccess, action: str, obj: Any, **details: Any
) -> None:
    audit.record(
        organization=access.client.organization_id,
        actor=actor,
        client_id=access.client.pk,
        action=action,
        obj=obj,
        details=details,
    )


# Goals ----------------------------------------------------------------------------------------


def goal_create(
    *,
    actor: Staff | None,
    access: ClientAccess,
    own_words: str,
    life_area: str,
    smart_restatement: str = "",
) -> Goal:
    _writer(access)
    if not own_words.strip():
        raise ValueError("A goal needs the person's words.")
    with transaction.atomic():
        goal = Goal.objects.create(
            organization_id=access.client.organization_id,
            client=access.client,
            own_words=own_words.strip(),
            smart_restatement=smart_restatement.strip(),
            life_area=life_area,
            created_by=actor,
        )
        GoalStatusChange.objects.create(
            organization_id=goal.organization_id, goal=goal, to_status=goal.status, changed_by=actor
        )
        _audit(actor, access, "goal.create", goal, life_area=life_area)
    return goal


def goal_update(
    *,
    actor: Staff,
    access: ClientAccess,
    goal: Goal,
    expected_version: int,
    changes: dict[str, Any],
) -> Goal:
    """Change the words, restatement or life area; a status change is recorded as history."""
    _writer(access)
    if goal.client_id != access.client.pk:
        raise ValueError("This goal belongs to someone else.")
    unknown = set(changes) - {*GOAL_FIELDS, "status"}
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        current = Goal.objects.select_for_update().get(pk=goal.pk)
        if current.version != expected_version:
            raise StaleVersionError(
                current, [k for k, v in changes.items() if getattr(current, k) != v]
            )
        changed = [k for k, v in changes.items() if getattr(current, k) != v]
        if "status" in changed:
            GoalStatusChange.objects.create(
                organization_id=current.organization_id,
                goal=current,
                from_status=current.status,
                to_status=changes["status"],
                changed_by=actor,
            )
        for name in changed:
            setattr(current, name, changes[name])
        current.updated_at = timezone.now()
        Goal.objects.filter(pk=current.pk).update(
            version=F("version") + 1,
            updated_at=current.updated_at,
            **{name: changes[name] for name in changed},
        )
        current.version += 1
        _audit(actor, access, "goal.update", current, fields=changed)
    return current


def goal_step_add(
    *, actor: Staff | None, access: ClientAccess, goal: Goal, text: str, due_on: date | None
) -> GoalStep:
    _writer(access)
    if goal.client_id != access.client.pk:
        raise ValueError("This goal belongs to someone else.")
    with transaction.atomic():
        step = GoalStep.objects.create(
            organization_id=goal.organization_id, goal=goal, text=text.strip(), due_on=due_on
        )
        _audit(actor, access, "goal.step_add", step, goal=goal.pk)
    return step


def goal_step_done(
    *, actor: Staff | None, access: ClientAccess, step: GoalStep, done_on: date
) -> GoalStep:
    _writer(access)
    if step.goal.client_id != access.client.pk:
        raise ValueError("This step belongs to someone else.")
    with transaction.atomic():
        GoalStep.objects.filter(pk=step.pk).update(done_on=done_on)
        step.done_on = done_on
        _audit(actor, access, "goal.step_done", step, goal=step.goal_id)
    return step


def goal_note_add(
    *,
    actor: Staff,
    access: ClientAccess,
    goal: Goal,
    text: str,
    written_on: date,
    contact: Contact | None = None,
) -> GoalNote:
    _writer(access)
    if goal.client_id != access.client.pk:
        raise ValueError("This goal belongs to someone else.")
    if contact is not None and contact.client_id != access.client.pk:
        raise ValueError("This contact was with someone else.")
    with transaction.atomic():
        note = GoalNote.objects.create(
            organization_id=goal.organization_id,
            goal=goal,
            text=text.strip(),
            written_on=written_on,
            written_by=actor,
            contact=contact,
        )
        _audit(
            actor,
            access,
            "goal.note_add",
            note,
            goal=goal.pk,
            contact=contact.pk if contact else None,
        )
    return note


# WRAP -----------------------------------------------------------------------------------------


def wrap_save(
    *,
    actor: Staff | None,
    access: ClientAccess,
    based_on: int,
    content: dict[str, str],
    note: str = "",
) -> WrapVersion:
    """Save the WRAP as a new version. `based_on` is the version the editor started from.

    Refuses (NothingChangedError) a save that changes no answer.
    """
    _writer(access)
    content = wrap_fields.clean_content(content)
    client = access.client
    with transaction.atomic():
        plan, _ = WrapPlan.objects.get_or_create(
            client=client, defaults={"organization_id": client.organization_id}
        )
        plan = WrapPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.current_version != based_on:
            latest = plan.versions.filter(number=plan.current_version).first()
            if latest is None:  # "started from" a version that never existed
                raise StaleVersionError(None, [])
            raise StaleVersionError(
                latest,
                [k for k in wrap_fields.KEYS if latest.content.get(k, "") != content[k]],
            )
        previous = plan.versions.filter(number=based_on).first() if based_on else None
        changed = [
            k
            for k in wrap_fields.KEYS
            if (previous.content.get(k, "") if previous else "") != content[k]
        ]
        if not changed:
            # A blank form saved as it came, or a save of the same text: nothing to keep.
            raise NothingChangedError
        version = WrapVersion.objects.create(
            organization_id=client.organization_id,
            plan=plan,
            number=plan.current_version + 1,
            content=content,
            note=note.strip()[:300],
            saved_by=actor,
        )
        plan.current_version = version.number
        plan.updated_at = timezone.now()
        plan.save(update_fields=["current_version", "updated_at"])
        _audit(actor, access, "wrap.save", version, version=version.number, fields=changed)
    return version


# WHAM -----------------------------------------------------------------------------------------


def wham_plan_create(
    *, actor: Staff | None, access: ClientAccess, factor: str, goal: str, started_on: date
) -> WhamPlan:
    _writer(access)
    with transaction.atomic():
        plan = WhamPlan.objects.create(
            organization_id=access.client.organization_id,
            client=access.client,
            factor=factor,
            goal=goal.strip(),
            started_on=started_on,
            created_by=actor,
        )
        _audit(actor, access, "wham.create", plan, factor=factor)
    return plan


def wham_action_plan_add(
    *,
    actor: Staff | None,
    access: ClientAccess,
    plan: WhamPlan,
    week_of: date,
    what: str,
    how_much: str,
    when: str,
    how_often: str,
    confidence: int,
) -> WhamActionPlan:
    _writer(access)
    if plan.client_id != access.client.pk:
        raise ValueError("This plan belongs to someone else.")
    if not 0 <= confidence <= 10:
        raise ValueError("Confidence is a number from 0 to 10.")
    with transaction.atomic():
        action_plan = WhamActionPlan.objects.create(
            organization_id=plan.organization_id,
            plan=plan,
            week_of=week_of,
            what=what.strip(),
            how_much=how_much.strip(),
            when=when.strip(),
            how_often=how_often.strip(),
            confidence=confidence,
            created_by=actor,
        )
        _audit(actor, access, "wham.action_plan", action_plan, confidence=confidence)
    return action_plan


def wham_log_add(
    *, actor: Staff | None, access: ClientAccess, plan: WhamPlan, day: date, did_it: bool, note: str
) -> WhamLogEntry:
    _writer(access)
    if plan.client_id != access.client.pk:
        raise ValueError("This plan belongs to someone else.")
    with transaction.atomic():
        entry = WhamLogEntry.objects.create(
            organization_id=plan.organization_id, plan=plan, day=day, did_it=did_it, note=note
        )
        _audit(actor, access, "wham.log", entry)
    return entry


def wham_session_link(
    *,
    actor: Staff | None,
    access: ClientAccess,
    plan: WhamPlan,
    contact: Contact | None = None,
    group_session: GroupSession | None = None,
) -> WhamSessionLink:
    """Link a one-to-one session (a contact) or a WHAM group session the person came to."""
    _writer(access)
    client = access.client
    if plan.client_id != client.pk:
        raise ValueError("This plan belongs to someone else.")
    if (contact is None) == (group_session is None):
        raise ValueError("Link either a contact or a group session.")
    if contact is not None and contact.client_id != client.pk:
        raise ValueError("This contact was with someone else.")
    if (
        group_session is not None
        and not Attendance.objects.filter(
            session=group_session,
            client=client,
            status=Attendance.Status.PRESENT,
            session__group__kind=Group.Kind.WHAM,
        ).exists()
    ):
        raise ValueError("The person did not come to this WHAM group session.")
    with transaction.atomic():
        link, created = WhamSessionLink.objects.get_or_create(
            plan=plan,
            contact=contact,
            group_session=group_session,
            defaults={"organization_id": plan.organization_id, "linked_by": actor},
        )
        if created:
            _audit(
                actor,
                access,
                "wham.link",
                link,
                contact=contact.pk if contact else None,
                group_session=group_session.pk if group_session else None,
            )
    return link


# IMR ------------------------------------------------------------------------------------------


def imr_goal_set(
    *,
    actor: Staff | None,
    access: ClientAccess,
    recovery_goal: str,
    expected_version: int | None,
    started_on: date | None = None,
) -> ImrPlan:
    """Start IMR with a recovery goal, or change the goal (version-checked)."""
    _writer(access)
    client = access.client
    with transaction.atomic():
        current = ImrPlan.objects.select_for_update().filter(client=client).first()
        if current is None:
            if expected_version not in (None, 0):
                raise StaleVersionError(None, ["recovery_goal"])  # the plan it changed is gone
            imr = ImrPlan.objects.create(
                organization_id=client.organization_id,
                client=client,
                recovery_goal=recovery_goal.strip(),
                started_on=started_on or timezone.localdate(),
            )
            _audit(actor, access, "imr.create", imr)
            return imr
        if current.version != expected_version:
            raise StaleVersionError(current, ["recovery_goal"])
        current.recovery_goal = recovery_goal.strip()
        current.version += 1
        current.save(update_fields=["recovery_goal", "version"])
        _audit(actor, access, "imr.update", current)
    return current


def imr_session_add(
    *,
    actor: Staff | None,
    access: ClientAccess,
    imr: ImrPlan,
    module: int,
    held_on: date,
    note: str,
    completed: bool = False,
) -> ImrSession:
    _writer(access)
    if imr.client_id != access.client.pk:
        raise ValueError("This IMR plan belongs to someone else.")
    with transaction.atomic():
        session = ImrSession.objects.create(
            organization_id=imr.organization_id,
            imr=imr,
            module=module,
            held_on=held_on,
            note=note.strip(),
            led_by=actor,
        )
        if completed:
            ImrCompletion.objects.get_or_create(
                imr=imr,
                module=module,
                defaults={"organization_id": imr.organization_id, "completed_on": held_on},
            )
        _audit(actor, access, "imr.session", session, module=module, completed=completed)
    return session


def contact_follow_up(
    *,
    actor: Staff,
    access: ClientAccess,
    contact: Contact,
    goals: list[Goal],
    next_step: str,
    next_step_due: date | None,
) -> list[GoalNote]:
    """After signing a contact: the goals it worked on (a progress note on each, linked to the
    contact) and the person's next step with its due date. One transaction."""
    from peerpath.clients.actions import client_update

    _writer(access)
    if contact.client_id != access.client.pk or not contact.is_signed:
        raise ValueError("only a signed contact with this person")
    if any(goal.client_id != access.client.pk for goal in goals):
        raise ValueError("This goal belongs to someone else.")
    day = timezone.localdate(contact.occurred_at)
    with transaction.atomic():
        notes = [
            goal_note_add(
                actor=actor,
                access=access,
                goal=goal,
                text=str(_("Worked on in the contact of %(date)s.") % {"date": date_format(day)}),
                written_on=day,
                contact=contact,
            )
            for goal in goals
        ]
        current = type(access.client).objects.get(pk=access.client.pk)
        changes = {"next_step": next_step.strip(), "next_step_due": next_step_due}
        if any(getattr(current, name) != value for name, value in changes.items()):
            client_update(
                actor=actor, access=access, expected_version=current.version, changes=changes
            )
    return notes
