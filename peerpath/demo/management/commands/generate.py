"""`peerpath generate --scale small|tenth|state`: fill an empty database with a synthetic state."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerpath.demo import generate


class Command(BaseCommand):
    help = (
        "Fill an empty database with synthetic agencies for measuring speed "
        "(small ≈ 10k contacts; tenth = 30 agencies, 1.5M contacts; state = 300 agencies)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(generate.SCALES), default="small")
        parser.add_argument(
            "--seed", type=int, default=1, help="The same seed gives the same data."
        )
        parser.add_argument(
            "--scratch",
            action="store_true",
            help="Allow it with DEBUG off: every generated staff member shares one published "
            "password, so only ever on a scratch database.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["scratch"]:
            raise CommandError(
                "Generated staff share a published password: run with DEBUG=true, or say "
                "--scratch for a scratch database."
            )
        try:
            generate.check_database(options["scale"])
        except generate.Refused as exc:
            raise CommandError(str(exc)) from exc
        generate.generate(
            options["scale"], seed=options["seed"], out=lambda line: self.stdout.write(line)
        )
        self.stdout.write(f"Staff sign in with the password {generate.BENCH_PASSWORD!r}.")
