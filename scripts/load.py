"""`make load`: the production path under a state's worth of staff, on this machine.

Copies the generated `tenth` scale (made by `make bench` if it is not there) into a scratch
database, starts PgBouncer (transaction pooling) in front of it and gunicorn with the production
settings (DEBUG off, collectstatic done, WhiteNoise) behind it, then runs the locust scenario in
scripts/locustfile.py headless: LOAD_PEERS peers (default 100) doing their day and
LOAD_SUPERVISORS supervisors (default 10) reviewing, for LOAD_TIME (default 3m). Prints and
writes bench/results/load.json (requests, errors, throughput, percentiles) and fails when there
is an error or p99 is over 500 ms.

Then, through the same pooler, one agency's staff append audit events all at once
(scripts/audit_contention.py): once in a single chain per agency and once in the configured
lanes, to show how long writers wait on the chain's lock; the trail must still verify.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pages import BENCH_ENV, RESULTS, database_url, prepare_database

BIN = Path(sys.executable).parent
PORT, POOL_PORT = 8765, 6432
GOAL_P99_MS = 500.0
LIMITS = {"statement_timeout": "5s", "idle_in_transaction_session_timeout": "30s"}
WORKERS = int(os.environ.get("LOAD_WORKERS", "5"))
POOL_SIZE = int(os.environ.get("LOAD_POOL_SIZE", "10"))


def pgbouncer() -> str:
    found = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if Path(found).exists():
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "pgbouncer"], check=True, env=env)
        return shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    sys.exit("load: install pgbouncer (Debian's package) first")


def scratch_copy(source_url: str) -> str:
    """A fresh copy of the generated scale: the scenario writes notes and reviews into it."""
    import psycopg

    parts = urlsplit(source_url)
    source = parts.path.lstrip("/")
    target = f"{source}_load"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [source]
        )
        started = time.monotonic()
        conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
        print(f"load: copied {source} in {time.monotonic() - started:.0f} s")
        # The limits docs/production.md recommends: no statement runs away, no transaction is
        # left open holding locks (set on the database: a pooler drops startup options).
        for setting, value in LIMITS.items():
            conn.execute(f"ALTER DATABASE \"{target}\" SET {setting} = '{value}'")
    return urlunsplit(parts._replace(path=f"/{target}"))


def users_file(url: str, folder: Path) -> Path:
    import psycopg

    peers = int(os.environ.get("LOAD_PEERS", "100"))
    supervisors = int(os.environ.get("LOAD_SUPERVISORS", "10"))
    with psycopg.connect(url) as conn:
        emails = {
            role: [
                row[0]
                for row in conn.execute(
                    "SELECT email FROM core_staff WHERE role = %s ORDER BY email LIMIT %s",
                    [role, count],
                )
            ]
            for role, count in (("peer_specialist", peers), ("peer_supervisor", supervisors))
        }
    path = folder / "users.txt"
    lines = [f"peer {e}" for e in emails["peer_specialist"]]
    lines += [f"supervisor {e}" for e in emails["peer_supervisor"]]
    path.write_text("\n".join(lines) + "\n")
    return path


def start_pgbouncer(url: str, folder: Path) -> subprocess.Popen[bytes]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    (folder / "users.txt.pgb").write_text('"postgres" ""\n')
    config = folder / "pgbouncer.ini"
    config.write_text(
        f"""[databases]
{name} = host={parts.hostname} port={parts.port or 5432} dbname={name}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {POOL_PORT}
unix_socket_dir =
auth_type = trust
auth_file = {folder / "users.txt.pgb"}
pool_mode = transaction
default_pool_size = {POOL_SIZE}
max_client_conn = 200
server_reset_query =
ignore_startup_parameters = extra_float_digits,options
logfile = {folder / "pgbouncer.log"}
log_connections = 0
log_disconnections = 0
"""
    )
    shutil.chown(folder, "postgres")
    for path in folder.iterdir():
        shutil.chown(path, "postgres")
    command = [pgbouncer(), str(config)]
    if os.geteuid() == 0:  # PgBouncer will not run as root
        command[1:1] = ["-u", "postgres"]
    process = subprocess.Popen(command)
    time.sleep(1)
    return process


def start_gunicorn(env: dict[str, str], folder: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "peerpath.wsgi",
            f"--workers={WORKERS}",
            f"--bind=127.0.0.1:{PORT}",
            "--access-logfile=-" if os.environ.get("LOAD_ACCESS_LOG") else "--log-level=warning",
            f"--error-logfile={folder / 'gunicorn.log'}",
        ],
        env=env,
    )
    for _ in range(60):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz") as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    sys.exit(f"load: gunicorn did not answer; see {folder / 'gunicorn.log'}")


def summary(folder: Path, seconds: float) -> dict[str, object]:
    rows = list(csv.DictReader((folder / "run_stats.csv").open()))
    pages = []
    total: dict[str, str] = {}
    for row in rows:
        entry = {
            "name": row["Name"],
            "requests": int(row["Request Count"]),
            "errors": int(row["Failure Count"]),
            "p50": float(row["50%"] or 0),
            "p95": float(row["95%"] or 0),
            "p99": float(row["99%"] or 0),
        }
        if row["Name"] == "Aggregated":
            total = row
        else:
            pages.append(entry)
    return {
        "measured_on": date.today().isoformat(),
        "seconds": round(seconds),
        "workers": WORKERS,
        "pool_size": POOL_SIZE,
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "throughput": round(float(total["Requests/s"]), 1),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "p99": float(total["99%"]),
        "pages": pages,
    }


def main() -> None:
    source = database_url("tenth")
    prepare_database(source, "tenth")
    folder = Path(tempfile.mkdtemp(prefix="peerpath-load-"))
    target = scratch_copy(source)
    pooled = urlunsplit(urlsplit(target)._replace(netloc=f"postgres@127.0.0.1:{POOL_PORT}"))
    env = {
        **os.environ,
        **BENCH_ENV,
        "DATABASE_URL": pooled,
        "DATABASE_TRANSACTION_POOLING": "true",
        "LOGIN_FAILURE_LIMIT": "1000",
    }
    subprocess.run(
        [str(BIN / "peerpath"), "migrate", "-v0"], env={**env, "DATABASE_URL": target}, check=True
    )
    subprocess.run(
        [str(BIN / "peerpath"), "collectstatic", "--noinput", "-v0"], env=env, check=True
    )
    users = users_file(target, folder)
    bouncer = start_pgbouncer(target, folder)
    server = start_gunicorn(env, folder)
    try:
        started = time.monotonic()
        count = len(users.read_text().splitlines())
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(Path(__file__).resolve().parent / "locustfile.py"),
                "--headless",
                f"--users={count}",
                "--spawn-rate=1",  # a shift starting: sign-ins over two minutes
                f"--run-time={os.environ.get('LOAD_TIME', '3m')}",
                f"--host=http://127.0.0.1:{PORT}",
                f"--csv={folder / 'run'}",
                "--only-summary",
            ],
            env={**os.environ, "LOAD_USERS": str(users)},
            check=False,
        )
        result = summary(folder, time.monotonic() - started)
        contention = subprocess.run(
            [str(BIN / "python"), str(Path(__file__).resolve().parent / "audit_contention.py")],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        result["audit_contention"] = json.loads(contention.stdout.strip().splitlines()[-1])
    finally:
        server.send_signal(signal.SIGTERM)
        bouncer.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        bouncer.wait(timeout=30)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"\nload: {result['requests']:,} requests in {result['seconds']} s, "
        f"{result['throughput']} per second, {result['errors']} errors; "
        f"p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms, p99 {result['p99']:.0f} ms"
    )
    lanes: dict[str, object] = result["audit_contention"]  # type: ignore[assignment]
    for label in ("one_chain", "lanes"):
        print(f"audit contention, {label}: {lanes[label]}")
    if not lanes["verified"]:
        sys.exit("load: the audit trail does not verify after the contention run")
    if result["errors"] or float(result["p99"]) > GOAL_P99_MS:  # type: ignore[arg-type]
        sys.exit(f"load: missed the goals (0 errors, p99 <= {GOAL_P99_MS:.0f} ms)")


if __name__ == "__main__":
    main()
