"""`make drill`: prove the backup story end to end on this machine.

1. Starts a scratch PostgreSQL cluster (initdb, its own port) that archives its WAL to a folder
   (`archive_timeout` 10 s, so a quiet server still ships its last writes).
2. Loads a generated agency (`peerpath generate --scale small`) and takes a base backup
   (`pg_basebackup`).
3. Keeps writing signed contacts through PeerPath's own actions for DRILL_SECONDS (default 40),
   noting each write once its transaction committed (acknowledged to the person).
4. Stops the cluster hard (`pg_ctl stop -m immediate`, as a crash would), restores the base backup
   plus the archived WAL into a second scratch cluster and lets it recover to the end of the
   archive.
5. Reports the recovery point: the last acknowledged write found in the restored database, and how
   many writes and seconds were lost (goal: at most 60 s), then runs `peerpath audit verify` on it.

Needs root (it runs PostgreSQL as the `postgres` user) and PostgreSQL's server binaries.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pages import BENCH_ENV, RESULTS

BIN = Path(sys.executable).parent
PG = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PRIMARY_PORT, RESTORED_PORT = 5491, 5492
GOAL_SECONDS = 60.0
WRITER = r"""
import json, sys, time, django
django.setup()
from django.utils import timezone
from peerpath.clients import access
from peerpath.clients.models import CareTeamMember
from peerpath.core.models import Staff
from peerpath.encounters import actions
peer = Staff.objects.get(email="peer01@agency-001.example")
people = list(CareTeamMember.objects.filter(staff=peer, ended_on__isnull=True)
              .values_list("client_id", flat=True)[:20])
until = time.monotonic() + float(sys.argv[1])
n = 0
while time.monotonic() < until:
    grant = access.client_for_write(peer, people[n % len(people)])
    contact = actions.contact_record(
        actor=peer, access=grant, sign=True, place="phone", services=["hope"],
        summary=f"Drill write {n}", occurred_at=timezone.now(),
    )
    # Committed: from here the write is acknowledged to the person who made it.
    print(json.dumps({"id": contact.pk, "n": n, "at": time.time()}), flush=True)
    n += 1
    time.sleep(0.2)
"""


def as_postgres(*command: str | Path) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, *map(str, command)], check=True, stdout=subprocess.DEVNULL)


def start(data: Path, port: int, log: Path) -> None:
    as_postgres(PG / "pg_ctl", "-D", data, "-o", f"-p {port} -k /tmp", "-l", log, "-w", "start")


def peerpath(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [str(BIN / "peerpath"), *args], env=env, check=True, capture_output=capture, text=True
    )
    return result.stdout if capture else ""


def query(port: int, sql: str) -> str:
    result = subprocess.run(
        [
            str(PG / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "-At",
            "-c",
            sql,
            "drill",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def main() -> None:
    seconds = float(os.environ.get("DRILL_SECONDS", "40"))
    root = Path(tempfile.mkdtemp(prefix="peerpath-drill-"))
    primary, restored, base, archive = (root / n for n in ("primary", "restored", "base", "wal"))
    archive.mkdir()
    shutil.chown(root, "postgres")
    shutil.chown(archive, "postgres")
    try:
        as_postgres(PG / "initdb", "-D", primary, "-U", "postgres", "--auth=trust")
        with (primary / "postgresql.conf").open("a") as conf:
            conf.write(
                "\nlisten_addresses = '127.0.0.1'\nwal_level = replica\narchive_mode = on\n"
                f"archive_command = 'test ! -f {archive}/%f && cp %p {archive}/%f'\n"
                "archive_timeout = 10\n"
            )
        start(primary, PRIMARY_PORT, root / "primary.log")
        as_postgres(PG / "createdb", "-h", "127.0.0.1", "-p", PRIMARY_PORT, "drill")
        env = {
            **os.environ,
            **BENCH_ENV,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/drill",
        }
        peerpath(env, "migrate", "-v0")
        peerpath(env, "generate", "--scale", "small", "--scratch")
        as_postgres(
            PG / "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            PRIMARY_PORT,
            "-U",
            "postgres",
            "-D",
            base,
            "-X",
            "stream",
            "-c",
            "fast",
        )
        print(f"drill: base backup taken; writing contacts for {seconds:.0f} s")
        writer = subprocess.run(
            [str(BIN / "python"), "-c", WRITER, str(seconds)],
            env={**env, "DJANGO_SETTINGS_MODULE": "peerpath.settings"},
            check=False,
            capture_output=True,
            text=True,
        )
        if writer.returncode:
            sys.exit(f"drill: the writer failed:\n{writer.stderr[-3000:]}")
        acknowledged = [json.loads(line) for line in writer.stdout.splitlines() if line]
        as_postgres(PG / "pg_ctl", "-D", primary, "-m", "immediate", "stop")
        crashed_at = time.time()
        print(f"drill: {len(acknowledged)} writes acknowledged; the primary stopped hard")

        shutil.copytree(base, restored)
        shutil.chown(restored, "postgres")
        subprocess.run(["chown", "-R", "postgres", str(restored)], check=True)
        with (restored / "postgresql.conf").open("a") as conf:
            conf.write(f"\narchive_mode = off\nrestore_command = 'cp {archive}/%f %p'\n")
        (restored / "recovery.signal").touch()
        shutil.chown(restored / "recovery.signal", "postgres")
        started = time.monotonic()
        start(restored, RESTORED_PORT, root / "restored.log")
        while query(RESTORED_PORT, "SELECT pg_is_in_recovery()") == "t":
            time.sleep(0.5)
        print(f"drill: restored and recovered in {time.monotonic() - started:.0f} s")

        found = {
            int(i)
            for i in query(
                RESTORED_PORT,
                "SELECT id FROM encounters_contact WHERE summary LIKE 'Drill write %'",
            ).split()
        }
        kept = [w for w in acknowledged if w["id"] in found]
        lost = [w for w in acknowledged if w["id"] not in found]
        last_kept = kept[-1]["at"] if kept else None
        lost_seconds = (acknowledged[-1]["at"] - last_kept) if kept else seconds
        restored_env = {
            **env,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{RESTORED_PORT}/drill",
        }
        verify = peerpath(restored_env, "audit", "verify", capture=True)
        result = {
            "measured_on": datetime.now(UTC).date().isoformat(),
            "acknowledged": len(acknowledged),
            "restored": len(kept),
            "lost": len(lost),
            "seconds_lost": round(lost_seconds, 1),
            "last_restored_write": (
                datetime.fromtimestamp(last_kept, UTC).isoformat(timespec="seconds")
                if last_kept
                else None
            ),
            "crash": datetime.fromtimestamp(crashed_at, UTC).isoformat(timespec="seconds"),
            "audit_verify": verify.strip().splitlines()[-1],
        }
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "drill.json").write_text(json.dumps(result, indent=2) + "\n")
        print(
            f"drill: recovery point {result['last_restored_write']}: {len(kept)} of "
            f"{len(acknowledged)} acknowledged writes restored, {len(lost)} lost "
            f"({result['seconds_lost']} s of writing); {result['audit_verify']}"
        )
        if lost_seconds > GOAL_SECONDS:
            sys.exit(f"drill: lost more than {GOAL_SECONDS:.0f} s of writes")
    finally:
        for data in (restored, primary):
            if (data / "postmaster.pid").exists():
                subprocess.run(
                    [
                        "runuser",
                        "-u",
                        "postgres",
                        "--",
                        str(PG / "pg_ctl"),
                        "-D",
                        str(data),
                        "-m",
                        "immediate",
                        "stop",
                    ],
                    check=False,
                    capture_output=True,
                )
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
