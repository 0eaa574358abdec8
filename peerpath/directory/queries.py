"""Reads of the directory for pages and the API."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils import timezone

from peerpath.core.models import ImportJob, Organization
from peerpath.core.pagination import Page as KeysetPage
from peerpath.core.pagination import keyset_page

from . import search
from .actions import JOB_KIND
from .forms import WEEKDAYS
from .models import Entry, Hours

PAGE_SIZE = 20


def criteria_from(data: dict[str, Any], now: datetime | None = None) -> tuple[search.Criteria, str]:
    """Search criteria from a valid search form's data; and a problem with the place, if any."""
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
    if data.get("near"):
        criteria.origin = search.point_for_postal_code(data["near"])
        if criteria.origin is None:
            problem = "near"
        elif data.get("within"):
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
        service_hsds_id=F("service__hsds_id"), location_hsds_id=F("location__hsds_id")
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
    names = dict(WEEKDAYS)
    runs: list[list[Hours]] = []
    for row in sorted(rows, key=lambda r: (r.weekday, r.opens)):
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and row.weekday == last.weekday + 1
            and (row.opens, row.closes) == (last.opens, last.closes)
        ):
            runs[-1].append(row)
        else:
            runs.append([row])
    return [
        Opening(
            first_day=str(names[str(run[0].weekday)]),
            last_day=str(names[str(run[-1].weekday)]) if len(run) > 1 else "",
            opens_at=clock(run[0].opens),
            closes_at=clock(run[0].closes),
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
