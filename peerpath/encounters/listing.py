"""The agency's peer-run groups as a public Meeting Guide feed.

A facilitator (or someone who runs the agency) says when and where a group meets and whether to
list it; the agency's feed at /groups/feed/<agency>.json then lists its published, active groups
in the Meeting Guide JSON format (the open format of mutual-aid meeting finders: day 0 is Sunday,
times HH:MM, type codes from the format's own list). The feed holds no personal data: no
members, no facilitators, no notes other than those written for the public.
"""

from __future__ import annotations

from datetime import UTC, time
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from peerpath.core import agency, audit
from peerpath.core.models import Organization, Staff

from .models import Group, GroupListing

# The Meeting Guide type codes a peer-run group may carry (the format's own codes and names).
TYPES = [
    ("O", _("Open: anyone may come")),
    ("C", _("Closed: for members only")),
    ("BE", _("Newcomers welcome")),
    ("EN", _("English")),
    ("S", _("Spanish")),
    ("ASL", _("American Sign Language")),
    ("W", _("Women")),
    ("M", _("Men")),
    ("LGBTQ", _("LGBTQ")),
    ("Y", _("Young people")),
    ("SEN", _("Seniors")),
    ("X", _("Wheelchair access")),
    ("CF", _("Children welcome")),
    ("FF", _("Fragrance free")),
]
TYPE_CODES = {code for code, _label in TYPES}
ONLINE = "ONL"


class ListingRefused(Exception):
    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


def may_list(user: Staff, group: Group) -> bool:
    """The group's facilitators and those who run the agency say how it is listed."""
    return agency.may_run_agency(user) or any(f.pk == user.pk for f in group.facilitators.all())


def group_listing_save(
    *,
    actor: Staff,
    group: Group,
    is_published: bool,
    days: list[int],
    starts: time,
    ends: time | None,
    attendance: str,
    place: str = "",
    address: str = "",
    city: str = "",
    state: str = "",
    postal_code: str = "",
    region: str = "",
    conference_url: str = "",
    types: list[str] | None = None,
    notes: str = "",
) -> GroupListing:
    if not may_list(actor, group):
        raise PermissionError("not a facilitator of the group")
    types = list(dict.fromkeys(types or []))
    if not days or any(day not in range(7) for day in days):
        raise ListingRefused(_("Choose the days it meets."), field="days")
    if set(types) - TYPE_CODES:
        raise ListingRefused(_("Choose types from the list."), field="types")
    in_person = attendance in (GroupListing.Attendance.IN_PERSON, GroupListing.Attendance.HYBRID)
    online = attendance in (GroupListing.Attendance.ONLINE, GroupListing.Attendance.HYBRID)
    if in_person and not (address.strip() and city.strip()):
        raise ListingRefused(
            _("Give the street address and city where people meet."), field="address"
        )
    if online and not conference_url.strip():
        raise ListingRefused(_("Give the link to join online."), field="conference_url")
    if not online:
        conference_url = ""
    fields = {
        "organization_id": group.organization_id,
        "is_published": is_published,
        "days": sorted(set(days)),
        "starts": starts,
        "ends": ends,
        "attendance": attendance,
        "place": place.strip() if in_person else "",
        "address": address.strip() if in_person else "",
        "city": city.strip() if in_person else "",
        "state": state.strip().upper() if in_person else "",
        "postal_code": postal_code.strip() if in_person else "",
        "region": region.strip(),
        "conference_url": conference_url.strip(),
        "types": types,
        "notes": notes.strip(),
        "updated_by": actor,
    }
    with transaction.atomic():
        listing, created = GroupListing.objects.update_or_create(group=group, defaults=fields)
        audit.record(
            organization=group.organization_id,
            actor=actor,
            action="group.listing",
            obj=group,
            details={"published": is_published, "created": created},
        )
    return listing


def listing_of(group: Group) -> GroupListing | None:
    return GroupListing.objects.filter(group=group).first()


def published(organization_slug: str) -> tuple[Organization, list[GroupListing]] | None:
    """The agency and its listed groups that still meet; None for an unknown agency."""
    organization = Organization.objects.filter(slug=organization_slug).first()
    if organization is None:
        return None
    listings = list(
        GroupListing.objects.filter(
            organization=organization, is_published=True, group__is_active=True
        )
        .select_related("group")
        .order_by("group__name", "pk")
    )
    return organization, listings


def _clock(moment: time | None) -> str | None:
    return moment.strftime("%H:%M") if moment else None


def as_meeting(organization: Organization, listing: GroupListing) -> dict[str, Any]:
    """One group as a Meeting Guide meeting: the format's own field names and codes."""
    days = [(day + 1) % 7 for day in listing.days]  # Monday 0 here; Sunday 0 in the format
    types = list(listing.types)
    if listing.conference_url and ONLINE not in types:
        types.append(ONLINE)
    meeting: dict[str, Any] = {
        "name": listing.group.name,
        "slug": f"{organization.slug}-group-{listing.group_id}",
        "day": days[0] if len(days) == 1 else days,
        "time": _clock(listing.starts),
        "types": types,
        "updated": listing.updated_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "group": organization.name,
    }
    optional = {
        "end_time": _clock(listing.ends),
        "location": listing.place,
        "address": listing.address,
        "city": listing.city,
        "state": listing.state,
        "postal_code": listing.postal_code,
        "country": "US" if listing.address else "",
        "formatted_address": ", ".join(
            part
            for part in (
                listing.address,
                listing.city,
                f"{listing.state} {listing.postal_code}".strip(),
                "USA" if listing.address else "",
            )
            if part
        ),
        "region": listing.region,
        "conference_url": listing.conference_url,
        "notes": listing.notes,
    }
    meeting.update({key: value for key, value in optional.items() if value})
    return meeting


def feed(organization: Organization, listings: list[GroupListing]) -> list[dict[str, Any]]:
    return [as_meeting(organization, listing) for listing in listings]
