"""Delete the records of candidates not hired once CANDIDATE_RETENTION_DAYS have passed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from peerpath.workforce import recruiting


class Command(BaseCommand):
    help = (
        "Delete candidates who were screened out, not hired or withdrew, with their interview "
        "scores, once their application closed more than CANDIDATE_RETENTION_DAYS days ago "
        "(or --days). Each agency's audit trail gets one event with the count. Run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="keep this many days instead of the setting (at least 30)",
        )

    def handle(self, *args: Any, days: int | None, **options: Any) -> None:
        keep = settings.CANDIDATE_RETENTION_DAYS if days is None else days
        if keep < 30:
            self.stderr.write("Keep candidates for at least 30 days (--days 30 or more).")
            raise SystemExit(2)
        counts = recruiting.purge(days=keep)
        total = sum(counts.values())
        self.stdout.write(
            f"Purged {total} candidate record(s) closed more than {keep} days ago "
            f"in {len(counts)} agency(ies)."
        )
