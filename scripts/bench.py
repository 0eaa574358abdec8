"""Benchmarks: `make bench`. Each prints its figure and fails when it misses its limit.

    import_people_10k   10,000 people from one CSV file through the import pipeline (< 30 s)
    audit_verify_200k   `audit verify` over a 200,000-event chain: at least 1 million events a
                        minute (the figure printed is seconds for the 200,000)
    directory_import_20k  a generated county directory of 20,000 services (HSDS data package)
                        checked and imported: at least 2,000 services a second (< 10 s)
    directory_search_20k  the Resources search over those 20,000 services: words, filters,
                        open at a time, distance; p95 of each kind under 100 ms

Runs on a fresh SQLite database in a temporary directory, or on PostgreSQL when DATABASE_URL
names one (its tables are created by `migrate`; use an empty database).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

LIMITS = {
    "import_people_10k": 30.0,
    "audit_verify_200k": 12.0,
    "directory_import_20k": 10.0,
    "directory_search_20k": 0.1,
}


def setup_django() -> None:
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerpath.settings")
    os.environ.setdefault("IMPORT_MAX_MB", "100")  # the 20,000-service directory is 36 MB
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


_DIRECTORY: dict[str, object] = {}


def directory_import_20k() -> float:
    from peerpath.core.models import Organization
    from peerpath.directory import actions, sample, sources

    org = Organization.objects.create(name="Bench County", slug=f"county-{time.time_ns()}")
    files = {k: v.encode() for k, v in sample.as_datapackage(sample.county(20_000)).items()}
    started = time.perf_counter()
    dataset = sources.read_files(files)
    summary = actions.hsds_import(organization=org, dataset=dataset, actor=None)
    elapsed = time.perf_counter() - started
    assert summary["services"]["added"] == 20_000, summary
    print(
        f"  {summary['records']:,} records, {20_000 / elapsed:,.0f} services a second, "
        f"{summary['entries']:,} search entries"
    )
    _DIRECTORY["org"] = org
    return elapsed


def directory_search_20k() -> float:
    """The slowest kind's p95 (seconds), after a warm-up; each kind 30 times."""
    from peerpath.directory import search

    org = _DIRECTORY["org"]
    origin = search.point_for_postal_code("97401")
    kinds = {
        "words": search.Criteria(words="food pantry"),
        "category, open Saturday 11:00, 5 miles": search.Criteria(
            facets={"category": "housing"},
            open_day=5,
            open_minute=660,
            origin=origin,
            within_miles=5,
        ),
        "words, Spanish, free, nearest": search.Criteria(
            words="support", facets={"language": "es", "cost": "free"}, origin=origin
        ),
        "everything, by name": search.Criteria(),
    }
    worst = 0.0
    for label, criteria in kinds.items():
        times = []
        for run in range(35):
            started = time.perf_counter()
            queryset = search.find(org, criteria)  # type: ignore[arg-type]
            list(queryset[:20])
            queryset.count()
            if run >= 5:
                times.append(time.perf_counter() - started)
        times.sort()
        p95 = times[int(0.95 * len(times)) - 1]
        print(f"  {label}: p50 {times[len(times) // 2] * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")
        worst = max(worst, p95)
    return worst


def main() -> int:
    setup_django()
    failed = 0
    benches = [
        ("import_people_10k", import_people_10k),
        ("audit_verify_200k", audit_verify_200k),
        ("directory_import_20k", directory_import_20k),
        ("directory_search_20k", directory_search_20k),
    ]
    for name, bench in benches:
        seconds = bench()
        ok = seconds < LIMITS[name]
        failed += not ok
        verdict = "ok" if ok else "TOO SLOW"
        if LIMITS[name] < 1:
            print(f"{name}: {seconds * 1000:.0f} ms (limit {LIMITS[name] * 1000:.0f} ms) {verdict}")
        else:
            print(f"{name}: {seconds:.1f} s (limit {LIMITS[name]:.0f} s) {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
