"""Resources an agency keeps itself (a peer-run group, a landlord who rents to people with
records): one service at one place, written as the HSDS records an import would bring, marked
as the agency's own. Every edit keeps the earlier version of each record it changes, with who
changed which fields. Imports never touch or remove them."""

from __future__ import annotations

import uuid
from datetime import time
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from peerpath.core import audit
from peerpath.core.models import Organization, Staff

from . import index, search
from .forms import CATEGORIES, LANGUAGES
from .models import Record, RecordVersion

# The taxonomy the agency's own resources are filed under: PeerPath's categories.
TAXONOMY_NAME = "PeerPath categories"
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
LANGUAGE_CODES = {
    "en": "eng",
    "es": "spa",
    "zh": "zho",
    "vi": "vie",
    "ru": "rus",
    "ar": "ara",
    "ko": "kor",
    "tl": "tgl",
    "fr": "fra",
    "ase": "ase",
}


def _id(service_id: str, role: str) -> str:
    """The same record for the same part of the same resource, edit after edit."""
    return str(uuid.uuid5(uuid.UUID(service_id), role))


def _clock(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def _taxonomy(organization: Organization, category: str) -> dict[tuple[str, str], dict[str, Any]]:
    """The taxonomy and its term for a category (the same ids for the agency every time)."""
    base = str(uuid.uuid5(uuid.NAMESPACE_URL, f"peerpath:categories:{organization.pk}"))
    term_id = _id(base, f"category:{category}")
    with translation.override("en"):  # the same words whoever saves it
        label = str(dict(CATEGORIES)[category])
    return {
        ("taxonomy", base): {
            "id": base,
            "name": TAXONOMY_NAME,
            "description": "The categories PeerPath files resources under.",
        },
        ("taxonomy_term", term_id): {
            "id": term_id,
            "code": category,
            "name": label,
            "description": label,
            "taxonomy_id": base,
        },
    }


def desired(
    organization: Organization, service_id: str, data: dict[str, Any]
) -> dict[tuple[str, str], dict[str, Any]]:
    """Every HSDS record of the resource, by (table, id), from the form's cleaned data."""
    records: dict[tuple[str, str], dict[str, Any]] = {}

    def add(table: str, role: str, fields: dict[str, Any], record_id: str | None = None) -> str:
        record_id = record_id or _id(service_id, role)
        records[(table, record_id)] = {
            "id": record_id,
            **{k: v for k, v in fields.items() if v not in (None, "", [])},
        }
        return record_id

    provider = add(
        "organization", "provider", {"name": data["provider"], "description": data["provider"]}
    )
    fees = {"free": "Free.", "sliding_scale": "Sliding scale by income.", "fee": "A fee."}
    add(
        "service",
        "",
        {
            "name": data["name"],
            "description": data["description"],
            "status": "active",
            "organization_id": provider,
            "url": data.get("website") or "",
            "fees_description": fees.get(data.get("cost") or "", ""),
        },
        record_id=service_id,
    )
    if data.get("phone"):
        add("phone", "phone", {"number": data["phone"], "service_id": service_id})
    has_address = bool(data.get("street"))
    location = None
    if has_address or data.get("website"):
        point = search.point_for_postal_code(data.get("postal_code") or "")
        location = add(
            "location",
            "location",
            {
                "location_type": "physical" if has_address else "virtual",
                "name": data["provider"],
                "organization_id": provider,
                "url": "" if has_address else data.get("website") or "",
                "latitude": round(point.latitude, 5) if has_address and point else None,
                "longitude": round(point.longitude, 5) if has_address and point else None,
            },
        )
        place = add(
            "service_at_location", "place", {"service_id": service_id, "location_id": location}
        )
        if has_address:
            add(
                "address",
                "address",
                {
                    "location_id": location,
                    "address_1": data["street"],
                    "city": data["city"],
                    "state_province": data["state"].upper(),
                    "postal_code": data["postal_code"],
                    "country": "US",
                    "address_type": "physical",
                },
            )
            if data.get("wheelchair"):
                add(
                    "accessibility",
                    "wheelchair",
                    {"location_id": location, "description": "Wheelchair accessible."},
                )
        if data.get("days") and data.get("opens") and data.get("closes"):
            add(
                "schedule",
                "hours",
                {
                    "service_at_location_id": place,
                    "freq": "WEEKLY",
                    "byday": ",".join(DAY_CODES[int(day)] for day in sorted(data["days"])),
                    "opens_at": _clock(data["opens"]),
                    "closes_at": _clock(data["closes"]),
                },
            )
    names = dict(LANGUAGES)
    for code in data.get("languages") or []:
        add(
            "language",
            f"language:{code}",
            {
                "service_id": service_id,
                "code": LANGUAGE_CODES.get(code, code),
                "name": str(names.get(code, code)),
            },
        )
    if data.get("cost") in ("free", "sliding_scale"):
        add(
            "cost_option",
            "cost",
            {
                "service_id": service_id,
                "option": "Free" if data["cost"] == "free" else "Sliding scale",
                "amount": 0 if data["cost"] == "free" else None,
                "currency": "USD",
            },
        )
    for number, line in enumerate((data.get("what_to_bring") or "").splitlines()):
        if line.strip():
            add(
                "required_document",
                f"document:{number}",
                {"service_id": service_id, "document": line.strip()},
            )
    taxonomy = _taxonomy(organization, data["category"])
    records.update(taxonomy)
    term = next(key[1] for key in taxonomy if key[0] == "taxonomy_term")
    add(
        "attribute",
        "category",
        {
            "link_id": service_id,
            "link_type": "service",
            "link_entity": "service",
            "taxonomy_term_id": term,
        },
    )
    return records


def owned(organization: Organization, service_id: str) -> dict[tuple[str, str], Record]:
    """The agency's current records of a resource: the service, and every record whose id was
    made from it."""
    rows = Record.objects.filter(organization=organization, source=Record.Source.AGENCY)
    found = {}
    roles = {_id(service_id, role) for role in _roles()} | {service_id}
    for record in rows.filter(hsds_id__in=roles, removed_at__isnull=True):
        found[(record.table, record.hsds_id)] = record
    return found


def _roles() -> list[str]:
    fixed = [
        "provider",
        "phone",
        "location",
        "place",
        "address",
        "wheelchair",
        "hours",
        "cost",
        "category",
    ]
    fixed += [f"language:{code}" for code, _label in LANGUAGES]
    fixed += [f"document:{n}" for n in range(60)]
    return fixed


def resource_save(
    *,
    organization: Organization,
    actor: Staff,
    data: dict[str, Any],
    service_id: str | None = None,
) -> Record:
    """Add a resource, or change one the agency keeps: each record created, changed (its
    earlier version kept) or removed as the form says; the search index follows."""
    service_id = service_id or str(uuid.uuid4())
    now = timezone.now()
    with transaction.atomic():
        before = owned(organization, service_id)
        wanted = desired(organization, service_id, data)
        shared = {
            (r.table, r.hsds_id): r
            for r in Record.objects.filter(
                organization=organization,
                table__in=("taxonomy", "taxonomy_term"),
                hsds_id__in=[key[1] for key in wanted if key[0] in ("taxonomy", "taxonomy_term")],
            )
        }
        for key, fields in wanted.items():
            record = before.get(key) or shared.get(key)
            if record is None:
                removed = Record.objects.filter(
                    organization=organization, table=key[0], hsds_id=key[1]
                ).first()
                record = removed
            if record is None:
                Record.objects.create(
                    organization=organization,
                    table=key[0],
                    hsds_id=key[1],
                    data=fields,
                    digest="",
                    source=Record.Source.AGENCY,
                    created_by=actor,
                )
            elif record.data != fields or record.removed_at is not None:
                _new_version(record, fields, actor, now)
        for key, record in before.items():
            if key not in wanted:
                _new_version(record, record.data, actor, now, remove=True)
        service = Record.objects.get(organization=organization, table="service", hsds_id=service_id)
        index.rebuild_service(organization, service)
        audit.record(
            organization=organization,
            action="directory.resource_save",
            actor=actor,
            obj=service,
            details={"service": service_id, "name": data["name"]},
        )
    return service


def resource_remove(*, organization: Organization, actor: Staff, service: Record) -> None:
    """Take a resource the agency keeps out of the directory (its history stays)."""
    now = timezone.now()
    with transaction.atomic():
        for record in owned(organization, service.hsds_id).values():
            _new_version(record, record.data, actor, now, remove=True)
        service.refresh_from_db()
        index.rebuild_service(organization, service)
        audit.record(
            organization=organization,
            action="directory.resource_remove",
            actor=actor,
            obj=service,
            details={"service": service.hsds_id},
        )


def _new_version(
    record: Record, fields: dict[str, Any], actor: Staff, now: Any, *, remove: bool = False
) -> None:
    changed = sorted(
        k for k in record.data.keys() | fields.keys() if record.data.get(k) != fields.get(k)
    )
    RecordVersion.objects.create(
        organization_id=record.organization_id,
        record=record,
        version=record.version,
        data=record.data,
        changed_fields=changed,
        how=RecordVersion.How.EDIT,
        changed_by=actor,
    )
    record.data = fields
    record.version += 1
    record.removed_at = now if remove else None
    record.save(update_fields=["data", "version", "removed_at", "updated_at"])


def initial(organization: Organization, service_id: str) -> dict[str, Any]:
    """The form's starting values for editing a resource: what its records say."""
    records = {key[0]: record.data for key, record in owned(organization, service_id).items()}
    by_role = owned(organization, service_id)
    service = records.get("service", {})
    address = records.get("address", {})
    schedule = records.get("schedule", {})
    term_id = records.get("attribute", {}).get("taxonomy_term_id")
    term = Record.objects.filter(
        organization=organization, table="taxonomy_term", hsds_id=str(term_id or "")
    ).first()
    codes = {v: k for k, v in LANGUAGE_CODES.items()}
    documents = [
        r.data.get("document", "")
        for (table, _id_), r in sorted(by_role.items(), key=lambda item: item[0][1])
        if table == "required_document"
    ]
    days = [
        str(DAY_CODES.index(code))
        for code in str(schedule.get("byday", "")).split(",")
        if code in DAY_CODES
    ]
    cost = {"Free.": "free", "Sliding scale by income.": "sliding_scale", "A fee.": "fee"}
    return {
        "name": service.get("name", ""),
        "provider": records.get("organization", {}).get("name", ""),
        "description": service.get("description", ""),
        "category": term.data.get("code", "") if term else "",
        "phone": records.get("phone", {}).get("number", ""),
        "website": service.get("url", ""),
        "street": address.get("address_1", ""),
        "city": address.get("city", ""),
        "state": address.get("state_province", ""),
        "postal_code": address.get("postal_code", ""),
        "days": days,
        "opens": schedule.get("opens_at") or None,
        "closes": schedule.get("closes_at") or None,
        "languages": [
            codes.get(r.data.get("code", ""), r.data.get("code", ""))
            for (table, _i), r in by_role.items()
            if table == "language"
        ],
        "cost": cost.get(service.get("fees_description", ""), ""),
        "wheelchair": "accessibility" in records,
        "what_to_bring": "\n".join(documents),
    }
