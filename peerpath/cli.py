"""The `peerpath` console command: Django's management commands under one name.

peerpath demo             migrate, load the demo agency and start the server
peerpath audit verify     check every organization's audit chain
peerpath migrate | runserver | createsuperuser | ...
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerpath.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["peerpath", *sys.argv[1:]])


if __name__ == "__main__":
    main()
