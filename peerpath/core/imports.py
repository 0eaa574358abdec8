"""The one import pipeline: parse -> check every row -> preview -> write all in one transaction,
or nothing.

Each app supplies an `Importer` (its columns, a row check and a writer) and registers it in its
AppConfig.ready(). Every problem is reported with its line and column, in words; a file with any
problem writes nothing. Checking and writing report progress (rows done) to an `ImportJob`, which
a page shows as a progress bar while the background task (`tasks.py`) runs.

A CSV file's header names the columns, in English or Spanish, in any order and case. Dates are
written YYYY-MM-DD (or M/D/YYYY as US spreadsheets export them).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .models import ImportJob, Organization, Staff

MAX_PROBLEMS_SHOWN = 500
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Column:
    name: str
    spanish: str
    required: bool
    description: Promise | str
    example: str = ""


@dataclass(frozen=True)
class Problem:
    line: int  # the file's line number (the header is line 1)
    column: str  # "" when the problem is the whole row or file
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class Row:
    line: int
    values: dict[str, str]
    # What the importer made of it (its own object) and whether it creates, updates or keeps.
    parsed: Any = None
    plan: str = ""


@dataclass
class Checked:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    context: Any = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for row in self.rows:
            if row.plan in counts:
                counts[row.plan] += 1
        return counts


class Importer(Protocol):
    kind: str
    label: Any
    columns: list[Column]

    def prepare(self, organization: Organization) -> Any:
        """Everything rows are checked against, read once (names, e-mails, external ids)."""

    def check_row(self, row: Row, context: Any) -> list[Problem]:
        """Set row.parsed and row.plan; return the row's problems."""

    def check_file(self, rows: list[Row], context: Any) -> list[Problem]:
        """Problems between rows (the same external id twice)."""

    def write(
        self, rows: list[Row], context: Any, *, actor: Staff | None, progress: Progress
    ) -> dict[str, Any]:
        """Write every row (inside the pipeline's transaction); return a summary."""


_registry: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    _registry[importer.kind] = importer


def importer_for(kind: str) -> Importer:
    try:
        return _registry[kind]
    except KeyError:
        raise ValueError(f"unknown import kind: {kind}") from None


def kinds() -> list[Importer]:
    order = ["people", "staff", "contacts"]
    return sorted(_registry.values(), key=lambda i: order.index(i.kind) if i.kind in order else 9)


class ImportRefused(Exception):
    """The file has problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


# Reading the file -----------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """CSV text from a file as spreadsheets save it (UTF-8, with or without BOM, or Windows)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _key(text: str) -> str:
    """A header or choice as compared: lower case, no accents, words joined by underscores."""
    plain = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return re.sub(r"[\s\-]+", "_", plain)


def _header_map(importer: Importer, header: list[str]) -> tuple[dict[int, str], list[Problem]]:
    known: dict[str, str] = {}
    for column in importer.columns:
        known[_key(column.name)] = column.name
        known[_key(column.spanish)] = column.name
    mapping: dict[int, str] = {}
    problems = []
    for index, title in enumerate(header):
        name = known.get(_key(title))
        if not title.strip():
            continue
        if name is None:
            problems.append(
                Problem(1, title, _("This column is not in the template. Remove or rename it."))
            )
        elif name in mapping.values():
            problems.append(Problem(1, title, _("This column appears twice.")))
        else:
            mapping[index] = name
    for column in importer.columns:
        if column.required and column.name not in mapping.values():
            problems.append(Problem(1, column.name, _("This required column is missing.")))
    return mapping, problems


def parse(importer: Importer, text: str) -> tuple[list[Row], list[Problem]]:
    """Rows with their line numbers; a header problem stops here (no row can be read right)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return [], [Problem(1, "", _("The file is empty."))]
    except csv.Error as error:
        return [], [Problem(1, "", _("This is not a CSV file: %(error)s") % {"error": error})]
    mapping, problems = _header_map(importer, header)
    if problems:
        return [], problems
    rows: list[Row] = []
    line = reader.line_num + 1
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                if len(record) > len(header):
                    problems.append(
                        Problem(line, "", _("This row has more cells than the header."))
                    )
                values = {
                    name: (record[i].strip() if i < len(record) else "")
                    for i, name in mapping.items()
                }
                rows.append(Row(line=line, values=values))
            line = reader.line_num + 1
    except csv.Error as error:
        problems.append(
            Problem(line, "", _("The file cannot be read here: %(error)s") % {"error": error})
        )
    if not rows and not problems:
        problems.append(Problem(2, "", _("The file has a header but no rows.")))
    return rows, problems


# Checking and writing ---------------------------------------------------------------------------


def check(
    kind: str, organization: Organization, text: str, progress: Progress | None = None
) -> Checked:
    """Every problem in the file, by line and column, and what each row would do."""
    importer = importer_for(kind)
    rows, problems = parse(importer, text)
    result = Checked(rows=rows, problems=problems)
    if problems:
        return result
    result.context = importer.prepare(organization)
    for number, row in enumerate(rows, start=1):
        result.problems += importer.check_row(row, result.context)
        if progress and number % 500 == 0:
            progress(number)
    result.problems += importer.check_file(rows, result.context)
    result.problems.sort(key=lambda p: (p.line, p.column))
    return result


def run(
    kind: str,
    organization: Organization,
    text: str,
    *,
    actor: Staff | None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Check the file, then write all of it in one transaction; any problem writes nothing."""
    importer = importer_for(kind)
    total = 0

    def checked_rows(done: int) -> None:
        if progress:
            progress(done)

    result = check(kind, organization, text, checked_rows)
    if not result.ok:
        raise ImportRefused(result.problems)
    total = len(result.rows)
    with transaction.atomic():
        summary = importer.write(
            result.rows,
            result.context,
            actor=actor,
            progress=lambda done: checked_rows(total + done),
        )
    return {**result.counts(), **summary, "rows": total}


# Background jobs -------------------------------------------------------------------------------


def job_create(
    *,
    organization_id: int,
    kind: str,
    file_name: str,
    content: str,
    actor: Staff,
    language: str,
) -> ImportJob:
    """A file waiting to be checked (the upload is recorded in the audit trail)."""
    from . import audit

    importer_for(kind)
    with transaction.atomic():
        job = ImportJob.objects.create(
            organization_id=organization_id,
            kind=kind,
            file_name=file_name[:200],
            content=content,
            created_by=actor,
            language=language,
        )
        audit.record(
            organization=organization_id,
            actor=actor,
            action="import.upload",
            obj=job,
            details={"kind": kind, "file": file_name[:200], "bytes": len(content)},
        )
    return job


def job_queue(job: ImportJob) -> bool:
    """Mark a checked job to be written; False when it is not (or no longer) ready."""
    return bool(
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(
            status=ImportJob.Status.QUEUED, done_rows=0
        )
    )


def job_progress(job_id: int) -> Progress:
    def report(done: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(done_rows=done)

    return report


def job_check(job: ImportJob) -> ImportJob:
    """Check the job's file and keep the preview (problems and what each row would do)."""
    org = Organization.objects.get(pk=job.organization_id)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING, done_rows=0)
    result = check(job.kind, org, job.content, job_progress(job.pk))
    job.total_rows = len(result.rows)
    job.problem_count = len(result.problems)
    job.problems = [p.as_dict() for p in result.problems[:MAX_PROBLEMS_SHOWN]]
    job.summary = result.counts()
    job.done_rows = job.total_rows
    job.status = ImportJob.Status.CHECKED if result.ok else ImportJob.Status.REFUSED
    job.save(
        update_fields=["total_rows", "problem_count", "problems", "summary", "done_rows", "status"]
    )
    return job


def job_write(job: ImportJob) -> ImportJob:
    """Write a checked job's file (checked again: the database may have changed meanwhile)."""
    org = Organization.objects.get(pk=job.organization_id)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.WRITING, done_rows=0)
    try:
        summary = run(
            job.kind, org, job.content, actor=job.created_by, progress=job_progress(job.pk)
        )
    except ImportRefused as refused:
        job.problems = [p.as_dict() for p in refused.problems[:MAX_PROBLEMS_SHOWN]]
        job.problem_count = len(refused.problems)
        job.status = ImportJob.Status.REFUSED
        job.save(update_fields=["problems", "problem_count", "status"])
        return job
    job.summary = summary
    job.status = ImportJob.Status.DONE
    job.finished_at = timezone.now()
    job.done_rows = job.total_rows * 2
    job.content = ""  # the rows now live in PeerPath; the file itself is not kept
    job.save(update_fields=["summary", "status", "finished_at", "done_rows", "content"])
    return job


# Cell parsers shared by the importers ----------------------------------------------------------


def cell_date(row: Row, column: str, problems: list[Problem], *, required: bool) -> date | None:
    text = row.values.get(column, "")
    if not text:
        if required:
            problems.append(Problem(row.line, column, _("Enter a date.")))
        return None
    for pattern in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    problems.append(
        Problem(row.line, column, _("“%(text)s” is not a date like 2024-03-31.") % {"text": text})
    )
    return None


def cell_email(row: Row, column: str, problems: list[Problem], *, required: bool) -> str:
    text = row.values.get(column, "").lower()
    if not text:
        if required:
            problems.append(Problem(row.line, column, _("Enter an email address.")))
        return ""
    try:
        validate_email(text)
    except ValidationError:
        problems.append(
            Problem(row.line, column, _("“%(text)s” is not an email address.") % {"text": text})
        )
        return ""
    return text


def cell_text(
    row: Row, column: str, problems: list[Problem], *, required: bool, max_length: int
) -> str:
    text = row.values.get(column, "")
    if required and not text:
        problems.append(Problem(row.line, column, _("This cell cannot be empty.")))
    elif len(text) > max_length:
        problems.append(
            Problem(
                row.line,
                column,
                _("This is longer than %(n)s characters.") % {"n": max_length},
            )
        )
    elif "\x00" in text:
        problems.append(
            Problem(row.line, column, _("This cell holds a character that is not text."))
        )
    return text


def cell_choice(
    row: Row,
    column: str,
    problems: list[Problem],
    choices: list[tuple[str, Any]],
    *,
    required: bool,
) -> str:
    """A code ("hospital") or its label in English or Spanish ("Hospital")."""
    text = row.values.get(column, "")
    if not text:
        if required:
            problems.append(
                Problem(
                    row.line,
                    column,
                    _("Choose one of: %(codes)s.") % {"codes": ", ".join(c for c, _l in choices)},
                )
            )
        return ""
    wanted = _key(text)
    from django.utils import translation

    for code, label in choices:
        names = {_key(code), _key(str(label))}
        with translation.override("es"):
            names.add(_key(str(label)))
        if wanted in names:
            return code
    problems.append(
        Problem(
            row.line,
            column,
            _("“%(text)s” is not one of: %(codes)s.")
            % {"text": text, "codes": ", ".join(c for c, _l in choices)},
        )
    )
    return ""


def template_csv(importer: Importer, *, spanish: bool = False) -> str:
    """The downloadable template: the header and one example row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.spanish if spanish else c.name for c in importer.columns])
    writer.writerow([c.example for c in importer.columns])
    return buffer.getvalue()


def max_bytes() -> int:
    return int(settings.IMPORT_MAX_BYTES)


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
