"""Mutual-aid meetings in the Meeting Guide JSON format (code4recovery/spec).

A feed is a JSON array of meetings; `name` and `slug` are required. `day` is 0 (Sunday) to 6 or
a list of them; a meeting "by appointment" has neither `day` nor `time`. `time` and `end_time`
are HH:MM; a meeting may end after midnight. `types` are codes (types.json names them; unknown
codes are kept and shown as they came). Online meetings have a `conference_url`.

Unlike the HSDS directory, a feed is read meeting by meeting: a bad meeting is reported (its
place in the file, its slug, and why) and skipped; the good ones are written. A feed is a whole
list: meetings of the same feed that it no longer has are removed.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from peerpath.core import audit
from peerpath.core.models import Organization, Staff

from . import index
from .models import Meeting, MeetingTime

TYPES_FILE = Path(__file__).resolve().parent / "meeting_guide" / "types.json"
TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")


@cache
def type_names() -> dict[str, dict[str, str]]:
    return json.loads(TYPES_FILE.read_text(encoding="utf-8"))


def type_name(code: str, language: str | None = None) -> str:
    """A type code's name in the reader's language (English if it has none; the code itself
    when Meeting Guide does not know it)."""
    names = type_names().get(code)
    if names is None:
        return code
    language = (language or get_language() or "en").split("-")[0]
    return names.get(language) or names.get("en") or code


@dataclass
class Refused:
    where: str  # "/12" (the meeting's place in the array)
    slug: str
    reason: str

    def __str__(self) -> str:
        slug = f" ({self.slug})" if self.slug else ""
        return f"{self.where}{slug}: {self.reason}"


@dataclass
class Feed:
    meetings: list[dict[str, Any]] = field(default_factory=list)  # checked, ready to write
    refused: list[Refused] = field(default_factory=list)
    problem: str = ""  # the whole file cannot be read


def _minutes(text: Any) -> int | None:
    match = TIME.match(str(text).strip()) if isinstance(text, str) else None
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        return None
    return hours * 60 + minutes


def _days(value: Any) -> list[int] | None:
    """Meeting Guide days (0 Sunday) as PeerPath weekdays (0 Monday); None when invalid."""
    days = value if isinstance(value, list) else [value]
    if not days:
        return None
    found = []
    for day in days:
        if isinstance(day, bool):
            return None
        if isinstance(day, str) and day.strip().isdigit():
            day = int(day)
        if not isinstance(day, int) or not 0 <= day <= 6:
            return None
        found.append((day + 6) % 7)
    return sorted(set(found))


def _check(meeting: Any, where: str) -> tuple[dict[str, Any] | None, Refused | None]:
    """The meeting as PeerPath keeps it, or why it is refused."""
    if not isinstance(meeting, dict):
        return None, Refused(where, "", _("This is not a meeting (an object)."))
    slug = meeting.get("slug")
    slug_text = str(slug).strip() if isinstance(slug, str | int) else ""
    name = meeting.get("name")
    if not isinstance(name, str) or not name.strip():
        return None, Refused(where, slug_text, _("The meeting has no name."))
    if not slug_text:
        return None, Refused(where, "", _("The meeting has no slug (its id in the feed)."))

    def refuse(reason: str) -> tuple[None, Refused]:
        return None, Refused(where, slug_text, reason)

    has_day, has_time = meeting.get("day") not in (None, ""), meeting.get("time") not in (None, "")
    days: list[int] = []
    starts = ends = None
    if has_day or has_time:
        if not has_day or not has_time:
            return refuse(_("A meeting with a day needs a time, and one with a time a day."))
        found = _days(meeting["day"])
        if found is None:
            return refuse(
                _("“%(day)s” is not a day from 0 (Sunday) to 6, or a list of them.")
                % {"day": json.dumps(meeting["day"])[:40]}
            )
        days = found
        starts = _minutes(meeting["time"])
        if starts is None:
            return refuse(_("“%(time)s” is not a time like 19:30.") % {"time": meeting["time"]})
        if meeting.get("end_time") not in (None, ""):
            ends = _minutes(meeting["end_time"])
            if ends is None:
                return refuse(
                    _("“%(time)s” is not a time like 20:30.") % {"time": meeting["end_time"]}
                )
            if ends <= starts:
                ends += 1440  # it ends after midnight
    types = meeting.get("types") or []
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        return refuse(_("The types must be a list of codes."))
    latitude, longitude = meeting.get("latitude"), meeting.get("longitude")
    coordinates = None
    if latitude not in (None, "") or longitude not in (None, ""):
        try:
            lat, lon = float(latitude), float(longitude)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return refuse(_("The latitude and longitude must be numbers."))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return refuse(_("The latitude and longitude are not a place on Earth."))
        coordinates = (lat, lon)
    conference_url = str(meeting.get("conference_url") or "").strip()
    if conference_url and urlsplit(conference_url).scheme not in ("http", "https"):
        return refuse(_("The conference URL must start with https:// or http://."))
    updated = None
    if meeting.get("updated"):
        try:
            updated = datetime.fromisoformat(str(meeting["updated"]).strip())
        except ValueError:
            return refuse(
                _("“%(value)s” is not a date and time like 2024-05-06 15:38:25.")
                % {"value": str(meeting["updated"])[:40]}
            )
        if timezone.is_naive(updated):
            updated = timezone.make_aware(updated, timezone.get_default_timezone())

    def part(key: str) -> str:
        return str(meeting.get(key) or "").strip()

    region_line = " ".join(p for p in (part("state"), part("postal_code")) if p)
    address = part("formatted_address") or ", ".join(
        p for p in (part("address"), part("city"), region_line) if p
    )
    physical = bool(address or coordinates)
    attendance = (
        Meeting.Attendance.HYBRID
        if conference_url and physical
        else Meeting.Attendance.ONLINE
        if conference_url
        else Meeting.Attendance.IN_PERSON
    )
    x = y = z = None
    if coordinates:
        x, y, z = index.unit_vector(*coordinates)
    return {
        "slug": slug_text[:200],
        "name": name.strip()[:300],
        "types": types,
        "type_codes": ("|" + "|".join(types) + "|")[:1000] if types else "",
        "attendance": attendance,
        "location": str(meeting.get("location") or "").strip()[:300],
        "address": address[:400],
        "region": str(meeting.get("region") or "").strip()[:200],
        "conference_url": conference_url[:500],
        "notes": str(meeting.get("notes") or "")[:5000],
        "latitude": coordinates[0] if coordinates else None,
        "longitude": coordinates[1] if coordinates else None,
        "x": x,
        "y": y,
        "z": z,
        "updated": updated,
        "data": meeting,
        "digest": hashlib.sha256(
            json.dumps(meeting, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest(),
        "_times": [(day, starts, ends) for day in days] if starts is not None else [],
    }, None


def is_feed(name: str, data: bytes) -> bool:
    """Whether an uploaded .json file is a Meeting Guide feed (an array of meetings, each with
    a slug and no HSDS id) rather than HSDS records."""
    if not name.lower().endswith(".json"):
        return False
    try:
        loaded = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return False
    return (
        isinstance(loaded, list)
        and bool(loaded)
        and all(isinstance(m, dict) and "slug" in m and "id" not in m for m in loaded[:50])
    )


def read_feed(text: str) -> Feed:
    feed = Feed()
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as error:
        feed.problem = _("This is not JSON (line %(line)s): %(error)s.") % {
            "line": error.lineno,
            "error": error.msg,
        }
        return feed
    if not isinstance(loaded, list):
        feed.problem = _("A Meeting Guide feed is a list of meetings; this file is not a list.")
        return feed
    seen: set[str] = set()
    for number, meeting in enumerate(loaded):
        checked, refused = _check(meeting, f"/{number}")
        if refused is not None:
            feed.refused.append(refused)
        elif checked is not None and checked["slug"] in seen:
            feed.refused.append(
                Refused(f"/{number}", checked["slug"], _("Another meeting has this slug."))
            )
        elif checked is not None:
            seen.add(checked["slug"])
            feed.meetings.append(checked)
    return feed


def feed_import(
    *, organization: Organization, feed_name: str, feed: Feed, actor: Staff | None
) -> dict[str, Any]:
    """Write a feed's good meetings in one transaction: added, updated, unchanged, removed (the
    meetings of this feed it no longer has), and the refused ones."""
    feed_name = feed_name[:200]
    with transaction.atomic():
        existing = {
            m.slug: m for m in Meeting.objects.filter(organization=organization, feed=feed_name)
        }
        counts = {"added": 0, "updated": 0, "unchanged": 0, "removed": 0}
        rewrite: list[Meeting] = []
        for values in feed.meetings:
            times = values.pop("_times")
            found = existing.pop(values["slug"], None)
            if found is not None and found.digest == values["digest"]:
                counts["unchanged"] += 1
                continue
            if found is not None:
                found.delete()
                counts["updated"] += 1
            else:
                counts["added"] += 1
            meeting = Meeting(organization=organization, feed=feed_name, **values)
            meeting._times = times  # type: ignore[attr-defined]
            rewrite.append(meeting)
        Meeting.objects.bulk_create(rewrite, batch_size=1000)
        MeetingTime.objects.bulk_create(
            [
                MeetingTime(
                    meeting=meeting,
                    organization=organization,
                    weekday=day,
                    starts=starts,
                    ends=ends,
                )
                for meeting in rewrite
                for day, starts, ends in meeting._times  # type: ignore[attr-defined]
            ],
            batch_size=2000,
        )
        if existing:
            Meeting.objects.filter(pk__in=[m.pk for m in existing.values()]).delete()
            counts["removed"] = len(existing)
        summary = {**counts, "refused": len(feed.refused)}
        audit.record(
            organization=organization,
            action="directory.meetings_import",
            actor=actor,
            details={"feed": feed_name, **summary},
        )
    return summary
