"""Navigation by role. Later capabilities add their entries here."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Role, Staff


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    current: bool


# (label, url name, roles that see it; None = everyone)
_ENTRIES: list[tuple[Promise, str, set[str] | None]] = [
    (_("My day"), "clients:my_day", set(Role.values) - {Role.PRIVACY_OFFICER}),
    (_("People"), "clients:list", None),
    (_("Groups"), "encounters:group_list", None),
    (_("Team meetings"), "meetings:list", None),
    (_("Resources"), "directory:search", None),
    (_("Notes to review"), "encounters:review_queue", {Role.PEER_SUPERVISOR}),
    (_("Privacy desk"), "clients:privacy_desk", {Role.PRIVACY_OFFICER}),
    (_("Agency"), "agency:home", None),
    (_("Admin"), "admin:index", None),
]


def _runs_agency(user: Staff) -> bool:
    org = user.organization
    return org is not None and org.may_run_agency(user.role)


def navigation_for(user: Staff, path: str) -> list[NavItem]:
    items = []
    for label, url_name, roles in _ENTRIES:
        if roles is not None and user.role not in roles:
            continue
        if url_name.startswith("admin:") and not user.is_superuser:  # site operators only
            continue
        if url_name.startswith("agency:") and not _runs_agency(user):
            continue
        url = reverse(url_name)
        current = path == url if url == "/" else path.startswith(url)
        items.append(NavItem(label=label, url=url, current=current))
    return items
