"""Finding services: words (PostgreSQL full-text search, SQLite FTS5), filters, open at a day
and time, and distance from a point (great-circle, from stored coordinates)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import zipcodes
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL

from peerpath.core.models import Organization

from . import index
from .models import Entry, Facet, Hours

EARTH_MILES = 3958.8
PAGE_SIZE = 20


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass
class Criteria:
    words: str = ""
    facets: dict[str, str] = field(default_factory=dict)  # kind -> value
    open_day: int | None = None  # 0 Monday
    open_minute: int | None = None
    origin: Point | None = None
    within_miles: float | None = None


def point_for_postal_code(text: str) -> Point | None:
    """The centre of a U.S. ZIP code named in `text` (an address on file, or a ZIP typed in),
    from the ZIP list PeerPath ships (no outside geocoder)."""
    match = re.search(r"\b(\d{5})(?:-\d{4})?\b", text or "")
    if not match:
        return None
    try:
        found = zipcodes.matching(match.group(1))
    except (TypeError, ValueError):
        return None
    if not found:
        return None
    return Point(float(found[0]["lat"]), float(found[0]["long"]))


def _tokens(words: str) -> list[str]:
    return re.findall(r"\w+", words.lower())[:12]


def _match_words(queryset: QuerySet[Entry], words: str) -> QuerySet[Entry]:
    tokens = _tokens(words)
    if not tokens:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        # Fixed SQL; the words are a parameter. `words` is the stored, indexed tsvector of the
        # entry's text (a PostgreSQL-only column, see migration 0002).
        query = " & ".join(f"{token}:*" for token in tokens)
        matches = "directory_entry.words @@ to_tsquery('english'::regconfig, %s)"
        ranks = "ts_rank(directory_entry.words, to_tsquery('english'::regconfig, %s))"
        return (
            queryset.alias(
                words_match=RawSQL(matches, [query], output_field=BooleanField())  # noqa: S611
            )
            .filter(words_match=True)
            .annotate(rank=RawSQL(ranks, [query], output_field=FloatField()))  # noqa: S611
        )
    # SQLite: the matches, once (the rank is ordered in Python, see `RankedEntries`).
    return queryset.filter(
        pk__in=RawSQL(
            "SELECT rowid FROM directory_entry_fts WHERE directory_entry_fts MATCH %s",
            [_fts_query(tokens)],
        )
    )


def _fts_query(tokens: list[str]) -> str:
    return " ".join(f'"{token}"*' for token in tokens)


def _sqlite_ranks(organization: Organization, tokens: list[str]) -> dict[int, float]:
    """Each matching entry's rank (larger is better), the FTS5 table driving the join."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT directory_entry_fts.rowid, -bm25(directory_entry_fts) "
            "FROM directory_entry_fts CROSS JOIN directory_entry "
            "ON directory_entry.id = directory_entry_fts.rowid "
            "WHERE directory_entry_fts MATCH %s AND directory_entry.organization_id = %s",
            [_fts_query(tokens), organization.pk],
        )
        return dict(cursor.fetchall())


class RankedEntries:
    """Words searched on SQLite: SQLite cannot order an FTS5 join by rank without looking the
    words up once per entry, so the matching ids (after every other filter) are ranked here,
    and each page fetches its own entries. Works with Django's Paginator."""

    def __init__(self, queryset: QuerySet[Entry], ranks: dict[int, float], near: bool) -> None:
        self.base = queryset.order_by()
        fields = ["pk", "name", "nearness"] if near else ["pk", "name"]
        rows = list(self.base.values_list(*fields))
        rows.sort(key=lambda row: (-ranks.get(row[0], 0.0), -(row[2] if near else 0), row[1]))
        self.ids = [row[0] for row in rows]
        self.ranks = ranks

    def annotate(self, **annotations: Any) -> RankedEntries:
        copy = object.__new__(RankedEntries)
        copy.base, copy.ids, copy.ranks = self.base.annotate(**annotations), self.ids, self.ranks
        return copy

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: slice) -> list[Entry]:
        ids = self.ids[index]
        found = {entry.pk: entry for entry in self.base.filter(pk__in=ids)}
        for pk, entry in found.items():
            entry.rank = self.ranks.get(pk, 0.0)  # type: ignore[attr-defined]
        return [found[pk] for pk in ids]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self[:])


def closeness(origin: Point) -> Any:
    """The cosine of the angle between each entry's place and the origin (1 = the same place):
    larger is nearer, in plain arithmetic the database does quickly."""
    x0, y0, z0 = index.unit_vector(origin.latitude, origin.longitude)
    return F("x") * Value(x0) + F("y") * Value(y0) + F("z") * Value(z0)


def miles_between(cosine: float) -> float:
    return EARTH_MILES * math.acos(max(-1.0, min(1.0, cosine)))


def find(organization: Organization, criteria: Criteria) -> QuerySet[Entry] | RankedEntries:
    """The agency's entries that match, best first: by rank when words are given, else by
    distance when a place is, else by name."""
    queryset = Entry.objects.filter(organization=organization)
    queryset = _match_words(queryset, criteria.words)
    for kind, value in criteria.facets.items():
        if value:
            queryset = queryset.filter(
                Exists(
                    Facet.objects.filter(
                        organization=organization, entry=OuterRef("pk"), kind=kind, value=value
                    )
                )
            )
    if criteria.open_day is not None and criteria.open_minute is not None:
        queryset = queryset.filter(
            Exists(
                Hours.objects.filter(
                    entry=OuterRef("pk"),
                    weekday=criteria.open_day,
                    opens__lte=criteria.open_minute,
                    closes__gt=criteria.open_minute,
                )
            )
        )
    order: list[Any] = []
    if criteria.origin is not None:
        queryset = queryset.filter(x__isnull=False).annotate(
            nearness=ExpressionWrapper(closeness(criteria.origin), output_field=FloatField())
        )
        if criteria.within_miles:
            # A box around the point first (indexed), then the exact great-circle distance.
            degrees = criteria.within_miles / 69.0
            spread = degrees / max(math.cos(math.radians(criteria.origin.latitude)), 0.01)
            queryset = queryset.filter(
                latitude__range=(
                    criteria.origin.latitude - degrees,
                    criteria.origin.latitude + degrees,
                ),
                longitude__range=(
                    criteria.origin.longitude - spread,
                    criteria.origin.longitude + spread,
                ),
                nearness__gte=math.cos(criteria.within_miles / EARTH_MILES),
            )
    tokens = _tokens(criteria.words)
    if tokens and connection.vendor != "postgresql":
        return RankedEntries(
            queryset, _sqlite_ranks(organization, tokens), near=criteria.origin is not None
        )
    if tokens:
        order.append(F("rank").desc())
    if criteria.origin is not None:
        order.append(F("nearness").desc())
    return queryset.order_by(*order, "name", "pk")
