"""Finding services: words (PostgreSQL full-text search, SQLite FTS5), filters, open at a day
and time, and distance from a point (great-circle, from stored coordinates)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import zipcodes
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    F,
    FloatField,
    OuterRef,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import ACos, Cos, Greatest, Least, Radians, Sin

from peerpath.core.models import Organization

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
        # Fixed SQL; the words are a parameter. The expression is the one the index holds.
        query = " & ".join(f"{token}:*" for token in tokens)
        vector = "to_tsvector('english'::regconfig, directory_entry.text)"
        matches = f"{vector} @@ to_tsquery('english'::regconfig, %s)"
        ranks = f"ts_rank({vector}, to_tsquery('english'::regconfig, %s))"
        return (
            queryset.alias(
                words_match=RawSQL(matches, [query], output_field=BooleanField())  # noqa: S611
            )
            .filter(words_match=True)
            .annotate(rank=RawSQL(ranks, [query], output_field=FloatField()))  # noqa: S611
        )
    query = " ".join(f'"{token}"*' for token in tokens)
    return queryset.filter(
        pk__in=RawSQL(
            "SELECT rowid FROM directory_entry_fts WHERE directory_entry_fts MATCH %s", [query]
        )
    ).annotate(
        rank=RawSQL(
            "(SELECT -bm25(directory_entry_fts) FROM directory_entry_fts "
            "WHERE directory_entry_fts MATCH %s AND rowid = directory_entry.id)",
            [query],
            output_field=FloatField(),
        )
    )


def _distance(origin: Point) -> Any:
    """Great-circle distance in miles (spherical law of cosines, clamped for rounding)."""
    lat, lon = math.radians(origin.latitude), math.radians(origin.longitude)
    cosine = Value(math.sin(lat)) * Sin(Radians(F("latitude"))) + Value(math.cos(lat)) * Cos(
        Radians(F("latitude"))
    ) * Cos(Radians(F("longitude")) - Value(lon))
    return Value(EARTH_MILES) * ACos(Least(Greatest(cosine, Value(-1.0)), Value(1.0)))


def find(organization: Organization, criteria: Criteria) -> QuerySet[Entry]:
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
                    organization=organization,
                    entry=OuterRef("pk"),
                    weekday=criteria.open_day,
                    opens__lte=criteria.open_minute,
                    closes__gt=criteria.open_minute,
                )
            )
        )
    order: list[Any] = []
    if criteria.origin is not None:
        queryset = queryset.filter(latitude__isnull=False).annotate(
            miles=_distance(criteria.origin)
        )
        if criteria.within_miles:
            # A box around the point first (indexed), then the exact distance.
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
                miles__lte=criteria.within_miles,
            )
    if _tokens(criteria.words):
        order.append(F("rank").desc())
    if criteria.origin is not None:
        order.append(F("miles").asc())
    return queryset.order_by(*order, "name", "pk")
