"""`peerpath worker`: run background tasks (imports) as they arrive. Keep one running in
production (see docs/production.md for a systemd unit)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run PeerPath's background tasks (imports) from the database queue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="run the waiting tasks, then stop")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at the queue"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        extra = ["--batch"] if options["batch"] else []
        # Never the code reloader: a task is never cut off halfway, in development either.
        call_command("db_worker", f"--interval={options['interval']}", "--no-reload", *extra)
