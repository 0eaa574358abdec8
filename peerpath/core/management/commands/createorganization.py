"""`peerpath createorganization NAME SLUG EMAIL`: a new agency and its first program manager.

Prints the manager's one-time invitation link (and e-mails it); with it they choose a password
and set up the agency's programs, teams and staff in PeerPath's own pages.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email, validate_slug
from django.db import transaction

from peerpath.core import agency
from peerpath.core.models import Invitation, Role


class Command(BaseCommand):
    help = (
        "Create an organization (an agency) and invite its first program manager. Prints the "
        "manager's one-time link to choose a password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the agency's name, e.g. 'Riverbend Community Health'")
        parser.add_argument("slug", help="a short name: letters, numbers, hyphens")
        parser.add_argument("email", help="the first program manager's e-mail address")
        parser.add_argument("--manager-name", default="", help="the manager's full name")
        parser.add_argument("--time-zone", default="", help="e.g. America/Chicago")
        parser.add_argument(
            "--no-email", action="store_true", help="only print the link; send no e-mail"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name, slug, email = options["name"].strip(), options["slug"].strip(), options["email"]
        try:
            validate_slug(slug)
            validate_email(email)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if not name:
            raise CommandError("The organization needs a name.")
        try:
            with transaction.atomic():
                org = agency.organization_create(
                    name=name, slug=slug, time_zone=options["time_zone"]
                )
                sent = agency.staff_invite(
                    actor=None,
                    organization=org,
                    full_name=options["manager_name"] or email.split("@")[0],
                    email=email,
                    role=Role.PROGRAM_MANAGER,
                    send=not options["no_email"],
                )
        except agency.AgencyError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Created {org.name} ({org.slug}).")
        self.stdout.write(
            f"Invitation for {email} (works once, for {Invitation.VALID_HOURS} hours):"
        )
        self.stdout.write(sent.link)
