"""`peerpath import people|staff|contacts FILE --organization SLUG [--dry-run]`.

The same pipeline as the Imports page: every row is checked first; the report lists every
problem by line and column; then every row is written in one transaction, or none.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerpath.core import imports
from peerpath.core.models import Organization, Staff


class Bar:
    """A progress bar on stderr (only when stderr is a terminal)."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.label = max(total, 1), label
        self.live = sys.stderr.isatty()

    def __call__(self, done: int) -> None:
        if not self.live:
            return
        filled = int(30 * min(done, self.total) / self.total)
        sys.stderr.write(
            f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {done}/{self.total}"
        )
        sys.stderr.flush()

    def end(self) -> None:
        if self.live:
            sys.stderr.write("\n")


class Command(BaseCommand):
    help = "Import people, staff or contact history from a CSV file (see the templates)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["people", "staff", "contacts"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--organization", required=True, help="the organization's short name")
        parser.add_argument(
            "--as", dest="actor", default="", help="the staff e-mail the audit trail names"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report only; write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organization.objects.filter(slug=options["organization"]).first()
        if org is None:
            raise CommandError(f"No organization has the short name {options['organization']!r}.")
        actor = None
        if options["actor"]:
            actor = Staff.objects.filter(email__iexact=options["actor"], organization=org).first()
            if actor is None:
                raise CommandError(f"No staff member of {org} has the e-mail {options['actor']}.")
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        if len(data) > imports.max_bytes():
            raise CommandError(f"{path} is larger than IMPORT_MAX_MB allows.")
        text = imports.decode(data)
        rows = text.count("\n")
        kind = options["kind"]
        if options["dry_run"]:
            bar = Bar(rows, "checking")
            result = imports.check(kind, org, text, bar)
            bar.end()
            self._report_problems(result.problems)
            counts = result.counts()
            self.stdout.write(
                f"{len(result.rows)} rows, no problems: {counts['create']} new, "
                f"{counts['update']} to update, {counts['unchanged']} unchanged. Nothing written "
                "(--dry-run)."
            )
            return
        bar = Bar(2 * rows, "importing")
        try:
            summary = imports.run(kind, org, text, actor=actor, progress=bar)
        except imports.ImportRefused as refused:
            bar.end()
            self._report_problems(refused.problems)
        bar.end()
        self.stdout.write(
            f"Imported {summary['rows']} rows: {summary.get('created', 0)} new, "
            f"{summary.get('updated', 0)} updated, {summary.get('unchanged', 0)} unchanged."
        )

    def _report_problems(self, problems: list[imports.Problem]) -> None:
        if not problems:
            return
        for problem in problems:
            column = f", column {problem.column}" if problem.column else ""
            self.stderr.write(f"line {problem.line}{column}: {problem.message}")
        raise CommandError(f"{len(problems)} problems; nothing was written.")
