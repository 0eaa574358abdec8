"""Writes to the directory: importing HSDS datasets."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from peerpath.core import audit
from peerpath.core.models import Organization, Staff

from . import hsds, index, writes
from .models import Record, RecordVersion

BATCH = 2000


class ImportRefused(Exception):
    """The files have problems; nothing was written."""

    def __init__(self, problems: list[hsds.Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def digest(text: str) -> str:
    """SHA-256 of a record's canonical JSON text (`writes.as_json`)."""
    return hashlib.sha256(text.encode()).hexdigest()


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
        summary["entries"] = index.rebuild(organization)
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
    now = writes.when(timezone.now())
    counts = {"added": 0, "updated": 0, "unchanged": 0, "removed": 0}
    services = dict(counts)
    # (table, id, data as JSON text, digest, fields as JSON text)
    new: list[tuple[str, str, str, str, str]] = []
    changed: list[tuple[int, str, str, int, str]] = []  # pk, text, digest, version, fields
    seen: set[tuple[str, str]] = set()
    done = 0
    before = _current_data(dataset, existing)
    for table in hsds.TABLE_ORDER:
        links = hsds.tables()[table].link_fields()
        for hsds_id, row in dataset.rows[table].items():
            key = (table, hsds_id)
            seen.add(key)
            found = existing.get(key)
            old = before.get(key)
            if old is not None and not dataset.complete:
                # A part of the directory (one document) says nothing of the links it does not
                # state: a phone read under its location keeps its service.
                unstated = links - (row.data.keys() - row.implied)
                kept = {k: old[k] for k in unstated if k in old and k not in row.data}
                row.data = {**row.data, **kept}
            text = writes.as_json(row.data)
            row_digest = digest(text)
            if found is None:
                outcome = "added"
                new.append((table, hsds_id, text, row_digest, writes.as_json(sorted(row.data))))
            elif found[1] == row_digest and not found[3]:
                outcome = "unchanged"
            else:
                outcome = "updated"
                old = old or {}
                fields = sorted(
                    k for k in set(old) | set(row.data) if old.get(k) != row.data.get(k)
                )
                changed.append((found[0], text, row_digest, found[2] + 1, writes.as_json(fields)))
            counts[outcome] += 1
            if table == "service":
                services[outcome] += 1
            done += 1
            if progress and done % BATCH == 0:
                progress(done)
    writes.insert(
        Record,
        [
            "organization_id",
            "table",
            "hsds_id",
            "data",
            "digest",
            "source",
            "version",
            "created_at",
            "updated_at",
        ],
        (
            (organization.pk, table, hsds_id, data, row_digest, "import", 1, now, now)
            for table, hsds_id, data, row_digest, _f in new
        ),
    )
    writes.update(
        Record,
        ["data", "digest", "version", "removed_at", "updated_at"],
        (
            (data, row_digest, version, None, now, pk)
            for pk, data, row_digest, version, _f in changed
        ),
    )
    removed: list[tuple[int, str, int]] = []
    if dataset.complete:
        # The whole directory came: what it no longer has is removed (what the agency added
        # itself stays).
        gone = [pk for key, (pk, _g, _v, was) in existing.items() if key not in seen and not was]
        for start in range(0, len(gone), BATCH):
            rows = Record.objects.filter(
                pk__in=gone[start : start + BATCH], source=Record.Source.IMPORT
            ).values_list("pk", "table", "data", "version")
            for pk, table, data, version in rows:
                removed.append((pk, writes.as_json(data), version + 1))
                counts["removed"] += 1
                if table == "service":
                    services["removed"] += 1
        writes.update(
            Record, ["removed_at", "version"], ((now, version, pk) for pk, _d, version in removed)
        )
    new_pks = _pks(organization, [(table, hsds_id) for table, hsds_id, *_rest in new])
    actor_id = actor.pk if actor is not None else None
    versions = [
        (pk, data, 1, fields, "import")
        for pk, (_t, _i, data, _g, fields) in zip(new_pks, new, strict=True)
    ]
    versions += [(pk, data, version, fields, "import") for pk, data, _g, version, fields in changed]
    versions += [(pk, data, version, "[]", "remove") for pk, data, version in removed]
    writes.insert(
        RecordVersion,
        [
            "organization_id",
            "record_id",
            "version",
            "data",
            "changed_fields",
            "how",
            "changed_by_id",
            "changed_at",
        ],
        (
            (organization.pk, pk, version, data, fields, how, actor_id, now)
            for pk, data, version, fields, how in versions
        ),
    )
    if progress:
        progress(done)
    return {**counts, "services": services, "records": done}


def _pks(organization: Organization, keys: list[tuple[str, str]]) -> list[int]:
    """The ids the database gave the new records, in the order of `keys`."""
    if not keys:
        return []
    wanted = set(keys)
    found = {
        (table, hsds_id): pk
        for table, hsds_id, pk in Record.objects.filter(organization=organization)
        .values_list("table", "hsds_id", "pk")
        .iterator(chunk_size=5000)
        if (table, hsds_id) in wanted
    }
    return [found[key] for key in keys]


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
