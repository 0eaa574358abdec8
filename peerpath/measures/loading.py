"""Loading Questionnaire JSON files: the shipped instruments and an agency's own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import fhir, instruments

SHIPPED = Path(__file__).parent / "questionnaires"


def read(path: Path) -> tuple[dict[str, Any], instruments.Instrument]:
    """The validated resource and its instrument, or ValueError naming the file and the problem."""
    try:
        resource = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path.name}: cannot read JSON ({exc})") from None
    try:
        return resource, fhir.validate_questionnaire(resource)
    except ValueError as exc:
        raise ValueError(f"{path.name}: {exc}") from None


def upsert(
    model: Any,
    resource: dict[str, Any],
    *,
    organization_id: int | None,
    instrument: instruments.Instrument | None = None,
) -> Any:
    """Create or refresh the Questionnaire row for (organization, url, version).

    `model` is the Questionnaire model (a migration passes its historical model); `instrument`,
    when the caller already read the resource.
    """
    instrument = instrument or instruments.parse(resource)
    row, _ = model.objects.update_or_create(
        organization_id=organization_id,
        url=instrument.url,
        version=instrument.version,
        defaults={
            "code": instrument.code,
            "name": instrument.name,
            "title": instrument.title,
            "resource": resource,
            "is_active": True,
        },
    )
    return row


def load_shipped(model: Any) -> list[Any]:
    rows = []
    for path in sorted(SHIPPED.glob("*.json")):
        resource, instrument = read(path)
        rows.append(upsert(model, resource, organization_id=None, instrument=instrument))
    return rows
