"""Readiness questionnaires: the shipped ones and an agency's own, read by the measures' loader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peerpath.measures import instruments
from peerpath.measures import loading as measures_loading

SHIPPED = Path(__file__).parent / "questionnaires"


def upsert(
    model: Any,
    resource: dict[str, Any],
    *,
    organization_id: int | None,
    instrument: instruments.Instrument | None = None,
) -> Any:
    instrument = instrument or instruments.parse(resource)
    row, _ = model.objects.update_or_create(
        organization_id=organization_id,
        url=instrument.url,
        version=instrument.version,
        defaults={"name": instrument.name, "title": instrument.title, "resource": resource},
    )
    return row


def load_shipped(model: Any) -> list[Any]:
    rows = []
    for path in sorted(SHIPPED.glob("*.json")):
        resource, instrument = measures_loading.read(path)
        rows.append(upsert(model, resource, organization_id=None, instrument=instrument))
    return rows


def check_file(path: Path) -> dict[str, Any]:
    """An agency's own questionnaire file, checked; ValueError naming the file and the problem."""
    resource, instrument = measures_loading.read(path)
    if not any(q.scored for q in instrument.questions):
        raise ValueError(f"{path.name}: no question has scored answers (ordinalValue)")
    return resource
