"""Key pages against their floor: `make bench SCALE=small|tenth` (default tenth).

Generates a synthetic state (`peerpath generate`) into a scratch PostgreSQL database unless that
scale is already there, then signs in as the first agency's peer (100 people), supervisor (ten
peers), program manager and privacy officer and times each key page through the whole Django
stack (middleware, gate, templates, audit writes), next to a hand-written SQL "floor" that returns
the same data. Wall and CPU time per request, median and p95 over at least 30 runs after warming
up; query counts from one more run. Results go to bench/results/<scale>.json and latest.json, and
a table is printed; when both scales have results the p95 at tenth is compared with small.

    BENCH_DATABASE_URL   the server and base name (default postgres://postgres@127.0.0.1:5432/
                         peerpath_bench); each scale gets its own database, <name>_<scale>.
    BENCH_RUNS           timed runs per page (default 30, at least 30)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

CHECKOUT = Path(__file__).resolve().parent.parent
RESULTS = CHECKOUT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/peerpath_bench"
# Not secrets: a scratch database's keys, the same for generating and measuring.
BENCH_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    "AUDIT_KEY": "development-only-audit-key-not-secret-" + "y" * 32,
    "REQUIRE_2FA": "false",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "LOG_LEVEL": "WARNING",
    "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "peerpath-bench-static"),
}
GOAL_P95_MS = 50.0
GOAL_RATIO = 3.0
GOAL_GROWTH = 1.5


def database_url(scale: str) -> str:
    base = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    parts = urlsplit(base)
    name = parts.path.lstrip("/")
    if name in {"test", "postgres", ""}:
        sys.exit(f"bench: refusing the database {name!r}: name a scratch database")
    test_url = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
    if urlsplit(test_url).path.lstrip("/") == f"{name}_{scale}":
        sys.exit("bench: refusing the database the tests use")
    return urlunsplit(parts._replace(path=f"/{name}_{scale}"))


def prepare_database(url: str, scale: str) -> None:
    """Create and generate the scale's database, unless a finished one is there."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    marker = f"peerpath generated {scale}"
    with psycopg.connect(admin, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        if row is not None and row[0] == marker:
            print(f"bench: {name} already holds the {scale} scale")
            return
        if row is not None:
            print(f"bench: {name} is unfinished or another scale; making it again")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, **BENCH_ENV, "DATABASE_URL": url}
    peerpath = str(Path(sys.executable).parent / "peerpath")
    subprocess.run([peerpath, "migrate", "-v0"], env=env, check=True)
    started = time.monotonic()
    subprocess.run([peerpath, "generate", "--scale", scale, "--scratch"], env=env, check=True)
    print(f"bench: generated {scale} in {time.monotonic() - started:,.0f} s")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{marker}'")


@dataclass
class Result:
    page: str
    user: str
    p50: float
    p95: float
    cpu: float
    floor_p50: float | None
    floor_p95: float | None
    ratio: float | None
    queries: int
    runs: int


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    scale = os.environ.get("SCALE", "tenth")
    runs = max(30, int(os.environ.get("BENCH_RUNS", "30")))
    url = database_url(scale)
    prepare_database(url, scale)
    os.environ.update(BENCH_ENV)
    os.environ["DATABASE_URL"] = url
    peerpath = str(Path(sys.executable).parent / "peerpath")
    subprocess.run([peerpath, "collectstatic", "--noinput", "-v0"], check=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerpath.settings")
    sys.path.insert(0, str(CHECKOUT))
    import django

    django.setup()
    from bench_targets import pages  # needs Django set up first

    results = [measure(page, runs) for page in pages()]
    write(scale, results)


def measure(page: Any, runs: int) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        page.request()
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        page.request()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    with CaptureQueriesContext(connection) as captured:
        page.request()
    floor_p50 = floor_p95 = ratio = None
    if page.floor is not None:
        for _ in range(3):
            page.floor()
        floors = []
        for _ in range(runs):
            started = time.perf_counter()
            page.floor()
            floors.append((time.perf_counter() - started) * 1000)
        floor_p50, floor_p95 = statistics.median(floors), percentile(floors, 0.95)
        ratio = statistics.median(walls) / floor_p50 if floor_p50 else None
    result = Result(
        page=page.name,
        user=page.user,
        p50=round(statistics.median(walls), 2),
        p95=round(percentile(walls, 0.95), 2),
        cpu=round(statistics.median(cpus), 2),
        floor_p50=round(floor_p50, 2) if floor_p50 is not None else None,
        floor_p95=round(floor_p95, 2) if floor_p95 is not None else None,
        ratio=round(ratio, 1) if ratio is not None else None,
        queries=len(captured.captured_queries),
        runs=runs,
    )
    print(
        f"  {result.page:28} p50 {result.p50:7.1f}  p95 {result.p95:7.1f}  cpu {result.cpu:6.1f}"
        f"  floor {result.floor_p50 or 0:6.2f}  x{result.ratio or 0:5.1f}  q {result.queries}",
        flush=True,
    )
    return result


def write(scale: str, results: list[Result]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "scale": scale,
        "measured_on": date.today().isoformat(),
        "pages": [asdict(r) for r in results],
    }
    text = json.dumps(payload, indent=2) + "\n"
    (RESULTS / f"{scale}.json").write_text(text)
    (RESULTS / "latest.json").write_text(text)
    other = "small" if scale == "tenth" else "tenth"
    others: dict[str, Any] = {}
    if (RESULTS / f"{other}.json").exists():
        others = {
            p["page"]: p for p in json.loads((RESULTS / f"{other}.json").read_text())["pages"]
        }
    print(
        f"\n{'page':28} {'user':16} {'p50':>7} {'p95':>7} {'cpu':>6} {'floor':>7} {'x':>6} "
        f"{'queries':>7}  {'vs ' + other:>10}  goals"
    )
    misses = 0
    for r in results:
        problems = []
        if r.p95 > GOAL_P95_MS:
            problems.append("p95")
        if r.ratio is not None and r.ratio > GOAL_RATIO:
            problems.append("floor")
        compare = ""
        if r.page in others:
            small, tenth = (
                (others[r.page], asdict(r)) if scale == "tenth" else (asdict(r), others[r.page])
            )
            growth = tenth["p95"] / small["p95"] if small["p95"] else 0
            compare = f"x{growth:.2f}"
            if growth > GOAL_GROWTH and tenth["p95"] - small["p95"] > 2:
                problems.append("growth")
            if small["queries"] != tenth["queries"]:
                problems.append(f"queries {small['queries']}→{tenth['queries']}")
        misses += bool(problems)
        print(
            f"{r.page:28} {r.user:16} {r.p50:7.1f} {r.p95:7.1f} {r.cpu:6.1f} "
            f"{r.floor_p50 if r.floor_p50 is not None else '-':>7} "
            f"{r.ratio if r.ratio is not None else '-':>6} {r.queries:>7}  {compare:>10}  "
            f"{'missed: ' + ', '.join(problems) if problems else 'met'}"
        )
    print(
        f"\n{len(results) - misses} of {len(results)} pages meet every goal; "
        f"results in {RESULTS.relative_to(CHECKOUT)}/{scale}.json"
    )


Measure = Callable[[], Any]

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
