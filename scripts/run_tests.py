"""Run the whole test suite on SQLite and on PostgreSQL, side by side (one process each, so a
two-core machine runs both at once); each suite's output is printed whole when it ends.

With CI=true the PostgreSQL and browser suites are required: if PostgreSQL cannot be reached (or
Chromium is missing) the run fails instead of skipping. Extra arguments go to pytest.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from typing import Any

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def postgres_problem() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("postgres://", "postgresql://", 1), connect_timeout=5):
            return None
    except Exception as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def start(label: str, env: dict[str, str]) -> tuple[str, subprocess.Popen[bytes], Any]:
    output = tempfile.TemporaryFile()  # noqa: SIM115 (read back when the suite ends)
    command = [sys.executable, "-m", "pytest", *sys.argv[1:]]
    process = subprocess.Popen(
        command, env={**os.environ, **env}, stdout=output, stderr=subprocess.STDOUT
    )
    return label, process, output


def finish(label: str, process: subprocess.Popen[bytes], output: Any) -> int:
    code = process.wait()
    output.seek(0)
    print(f"\n=== {label} ===", flush=True)
    sys.stdout.buffer.write(output.read())
    sys.stdout.flush()
    output.close()
    return code


def main() -> int:
    suites = [start("SQLite", {"DATABASE_URL": ""})]
    problem = postgres_problem()
    failures = 0
    if problem is None:
        suites.append(start(f"PostgreSQL ({PG_URL})", {"DATABASE_URL": PG_URL}))
    elif CI:
        print(f"\nPostgreSQL is required under CI=true but cannot be reached: {problem}")
        failures += 1
    else:
        print(f"\nSkipping the PostgreSQL suite: cannot reach {PG_URL} ({problem}).")
    for suite in suites:
        failures += finish(*suite) != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
