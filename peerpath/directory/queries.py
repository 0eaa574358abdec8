"""Reads of the directory for pages and the API."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, ExpressionWrapper, F, FloatField, OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from peerpath.core.forms import WEEKDAYS
from peerpath.core.models import ImportJob, Organization
from peerpath.core.pagination import Page as KeysetPage
from peerpath.core.pagination import keyset_page

from . import search
from .actions import JOB_KIND
from .models import Entry, Hours, Meeting, MeetingTime, Record

PAGE_SIZE = 20


def criteria_from(
    data: dict[str, Any],
    now: datetime | None = None,
    origin: search.Point | None = None,
) -> tuple[search.Criteria, str]:
    """Search criteria from a valid search form's data; and a problem with the place, if any.
    `origin`, when given, is the place to measure from (a person's address on file) instead of
    the ZIP code typed in."""
    criteria = search.Criteria(
        words=data.get("q") or "",
        facets={
            kind: data.get(kind) or ""
            for kind in ("category", "language", "cost", "access", "mode")
            if data.get(kind)
        },
    )
    if data.get("when") == "now":
        local = timezone.localtime(now)
        criteria.open_day, criteria.open_minute = local.weekday(), local.hour * 60 + local.minute
    elif data.get("when") == "at" and data.get("day") and data.get("time") is not None:
        criteria.open_day = int(data["day"])
        criteria.open_minute = data["time"].hour * 60 + data["time"].minute
    problem = ""
    if origin is not None:
        criteria.origin = origin
    elif data.get("near"):
        criteria.origin = search.point_for_postal_code(data["near"])
        if criteria.origin is None:
            problem = "near"
    if criteria.origin is not None and data.get("within"):
        criteria.within_miles = float(data["within"])
    return criteria, problem


def results(
    organization: Organization,
    criteria: search.Criteria,
    page_number: Any,
    *,
    raw_hours: bool = False,
) -> Page[Any]:
    """One page of entries, with each entry's opening hours by weekday attached (as runs of
    days for a page, or `hours_rows` as stored for the API)."""
    queryset = search.find(organization, criteria).annotate(
        service_hsds_id=F("service__hsds_id"),
        location_hsds_id=F("location__hsds_id"),
        service_source=F("service__source"),
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(page_number)  # type: ignore[arg-type]
    entries: list[Entry] = list(page.object_list)
    by_entry: dict[int, list[Hours]] = defaultdict(list)
    hours = Hours.objects.filter(
        organization=organization, entry__in=[entry.pk for entry in entries]
    ).order_by("weekday", "opens")
    for row in hours:
        by_entry[row.entry_id].append(row)
    for entry in entries:
        nearness = getattr(entry, "nearness", None)
        entry.miles = None if nearness is None else search.miles_between(nearness)  # type: ignore[attr-defined]
        entry.hours_rows = by_entry.get(entry.pk, [])  # type: ignore[attr-defined]
        if not raw_hours:
            entry.week = week(entry.hours_rows)  # type: ignore[attr-defined]
    page.object_list = entries  # type: ignore[assignment]
    return page


@dataclass(frozen=True)
class Opening:
    """Days in a row open the same hours: "Monday to Friday, 9 a.m. to 5 p.m."."""

    first_day: str
    last_day: str  # "" when it is one day
    opens_at: time
    closes_at: time


def week(rows: list[Hours]) -> list[Opening]:
    """Opening hours as a person reads them: days in a row with the same hours together, and
    hours past midnight shown on the day they start ("7 p.m. to 7 a.m.")."""
    names = dict(WEEKDAYS)
    spans = {(row.weekday, row.opens, row.closes) for row in rows}
    # A span to midnight followed by one from midnight the next day is one night.
    nights_from = {day for day, opens, closes in spans if closes == 1440 and opens > 0}
    shown: list[tuple[int, int, int]] = []
    for day, opens, closes in sorted(spans):
        if opens == 0 and closes < 1440 and (day - 1) % 7 in nights_from:
            continue  # shown with the night before
        if closes == 1440 and opens > 0:
            after = next(
                (c for d, o, c in spans if d == (day + 1) % 7 and o == 0 and c < 1440), None
            )
            if after is not None:
                closes = after
        shown.append((day, opens, closes))
    runs: list[list[tuple[int, int, int]]] = []
    for span in shown:
        last = runs[-1][-1] if runs else None
        if last is not None and span[0] == last[0] + 1 and span[1:] == last[1:]:
            runs[-1].append(span)
        else:
            runs.append([span])
    return [
        Opening(
            first_day=str(names[str(run[0][0])]),
            last_day=str(names[str(run[-1][0])]) if len(run) > 1 else "",
            opens_at=clock(run[0][1]),
            closes_at=clock(run[0][2]),
        )
        for run in runs
    ]


def clock(minutes: int) -> time:
    return time(0, 0) if minutes >= 1440 else time(minutes // 60, minutes % 60)


def has_directory(organization: Organization) -> bool:
    return Entry.objects.filter(organization=organization).exists()


def import_jobs(organization: Organization, *, after: str | None) -> KeysetPage[ImportJob]:
    """The agency's directory imports, newest first, a page at a time."""
    return keyset_page(
        ImportJob.objects.filter(organization=organization, kind=JOB_KIND)
        .defer("content")
        .select_related("created_by"),
        order=["-created_at", "-id"],
        after=after,
        per_page=20,
    )


def import_job(organization: Organization, job_id: int) -> ImportJob:
    return get_object_or_404(
        ImportJob.objects.defer("content"), organization=organization, kind=JOB_KIND, pk=job_id
    )


# -- Mutual-aid meetings ----------------------------------------------------------------------


def meeting_types(organization: Organization) -> list[tuple[str, str]]:
    """The type codes the agency's meetings use, by name in the reader's language."""
    from .meetings import type_name

    codes: set[str] = set()
    for types in Meeting.objects.filter(organization=organization).values_list("types", flat=True):
        codes.update(types)
    return sorted(((code, type_name(code)) for code in codes), key=lambda pair: pair[1].lower())


def find_meetings(
    organization: Organization, data: dict[str, Any]
) -> tuple[QuerySet[Meeting] | None, str]:
    """The agency's meetings matching a valid finder form, soonest in the week first (nearest
    first when a place is given); and a problem with the place, if any."""
    meetings = Meeting.objects.filter(organization=organization)
    times = MeetingTime.objects.filter(meeting=OuterRef("pk"))
    if data.get("day"):
        times = times.filter(weekday=int(data["day"]))
    if data.get("start_from") is not None:
        times = times.filter(starts__gte=_minutes_of(data["start_from"]))
    if data.get("start_to") is not None:
        times = times.filter(starts__lte=_minutes_of(data["start_to"]))
    if data.get("day") or data.get("start_from") is not None or data.get("start_to") is not None:
        meetings = meetings.filter(Exists(times))
    if data.get("type"):
        meetings = meetings.filter(type_codes__contains=f"|{data['type']}|")
    if data.get("attendance") == "in_person":
        meetings = meetings.exclude(attendance=Meeting.Attendance.ONLINE)
    elif data.get("attendance") == "online":
        meetings = meetings.exclude(attendance=Meeting.Attendance.IN_PERSON)
    first = (
        times.order_by("weekday", "starts")
        .annotate(moment=F("weekday") * 1440 + F("starts"))
        .values("moment")[:1]
    )
    meetings = meetings.annotate(first=Subquery(first))
    order: list[Any] = [F("first").asc(nulls_last=True), "name", "pk"]
    if data.get("near"):
        origin = search.point_for_postal_code(data["near"])
        if origin is None:
            return None, "near"
        meetings = meetings.filter(x__isnull=False).annotate(
            nearness=ExpressionWrapper(search.closeness(origin), output_field=FloatField())
        )
        if data.get("within"):
            miles = float(data["within"])
            meetings = meetings.filter(nearness__gte=math.cos(miles / search.EARTH_MILES))
        order = [F("nearness").desc(), *order]
    return meetings.order_by(*order), ""


def meeting_page(queryset: QuerySet[Meeting], page_number: Any) -> Page[Any]:
    """A page of meetings, each with its weekly times and its types by name."""
    from .meetings import type_name

    page = Paginator(queryset, PAGE_SIZE).get_page(page_number)
    meetings: list[Meeting] = list(page.object_list)
    by_meeting: dict[int, list[MeetingTime]] = defaultdict(list)
    names = dict(WEEKDAYS)
    for row in MeetingTime.objects.filter(meeting__in=[m.pk for m in meetings]).order_by(
        "weekday", "starts"
    ):
        row.day_name = names[str(row.weekday)]  # type: ignore[attr-defined]
        row.starts_at = clock(row.starts)  # type: ignore[attr-defined]
        row.ends_at = clock(row.ends % 1440) if row.ends is not None else None  # type: ignore[attr-defined]
        by_meeting[row.meeting_id].append(row)
    for meeting in meetings:
        meeting.week = by_meeting.get(meeting.pk, [])  # type: ignore[attr-defined]
        meeting.type_names = [type_name(code) for code in meeting.types]  # type: ignore[attr-defined]
        nearness = getattr(meeting, "nearness", None)
        meeting.miles = None if nearness is None else search.miles_between(nearness)  # type: ignore[attr-defined]
    page.object_list = meetings  # type: ignore[assignment]
    return page


def _minutes_of(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def agency_resource(organization: Organization, service_id: str) -> Record:
    return Record.objects.get(
        organization=organization, table="service", hsds_id=service_id, source=Record.Source.AGENCY
    )


def agency_resource_exists(organization: Organization, service_id: str) -> bool:
    return Record.objects.filter(
        organization=organization,
        table="service",
        hsds_id=service_id,
        source=Record.Source.AGENCY,
        removed_at__isnull=True,
    ).exists()


def card_entry(organization: Organization, entry_id: int) -> Entry:
    """One of the agency's search entries, with what its card shows; 404 for anything else."""
    return get_object_or_404(
        Entry.objects.select_related("service", "location", "organization"),
        pk=entry_id,
        organization=organization,
    )
