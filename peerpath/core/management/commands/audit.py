"""`peerpath audit verify`: check every organization's audit chain and name the first broken row."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerpath.core.audit import verify_all


class Command(BaseCommand):
    help = (
        "Audit trail tools. `verify` checks that no audit event was changed, removed or inserted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subcommand", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        results = verify_all()
        broken = [r for r in results if not r.ok]
        for result in results:
            if result.ok:
                self.stdout.write(
                    f"organization {result.organization_id}: {result.checked} events, chain intact"
                )
        if broken:
            for result in broken:
                self.stderr.write(
                    f"organization {result.organization_id}: audit event {result.broken_event_id} "
                    f"{result.problem} ({result.checked} events before it are intact)"
                )
            raise CommandError(f"audit chain broken in {len(broken)} organization(s)")
        self.stdout.write(
            self.style.SUCCESS(f"audit trail intact ({len(results)} organization(s))")
        )
