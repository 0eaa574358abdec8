"""Reads of plans for pages and the API: through the gate, bounded in queries, audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Prefetch
from django.http import Http404

from peerpath.clients.access import ClientAccess
from peerpath.clients.queries import audit_read
from peerpath.core.models import Staff
from peerpath.encounters.models import Attendance, Contact, Group, GroupSession
from peerpath.measures import queries as measures

from . import wrap_fields
from .models import (
    Goal,
    GoalNote,
    GoalStatusChange,
    GoalStep,
    ImrModule,
    ImrPlan,
    WhamActionPlan,
    WhamPlan,
    WrapPlan,
    WrapVersion,
)


def _audit_view(user: Staff, access: ClientAccess, action: str, obj: Any = None) -> None:
    audit_read(user, access, action, obj if obj is not None else access.client)


def goals_queryset(access: ClientAccess) -> Any:
    return Goal.objects.filter(client=access.client).prefetch_related(
        "steps",
        Prefetch("notes", queryset=GoalNote.objects.select_related("written_by", "contact")),
    )


def goal_for(access: ClientAccess, goal_id: int) -> Goal:
    goal = Goal.objects.filter(pk=goal_id, client=access.client).first()
    if goal is None:
        raise Http404
    return goal


def goal_detail(user: Staff, access: ClientAccess, goal_id: int) -> Goal:
    goal = (
        goals_queryset(access)
        .prefetch_related(
            Prefetch(
                "status_changes", queryset=GoalStatusChange.objects.select_related("changed_by")
            )
        )
        .filter(pk=goal_id)
        .first()
    )
    if goal is None:
        raise Http404
    _audit_view(user, access, "goal.view", goal)
    return goal


def step_for(access: ClientAccess, goal: Goal, step_id: int) -> GoalStep:
    step = GoalStep.objects.filter(pk=step_id, goal=goal, goal__client=access.client).first()
    if step is None:
        raise Http404
    return step


LINK_CHOICES = 20


def recent_contacts(access: ClientAccess) -> list[Contact]:
    """The person's latest contacts, to link progress or a WHAM session to."""
    return list(
        Contact.objects.current()
        .filter(client=access.client)
        .select_related("author")
        .order_by("-occurred_at")[:LINK_CHOICES]
    )


def recent_wham_group_sessions(access: ClientAccess) -> list[GroupSession]:
    """WHAM group sessions the person came to."""
    return list(
        GroupSession.objects.filter(
            group__kind=Group.Kind.WHAM,
            attendance__client=access.client,
            attendance__status=Attendance.Status.PRESENT,
        )
        .select_related("group")
        .order_by("-held_on")[:LINK_CHOICES]
    )


def wham_for(access: ClientAccess, plan_id: int) -> WhamPlan:
    plan = WhamPlan.objects.filter(pk=plan_id, client=access.client).first()
    if plan is None:
        raise Http404
    return plan


def imr_for(access: ClientAccess) -> ImrPlan | None:
    return ImrPlan.objects.filter(client=access.client).first()


def wrap_current(access: ClientAccess) -> tuple[WrapPlan | None, WrapVersion | None]:
    plan = WrapPlan.objects.filter(client=access.client).first()
    if plan is None or plan.current_version == 0:
        return plan, None
    return plan, plan.versions.select_related("saved_by").get(number=plan.current_version)


def wrap_versions(user: Staff, access: ClientAccess) -> list[WrapVersion]:
    versions = list(
        WrapVersion.objects.filter(plan__client=access.client)
        .select_related("saved_by")
        .order_by("-number")
    )
    _audit_view(user, access, "wrap.view_history")
    return versions


def wrap_version(user: Staff, access: ClientAccess, number: int) -> WrapVersion:
    version = (
        WrapVersion.objects.filter(plan__client=access.client, number=number)
        .select_related("saved_by")
        .first()
    )
    if version is None:
        raise Http404
    _audit_view(user, access, "wrap.view", version)
    return version


@dataclass(frozen=True)
class DiffRow:
    key: str
    label: Any
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


def wrap_diff(old: dict[str, str], new: dict[str, str]) -> list[DiffRow]:
    """Field by field, in the plan's order."""
    return [
        DiffRow(f.key, f.label, old.get(f.key, ""), new.get(f.key, "")) for f in wrap_fields.FIELDS
    ]


@dataclass
class ImrProgress:
    plan: ImrPlan
    modules: list[tuple[int, Any, int, Any]]  # number, name, sessions, completed_on

    @property
    def completed_count(self) -> int:
        return sum(1 for *_, done in self.modules if done)


def imr_progress(access: ClientAccess) -> ImrProgress | None:
    plan = (
        ImrPlan.objects.filter(client=access.client)
        .prefetch_related("sessions", "completions")
        .first()
    )
    if plan is None:
        return None
    sessions: dict[int, int] = {}
    for session in plan.sessions.all():
        sessions[session.module] = sessions.get(session.module, 0) + 1
    done = {c.module: c.completed_on for c in plan.completions.all()}
    modules = [
        (int(m.value), m.label, sessions.get(int(m.value), 0), done.get(int(m.value)))
        for m in ImrModule
    ]
    return ImrProgress(plan=plan, modules=modules)


@dataclass
class PlanPage:
    access: ClientAccess
    goals: list[Goal]
    wrap: WrapPlan | None
    wrap_version: WrapVersion | None
    wham: list[WhamPlan]
    imr: ImrProgress | None
    measures: measures.MeasuresSummary


def plan_page(user: Staff, access: ClientAccess) -> PlanPage:
    """Everything in the person's plan on one page; neither the query count nor the rows read
    grow with history: each goal brings its latest note, each WHAM plan its latest weekly plan."""
    wrap, version = wrap_current(access)
    latest_note = GoalNote.objects.select_related("written_by", "contact").order_by(
        "-written_on", "-id"
    )[:1]
    goals = Goal.objects.filter(client=access.client).prefetch_related(
        "steps", Prefetch("notes", queryset=latest_note, to_attr="latest_notes")
    )
    latest_action = WhamActionPlan.objects.order_by("-week_of", "-id")[:1]
    wham = WhamPlan.objects.filter(client=access.client).prefetch_related(
        Prefetch("action_plans", queryset=latest_action, to_attr="latest_action_plans")
    )
    page = PlanPage(
        access=access,
        goals=list(goals),
        wrap=wrap,
        wrap_version=version,
        wham=list(wham),
        imr=imr_progress(access),
        measures=measures.summary(access),
    )
    _audit_view(user, access, "plan.view")
    return page


def open_goals_with_next_steps(access: ClientAccess, limit: int = 10) -> list[Goal]:
    """Active goals, each with its open steps (soonest first), for the prepare page."""
    open_steps = GoalStep.objects.filter(done_on__isnull=True).order_by(
        F("due_on").asc(nulls_last=True), "id"
    )
    return list(
        Goal.objects.filter(client=access.client, status=Goal.Status.ACTIVE)
        .prefetch_related(Prefetch("steps", queryset=open_steps, to_attr="open_steps"))
        .order_by("-updated_at")[:limit]
    )
