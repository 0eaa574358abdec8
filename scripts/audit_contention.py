"""One agency's staff writing audit events at once: how long they wait on each other.

Run by `make load` (scripts/load.py) against its scratch copy, through PgBouncer. WRITERS
threads, each a different staff member of the agency with the most staff, each repeat for
SECONDS: open a transaction, append an audit event with `audit.record`, keep the transaction
open HOLD_MS more (the rest of a write request's work before it commits), commit. Done once
with the whole agency in one chain (AUDIT_LANES=1, the design before lanes) and once with the
configured lanes; prints a JSON summary (transactions per second and percentiles of a
transaction's time) as its last line, after checking that the agency's trail still verifies.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WRITERS = int(os.environ.get("CONTENTION_WRITERS", "24"))
SECONDS = float(os.environ.get("CONTENTION_SECONDS", "15"))
HOLD_MS = float(os.environ.get("CONTENTION_HOLD_MS", "10"))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(org_id: int, staff_ids: list[int]) -> dict[str, float]:
    from django.db import connection, transaction

    from peerpath.core import audit

    times: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def writer(actor_id: int) -> None:
        from peerpath.core.models import Staff

        actor = Staff.objects.get(pk=actor_id)
        mine = []
        try:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                with transaction.atomic():
                    audit.record(organization=org_id, action="bench.contention", actor=actor)
                    time.sleep(HOLD_MS / 1000)
                mine.append((time.perf_counter() - started) * 1000)
        finally:
            connection.close()
            with lock:
                times.extend(mine)

    threads = [threading.Thread(target=writer, args=(pk,)) for pk in staff_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "transactions": len(times),
        "per_second": round(len(times) / SECONDS, 1),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "p99_ms": round(percentile(times, 0.99), 1),
    }


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerpath.settings")
    django.setup()
    from django.conf import settings
    from django.db.models import Count

    from peerpath.core import audit
    from peerpath.core.models import Organization, Staff

    org = (
        Organization.objects.annotate(staff_count=Count("staff"))
        .order_by("-staff_count", "pk")
        .first()
    )
    assert org is not None, "no organization to write into"
    staff = list(
        Staff.objects.filter(organization=org, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:WRITERS]
    )
    lanes = settings.AUDIT_LANES
    result: dict[str, object] = {
        "writers": len(staff),
        "seconds": SECONDS,
        "hold_ms": HOLD_MS,
        "lanes": lanes,
    }
    for label, count in (("one_chain", 1), ("lanes", lanes)):
        settings.AUDIT_LANES = count
        result[label] = run(org.pk, staff)
        print(f"contention: {label} ({count} lane(s)): {result[label]}", flush=True)
    settings.AUDIT_LANES = lanes
    verified = audit.verify_organization(org.pk)
    result["verified"] = verified.ok
    result["events_checked"] = verified.checked
    print(json.dumps(result))


if __name__ == "__main__":
    main()
