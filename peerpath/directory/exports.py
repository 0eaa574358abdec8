"""The agency's directory written out in HSDS 3.0: the tabular data package and JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from peerpath.core.models import Organization

from . import hsds
from .models import Record


def records(organization: Organization) -> dict[str, list[dict[str, Any]]]:
    """Every current record, by table, in HSDS id order (the same export twice is the same)."""
    found: dict[str, list[dict[str, Any]]] = {table: [] for table in hsds.TABLE_ORDER}
    rows = (
        Record.objects.filter(organization=organization, removed_at__isnull=True)
        .order_by("table", "hsds_id")
        .values_list("table", "data")
    )
    for table, data in rows.iterator(chunk_size=5000):
        if table in found:
            found[table].append(data)
    return found


def datapackage(organization: Organization) -> dict[str, str]:
    """File name -> text: datapackage.json and one CSV per table that has records."""
    tables = records(organization)
    present = [table for table in hsds.TABLE_ORDER if tables[table]]
    files = {hsds.tables()[table].path: hsds.to_csv(table, tables[table]) for table in present}
    descriptor = hsds.datapackage_descriptor(f"{organization.slug}-directory", present)
    files["datapackage.json"] = json.dumps(descriptor, indent=2) + "\n"
    return files


def json_lists(organization: Organization) -> dict[str, str]:
    """File name -> text: list files of whole documents, as HSDS's API pages them (one page):
    organizations with everything that belongs to them, services the same, and the taxonomy
    terms with their taxonomies; together they hold every record."""
    tables = records(organization)
    index = hsds.Index(tables)
    documents = {
        "organizations.json": [hsds.nest("organization", r, index) for r in tables["organization"]],
        "services.json": [hsds.nest("service", r, index) for r in tables["service"]],
        "locations.json": [hsds.nest("location", r, index) for r in tables["location"]],
        "taxonomy_terms.json": [
            hsds.nest_shallow("taxonomy_term", r, index) for r in tables["taxonomy_term"]
        ],
    }
    files = {}
    for name, contents in documents.items():
        if not contents:
            continue
        page = {
            "total_items": len(contents),
            "total_pages": 1,
            "page_number": 1,
            "size": len(contents),
            "first_page": True,
            "last_page": True,
            "empty": False,
            "contents": contents,
        }
        files[name] = json.dumps(page, indent=2, ensure_ascii=False) + "\n"
    return files


def write(organization: Organization, folder: Path) -> dict[str, int]:
    """Write the data package into `folder` and the JSON lists into `folder/json`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "json").mkdir(exist_ok=True)
    counts = {}
    for name, text in datapackage(organization).items():
        (folder / name).write_text(text, encoding="utf-8")
        if name.endswith(".csv"):
            counts[name] = text.count("\n") - 1
    for name, text in json_lists(organization).items():
        (folder / "json" / name).write_text(text, encoding="utf-8")
    return counts
