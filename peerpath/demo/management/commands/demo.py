"""`peerpath demo`: migrate, load the Riverbend demo agency, print the logins, start the server."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerpath.demo import agency


class Command(BaseCommand):
    help = "Load the fictional Riverbend demo agency (idempotent) and start the development server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Load the data and stop.")
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="Where to serve.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "The demo agency has published passwords; load it only with DEBUG=true."
            )
        call_command("migrate", interactive=False, verbosity=0)
        if agency.already_loaded():
            self.stdout.write("The Riverbend demo agency is already loaded; nothing changed.")
        else:
            agency.load()
            self.stdout.write(self.style.SUCCESS("Loaded Riverbend Community Mental Health."))
        self.stdout.write(f"\nDemo logins (password for all: {agency.PASSWORD}):")
        for name, email, role in agency.logins():
            self.stdout.write(f"  {email:<36} {name} ({role})")
        if options["no_serve"]:
            return
        self.stdout.write(f"\nPeerPath is at http://{options['addrport']}/  (Ctrl-C to stop)\n")
        # Imports run as background tasks: a worker runs beside the server while it serves.
        worker = subprocess.Popen(
            [sys.executable, "-m", "peerpath.cli", "worker"], env=os.environ.copy()
        )
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
