"""The agency runs itself: organizations, programs, teams, team membership, staff and their
invitations. Every write is keyword-only, atomic and audited in the same transaction.

Ending someone's work also ends their care-team places with a hand-off, so it lives with the
care teams (`clients.staffing`); it calls `staff_sessions_end` here.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import audit
from .models import Invitation, Organization, Program, Role, Staff, Team, TeamMembership


class AgencyError(ValueError):
    """A change the agency's data does not allow; the message says why, in words."""


def may_run_agency(user: Any) -> bool:
    org = getattr(user, "organization", None)
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and org is not None
        and org.may_run_agency(user.role)
    )


# Organizations ------------------------------------------------------------------------------


def organization_create(*, name: str, slug: str, time_zone: str = "") -> Organization:
    if Organization.objects.filter(slug=slug).exists():
        raise AgencyError(
            _("An organization with the short name %(slug)s exists.") % {"slug": slug}
        )
    with transaction.atomic():
        org = Organization.objects.create(
            name=name.strip(), slug=slug, time_zone=time_zone or str(settings.TIME_ZONE)
        )
        audit.record(organization=org, action="organization.create", obj=org)
    return org


def organization_settings(
    *, actor: Staff, organization: Organization, intake_roles: list[str], admin_roles: list[str]
) -> Organization:
    allowed = set(Role.values) - {Role.ADMINISTRATOR}
    if set(intake_roles) - allowed or set(admin_roles) - allowed:
        raise AgencyError(_("Choose roles from the list."))
    with transaction.atomic():
        before = {"intake": organization.intake_roles, "admin": organization.agency_admin_roles}
        organization.intake_roles = sorted(intake_roles)
        organization.agency_admin_roles = sorted(admin_roles)
        organization.save(update_fields=["intake_roles", "agency_admin_roles"])
        audit.record(
            organization=organization,
            actor=actor,
            action="organization.settings",
            obj=organization,
            details={"before": before, "intake": intake_roles, "admin": admin_roles},
        )
    return organization


# Programs and teams ---------------------------------------------------------------------------


def program_save(*, actor: Staff, name: str, kind: str, program: Program | None = None) -> Program:
    org_id = actor.organization_id or 0
    clash = Program.objects.filter(organization_id=org_id, name__iexact=name.strip())
    if program is not None:
        clash = clash.exclude(pk=program.pk)
    if clash.exists():
        raise AgencyError(_("A program with this name exists."))
    with transaction.atomic():
        if program is None:
            program = Program.objects.create(organization_id=org_id, name=name.strip(), kind=kind)
            action = "program.create"
        else:
            program.name, program.kind = name.strip(), kind
            program.save(update_fields=["name", "kind"])
            action = "program.update"
        audit.record(
            organization=org_id,
            actor=actor,
            action=action,
            obj=program,
            details={"name": program.name, "kind": kind},
        )
    return program


def team_save(*, actor: Staff, name: str, program: Program, team: Team | None = None) -> Team:
    org_id = actor.organization_id or 0
    if program.organization_id != org_id:
        raise AgencyError(_("Choose a program of this agency."))
    clash = Team.objects.filter(organization_id=org_id, name__iexact=name.strip())
    if team is not None:
        clash = clash.exclude(pk=team.pk)
    if clash.exists():
        raise AgencyError(_("A team with this name exists."))
    with transaction.atomic():
        if team is None:
            team = Team.objects.create(organization_id=org_id, program=program, name=name.strip())
            action = "team.create"
        else:
            team.name, team.program = name.strip(), program
            team.save(update_fields=["name", "program"])
            action = "team.update"
        audit.record(
            organization=org_id,
            actor=actor,
            action=action,
            obj=team,
            details={"name": team.name, "program": program.pk},
        )
    return team


def team_member_set(*, actor: Staff, team: Team, staff: Staff, supervises: bool) -> TeamMembership:
    """Put a staff member on a team (or change whether they supervise it)."""
    if (
        staff.organization_id != team.organization_id
        or team.organization_id != actor.organization_id
    ):
        raise AgencyError(_("Choose staff of this agency."))
    with transaction.atomic():
        membership, created = TeamMembership.objects.update_or_create(
            team=team,
            staff=staff,
            defaults={"organization_id": team.organization_id, "is_supervisor": supervises},
        )
        audit.record(
            organization=team.organization_id,
            actor=actor,
            action="team.member_add" if created else "team.member_change",
            obj=membership,
            details={"team": team.pk, "staff": staff.pk, "supervises": supervises},
        )
    return membership


def team_member_remove(*, actor: Staff, membership: TeamMembership) -> None:
    if membership.organization_id != actor.organization_id:
        raise AgencyError(_("Choose staff of this agency."))
    with transaction.atomic():
        audit.record(
            organization=membership.organization_id,
            actor=actor,
            action="team.member_remove",
            obj=membership,
            details={"team": membership.team_id, "staff": membership.staff_id},
        )
        membership.delete()


# Staff and invitations ------------------------------------------------------------------------


@dataclass(frozen=True)
class SentInvitation:
    invitation: Invitation
    link: str  # the only place the token exists in full


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str) -> str:
    return str(settings.SITE_URL).rstrip("/") + reverse("core:accept_invitation", args=[token])


def _issue(*, staff: Staff, invited_by: Staff | None) -> SentInvitation:
    """A new one-time link for `staff`; any earlier open link stops working."""
    now = timezone.now()
    Invitation.objects.filter(staff=staff, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization_id=staff.organization_id or 0,
        staff=staff,
        token_hash=_hash(token),
        invited_by=invited_by,
        created_at=now,
        expires_at=now + timedelta(hours=Invitation.VALID_HOURS),
    )
    return SentInvitation(invitation=invitation, link=invitation_link(token))


def _email(sent: SentInvitation) -> None:
    staff = sent.invitation.staff
    org = staff.organization
    with translation.override(staff.language or "en"):
        subject = _("Your PeerPath account at %(org)s") % {"org": org}
        body = _(
            "Hello %(name)s,\n\n%(org)s invited you to PeerPath. Open this link within "
            "%(hours)s hours to choose your password:\n\n%(link)s\n\nThe link works once. "
            "If it has expired, ask for a new invitation."
        ) % {
            "name": staff.full_name,
            "org": org,
            "hours": Invitation.VALID_HOURS,
            "link": sent.link,
        }
    send_mail(subject, body, None, [staff.email])


def staff_invite(
    *,
    actor: Staff | None,
    organization: Organization,
    full_name: str,
    email: str,
    role: str,
    title: str = "",
    teams: list[Team] | None = None,
    supervises: list[Team] | None = None,
    supervisor: Staff | None = None,
    language: str = "en",
    send: bool = True,
) -> SentInvitation:
    """A new staff member, who cannot sign in until they choose a password through the link."""
    email = email.strip().lower()
    if role not in Role.values or role == Role.ADMINISTRATOR:
        raise AgencyError(_("Choose a role from the list."))
    if Staff.objects.filter(email__iexact=email).exists():
        raise AgencyError(_("Someone already signs in with this email address."))
    for team in [*(teams or []), *(supervises or [])]:
        if team.organization_id != organization.pk:
            raise AgencyError(_("Choose teams of this agency."))
    if supervisor is not None and supervisor.organization_id != organization.pk:
        raise AgencyError(_("Choose a supervisor of this agency."))
    try:
        with transaction.atomic():
            staff = Staff.objects.create_user(
                email,
                None,
                full_name=full_name.strip(),
                organization=organization,
                role=role,
                title=title.strip(),
                supervisor=supervisor,
                language=language,
            )
            for team in dict.fromkeys([*(teams or []), *(supervises or [])]):
                TeamMembership.objects.create(
                    organization=organization,
                    team=team,
                    staff=staff,
                    is_supervisor=team in (supervises or []),
                )
            sent = _issue(staff=staff, invited_by=actor)
            audit.record(
                organization=organization,
                actor=actor,
                action="staff.invite",
                obj=staff,
                details={
                    "email": email,
                    "role": role,
                    "teams": [t.pk for t in teams or []],
                    "supervises": [t.pk for t in supervises or []],
                },
            )
            if send:
                transaction.on_commit(lambda: _email(sent))
    except IntegrityError:
        raise AgencyError(_("Someone already signs in with this email address.")) from None
    return sent


def invitation_resend(*, actor: Staff, staff: Staff) -> SentInvitation:
    if staff.organization_id != actor.organization_id:
        raise AgencyError(_("Choose staff of this agency."))
    if staff.has_usable_password():
        raise AgencyError(_("%(name)s already chose a password.") % {"name": staff.full_name})
    with transaction.atomic():
        sent = _issue(staff=staff, invited_by=actor)
        audit.record(
            organization=staff.organization_id or 0,
            actor=actor,
            action="staff.invite_again",
            obj=staff,
        )
        transaction.on_commit(lambda: _email(sent))
    return sent


def invitation_revoke(*, actor: Staff, invitation: Invitation) -> None:
    if invitation.organization_id != actor.organization_id:
        raise AgencyError(_("Choose staff of this agency."))
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit.record(
            organization=invitation.organization_id,
            actor=actor,
            action="staff.invite_revoke",
            obj=invitation.staff,
        )


def invitation_for_token(token: str) -> Invitation | None:
    """The open invitation this link names, or None (unknown, used, revoked or expired)."""
    if not token or len(token) > 100:
        return None
    found = (
        Invitation.objects.select_related("staff", "staff__organization")
        .filter(token_hash=_hash(token))
        .first()
    )
    if found is None or not found.is_open or not found.staff.is_active:
        return None
    return found


def invitation_accept(*, token: str, password: str) -> Staff:
    """Set the invitee's password; the link then never works again."""
    with transaction.atomic():
        invitation = invitation_for_token(token)
        if invitation is None:
            raise AgencyError(_("This link has expired or was already used."))
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.used_at is not None:
            raise AgencyError(_("This link has expired or was already used."))
        staff = invitation.staff
        password_validation.validate_password(password, staff)
        staff.set_password(password)
        staff.save(update_fields=["password"])
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
        audit.record(
            organization=staff.organization_id or 0,
            actor=staff,
            action="staff.invite_accept",
            obj=staff,
        )
    return staff


def staff_update(
    *,
    actor: Staff,
    staff: Staff,
    full_name: str,
    role: str,
    title: str,
    supervisor: Staff | None,
) -> Staff:
    """Change a staff member's name, role, title or supervisor. Role changes are audited by the
    staff-change rules too (nobody can make themselves privacy officer)."""
    if staff.organization_id != actor.organization_id:
        raise AgencyError(_("Choose staff of this agency."))
    if role not in Role.values or role == Role.ADMINISTRATOR:
        raise AgencyError(_("Choose a role from the list."))
    if supervisor is not None and (
        supervisor.pk == staff.pk or supervisor.organization_id != staff.organization_id
    ):
        raise AgencyError(_("Choose someone else of this agency as supervisor."))
    if staff.pk == actor.pk and role != staff.role:
        raise AgencyError(_("Someone else must change your own role."))
    with transaction.atomic():
        staff.full_name, staff.role, staff.title = full_name.strip(), role, title.strip()
        staff.supervisor = supervisor
        staff.save(update_fields=["full_name", "role", "title", "supervisor"])
        audit.record(
            organization=staff.organization_id or 0,
            actor=actor,
            action="staff.update",
            obj=staff,
            details={"role": role, "supervisor": supervisor.pk if supervisor else None},
        )
    return staff


def staff_sessions_end(staff: Staff) -> int:
    """Sign the staff member out everywhere, now. Returns how many sessions ended."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(staff.pk):
            session.delete()
            ended += 1
    return ended


def staff_reactivate(*, actor: Staff, staff: Staff) -> Staff:
    if staff.organization_id != actor.organization_id:
        raise AgencyError(_("Choose staff of this agency."))
    if staff.is_active:
        raise AgencyError(_("%(name)s is already working here.") % {"name": staff.full_name})
    with transaction.atomic():
        staff.is_active = True
        staff.deactivated_at = None
        staff.save(update_fields=["is_active", "deactivated_at"])
        audit.record(
            organization=staff.organization_id or 0,
            actor=actor,
            action="staff.reactivate",
            obj=staff,
        )
    return staff
