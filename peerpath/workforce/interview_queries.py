"""Reads for the hiring pages: candidates (only for those who may see them), the panel, the
scores side by side, the question bank, and where peers stand on each team."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.http import Http404

from peerpath.core import agency
from peerpath.core.models import Role, Staff, TeamMembership
from peerpath.core.pagination import Page, keyset_page
from peerpath.meetings.models import TeamMeeting

from .models import Candidate, Criterion, InterviewQuestion, PanelMember, Position, Scorecard
from .recruiting import criterion_label, may_see, question_text


def position_for(user: Staff, position_id: int) -> Position:
    """A position whose candidates the user may see (404 for anyone else)."""
    position = (
        Position.objects.filter(organization_id=user.organization_id or 0, pk=position_id)
        .select_related("team")
        .first()
    )
    if position is None or not may_see(user, position):
        raise Http404
    return position


def candidate_for(user: Staff, candidate_id: int) -> Candidate:
    candidate = (
        Candidate.objects.filter(organization_id=user.organization_id or 0, pk=candidate_id)
        .select_related("position", "decided_by")
        .first()
    )
    if candidate is None or not may_see(user, candidate.position):
        raise Http404
    return candidate


def candidates(position: Position, after: str | None) -> Page[Candidate]:
    """The position's candidates, newest application first."""
    return keyset_page(
        Candidate.objects.filter(position=position), order=("-id",), after=after, per_page=25
    )


def panel_of(position: Position) -> list[Staff]:
    return [
        m.staff
        for m in PanelMember.objects.filter(position=position)
        .select_related("staff")
        .order_by("staff__full_name")
    ]


def criteria_of(position: Position) -> list[Criterion]:
    found = list(Criterion.objects.filter(position=position))
    for criterion in found:
        criterion.shown = criterion_label(criterion)  # type: ignore[attr-defined]
    return found


def positions_of_panel(user: Staff) -> list[Position]:
    return list(
        Position.objects.filter(panel__staff=user, organization_id=user.organization_id or 0)
        .select_related("team")
        .order_by("-id")[:100]
    )


@dataclass
class Column:
    """One interviewer's submitted scores, as the side-by-side shows them."""

    interviewer: Staff
    scores: list[int | None]
    total: Decimal
    notes: str


@dataclass
class SideBySide:
    criteria: list[Criterion]
    columns: list[Column]
    waiting: list[Staff]  # panel members who have not submitted
    own: Scorecard | None  # the viewer's own card
    may_look: bool  # False while the viewer, an interviewer, has not submitted
    interviewing: bool  # the viewer is on the panel
    averages: list[Decimal | None] = field(default_factory=list)
    average_total: Decimal | None = None

    @property
    def rows(self) -> list[tuple[Criterion, list[int | None], Decimal | None]]:
        """Per criterion: each interviewer's score, then their average."""
        return [
            (criterion, [col.scores[n] for col in self.columns], self.averages[n])
            for n, criterion in enumerate(self.criteria)
        ]


def weighted(scores: list[int | None], criteria: list[Criterion]) -> Decimal:
    """The weighted average score (1 to 5) of one card."""
    weights = sum(c.weight for c, s in zip(criteria, scores, strict=True) if s is not None)
    if not weights:
        return Decimal(0)
    total = sum(c.weight * s for c, s in zip(criteria, scores, strict=True) if s is not None)
    return (Decimal(total) / weights).quantize(Decimal("0.01"))


def side_by_side(user: Staff, candidate: Candidate) -> SideBySide:
    """The panel's scores. An interviewer sees only their own card until they submit it; those
    who run the agency and are not on the panel see the submitted cards."""
    criteria = criteria_of(candidate.position)
    panel = panel_of(candidate.position)
    cards = {
        c.interviewer_id: c
        for c in Scorecard.objects.filter(candidate=candidate).select_related("interviewer")
    }
    own = cards.get(user.pk)
    interviewing = any(m.pk == user.pk for m in panel)
    may_look = (own is not None and own.submitted_at is not None) or (
        not interviewing and agency.may_run_agency(user)
    )
    columns: list[Column] = []
    waiting: list[Staff] = []
    for member in panel:
        card = cards.get(member.pk)
        if card is None or card.submitted_at is None:
            waiting.append(member)
            continue
        scores = [card.scores.get(str(c.pk)) for c in criteria]
        columns.append(Column(member, scores, weighted(scores, criteria), card.notes))
    result = SideBySide(criteria, columns if may_look else [], waiting, own, may_look, interviewing)
    if may_look and columns:
        for n in range(len(criteria)):
            given = [col.scores[n] for col in columns if col.scores[n] is not None]
            result.averages.append(
                (Decimal(sum(given)) / len(given)).quantize(Decimal("0.1")) if given else None  # type: ignore[arg-type]
            )
        total = sum((col.total for col in columns), Decimal(0))
        result.average_total = (total / len(columns)).quantize(Decimal("0.01"))
    return result


def to_score_count(user: Staff) -> int:
    from .recruiting import to_score

    return int(to_score(user).count())


def questions(organization_id: int) -> list[tuple[InterviewQuestion, str]]:
    found = InterviewQuestion.objects.filter(organization_id=organization_id, is_active=True)
    return [(q, question_text(q)) for q in found[:200]]


def question_for(organization_id: int | None, question_id: int) -> InterviewQuestion:
    question = InterviewQuestion.objects.filter(
        organization_id=organization_id or 0, pk=question_id, is_active=True
    ).first()
    if question is None:
        raise Http404
    return question


def on_any_panel(user: Staff) -> bool:
    return PanelMember.objects.filter(staff_id=user.pk).exists()


# Avoiding tokenism: where peers stand on each team ---------------------------------------------


@dataclass
class TeamPeers:
    team_id: int
    name: str
    staff: int
    peers: int
    peer_leaders: int
    meetings: int
    meetings_with_peer: int
    without_peer_supervisor: list[str]

    @property
    def share(self) -> float:
        return self.peers / self.staff if self.staff else 0.0

    @property
    def single(self) -> bool:
        return self.peers == 1

    @property
    def gaps(self) -> list[str]:
        """The strategy keys this team's gaps point to."""
        found = []
        if self.peers <= 1:
            found.append("peer_cohort")
        if self.meetings and self.meetings_with_peer < self.meetings:
            found.append("team_meetings")
        if self.without_peer_supervisor:
            found.append("supervision")
        return found


PEER_ROLES = (Role.PEER_SPECIALIST, Role.PEER_SUPERVISOR)


def peer_roles(organization_id: int, today: date, *, days: int = 90) -> list[TeamPeers]:
    """Per team: staff and peers, peers who lead (peer supervisors, or who supervise the team),
    team meetings in the last `days` and how many had a peer at the table, and the peers whose
    supervisor is not a peer. Four queries whatever the number of teams."""
    memberships = (
        TeamMembership.objects.filter(
            organization_id=organization_id, staff__is_active=True, staff__deactivated_at=None
        )
        .select_related("team", "staff", "staff__supervisor")
        .order_by("team__name", "staff__full_name")
    )
    teams: dict[int, TeamPeers] = {}
    for m in memberships:
        row = teams.setdefault(m.team_id, TeamPeers(m.team_id, m.team.name, 0, 0, 0, 0, 0, []))
        row.staff += 1
        if m.staff.role in PEER_ROLES:
            row.peers += 1
            if m.staff.role == Role.PEER_SUPERVISOR or m.is_supervisor:
                row.peer_leaders += 1
            boss = m.staff.supervisor
            if boss is None or boss.role not in PEER_ROLES:
                row.without_peer_supervisor.append(m.staff.full_name)
    since = today - timedelta(days=days)
    meetings = (
        TeamMeeting.objects.filter(organization_id=organization_id, starts_at__date__gte=since)
        .values("team_id")
        .annotate(
            n=Count("id", distinct=True),
            with_peer=Count("id", filter=Q(attendees__role__in=PEER_ROLES), distinct=True),
        )
        .order_by()
    )
    for counted in meetings:
        if counted["team_id"] in teams:
            teams[counted["team_id"]].meetings = counted["n"]
            teams[counted["team_id"]].meetings_with_peer = counted["with_peer"]
    return list(teams.values())


def peer_leaders_total(organization_id: int) -> int:
    """Peers in supervisory or leadership roles across the agency (each counted once)."""
    return int(
        Staff.objects.filter(organization_id=organization_id, is_active=True)
        .filter(
            Q(role=Role.PEER_SUPERVISOR)
            | Q(role=Role.PEER_SPECIALIST, team_memberships__is_supervisor=True)
        )
        .values("pk")
        .distinct()
        .count()
    )


def screened_counts(position: Position) -> dict[str, Any]:
    from .recruiting import paid_rule_only, status_counts

    return {"statuses": status_counts(position), "paid_rule": paid_rule_only(position)}
