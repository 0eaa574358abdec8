"""`peerpath audit verify` and `peerpath audit checkpoint`: prove the audit trail is whole."""

from __future__ import annotations

import json
import time
from datetime import UTC
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from peerpath.core.audit import check_checkpoint, checkpoint, verify_all


class Command(BaseCommand):
    help = (
        "Audit trail tools. `verify` checks that no audit event was changed, removed or "
        "inserted (with --checkpoint, also that no newest events or whole trails vanished). "
        "`checkpoint` writes each organization's newest event, signed with the audit key, to "
        "keep outside the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subcommand", choices=["verify", "checkpoint"])
        parser.add_argument(
            "--checkpoint",
            type=Path,
            help="verify: a checkpoint file written earlier by `peerpath audit checkpoint`",
        )
        parser.add_argument(
            "--output",
            type=Path,
            help="checkpoint: the file to write (default: a new file in AUDIT_CHECKPOINT_DIR, "
            "or the screen)",
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "checkpoint":
            self.write_checkpoint(options.get("output"))
        else:
            self.verify(options.get("checkpoint"))

    def write_checkpoint(self, output: Path | None) -> None:
        lines = "".join(json.dumps(entry, sort_keys=True) + "\n" for entry in checkpoint())
        if output is None and settings.AUDIT_CHECKPOINT_DIR:
            stamp = timezone.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
            output = Path(settings.AUDIT_CHECKPOINT_DIR) / f"audit-checkpoint-{stamp}.jsonl"
        if output is None:
            self.stdout.write(lines, ending="")
            return
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            with output.open("x", encoding="utf-8") as handle:  # never overwrite a checkpoint
                handle.write(lines)
        except OSError as exc:
            raise CommandError(f"cannot write the checkpoint to {output}: {exc.strerror}") from None
        self.stdout.write(f"checkpoint written to {output} ({lines.count(chr(10))} organizations)")

    def verify(self, checkpoint_file: Path | None) -> None:
        started = time.monotonic()

        def progress(organization_id: int, checked: int) -> None:
            rate = checked / max(time.monotonic() - started, 0.001)
            self.stderr.write(
                f"organization {organization_id}: {checked} events checked ({rate:,.0f}/s)"
            )

        results = verify_all(progress)
        total = sum(r.checked for r in results)
        elapsed = max(time.monotonic() - started, 0.001)
        problems = [
            f"organization {r.organization_id}: audit event {r.broken_event_id} {r.problem} "
            f"({r.checked} events before it are intact)"
            for r in results
            if not r.ok
        ]
        for result in results:
            if result.ok:
                self.stdout.write(
                    f"organization {result.organization_id}: {result.checked} events, chain intact"
                )
        if checkpoint_file is not None:
            try:
                text = checkpoint_file.read_text(encoding="utf-8")
                entries = [json.loads(line) for line in text.splitlines() if line.strip()]
            except OSError as exc:
                raise CommandError(f"cannot read {checkpoint_file}: {exc.strerror}") from None
            except json.JSONDecodeError:
                raise CommandError(f"{checkpoint_file} is not a checkpoint file") from None
            problems += check_checkpoint(entries)
            if not problems:
                self.stdout.write(f"every head in {checkpoint_file.name} is still in its chain")
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"audit trail is not whole: {len(problems)} problem(s)")
        self.stdout.write(
            self.style.SUCCESS(
                f"audit trail intact ({len(results)} organization(s), {total} events, "
                f"{total / elapsed:,.0f} events/s)"
            )
        )
