"""Writes to the directory: importing HSDS datasets."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from peerpath.core import audit
from peerpath.core.imports import decode
from peerpath.core.models import ImportJob, Organization, Staff

from . import hsds, index, meetings, sources, writes
from .models import Record, RecordVersion

BATCH = 2000
MAX_PROBLEMS_KEPT = 500


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
        summary["entries"] = index.rebuild(organization, dataset.rows if dataset.complete else None)
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
    new: list[tuple[str, str, str, str]] = []  # table, id, data as JSON text, digest
    changed: list[tuple[int, str, str, int, dict[str, Any]]] = []  # pk, text, digest, ver., data
    seen: set[tuple[str, str]] = set()
    done = 0
    # A part of a directory merges into what is stored, so it reads it first; a whole
    # directory replaces it, and only what changed is read back (for its history).
    before = {} if dataset.complete else _current_data(dataset, existing)
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
                new.append((table, hsds_id, text, row_digest))
            elif found[1] == row_digest and not found[3]:
                outcome = "unchanged"
            else:
                outcome = "updated"
                changed.append((found[0], text, row_digest, found[2] + 1, row.data))
            counts[outcome] += 1
            if table == "service":
                services[outcome] += 1
            done += 1
            if progress and done % BATCH == 0:
                progress(done)
    old_data = {existing[key][0]: data for key, data in before.items()}
    old_data.update(_data_of([pk for pk, *_rest in changed if pk not in old_data]))
    removed: list[tuple[int, int]] = []  # pk, new version
    if dataset.complete:
        # The whole directory came: what it no longer has is removed (what the agency added
        # itself stays).
        gone = [pk for key, (pk, _g, _v, was) in existing.items() if key not in seen and not was]
        for start in range(0, len(gone), BATCH):
            rows = Record.objects.filter(
                pk__in=gone[start : start + BATCH], source=Record.Source.IMPORT
            ).values_list("pk", "table", "version", "data")
            for pk, table, version, data in rows:
                removed.append((pk, version + 1))
                old_data[pk] = data
                counts["removed"] += 1
                if table == "service":
                    services["removed"] += 1
    actor_id = actor.pk if actor is not None else None
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
            "created_by_id",
            "created_at",
            "updated_at",
        ],
        (
            (organization.pk, table, hsds_id, data, row_digest, "import", 1, actor_id, now, now)
            for table, hsds_id, data, row_digest in new
        ),
    )
    # Each change keeps the record as it was, with who changed which fields.
    history = [
        (pk, version, writes.as_json(_changed_fields(old_data[pk], data)), "import")
        for pk, _t, _g, version, data in changed
    ]
    history += [(pk, version, "[]", "remove") for pk, version in removed]
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
            (
                *(organization.pk, pk, version - 1, writes.as_json(old_data[pk])),
                *(fields, how, actor_id, now),
            )
            for pk, version, fields, how in history
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
    writes.update(
        Record, ["removed_at", "version"], ((now, version, pk) for pk, version in removed)
    )
    if progress:
        progress(done)
    return {**counts, "services": services, "records": done}


def _changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))


def _data_of(pks: list[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(pks), BATCH):
        rows = Record.objects.filter(pk__in=pks[start : start + BATCH]).values_list("pk", "data")
        found.update(rows)
    return found


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


# -- Imports from the page, in the background --------------------------------------------------

JOB_KIND = "hsds"


def import_job_create(
    *, organization: Organization, actor: Staff, file_name: str, data: bytes, language: str
) -> ImportJob:
    """An uploaded file waiting for the worker (the upload is recorded in the audit trail)."""
    with transaction.atomic():
        job = ImportJob.objects.create(
            organization=organization,
            kind=JOB_KIND,
            file_name=file_name[:200],
            content=base64.b64encode(data).decode("ascii"),
            created_by=actor,
            language=language,
        )
        audit.record(
            organization=organization,
            actor=actor,
            action="import.upload",
            obj=job,
            details={"kind": JOB_KIND, "file": file_name[:200], "bytes": len(data)},
        )
    return job


def import_job_run(job: ImportJob) -> ImportJob:
    """Check the job's file, then write it all or nothing, reporting progress on the job."""
    Job = ImportJob
    Job.objects.filter(pk=job.pk).update(status=Job.Status.CHECKING, done_rows=0)
    data = base64.b64decode(job.content)
    if meetings.is_feed(job.file_name, data):
        return _meeting_feed_job(job, data)
    dataset = sources.read_upload(job.file_name, data)
    total = dataset.count()
    Job.objects.filter(pk=job.pk).update(total_rows=total, done_rows=total)
    problems = hsds_check(organization=job.organization, dataset=dataset)
    if problems:
        job.status = Job.Status.REFUSED
        job.problem_count = len(problems)
        job.problems = [p.as_dict() for p in problems[:MAX_PROBLEMS_KEPT]]
        job.total_rows = total
        job.save(update_fields=["status", "problem_count", "problems", "total_rows"])
        return job
    Job.objects.filter(pk=job.pk).update(status=Job.Status.WRITING, done_rows=0)

    def progress(done: int) -> None:
        Job.objects.filter(pk=job.pk).update(done_rows=total + done)

    try:
        summary = hsds_import(
            organization=job.organization,
            dataset=dataset,
            actor=job.created_by,
            source_name=job.file_name,
            progress=progress,
        )
    except ImportRefused as refused:  # the directory changed since the check
        job.status = Job.Status.REFUSED
        job.problem_count = len(refused.problems)
        job.problems = [p.as_dict() for p in refused.problems[:MAX_PROBLEMS_KEPT]]
        job.save(update_fields=["status", "problem_count", "problems"])
        return job
    job.status = Job.Status.DONE
    job.summary = summary
    job.total_rows = total
    job.done_rows = total * 2
    job.finished_at = timezone.now()
    job.content = ""  # the records now live in the directory; the file is not kept
    job.save(
        update_fields=["status", "summary", "total_rows", "done_rows", "finished_at", "content"]
    )
    return job


def _meeting_feed_job(job: ImportJob, data: bytes) -> ImportJob:
    """A Meeting Guide feed uploaded on the same page: good meetings written, bad ones listed."""
    feed = meetings.read_feed(decode(data))
    if feed.problem:
        job.status = ImportJob.Status.REFUSED
        job.problem_count = 1
        job.problems = [{"file": job.file_name, "where": "", "field": "", "message": feed.problem}]
        job.save(update_fields=["status", "problem_count", "problems"])
        return job
    summary = meetings.feed_import(
        organization=job.organization, feed_name=job.file_name, feed=feed, actor=job.created_by
    )
    job.status = ImportJob.Status.DONE
    job.summary = {"kind": "meetings", **summary}
    job.problems = [
        {"file": job.file_name, "where": r.where, "field": r.slug, "message": r.reason}
        for r in feed.refused[:MAX_PROBLEMS_KEPT]
    ]
    job.problem_count = len(feed.refused)
    job.total_rows = len(feed.meetings) + len(feed.refused)
    job.done_rows = job.total_rows * 2
    job.finished_at = timezone.now()
    job.content = ""
    job.save(
        update_fields=[
            "status",
            "summary",
            "problems",
            "problem_count",
            "total_rows",
            "done_rows",
            "finished_at",
            "content",
        ]
    )
    return job
