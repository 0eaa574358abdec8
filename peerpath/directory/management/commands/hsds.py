"""`peerpath hsds import --organization SLUG PATH`, `peerpath hsds export --organization SLUG DIR`.

PATH is an HSDS 3.0 JSON file (one record, a list, or a page of the API's list), a folder of
list pages, a data package folder (datapackage.json and CSVs), or a .zip of either. Every record
is checked against HSDS's schemas first; any problem writes nothing and exits non-zero.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerpath.core.models import Organization, Staff
from peerpath.directory import actions, exports, sources

MAX_PROBLEMS_PRINTED = 200


class Command(BaseCommand):
    help = "Import or export an agency's directory of community resources in HSDS 3.0."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        do_import = sub.add_parser("import", help="check, then write every record or none")
        do_import.add_argument("path", type=Path)
        do_import.add_argument("--organization", required=True)
        do_import.add_argument("--as", dest="actor", default="")
        do_import.add_argument("--dry-run", action="store_true", help="check only")
        do_export = sub.add_parser("export", help="a data package and JSON list files")
        do_export.add_argument("folder", type=Path)
        do_export.add_argument("--organization", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organization.objects.filter(slug=options["organization"]).first()
        if org is None:
            raise CommandError(f"No organization has the short name {options['organization']!r}.")
        if options["action"] == "export":
            counts = exports.write(org, options["folder"])
            for name, count in counts.items():
                self.stdout.write(f"{name}: {count} records")
            self.stdout.write(f"Wrote {sum(counts.values())} records to {options['folder']}.")
            return
        actor = None
        if options["actor"]:
            actor = Staff.objects.filter(email__iexact=options["actor"], organization=org).first()
            if actor is None:
                raise CommandError(f"No staff member of {org} has the e-mail {options['actor']}.")
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        dataset = sources.read_path(path)
        if options["dry_run"]:
            problems = actions.hsds_check(organization=org, dataset=dataset)
            if problems:
                self._refuse(path, problems)
            services = len(dataset.rows["service"])
            self.stdout.write(
                f"{dataset.count()} records ({services} services), no problems; nothing written."
            )
            return
        try:
            summary = actions.hsds_import(
                organization=org, dataset=dataset, actor=actor, source_name=path.name
            )
        except actions.ImportRefused as refused:
            self._refuse(path, refused.problems)
        services = summary["services"]
        self.stdout.write(
            f"{summary['records']} records: {summary['added']} added, {summary['updated']} "
            f"updated, {summary['unchanged']} unchanged, {summary['removed']} removed. "
            f"Services: {services['added']} added, {services['updated']} updated, "
            f"{services['unchanged']} unchanged, {services['removed']} removed."
        )

    def _refuse(self, path: Path, problems: list[Any]) -> None:
        for problem in problems[:MAX_PROBLEMS_PRINTED]:
            self.stderr.write(str(problem))
        more = len(problems) - MAX_PROBLEMS_PRINTED
        if more > 0:
            self.stderr.write(f"... and {more} more")
        raise CommandError(f"{path} was refused: {len(problems)} problem(s); nothing was written.")
