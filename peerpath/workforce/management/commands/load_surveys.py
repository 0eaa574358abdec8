"""Load readiness questionnaires: refresh the shipped ones, or add an agency's own files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from peerpath.core.models import Organization
from peerpath.workforce import actions, loading
from peerpath.workforce.models import SurveyInstrument


class Command(BaseCommand):
    help = (
        "Load FHIR R4 Questionnaire JSON files as staff readiness surveys. Without files, refresh "
        "the surveys shipped with PeerPath. With --organization, the files become that agency's "
        "own surveys (each needs scored answers; its groups are the sections of the results)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path)
        parser.add_argument("--organization", help="short name (slug) of the agency")

    def handle(
        self, *args: Any, files: list[Path], organization: str | None, **options: Any
    ) -> None:
        if not files:
            rows = loading.load_shipped(SurveyInstrument)
            self.stdout.write(f"Loaded {len(rows)} shipped surveys.")
            return
        if not organization:
            raise CommandError("Name the agency with --organization to load its own files.")
        org = Organization.objects.filter(slug=organization).first()
        if org is None:
            raise CommandError(f"No organization with the short name {organization!r}.")
        # Check every file first; load nothing if one is bad.
        problems, resources = [], []
        for path in files:
            try:
                resources.append(loading.check_file(path))
            except ValueError as exc:
                problems.append(str(exc))
        if problems:
            raise CommandError("Nothing was loaded:\n" + "\n".join(problems))
        with transaction.atomic():
            for resource in resources:
                row = actions.survey_instrument_import(organization=org, resource=resource)
                self.stdout.write(f"Loaded {row.title} ({row.url}) for {org.name}.")
