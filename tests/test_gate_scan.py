"""Rule 1, one gate to a client record: views and API modules never query models themselves.

They call `clients.access` (which decides who may see what) and the apps' `queries`/`actions`
modules (which start from what the gate returned). A view that writes `.objects` or
`get_object_or_404` could reach a person's data around the gate, so this scan refuses it.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "peerpath"
FORBIDDEN = re.compile(r"\.objects\b|get_object_or_404|get_list_or_404|\.raw\(|\bcursor\(")


def view_and_api_modules() -> list[Path]:
    found = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        if path.name == "api.py" or "views" in path.stem or "views" in parts[:-1]:
            found.append(path)
    return found


def test_the_scan_finds_the_views() -> None:
    names = {str(p.relative_to(ROOT)) for p in view_and_api_modules()}
    assert {"clients/views.py", "clients/api.py", "core/views.py", "api.py"} <= names


def test_views_and_api_reach_data_only_through_the_gate() -> None:
    offenders = []
    for path in view_and_api_modules():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if FORBIDDEN.search(code):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    # core/views.py reads the signed-in person's own two-factor devices, not client data.
    allowed = {"core/views.py"}
    offenders = [o for o in offenders if o.split(":", 1)[0] not in allowed]
    assert not offenders, "Fetch through clients.access and queries.py instead:\n" + "\n".join(
        offenders
    )


def test_the_scan_would_catch_a_direct_fetch() -> None:
    assert FORBIDDEN.search("client = Client.objects.get(pk=client_id)")
    assert FORBIDDEN.search("note = get_object_or_404(Contact, pk=pk)")
    assert not FORBIDDEN.search("grant = access.client_for_read(request.user, client_id)")
