"""Supporting peers at work: supervision (sessions, topics, how often), role fidelity (the share
of a peer's time that is peer work, from their contacts) and caseloads, under the agency's own
rules. Every write is audited; supervision notes are read only by the supervisor and the peers
who were there, and each read is audited."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peerpath.core import agency, audit
from peerpath.core.models import Role, Staff, TeamMembership
from peerpath.encounters.models import Contact, OtherTask, PeerService

from .models import (
    SupervisionAttendance,
    SupervisionSession,
    SupervisionTopic,
    WorkforceRules,
)
from .strategies import PlanRefused, agency_of

PEER_ROLES = (Role.PEER_SPECIALIST, Role.PEER_SUPERVISOR)
MONTHS_SHOWN = 6

# What a supervision session covered, from a checklist.
TOPICS: dict[str, Promise] = {
    "boundaries": _("Boundaries"),
    "story": _("Sharing one's story on purpose"),
    "dual_relationships": _("Dual relationships"),
    "ethics": _("Ethics"),
    "self_care": _("Self-care"),
    "role_clarity": _("Role clarity: peer work, not leftover tasks"),
    "advocacy": _("Advocacy"),
    "difficult": _("Difficult situations"),
}


def rules_for(organization_id: int) -> WorkforceRules:
    """The agency's rules (PeerPath's defaults until it sets its own; not saved by reading)."""
    found = WorkforceRules.objects.filter(organization_id=organization_id).first()
    return found or WorkforceRules(
        organization_id=organization_id, other_work=list(OtherTask.values)
    )


def rules_save(*, actor: Staff, data: dict[str, Any]) -> WorkforceRules:
    organization_id = agency_of(actor)
    known = set(PeerService.values) | set(OtherTask.values)
    if set(data["other_work"]) - known:
        raise PlanRefused(_("Choose from the list."), field="other_work")
    if not 1 <= data["one_to_one_days"] <= 90 or not 1 <= data["group_days"] <= 180:
        raise PlanRefused(_("Between 1 and 90 days for a one-to-one, 1 and 180 for a group."))
    if not 0 <= data["fidelity_target"] <= 100:
        raise PlanRefused(_("A share is from 0 to 100 %."), field="fidelity_target")
    with transaction.atomic():
        rules, _created = WorkforceRules.objects.select_for_update().get_or_create(
            organization_id=organization_id, defaults={"other_work": list(OtherTask.values)}
        )
        for name in ("one_to_one_days", "group_days", "fidelity_target", "caseload_target"):
            setattr(rules, name, data[name])
        rules.other_work = sorted(data["other_work"])
        rules.save()
        audit.record(
            organization=organization_id,
            actor=actor,
            action="support_rules.save",
            details={k: data[k] for k in ("one_to_one_days", "group_days", "fidelity_target")},
        )
    return rules


# Who supervises whom ---------------------------------------------------------------------------


def peers_of(user: Staff) -> Any:
    """The peers whose supervision and fidelity the user follows: those who run the agency,
    every active peer; anyone else, the peers who report to them."""
    peers = Staff.objects.filter(
        organization_id=user.organization_id or 0, role__in=PEER_ROLES, is_active=True
    ).order_by("full_name", "id")
    if agency.may_run_agency(user):
        return peers
    return peers.filter(supervisor=user)


def supervises(user: Staff) -> bool:
    return bool(peers_of(user).filter(supervisor=user).exists())


# Supervision sessions --------------------------------------------------------------------------


def session_log(
    *,
    actor: Staff,
    kind: str,
    held_on: date,
    minutes: int,
    peers: list[Staff],
    topics: list[str],
    notes: str,
    discussed: list[SupervisionTopic] | None = None,
) -> SupervisionSession:
    """Log a session the actor held with peers who report to them."""
    if kind not in SupervisionSession.Kind.values:
        raise PlanRefused(_("Choose one-to-one or group."), field="kind")
    if held_on > timezone.localdate():
        raise PlanRefused(_("The session is in the future."), field="held_on")
    if not 5 <= minutes <= 480:
        raise PlanRefused(_("A session is from 5 minutes to 8 hours."), field="minutes")
    if set(topics) - set(TOPICS):
        raise PlanRefused(_("Choose from the list."), field="topics")
    ids = {p.pk for p in peers}
    if not ids:
        raise PlanRefused(_("Choose who was there."), field="peers")
    if kind == SupervisionSession.Kind.ONE_TO_ONE and len(ids) != 1:
        raise PlanRefused(_("A one-to-one is with one peer."), field="peers")
    if kind == SupervisionSession.Kind.GROUP and len(ids) < 2:
        raise PlanRefused(_("A group is two peers or more."), field="peers")
    if any(
        p.supervisor_id != actor.pk or p.organization_id != actor.organization_id for p in peers
    ):
        raise PlanRefused(_("Choose peers who report to you."), field="peers")
    organization_id = actor.organization_id or 0
    with transaction.atomic():
        session = SupervisionSession.objects.create(
            organization_id=organization_id,
            supervisor=actor,
            kind=kind,
            held_on=held_on,
            minutes=minutes,
            topics=sorted(topics),
            notes=notes.strip(),
        )
        SupervisionAttendance.objects.bulk_create(
            SupervisionAttendance(
                organization_id=organization_id,
                session=session,
                peer_id=pk,
                kind=kind,
                held_on=held_on,
            )
            for pk in sorted(ids)
        )
        raised = [t.pk for t in discussed or [] if t.peer_id in ids and t.discussed_in_id is None]
        SupervisionTopic.objects.filter(pk__in=raised).update(discussed_in=session)
        audit.record(
            organization=actor.organization_id or 0,
            actor=actor,
            action="supervision.log",
            obj=session,
            details={"kind": kind, "peers": sorted(ids), "topics": sorted(topics)},
        )
    return session


def topic_add(*, actor: Staff, text: str) -> SupervisionTopic:
    """A peer names something to talk about at their next session."""
    if actor.role not in PEER_ROLES or actor.organization_id is None:
        raise PermissionError("topics are a peer's own")
    if not text.strip():
        raise PlanRefused(_("Write what you want to talk about."), field="text")
    if SupervisionTopic.objects.filter(peer=actor, discussed_in__isnull=True).count() >= 20:
        raise PlanRefused(_("You have 20 topics waiting. Talk them over first."), field="text")
    with transaction.atomic():
        topic = SupervisionTopic.objects.create(
            organization_id=actor.organization_id, peer=actor, text=text.strip()[:500]
        )
        audit.record(
            organization=actor.organization_id, actor=actor, action="supervision.topic", obj=topic
        )
    return topic


def open_topics(peer_ids: list[int]) -> dict[int, list[SupervisionTopic]]:
    found: dict[int, list[SupervisionTopic]] = defaultdict(list)
    for topic in SupervisionTopic.objects.filter(
        peer_id__in=peer_ids, discussed_in__isnull=True
    ).order_by("created_at", "id")[:500]:
        found[topic.peer_id].append(topic)
    return found


def may_read_notes(user: Staff, session: SupervisionSession) -> bool:
    return (
        session.supervisor_id == user.pk
        or SupervisionAttendance.objects.filter(session=session, peer=user).exists()
    )


def session_for(user: Staff, session_id: int) -> tuple[SupervisionSession, bool]:
    """A session the user may open, and whether they may read its notes: its supervisor and the
    peers who were there read them (audited); those who run the agency see the rest."""
    from django.http import Http404

    session = (
        SupervisionSession.objects.filter(organization_id=user.organization_id or 0, pk=session_id)
        .select_related("supervisor")
        .first()
    )
    if session is None:
        raise Http404
    notes = may_read_notes(user, session)
    if not notes and not agency.may_run_agency(user):
        raise Http404
    if notes:
        audit.record(
            organization=session.organization_id,
            actor=user,
            action="supervision.read",
            obj=session,
        )
    return session, notes


@dataclass
class PeerSupervision:
    peer: Staff
    last_one_to_one: date | None
    last_group: date | None
    one_to_one_overdue: bool
    group_overdue: bool
    topics: list[SupervisionTopic] = field(default_factory=list)

    @property
    def overdue(self) -> bool:
        return self.one_to_one_overdue or self.group_overdue


def supervision_status(
    peers: list[Staff], rules: WorkforceRules, today: date
) -> list[PeerSupervision]:
    """Each peer's last one-to-one and group session, and whether either is overdue under the
    agency's rule. A peer who never had one is overdue once they have worked here longer than
    the rule allows (a peer hired this week is not). Two queries however many peers."""
    ids = [p.pk for p in peers]
    last: dict[tuple[int, str], date] = {
        (row["peer_id"], row["kind"]): row["last"]
        for row in SupervisionAttendance.objects.filter(peer_id__in=ids)
        .values("peer_id", "kind")
        .annotate(last=Max("held_on"))
        .order_by()
    }
    topics = open_topics(ids)
    rows = []
    for peer in peers:
        one = last.get((peer.pk, SupervisionSession.Kind.ONE_TO_ONE))
        group = last.get((peer.pk, SupervisionSession.Kind.GROUP))
        # Without a session yet, the time runs from the day they joined.
        joined = timezone.localtime(peer.date_joined).date()
        rows.append(
            PeerSupervision(
                peer,
                one,
                group,
                (today - (one or joined)).days > rules.one_to_one_days,
                (today - (group or joined)).days > rules.group_days,
                topics.get(peer.pk, []),
            )
        )
    return rows


def sessions_of_peer(peer: Staff) -> Any:
    return (
        SupervisionSession.objects.filter(supervisionattendance__peer=peer)
        .select_related("supervisor")
        .order_by("-held_on", "-id")
    )


def sessions_by(supervisor: Staff) -> Any:
    return SupervisionSession.objects.filter(supervisor=supervisor).order_by("-held_on", "-id")


# Role fidelity ---------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_back(today: date, count: int) -> list[date]:
    months = [month_start(today)]
    while len(months) < count:
        months.append(month_start(months[-1] - timedelta(days=1)))
    return list(reversed(months))


def split_minutes(
    minutes: int, services: list[str], tasks: list[str], other: set[str]
) -> tuple[float, float]:
    """A contact's minutes as (peer work, other work): shared equally among the kinds of work it
    names. A contact that names none counts as neither."""
    kinds = [*services, *tasks]
    if not kinds:
        return 0.0, 0.0
    share = minutes / len(kinds)
    other_minutes = share * sum(1 for kind in kinds if kind in other)
    return minutes - other_minutes, other_minutes


@dataclass
class Month:
    start: date
    peer_minutes: float = 0.0
    other_minutes: float = 0.0

    @property
    def total(self) -> float:
        return self.peer_minutes + self.other_minutes

    @property
    def share(self) -> int | None:
        """Percent of classified time that was peer work (None: no contacts)."""
        return round(100 * self.peer_minutes / self.total) if self.total else None


@dataclass
class Fidelity:
    label: str
    months: list[Month]
    target: int
    caseload: int | None = None
    peer: Staff | None = None

    @property
    def current(self) -> Month:
        return self.months[-1]

    @property
    def under_month(self) -> Month | None:
        """The newer of this month and last month whose share of peer work was under the
        target (last month counts: early in a month, this one has few contacts)."""
        for month in reversed(self.months[-2:]):
            if month.share is not None and month.share < self.target:
                return month
        return None

    @property
    def under_target(self) -> bool:
        return self.under_month is not None

    @property
    def other_hours(self) -> float:
        return round(sum(m.other_minutes for m in self.months) / 60, 1)


def fidelity(
    peers: list[Staff], rules: WorkforceRules, today: date
) -> tuple[list[Fidelity], list[Fidelity]]:
    """Per peer and per team: each of the last six months' minutes of peer and other work from
    their signed contacts, against the agency's target; and each peer's caseload. Three
    queries however many peers."""
    from peerpath.clients.models import CareTeamMember

    months = months_back(today, MONTHS_SHOWN)
    index = {m: n for n, m in enumerate(months)}
    other = set(rules.other_work)
    by_peer = {
        p.pk: Fidelity(p.full_name, [Month(m) for m in months], rules.fidelity_target, 0, p)
        for p in peers
    }
    since = timezone.make_aware(datetime.combine(months[0], datetime.min.time()))
    rows = Contact.objects.filter(
        author_id__in=list(by_peer),
        status=Contact.Status.SIGNED,
        occurred_at__gte=since,
        deleted_at__isnull=True,
    ).values_list("author_id", "occurred_at", "minutes", "services", "other_tasks")
    for author_id, occurred_at, minutes, services, tasks in rows.iterator(chunk_size=5000):
        slot = index.get(month_start(timezone.localtime(occurred_at).date()))
        if slot is None:
            continue
        peer_part, other_part = split_minutes(minutes, services or [], tasks or [], other)
        month = by_peer[author_id].months[slot]
        month.peer_minutes += peer_part
        month.other_minutes += other_part
    caseloads = (
        CareTeamMember.objects.filter(staff_id__in=list(by_peer), ended_on__isnull=True)
        .values("staff_id")
        .annotate(n=Count("client_id", distinct=True))
        .order_by()
    )
    for row in caseloads:
        by_peer[row["staff_id"]].caseload = row["n"]
    teams: dict[int, Fidelity] = {}
    memberships = TeamMembership.objects.filter(staff_id__in=list(by_peer)).select_related("team")
    for membership in memberships.order_by("team__name"):
        team = teams.setdefault(
            membership.team_id,
            Fidelity(membership.team.name, [Month(m) for m in months], rules.fidelity_target),
        )
        for mine, theirs in zip(team.months, by_peer[membership.staff_id].months, strict=True):
            mine.peer_minutes += theirs.peer_minutes
            mine.other_minutes += theirs.other_minutes
    return list(by_peer.values()), list(teams.values())


def my_day_overdue(user: Staff, today: date) -> list[PeerSupervision]:
    """Peers who report to the user and are overdue for supervision."""
    peers = list(
        Staff.objects.filter(
            supervisor=user,
            role__in=PEER_ROLES,
            is_active=True,
            organization_id=user.organization_id or 0,
        ).order_by("full_name")[:50]
    )
    if not peers:
        return []
    rules = rules_for(user.organization_id or 0)
    return [row for row in supervision_status(peers, rules, today) if row.overdue]
