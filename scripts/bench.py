"""Benchmarks: `make bench`. Each prints its figure and fails when it misses its limit.

    import_people_10k   10,000 people from one CSV file through the import pipeline (< 30 s)
    audit_verify_200k   `audit verify` over a 200,000-event chain: at least 1 million events a
                        minute (the figure printed is seconds for the 200,000)

Runs on a fresh SQLite database in a temporary directory, or on PostgreSQL when DATABASE_URL
names one (its tables are created by `migrate`; use an empty database).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

LIMITS = {"import_people_10k": 30.0, "audit_verify_200k": 12.0}


def setup_django() -> None:
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerpath.settings")
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="peerpath-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def import_people_10k() -> float:
    from peerpath.core import imports
    from peerpath.core.models import Organization, Program, Role, Staff, Team

    org = Organization.objects.create(name="Bench Agency", slug=f"bench-{time.time_ns()}")
    program = Program.objects.create(organization=org, name="Adult Recovery")
    team = Team.objects.create(organization=org, program=program, name="North Team")
    peer = Staff.objects.create_user(
        f"peer-{org.slug}@bench.example",
        None,
        full_name="Bench Peer",
        organization=org,
        role=Role.PEER_SPECIALIST,
    )
    lines = [
        "external_id,given_name,family_name,date_of_birth,phone,email,program,team,"
        "peer_email,enrolled_on"
    ]
    for n in range(10_000):
        lines.append(
            f"B-{n},Given{n},Family{n},19{50 + n % 50}-0{1 + n % 9}-1{n % 10},"
            f"555-01{n % 100:02d}-{n:04d},p{n}@bench.example,{program.name},{team.name},"
            f"{peer.email},2024-01-15"
        )
    text = "\n".join(lines) + "\n"
    started = time.perf_counter()
    summary = imports.run("people", org, text, actor=None)
    elapsed = time.perf_counter() - started
    assert summary["created"] == 10_000, summary
    return elapsed


def audit_verify_200k() -> float:
    from django.utils import timezone

    from peerpath.core import audit
    from peerpath.core.models import AuditEvent, Organization

    org = Organization.objects.create(name="Bench Trail", slug=f"trail-{time.time_ns()}")
    kid, _key = audit.current_key()
    previous = audit.GENESIS
    now = timezone.now()
    batch: list[AuditEvent] = []
    for n in range(200_000):
        event = AuditEvent(
            organization_id=org.pk,
            action="client.view",
            client_id=n % 5000,
            purpose="treatment",
            created_at=now,
            details={"n": n},
            previous_hash=previous,
            key_id=kid,
        )
        event.hash = previous = audit.compute_hash(event)
        batch.append(event)
        if len(batch) == 5000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    started = time.perf_counter()
    result = audit.verify_organization(org.pk)
    elapsed = time.perf_counter() - started
    assert result.ok and result.checked == 200_000, result
    return elapsed


def main() -> int:
    setup_django()
    failed = 0
    benches = [("import_people_10k", import_people_10k), ("audit_verify_200k", audit_verify_200k)]
    for name, bench in benches:
        seconds = bench()
        ok = seconds < LIMITS[name]
        failed += not ok
        print(f"{name}: {seconds:.1f} s (limit {LIMITS[name]:.0f} s) {'ok' if ok else 'TOO SLOW'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
