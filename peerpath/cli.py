"""The `peerpath` console command: Django's management commands under one name.

A bad setting or an unmigrated database prints one line and exits with status 2.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent

# PeerPath's own commands, listed first by `peerpath --help`.
OWN_COMMANDS = """PeerPath commands:
  peerpath demo                      migrate, load the demo agency and serve it
  peerpath createorganization NAME SLUG EMAIL
                                     a new agency; prints its program manager's invitation link
  peerpath import people|staff|contacts FILE --organization SLUG [--dry-run]
                                     bring in a CSV file (every row checked, then all or none)
  peerpath worker                    run background tasks (imports); keep one running
  peerpath audit verify              check every organization's audit chain
  peerpath audit checkpoint          write each chain's newest event, signed, for safekeeping
  peerpath load_questionnaires FILE  load FHIR Questionnaire files as measures
  peerpath load_surveys FILE --organization SLUG
                                     load an agency's own staff readiness questionnaires
  peerpath hsds import|export --organization SLUG PATH
                                     the resource directory in and out (HSDS 3.0)
  peerpath meetings import --organization SLUG FILE
                                     mutual-aid meetings from a Meeting Guide feed
  peerpath generate --scale small|tenth|state [--seed N]
                                     fill an empty database with synthetic agencies (speed tests)

Everything else is Django's (migrate, collectstatic, check --deploy, createsuperuser, ...):
"""


def _in_development_checkout() -> bool:
    """Run from the virtual environment `make demo` creates inside a source checkout."""
    return (
        Path(sys.prefix).resolve() == (CHECKOUT / ".venv").resolve()
        and (CHECKOUT / "pyproject.toml").exists()
    )


def _fail(message: str) -> None:
    sys.stderr.write(f"peerpath: {message}\n")
    sys.exit(2)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerpath.settings")
    if _in_development_checkout():
        # The checkout's own environment is for development: DEBUG unless said otherwise.
        os.environ.setdefault("DEBUG", "true")
    from django.core.exceptions import ImproperlyConfigured
    from django.db.utils import OperationalError, ProgrammingError

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018  (loads settings: a bad value fails here, in one line)
    except ImproperlyConfigured as exc:
        _fail(str(exc))
    if not args or (args[0] in {"help", "--help", "-h"} and len(args) == 1):
        sys.stdout.write(OWN_COMMANDS)
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["peerpath", *args])
    except ImproperlyConfigured as exc:
        _fail(str(exc))
    except (OperationalError, ProgrammingError) as exc:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "no such table" in text or "does not exist" in text:
            _fail(f"the database is not set up ({text}); run `peerpath migrate` first.")
        _fail(f"database error: {text}")


if __name__ == "__main__":
    main()
