"""`peerpath meetings import --organization SLUG FILE [--feed NAME]`: a Meeting Guide feed.

Prints how many meetings were added, updated, unchanged, removed and refused, with each refused
meeting (its place in the file, its slug) and why. Exits non-zero when the file cannot be read
as a feed at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerpath.core.imports import decode, max_bytes
from peerpath.core.models import Organization
from peerpath.directory import meetings


class Command(BaseCommand):
    help = "Import mutual-aid meetings from a Meeting Guide JSON feed."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        do_import = sub.add_parser("import", help="add and update the feed's meetings")
        do_import.add_argument("file", type=Path)
        do_import.add_argument("--organization", required=True)
        do_import.add_argument(
            "--feed", default="", help="the feed's name (default: the file's name)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organization.objects.filter(slug=options["organization"]).first()
        if org is None:
            raise CommandError(f"No organization has the short name {options['organization']!r}.")
        path: Path = options["file"]
        try:
            if path.stat().st_size > max_bytes():
                raise CommandError(f"{path} is larger than IMPORT_MAX_MB allows.")
            text = decode(path.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        feed = meetings.read_feed(text)
        if feed.problem:
            raise CommandError(f"{path}: {feed.problem} Nothing was written.")
        summary = meetings.feed_import(
            organization=org, feed_name=options["feed"] or path.name, feed=feed, actor=None
        )
        for refused in feed.refused:
            self.stderr.write(f"refused {refused}")
        self.stdout.write(
            f"{summary['added']} added, {summary['updated']} updated, "
            f"{summary['unchanged']} unchanged, {summary['removed']} removed, "
            f"{summary['refused']} refused."
        )
