"""Run the whole test suite on SQLite, then again on PostgreSQL.

With CI=true the PostgreSQL and browser suites are required: if PostgreSQL cannot be reached (or
Chromium is missing) the run fails instead of skipping. Extra arguments go to pytest.
"""

from __future__ import annotations

import os
import subprocess
import sys

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def postgres_problem() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("postgres://", "postgresql://", 1), connect_timeout=5):
            return None
    except Exception as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def run(label: str, env: dict[str, str]) -> int:
    print(f"\n=== {label} ===", flush=True)
    command = [sys.executable, "-m", "pytest", *sys.argv[1:]]
    return subprocess.call(command, env={**os.environ, **env})


def main() -> int:
    failures = 0
    failures += run("SQLite", {"DATABASE_URL": ""}) != 0
    problem = postgres_problem()
    if problem is None:
        failures += run(f"PostgreSQL ({PG_URL})", {"DATABASE_URL": PG_URL}) != 0
    elif CI:
        print(f"\nPostgreSQL is required under CI=true but cannot be reached: {problem}")
        failures += 1
    else:
        print(f"\nSkipping the PostgreSQL suite: cannot reach {PG_URL} ({problem}).")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
