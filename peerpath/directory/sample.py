"""A made-up county directory in HSDS 3.0, for the demo and the benchmarks.

Providers, services across every category (housing and mutual aid among them), locations with
addresses and coordinates around real ZIP codes, opening hours (weekday, Saturday, evening and
overnight), languages, costs, accessibility and taxonomy terms. Deterministic for a seed.
"""

from __future__ import annotations

import json
import random
import uuid
from typing import Any

import zipcodes

from . import hsds

# ZIP codes the county covers (their centres place the locations).
ZIP_CODES = ("97401", "97402", "97403", "97404", "97405", "97477", "97478", "97408", "97424")

TERMS = {
    "housing": ("Housing", "Emergency shelter", "Rent assistance"),
    "food": ("Food", "Food pantry", "Free meals"),
    "benefits": ("Benefits", "Benefits enrollment help"),
    "employment": ("Work", "Job training"),
    "legal": ("Legal", "Legal aid"),
    "health": ("Health", "Primary care clinic"),
    "mental_health": ("Mental health", "Crisis counseling"),
    "substance_use": ("Substance use", "Recovery support"),
    "mutual_aid": ("Mutual aid", "Peer support group"),
    "transportation": ("Transportation", "Bus passes"),
}
SERVICES = {
    "housing": ("Emergency Shelter", "Rapid Rehousing", "Rent Help Fund", "Housing Navigation"),
    "food": ("Food Pantry", "Community Meals", "Mobile Food Market", "SNAP Sign-up Help"),
    "benefits": ("Benefits Clinic", "Disability Benefits Help", "Medicaid Enrollment"),
    "employment": ("Job Club", "Supported Employment", "Resume Workshop"),
    "legal": ("Tenant Legal Clinic", "Record Expungement Clinic", "Legal Aid Intake"),
    "health": ("Walk-in Clinic", "Dental Clinic", "Health Screening"),
    "mental_health": ("Crisis Counseling", "Counseling Center", "Warm Line"),
    "substance_use": ("Recovery Support Center", "Detox Referral Line", "Recovery Coaching"),
    "mutual_aid": ("Peer Support Group", "Recovery Circle", "Family Support Group"),
    "transportation": ("Bus Pass Program", "Medical Rides"),
}
WEIGHTS = {
    "housing": 14,
    "food": 14,
    "benefits": 8,
    "employment": 8,
    "legal": 6,
    "health": 10,
    "mental_health": 10,
    "substance_use": 10,
    "mutual_aid": 14,
    "transportation": 6,
}
PROVIDER_WORDS = (
    ("River", "Cedar", "Harbor", "Summit", "Valley", "Willow", "Bridge", "Lantern", "Oak"),
    ("Community", "Neighbors", "Family", "County", "Hope", "Unity", "Open Door"),
    ("Services", "Network", "Alliance", "Center", "Project", "Collective"),
)
STREETS = ("Main St", "River Rd", "Oak Ave", "5th Ave", "Pearl St", "Willamette St", "Coburg Rd")


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def county(services: int = 300, seed: int = 7) -> dict[str, list[dict[str, Any]]]:
    """HSDS tables (name -> rows) of a county directory with this many services."""
    rng = random.Random(seed)  # noqa: S311 (made-up data, not secrets)
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in hsds.TABLE_ORDER}
    taxonomy_id = _uuid(rng)
    tables["taxonomy"].append(
        {
            "id": taxonomy_id,
            "name": "Riverbend County resource categories",
            "description": "The categories the county's resource guide uses.",
            "version": "2026",
        }
    )
    term_ids: dict[str, list[str]] = {}
    for category, names in TERMS.items():
        for number, name in enumerate(names):
            term_id = _uuid(rng)
            term_ids.setdefault(category, []).append(term_id)
            tables["taxonomy_term"].append(
                {
                    "id": term_id,
                    "code": f"{category}-{number}",
                    "name": name,
                    "description": f"{name} services.",
                    "taxonomy_id": taxonomy_id,
                }
            )
    centres = {}
    for code in ZIP_CODES:
        found = zipcodes.matching(code)[0]
        centres[code] = (float(found["lat"]), float(found["long"]), found["city"].title())
    providers = [_provider(rng, tables, n) for n in range(max(1, services // 3))]
    categories = list(WEIGHTS)
    for n in range(services):
        category = rng.choices(categories, weights=[WEIGHTS[c] for c in categories])[0]
        _service(rng, tables, n, category, rng.choice(providers), centres, term_ids)
    return tables


def _provider(rng: random.Random, tables: dict[str, list[dict[str, Any]]], n: int) -> str:
    words = [rng.choice(options) for options in PROVIDER_WORDS]
    provider_id = _uuid(rng)
    tables["organization"].append(
        {
            "id": provider_id,
            "name": f"{' '.join(words)} {n + 1}",
            "description": "A nonprofit serving people in Riverbend County.",
            "website": f"https://provider-{n + 1}.example.org",
        }
    )
    return provider_id


def _service(
    rng: random.Random,
    tables: dict[str, list[dict[str, Any]]],
    n: int,
    category: str,
    provider_id: str,
    centres: dict[str, tuple[float, float, str]],
    term_ids: dict[str, list[str]],
) -> None:
    service_id = _uuid(rng)
    name = rng.choice(SERVICES[category])
    online = category in ("mental_health", "mutual_aid", "benefits") and rng.random() < 0.25
    cost = rng.choices(["free", "sliding", "fee"], weights=[7, 2, 1])[0]
    tables["service"].append(
        {
            "id": service_id,
            "organization_id": provider_id,
            "name": name,
            "description": _description(category, name),
            "status": "active",
            "email": f"service-{n + 1}@provider.example.org",
            "url": f"https://provider.example.org/services/{n + 1}" if online else None,
            "application_process": "Walk in or call first." if not online else "Join online.",
            "fees_description": {
                "free": "Free of charge.",
                "sliding": "Sliding scale by income.",
                "fee": "A small fee; ask about waivers.",
            }[cost],
        }
    )
    tables["phone"].append(
        {
            "id": _uuid(rng),
            "service_id": service_id,
            "number": f"541-555-{1000 + n % 9000:04d}",
            "type": "voice",
        }
    )
    if cost != "fee":
        tables["cost_option"].append(
            {
                "id": _uuid(rng),
                "service_id": service_id,
                "option": "Free" if cost == "free" else "Sliding scale",
                "amount": 0 if cost == "free" else 10,
                "currency": "USD",
            }
        )
    languages = ["eng"] + (["spa"] if rng.random() < 0.4 else [])
    languages += ["vie"] if rng.random() < 0.05 else []
    for code in languages:
        tables["language"].append(
            {
                "id": _uuid(rng),
                "service_id": service_id,
                "code": code,
                "name": {"eng": "English", "spa": "Spanish", "vie": "Vietnamese"}[code],
            }
        )
    for term_id in rng.sample(term_ids[category], k=min(2, len(term_ids[category]))):
        tables["attribute"].append(
            {
                "id": _uuid(rng),
                "link_id": service_id,
                "link_type": "service",
                "link_entity": "service",
                "taxonomy_term_id": term_id,
            }
        )
    if online:
        _place(rng, tables, service_id, provider_id, None, category)
        return
    for _ in range(1 if rng.random() < 0.8 else 2):
        _place(rng, tables, service_id, provider_id, rng.choice(list(centres.items())), category)


def _description(category: str, name: str) -> str:
    what = {
        "housing": "Help finding a safe place to stay tonight and a home for the long run.",
        "food": "Groceries and meals for anyone who needs them. No questions asked.",
        "benefits": "Help applying for SNAP, Medicaid, SSI and other benefits.",
        "employment": "Support to find and keep a job that fits you.",
        "legal": "Free legal advice on housing, records and benefits.",
        "health": "Health care for adults, with or without insurance.",
        "mental_health": "Someone to talk to, in a crisis or before one.",
        "substance_use": "Recovery support on your terms, with people who have been there.",
        "mutual_aid": "A peer-led mutual aid group. Come as you are.",
        "transportation": "Rides and bus passes to appointments and work.",
    }[category]
    return f"{name}: {what}"


def _place(
    rng: random.Random,
    tables: dict[str, list[dict[str, Any]]],
    service_id: str,
    provider_id: str,
    centre: tuple[str, tuple[float, float, str]] | None,
    category: str,
) -> None:
    location_id = _uuid(rng)
    place_id = _uuid(rng)
    if centre is None:
        tables["location"].append(
            {
                "id": location_id,
                "organization_id": provider_id,
                "location_type": "virtual",
                "name": "Online",
                "url": "https://meet.example.org/group",
            }
        )
    else:
        code, (lat, lon, city) = centre
        tables["location"].append(
            {
                "id": location_id,
                "organization_id": provider_id,
                "location_type": "physical",
                "name": f"{city} site",
                "latitude": round(lat + rng.uniform(-0.04, 0.04), 5),
                "longitude": round(lon + rng.uniform(-0.05, 0.05), 5),
                "transportation": "Bus lines 11 and 12 stop a block away.",
            }
        )
        tables["address"].append(
            {
                "id": _uuid(rng),
                "location_id": location_id,
                "address_1": f"{rng.randint(10, 2999)} {rng.choice(STREETS)}",
                "city": city,
                "state_province": "OR",
                "postal_code": code,
                "country": "US",
                "address_type": "physical",
            }
        )
        if rng.random() < 0.6:
            tables["accessibility"].append(
                {
                    "id": _uuid(rng),
                    "location_id": location_id,
                    "description": "Wheelchair accessible entrance and restroom.",
                }
            )
    tables["service_at_location"].append(
        {"id": place_id, "service_id": service_id, "location_id": location_id}
    )
    for byday, opens, closes in _hours(rng, category):
        tables["schedule"].append(
            {
                "id": _uuid(rng),
                "service_at_location_id": place_id,
                "freq": "WEEKLY",
                "byday": byday,
                "opens_at": opens,
                "closes_at": closes,
                "description": "",
            }
        )


def _hours(rng: random.Random, category: str) -> list[tuple[str, str, str]]:
    if category == "housing" and rng.random() < 0.3:
        return [("MO,TU,WE,TH,FR,SA,SU", "19:00", "07:00")]  # an overnight shelter
    if category == "mutual_aid":
        day = rng.choice(["MO", "TU", "WE", "TH", "FR", "SA", "SU"])
        start = rng.choice([10, 12, 18, 19])
        return [(day, f"{start:02d}:00", f"{start + 1:02d}:30")]
    hours = [("MO,TU,WE,TH,FR", "09:00", "17:00")]
    if rng.random() < 0.35:
        hours.append(("SA", "10:00", "14:00"))
    return hours


def as_service_list(tables: dict[str, list[dict[str, Any]]]) -> str:
    """The directory as one HSDS list file of whole service documents (what an HSDS API's
    /services pages hold), taxonomy terms and all."""
    clean = {
        table: [{k: v for k, v in row.items() if v not in (None, "")} for row in rows]
        for table, rows in tables.items()
    }
    index = hsds.Index(clean)
    documents = [hsds.nest("service", row, index) for row in clean["service"]]
    page = {
        "total_items": len(documents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(documents),
        "first_page": True,
        "last_page": True,
        "empty": not documents,
        "contents": documents,
    }
    return json.dumps(page, ensure_ascii=False)


def as_datapackage(tables: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """The directory as a tabular data package: file name -> text."""
    clean = {
        table: [{k: v for k, v in row.items() if v not in (None, "")} for row in rows]
        for table, rows in tables.items()
    }
    present = [table for table in hsds.TABLE_ORDER if clean[table]]
    files = {hsds.tables()[t].path: hsds.to_csv(t, clean[t]) for t in present}
    descriptor = hsds.datapackage_descriptor("riverbend-county-directory", present)
    files["datapackage.json"] = json.dumps(descriptor, indent=2)
    return files


MEETING_NAMES = (
    "Serenity Group",
    "Morning Light",
    "Keep It Simple",
    "Grupo Nueva Vida",
    "Women in Recovery",
    "Lunch Bunch",
    "Friday Night Hope",
    "Big Book Study",
    "Newcomers Welcome",
    "Online Sunrise",
)


def meeting_feed(meetings: int = 40, seed: int = 9) -> str:
    """A Meeting Guide feed (a JSON array) of made-up mutual-aid meetings around the county's
    ZIP codes: weekly and several-days meetings, one after midnight, Spanish-speaking, women's,
    online and hybrid ones, and one code Meeting Guide does not know."""
    rng = random.Random(seed)  # noqa: S311 (made-up data, not secrets)
    centres = []
    for code in ZIP_CODES:
        found = zipcodes.matching(code)[0]
        centres.append((code, float(found["lat"]), float(found["long"]), found["city"].title()))
    feed = []
    for n in range(meetings):
        name = MEETING_NAMES[n % len(MEETING_NAMES)]
        code, lat, lon, city = rng.choice(centres)
        start = rng.choice([7, 12, 18, 19, 20])
        meeting: dict[str, Any] = {
            "name": f"{name} ({city})",
            "slug": f"riverbend-{n + 1}",
            "day": rng.randint(0, 6) if n % 7 else [1, 3, 5],
            "time": f"{start:02d}:00",
            "end_time": f"{start + 1:02d}:00",
            "types": ["O", "D"] if n % 2 else ["C", "BE"],
            "location": f"{rng.choice(('St. Mark Hall', 'Community Center', 'Library Room B'))}",
            "address": f"{rng.randint(10, 2999)} {rng.choice(STREETS)}",
            "city": city,
            "state": "OR",
            "postal_code": code,
            "country": "US",
            "latitude": round(lat + rng.uniform(-0.03, 0.03), 5),
            "longitude": round(lon + rng.uniform(-0.04, 0.04), 5),
            "region": city,
            "updated": "2026-11-01 09:00:00",
        }
        if "Nueva Vida" in name:
            meeting["types"] = ["O", "S"]
        if "Women" in name:
            meeting["types"] = ["C", "W"]
        if "Online" in name:
            meeting["conference_url"] = f"https://meet.example.org/riverbend-{n + 1}"
            for key in ("location", "address", "city", "postal_code", "latitude", "longitude"):
                meeting.pop(key)
        if n == 5:
            meeting.update({"time": "23:30", "end_time": "00:30", "types": ["O", "RB-LATE"]})
        feed.append(meeting)
    return json.dumps(feed, ensure_ascii=False)
