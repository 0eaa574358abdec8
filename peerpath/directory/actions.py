"""Writes to the directory: importing HSDS datasets."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from peerpath.core import audit
from peerpath.core.models import Organization, Staff

from . import hsds
from .models import Record, RecordVersion

BATCH = 2000


class ImportRefused(Exception):
    """The files have problems; nothing was written."""

    def __init__(self, problems: list[hsds.Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def digest(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _existing(organization: Organization) -> dict[tuple[str, str], tuple[int, str, int, bool]]:
    """(table, id) -> (row id, digest, version, removed) of every record the agency has."""
    rows = Record.objects.filter(organization=organization).values_list(
        "table", "hsds_id", "pk", "digest", "version", "removed_at"
    )
    return {
        (table, hsds_id): (pk, found, version, removed is not None)
        for table, hsds_id, pk, found, version, removed in rows.iterator(chunk_size=5000)
    }


def hsds_check(*, organization: Organization, dataset: hsds.Dataset) -> list[hsds.Problem]:
    """Every problem of a dataset, its links to the agency's directory included."""
    if dataset.problems:
        return dataset.problems
    if not dataset.count():
        return [hsds.Problem("", "", "", "The files hold no records.")]
    return hsds.dangling(dataset, _live_ids(_existing(organization)))


def _live_ids(
    existing: dict[tuple[str, str], tuple[int, str, int, bool]],
) -> dict[str, set[str]]:
    ids: dict[str, set[str]] = {}
    for (table, hsds_id), value in existing.items():
        if not value[3]:
            ids.setdefault(table, set()).add(hsds_id)
    return ids


def hsds_import(
    *,
    organization: Organization,
    dataset: hsds.Dataset,
    actor: Staff | None,
    source_name: str = "",
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Write a checked dataset into the agency's directory in one transaction, or refuse it
    whole: added, updated, unchanged and removed records, and the same for services alone."""
    if dataset.problems:
        raise ImportRefused(dataset.problems)
    if not dataset.count():
        raise ImportRefused([hsds.Problem(source_name, "", "", "The files hold no records.")])
    with transaction.atomic():
        existing = _existing(organization)
        problems = hsds.dangling(dataset, _live_ids(existing))
        if problems:
            raise ImportRefused(problems)
        summary = _write(organization, dataset, existing, actor, progress)
        audit.record(
            organization=organization,
            action="directory.import",
            actor=actor,
            details={"file": source_name[:200], **summary},
        )
    return summary


def _write(
    organization: Organization,
    dataset: hsds.Dataset,
    existing: dict[tuple[str, str], tuple[int, str, int, bool]],
    actor: Staff | None,
    progress: Callable[[int], None] | None,
) -> dict[str, Any]:
    now = timezone.now()
    counts = {"added": 0, "updated": 0, "unchanged": 0, "removed": 0}
    services = dict(counts)
    new: list[Record] = []
    changed: list[Record] = []
    versions: list[tuple[Record, list[str]]] = []
    seen: set[tuple[str, str]] = set()
    done = 0
    before = {} if dataset.complete else _current_data(dataset, existing)
    for table in hsds.TABLE_ORDER:
        links = hsds.tables()[table].link_fields()
        for hsds_id, row in dataset.rows[table].items():
            key = (table, hsds_id)
            seen.add(key)
            found = existing.get(key)
            if key in before:
                # A part of the directory (one document) says nothing of the links it does not
                # state: a phone read under its location keeps its service.
                old = before[key]
                unstated = links - (row.data.keys() - row.implied)
                kept = {k: old[k] for k in unstated if k in old and k not in row.data}
                row.data = {**row.data, **kept}
            row_digest = digest(row.data)
            if found is None:
                outcome = "added"
                record = Record(
                    organization=organization,
                    table=table,
                    hsds_id=hsds_id,
                    data=row.data,
                    digest=row_digest,
                )
                new.append(record)
                versions.append((record, sorted(row.data)))
            elif found[1] == row_digest and not found[3]:
                outcome = "unchanged"
            else:
                outcome = "updated"
                record = Record(
                    pk=found[0],
                    organization=organization,
                    table=table,
                    hsds_id=hsds_id,
                    data=row.data,
                    digest=row_digest,
                    version=found[2] + 1,
                    removed_at=None,
                    updated_at=now,
                )
                changed.append(record)
                versions.append((record, []))
            counts[outcome] += 1
            if table == "service":
                services[outcome] += 1
            done += 1
            if progress and done % BATCH == 0:
                progress(done)
    Record.objects.bulk_create(new, batch_size=BATCH)
    _changed_fields(changed, versions)
    Record.objects.bulk_update(
        changed, ["data", "digest", "version", "removed_at", "updated_at"], batch_size=BATCH
    )
    if dataset.complete:
        gone = [key for key, value in existing.items() if key not in seen and not value[3]]
        removed = list(
            Record.objects.filter(
                organization=organization,
                source=Record.Source.IMPORT,
                pk__in=[existing[key][0] for key in gone],
            )
        )
        for record in removed:
            record.removed_at = now
            record.version += 1
            counts["removed"] += 1
            if record.table == "service":
                services["removed"] += 1
        Record.objects.bulk_update(removed, ["removed_at", "version"], batch_size=BATCH)
        versions += [(record, []) for record in removed]
    RecordVersion.objects.bulk_create(
        [
            RecordVersion(
                organization=organization,
                record=record,
                version=record.version,
                data=record.data,
                changed_fields=fields,
                how=RecordVersion.How.REMOVE if record.removed_at else RecordVersion.How.IMPORT,
                changed_by=actor,
            )
            for record, fields in versions
        ],
        batch_size=BATCH,
    )
    if progress:
        progress(done)
    return {**counts, "services": services, "records": done}


def _current_data(
    dataset: hsds.Dataset, existing: dict[tuple[str, str], tuple[int, str, int, bool]]
) -> dict[tuple[str, str], dict[str, Any]]:
    """The stored fields of each record the dataset holds and the directory has."""
    keys = [
        key
        for table in hsds.TABLE_ORDER
        for hsds_id in dataset.rows[table]
        if (key := (table, hsds_id)) in existing
    ]
    pks = {existing[key][0]: key for key in keys}
    found: dict[tuple[str, str], dict[str, Any]] = {}
    ids = list(pks)
    for start in range(0, len(ids), BATCH):
        rows = Record.objects.filter(pk__in=ids[start : start + BATCH]).values_list("pk", "data")
        for pk, data in rows:
            found[pks[pk]] = data
    return found


def _changed_fields(changed: list[Record], versions: list[tuple[Record, list[str]]]) -> None:
    """Name, for each updated record's new version, the fields the import changed."""
    if not changed:
        return
    before = dict(
        Record.objects.filter(pk__in=[record.pk for record in changed]).values_list("pk", "data")
    )
    for index, (record, _fields) in enumerate(versions):
        if record.pk in before:
            old = before[record.pk]
            keys = set(old) | set(record.data)
            versions[index] = (record, sorted(k for k in keys if old.get(k) != record.data.get(k)))
