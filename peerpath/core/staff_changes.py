"""Changes to who a staff member is allowed to be: recorded in the audit chain wherever made.

A change of role, organization, operator (superuser) flag, admin-site flag or active flag writes
an audit event, whether it comes from the admin site, a command or code. Nobody can give
themselves a role that opens restricted records (privacy officer).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from . import audit
from .models import Role, Staff

_UNWATCHED = object()  # the save touched none of the watched fields
WATCHED = ("role", "organization_id", "is_superuser", "is_staff", "is_active")
# Roles that open records other roles cannot see; nobody may grant one to themselves.
RESTRICTED_RECORD_ROLES = {Role.PRIVACY_OFFICER}


class SelfGrantError(PermissionDenied):
    """A staff member tried to give themselves a role that opens restricted records."""


def self_grant_refused(actor: Any, staff: Staff, old_role: str | None) -> bool:
    return (
        actor is not None
        and staff.pk is not None
        and actor.pk == staff.pk
        and staff.role in RESTRICTED_RECORD_ROLES
        and old_role != staff.role
    )


def _touches_access(update_fields: Any) -> bool:
    if update_fields is None:
        return True
    names = {"organization" if f == "organization_id" else f for f in update_fields}
    return bool(names & {"role", "organization", "is_superuser", "is_staff", "is_active"})


@receiver(pre_save, sender=Staff)
def _remember_access(
    sender: type[Staff], instance: Staff, raw: bool = False, update_fields: Any = None, **_: Any
) -> None:
    if raw or not _touches_access(update_fields):
        instance._access_before = _UNWATCHED  # type: ignore[attr-defined]
        return
    before = Staff.objects.filter(pk=instance.pk).values(*WATCHED).first() if instance.pk else None
    if self_grant_refused(audit.current_actor(), instance, (before or {}).get("role")):
        raise SelfGrantError("Nobody can make themselves privacy officer.")
    instance._access_before = before  # type: ignore[attr-defined]


@receiver(post_save, sender=Staff)
def _record_access_change(
    sender: type[Staff], instance: Staff, created: bool, raw: bool = False, **_: Any
) -> None:
    remembered = getattr(instance, "_access_before", _UNWATCHED)
    if raw or remembered is _UNWATCHED:
        return
    before: dict[str, Any] = remembered or {}  # type: ignore[assignment]
    after = {name: getattr(instance, name) for name in WATCHED}
    if created:
        changes = {name: [None, value] for name, value in after.items()}
    else:
        changes = {
            name: [before.get(name), value]
            for name, value in after.items()
            if before.get(name) != value
        }
    if not changes:
        return
    organizations = {instance.organization_id, before.get("organization_id")} - {None}
    for organization_id in sorted(organizations):  # type: ignore[type-var]
        audit.record(
            organization=int(organization_id),  # type: ignore[arg-type]
            actor=audit.current_actor(),
            action="staff.create" if created else "staff.access_change",
            obj=instance,
            details={"staff": instance.full_name, "changes": changes},
        )
