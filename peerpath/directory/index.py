"""The search index: HSDS records turned into what the search page filters and ranks.

One `Entry` per service at each of its locations (or one for a service with no location), with
its categories, languages, cost, accessibility and delivery as `Facet`s, and its opening hours
as `Hours` per weekday. Rebuilt for the whole agency in the same transaction as each import or
edit, so what is found is always what is stored.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection

from peerpath.core.models import Organization

from . import writes
from .models import Entry, Facet, Hours, Record

ENTRY_COLUMNS = [
    "organization_id",
    "service_id",
    "location_id",
    "name",
    "provider",
    "summary",
    "text",
    "address",
    "phone",
    "latitude",
    "longitude",
    "x",
    "y",
    "z",
]
WEEKDAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
DAY_CODES_ALL = tuple(WEEKDAYS)

# PeerPath's categories, found in the words of a service's taxonomy terms (any taxonomy: Open
# Eligibility, 211 LA, an agency's own), in English or Spanish.
CATEGORY_WORDS = {
    "housing": ("housing", "shelter", "rent", "homeless", "vivienda", "refugio", "alojamiento"),
    "food": ("food", "meal", "pantry", "nutrition", "snap", "comida", "alimento", "despensa"),
    "benefits": ("benefit", "money", "financial", "income", "medicaid", "ssi", "beneficio"),
    "employment": ("employment", "job", "work", "career", "vocational", "empleo", "trabajo"),
    "legal": ("legal", "law", "court", "attorney", "lawyer", "abogado"),
    "health": ("health", "medical", "clinic", "dental", "treatment", "salud", "clínica"),
    "mental_health": ("mental", "counsel", "crisis", "psychiatr", "salud mental"),
    "substance_use": ("substance", "addiction", "recovery", "detox", "alcohol", "drug"),
    "mutual_aid": ("mutual aid", "support group", "peer", "12-step", "twelve step", "apoyo mutuo"),
    "transportation": ("transport", "transit", "bus", "ride", "transporte"),
    "education": ("education", "school", "class", "ged", "literacy", "educación"),
    "goods": ("clothing", "goods", "furniture", "hygiene", "ropa"),
}
LANGUAGE_CODES = {
    "en": ("en", "eng", "english", "inglés"),
    "es": ("es", "spa", "spanish", "español", "espanol"),
    "zh": ("zh", "zho", "chi", "chinese", "mandarin", "cantonese"),
    "vi": ("vi", "vie", "vietnamese"),
    "ru": ("ru", "rus", "russian"),
    "ar": ("ar", "ara", "arabic"),
    "ko": ("ko", "kor", "korean"),
    "tl": ("tl", "tgl", "tagalog"),
    "fr": ("fr", "fra", "fre", "french"),
    "ase": ("ase", "sgn", "asl", "american sign language", "sign language"),
}
ACCESS_WORDS = {
    "wheelchair": ("wheelchair", "ramp", "elevator", "step-free", "accessible entrance"),
    "hearing": ("asl", "sign language", "hearing loop", "tty", "deaf"),
    "vision": ("braille", "large print", "audio description", "blind"),
}


def _words(*texts: Any) -> str:
    return " ".join(str(t) for t in texts if t).lower()


def categories_of(text: str) -> set[str]:
    return {name for name, words in CATEGORY_WORDS.items() if any(w in text for w in words)}


def language_code(value: str) -> str:
    lowered = value.strip().lower()
    for code, names in LANGUAGE_CODES.items():
        if lowered in names:
            return code
    return lowered[:16]


def minutes(text: Any) -> int | None:
    """'09:00', '9:00:00', '17:30Z' -> minutes from midnight."""
    match = re.match(r"^\s*(\d{1,2}):(\d{2})", str(text or ""))
    if not match:
        return None
    hours, mins = int(match.group(1)), int(match.group(2))
    if hours > 24 or mins > 59:
        return None
    return min(hours * 60 + mins, 1440)


def hours_of(schedule: dict[str, Any]) -> list[tuple[int, int, int]]:
    """(weekday, opens, closes) rows of one HSDS schedule; past midnight goes on to the next
    day. Schedules without days or times say nothing of opening hours."""
    opens, closes = minutes(schedule.get("opens_at")), minutes(schedule.get("closes_at"))
    if opens is None or closes is None:
        return []
    byday = str(schedule.get("byday") or "")
    days = [
        WEEKDAYS[d[-2:]]
        for d in re.findall(r"[+-]?\d*[A-Z]{2}", byday.upper())
        if d[-2:] in WEEKDAYS
    ]
    if not days and str(schedule.get("freq", "")).upper() == "DAILY":
        days = list(range(7))
    rows = []
    for day in sorted(set(days)):
        if closes > opens:
            rows.append((day, opens, closes))
        elif closes < opens:  # ends after midnight
            rows.append((day, opens, 1440))
            if closes:
                rows.append(((day + 1) % 7, 0, closes))
        else:
            rows.append((day, 0, 1440))  # the same time: open all day
    return rows


# The links the index follows from a record to those that belong to it, and the tables it
# looks records up in by id: only these are kept while it is built.
_LINKS: dict[str, tuple[str, ...]] = {
    "attribute": ("link_id",),
    "language": ("service_id", "location_id"),
    "schedule": ("service_id", "service_at_location_id", "location_id"),
    "service_at_location": ("service_id",),
    "accessibility": ("location_id",),
    "cost_option": ("service_id",),
    "address": ("location_id",),
    "phone": ("service_id", "location_id", "organization_id"),
}
_LOOKED_UP = ("organization", "service", "taxonomy_term", "location")
_WANTED = tuple(sorted({*_LINKS, *_LOOKED_UP}))


class _Records:
    """The agency's current records by table, by id, and by the record they belong to."""

    def __init__(
        self, organization: Organization, whole: dict[str, dict[str, Any]] | None = None
    ) -> None:
        self.by_id: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        self.pk: dict[tuple[str, str], int] = {}
        self.under: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        current = Record.objects.filter(organization=organization, removed_at__isnull=True)
        if whole is None:
            rows = (
                current.filter(table__in=_WANTED)
                .values_list("table", "hsds_id", "data")
                .iterator(chunk_size=5000)
            )
            for table, hsds_id, data in rows:
                self._keep(table, hsds_id, data)
        else:
            # A whole directory was just imported: its records are at hand; only what the
            # agency added itself is read back.
            for table in _WANTED:
                for hsds_id, row in whole.get(table, {}).items():
                    self._keep(table, hsds_id, row.data)
            mine = current.filter(source=Record.Source.AGENCY, table__in=_WANTED)
            for table, hsds_id, data in mine.values_list("table", "hsds_id", "data"):
                self._keep(table, hsds_id, data)
        # Entries point at services and locations: their row ids (no data read).
        ids = current.filter(table__in=("service", "location")).values_list(
            "table", "hsds_id", "pk"
        )
        for table, hsds_id, pk in ids.iterator(chunk_size=5000):
            self.pk[(table, hsds_id)] = pk

    def _keep(self, table: str, hsds_id: str, data: dict[str, Any]) -> None:
        if table in _LOOKED_UP:
            self.by_id[table][hsds_id] = data
        under = self.under
        for column in _LINKS.get(table, ()):
            value = data.get(column)
            if value:
                under[(table, column, str(value))].append(data)

    def children(self, table: str, column: str, value: str) -> list[dict[str, Any]]:
        return self.under.get((table, column, value), [])


# An entry as the values of ENTRY_COLUMNS after the agency's id (no model instance: an import
# builds tens of thousands).
Row = tuple[Any, ...]
TEXT = ENTRY_COLUMNS.index("text") - 1
Built = tuple[list[Row], list[list[tuple[str, str]]], list[list[tuple[int, int, int]]]]


def _build(records: _Records, organization: Organization, only: str | None = None) -> Built:
    entries: list[Row] = []
    facets: list[list[tuple[str, str]]] = []
    hours: list[list[tuple[int, int, int]]] = []
    for service_id, service in records.by_id["service"].items():
        if only is not None and service_id != only:
            continue
        if str(service.get("status", "active")) in ("inactive", "defunct"):
            continue
        for entry, entry_facets, entry_hours in _entries_of(records, service_id, service):
            entries.append(entry)
            facets.append(entry_facets)
            hours.append(entry_hours)
    return entries, facets, hours


def rebuild(organization: Organization, whole: dict[str, dict[str, Any]] | None = None) -> int:
    """Replace the agency's search index with one built from its current records (`whole`: the
    rows of a whole directory just imported, by table and id, to save reading them back)."""
    records = _Records(organization, whole)
    _clear(organization)
    built = _build(records, organization)
    _store(organization, built, Entry.objects.filter(organization=organization))
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner guesses at a table it just saw refilled.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE directory_entry, directory_facet, directory_hours")
    return len(built[0])


def rebuild_service(organization: Organization, service: Record) -> int:
    """Replace one resource the agency keeps itself in the index (after an edit): its records
    are among the agency's own, read without the rest of the directory."""
    records = _Records(organization, {})
    old = list(Entry.objects.filter(service=service).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        if old and connection.vendor == "sqlite":
            marks = ", ".join(["%s"] * len(old))
            cursor.execute(f"DELETE FROM directory_entry_fts WHERE rowid IN ({marks})", old)  # noqa: S608
    Entry.objects.filter(pk__in=old).delete()
    built = (
        _build(records, organization, only=service.hsds_id)
        if service.removed_at is None
        else ([], [], [])
    )
    _store(organization, built, Entry.objects.filter(service=service))
    return len(built[0])


def _store(organization: Organization, built: Built, mine: Any) -> None:
    """Write built entries, then their filters and hours (`mine`: the entries just written,
    which the database numbered in the order they went in)."""
    entries, facets, hours = built
    org_id = organization.pk
    writes.insert(
        Entry,
        ENTRY_COLUMNS,
        ((org_id, *entry) for entry in entries),
    )
    ids = list(mine.order_by("pk").values_list("pk", flat=True))
    writes.insert(
        Facet,
        ["organization_id", "entry_id", "kind", "value"],
        (
            (org_id, entry_id, kind, value)
            for entry_id, pairs in zip(ids, facets, strict=True)
            for kind, value in pairs
        ),
    )
    writes.insert(
        Hours,
        ["organization_id", "entry_id", "weekday", "opens", "closes"],
        (
            (org_id, entry_id, day, opens, closes)
            for entry_id, rows in zip(ids, hours, strict=True)
            for day, opens, closes in rows
        ),
    )
    if connection.vendor == "sqlite":
        _fill_sqlite_fts(ids, entries)


def _clear(organization: Organization) -> None:
    """Delete the agency's index in four statements (the ORM would load every row first)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "DELETE FROM directory_entry_fts WHERE rowid IN "
                "(SELECT id FROM directory_entry WHERE organization_id = %s)",
                [organization.pk],
            )
        for table in ("directory_hours", "directory_facet", "directory_entry"):
            cursor.execute(
                f"DELETE FROM {table} WHERE organization_id = %s",  # noqa: S608 (names are ours)
                [organization.pk],
            )


def _fill_sqlite_fts(ids: list[int], entries: list[Row]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO directory_entry_fts (rowid, text) VALUES (%s, %s)",
            [(pk, entry[TEXT]) for pk, entry in zip(ids, entries, strict=True)],
        )


def _entries_of(
    records: _Records, service_id: str, service: dict[str, Any]
) -> Iterable[tuple[Row, list[tuple[str, str]], list[tuple[int, int, int]]]]:
    provider = records.by_id["organization"].get(str(service.get("organization_id", "")), {})
    terms = []
    for attribute in records.children("attribute", "link_id", service_id):
        term = records.by_id["taxonomy_term"].get(str(attribute.get("taxonomy_term_id", "")))
        if term:
            terms.append(_words(term.get("name"), term.get("code"), term.get("description")))
    service_text = _words(service.get("name"), service.get("alternate_name"))
    categories = categories_of(" ".join(terms) + " " + service_text)
    languages = {
        language_code(str(lang.get("code") or lang.get("name") or ""))
        for lang in records.children("language", "service_id", service_id)
    }
    costs = _costs(records, service_id, service)
    service_hours = [
        row
        for schedule in records.children("schedule", "service_id", service_id)
        if not schedule.get("service_at_location_id")
        for row in hours_of(schedule)
    ]
    base_facets = [("category", c) for c in sorted(categories)]
    base_facets += [("cost", c) for c in sorted(costs)]
    text = " ".join(
        str(part)
        for part in (
            service.get("name"),
            service.get("alternate_name"),
            provider.get("name"),
            service.get("description"),
            service.get("eligibility_description"),
            " ".join(terms),
        )
        if part
    )
    places = records.children("service_at_location", "service_id", service_id)
    if not places:
        mode = "online" if service.get("url") else "phone"
        facets = base_facets + [("mode", mode)] + [("language", code) for code in sorted(languages)]
        yield _entry(records, service, provider, text, None, ""), facets, service_hours
        return
    for place in places:
        location_id = str(place.get("location_id", ""))
        location = records.by_id["location"].get(location_id, {})
        virtual = str(location.get("location_type", "")) == "virtual"
        place_languages = languages | {
            language_code(str(lang.get("code") or lang.get("name") or ""))
            for lang in records.children("language", "location_id", location_id)
        }
        access = set()
        for item in records.children("accessibility", "location_id", location_id):
            words = _words(item.get("description"), item.get("details"))
            access |= {name for name, keys in ACCESS_WORDS.items() if any(k in words for k in keys)}
        place_hours = (
            [
                row
                for schedule in records.children(
                    "schedule", "service_at_location_id", str(place.get("id"))
                )
                for row in hours_of(schedule)
            ]
            or [
                row
                for schedule in records.children("schedule", "location_id", location_id)
                for row in hours_of(schedule)
            ]
            or service_hours
        )
        facets = [*base_facets, ("mode", "online" if virtual else "in_person")]
        facets += [("language", code) for code in sorted(place_languages)]
        facets += [("access", name) for name in sorted(access)]
        address = _address(records, location_id)
        entry = _entry(records, service, provider, text, location, address)
        yield entry, facets, place_hours


def _costs(records: _Records, service_id: str, service: dict[str, Any]) -> set[str]:
    costs = set()
    for option in records.children("cost_option", "service_id", service_id):
        words = _words(option.get("option"), option.get("amount_description"))
        if option.get("amount") == 0 or "free" in words or "gratis" in words:
            costs.add("free")
        if "sliding" in words or "income" in words:
            costs.add("sliding_scale")
    fees = _words(service.get("fees_description"), service.get("fees"))
    if "sliding" in fees:
        costs.add("sliding_scale")
    if re.search(r"\bfree\b|\bno (cost|charge|fee)", fees):
        costs.add("free")
    return costs


def _address(records: _Records, location_id: str) -> str:
    found = records.children("address", "location_id", location_id)
    physical = [a for a in found if a.get("address_type") != "postal"] or found
    if not physical:
        return ""
    a = physical[0]
    region = " ".join(str(p) for p in (a.get("state_province"), a.get("postal_code")) if p)
    city_line = ", ".join(str(p) for p in (a.get("city"), region) if p)
    return ", ".join(str(p) for p in (a.get("address_1"), a.get("address_2"), city_line) if p)


def _entry(
    records: _Records,
    service: dict[str, Any],
    provider: dict[str, Any],
    text: str,
    location: dict[str, Any] | None,
    address: str,
) -> Row:
    location_pk = records.pk.get(("location", str(location.get("id")))) if location else None
    latitude = longitude = None
    if location:
        latitude, longitude = (
            _coordinate(location.get("latitude")),
            _coordinate(location.get("longitude")),
        )
        if latitude is None or longitude is None or not (-90 <= latitude <= 90):
            latitude = longitude = None
    x = y = z = None
    if latitude is not None and longitude is not None:
        x, y, z = unit_vector(latitude, longitude)
    return (
        records.pk[("service", str(service["id"]))],
        location_pk,
        str(service.get("name", ""))[:300],
        str(provider.get("name", ""))[:300],
        str(service.get("description", ""))[:2000],
        text,
        address[:400],
        _phone(records, service, location)[:64],
        latitude,
        longitude,
        x,
        y,
        z,
    )


def _phone(records: _Records, service: dict[str, Any], location: dict[str, Any] | None) -> str:
    """The number to call: the service's own, else its place's, else its provider's."""
    for column, owner in (
        ("service_id", service),
        ("location_id", location or {}),
        ("organization_id", {"id": service.get("organization_id")}),
    ):
        if owner.get("id"):
            for phone in records.children("phone", column, str(owner["id"])):
                if phone.get("number"):
                    extension = f" x{phone['extension']}" if phone.get("extension") else ""
                    return f"{phone['number']}{extension}"
    return ""


def unit_vector(latitude: float, longitude: float) -> tuple[float, float, float]:
    lat, lon = math.radians(latitude), math.radians(longitude)
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))


def _coordinate(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
