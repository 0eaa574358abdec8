"""Reads for the agency area, always within the user's organization (others' objects: 404)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from . import imports
from .models import ImportJob, Invitation, Program, Staff, Team, TeamMembership
from .pagination import Page, keyset_page


def own(model: Any, organization_id: int, pk: int) -> Any:
    """One object of this organization; 404 for anything else."""
    found = model.objects.filter(pk=pk, organization_id=organization_id).first()
    if found is None:
        raise Http404
    return found


def counts(organization_id: int) -> dict[str, int]:
    return {
        "programs": Program.objects.filter(organization_id=organization_id).count(),
        "teams": Team.objects.filter(organization_id=organization_id).count(),
        "staff": Staff.objects.filter(organization_id=organization_id, is_active=True)
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .count(),
        "invited": Invitation.objects.filter(
            organization_id=organization_id,
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).count(),
    }


def programs(organization_id: int) -> QuerySet[Program]:
    return (
        Program.objects.filter(organization_id=organization_id)
        .annotate(team_count=Count("teams"))
        .order_by("name")
    )


def teams(organization_id: int) -> QuerySet[Team]:
    active = Q(memberships__staff__is_active=True)
    return (
        Team.objects.filter(organization_id=organization_id)
        .select_related("program")
        .annotate(
            member_count=Count("memberships", filter=active),
            supervisor_count=Count(
                "memberships", filter=active & Q(memberships__is_supervisor=True)
            ),
        )
        .order_by("program__name", "name")
    )


def team_members(team: Team) -> QuerySet[TeamMembership]:
    return (
        TeamMembership.objects.filter(team=team)
        .select_related("staff")
        .order_by("-is_supervisor", "staff__full_name")
    )


def team_membership(team: Team, membership_id: int) -> TeamMembership:
    found = (
        TeamMembership.objects.filter(pk=membership_id, team=team).select_related("staff").first()
    )
    if found is None:
        raise Http404
    return found


def staff_page(
    organization_id: int, *, q: str, role: str, status: str, after: str | None, per_page: int
) -> Page[Staff]:
    staff = Staff.objects.filter(organization_id=organization_id)
    if status == "invited":
        staff = staff.filter(is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)
    elif status == "ended":
        staff = staff.filter(is_active=False)
    elif status != "all":
        staff = staff.filter(is_active=True)
    if role:
        staff = staff.filter(role=role)
    for word in q.split()[:4]:
        staff = staff.filter(Q(full_name__icontains=word) | Q(email__icontains=word))
    params = {k: v for k, v in {"q": q, "role": role, "status": status}.items() if v}
    return keyset_page(
        staff.select_related("supervisor").prefetch_related("team_memberships__team"),
        order=["full_name", "id"],
        after=after,
        per_page=per_page,
        params=params,
    )


def latest_invitation(staff: Staff) -> Invitation | None:
    return Invitation.objects.filter(staff=staff).order_by("-created_at").first()


def teams_of_staff(staff: Staff) -> QuerySet[TeamMembership]:
    return TeamMembership.objects.filter(staff=staff).select_related("team", "team__program")


def import_jobs(organization_id: int, *, after: str | None) -> Page[ImportJob]:
    return keyset_page(
        # The pipeline's own kinds (other apps list their imports on their own pages).
        ImportJob.objects.filter(
            organization_id=organization_id, kind__in=[i.kind for i in imports.kinds()]
        )
        .defer("content")
        .select_related("created_by"),
        order=["-created_at", "-id"],
        after=after,
        per_page=20,
    )
