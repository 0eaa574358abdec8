"""Settings: typed environment helpers fail loudly; production passes `check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from peerpath import settings as s

ROOT = Path(__file__).resolve().parent.parent


def test_bool_int_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "Yes")
    assert s.env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "off")
    assert s.env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG must be true or false"):
        s.env_bool("X_FLAG", False)
    monkeypatch.setenv("X_NUM", "15")
    assert s.env_int("X_NUM", 1) == 15
    monkeypatch.setenv("X_NUM", "fifteen")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        s.env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        s.env_int("X_NUM", 5, minimum=1)
    monkeypatch.setenv("X_LIST", "a.example, b.example,,")
    assert s.env_list("X_LIST", []) == ["a.example", "b.example"]
    assert s.env_list("X_MISSING", ["d"]) == ["d"]


def test_file_secrets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("s3cret-value\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert s.env_str("X_SECRET") == "s3cret-value"
    monkeypatch.setenv("X_SECRET", "also")
    with pytest.raises(ImproperlyConfigured, match="not both"):
        s.env_str("X_SECRET")
    monkeypatch.delenv("X_SECRET")
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot read"):
        s.env_str("X_SECRET")


def test_database_urls() -> None:
    pg = s.database_from_url("postgres://pp:p%40ss@db.internal:6432/peerpath?sslmode=require")
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "peerpath",
        "pp",
        "p@ss",
        "db.internal",
        "6432",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    assert s.database_from_url("sqlite:////var/lib/peerpath/db.sqlite3")["NAME"] == (
        "/var/lib/peerpath/db.sqlite3"
    )
    with pytest.raises(ImproperlyConfigured, match="sqlite:// or postgres://"):
        s.database_from_url("mysql://x@y/z")
    with pytest.raises(ImproperlyConfigured, match="must name a database"):
        s.database_from_url("postgres://x@y/")


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    unset = {
        "DEBUG",
        "DATABASE_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "REQUIRE_2FA",
        "SECRET_KEY",
        "AUDIT_KEY",
        "AUDIT_KEY_FILE",
    }
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "-m", "peerpath.cli", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_mode_passes_check_deploy() -> None:
    result = _cli(
        {
            "DEBUG": "false",
            "SECRET_KEY": "k" * 60 + "-production-test-key-9f3a",
            "AUDIT_KEY": "a" * 40 + "-production-audit-key",
            "ALLOWED_HOSTS": "peerpath.example.org",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_requires_a_secret_key() -> None:
    result = _cli({"DEBUG": "false", "SECRET_KEY": ""}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_defaults_are_safe() -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.REQUIRE_2FA, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_AGE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "REQUIRE_2FA"}},
            "DJANGO_SETTINGS_MODULE": "peerpath.settings",
            "SECRET_KEY": "x" * 60,
            "AUDIT_KEY": "a" * 48,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.split() == ["True", "True", "True", "900"], result.stderr


@pytest.mark.parametrize(
    ("env", "line"),
    [
        ({"DEBUG": "false"}, "SECRET_KEY must be set when DEBUG is off"),
        (
            {"DEBUG": "false", "SECRET_KEY": "s" * 60},
            "AUDIT_KEY or AUDIT_KEY_FILE must be set when DEBUG is off",
        ),
        ({"DEBUG": "true", "AUDIT_KEY": "short"}, "at least 32 characters long"),
        ({"DEBUG": "true", "AUDIT_KEY_FILE": "/nonexistent/key"}, "AUDIT_KEY_FILE cannot be read"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false, not 'maybe'."),
        ({"DEBUG": "true", "EMERGENCY_ACCESS_MINUTES": "721"}, "at most 720, not 721"),
        ({"DEBUG": "true", "EMERGENCY_ACCESS_MINUTES": "4"}, "at least 5, not 4"),
        ({"DEBUG": "true", "DATABASE_URL": "mysql://x@y/z"}, "sqlite:// or postgres://"),
    ],
)
def test_a_bad_setting_is_one_line_and_exit_2(env: dict[str, str], line: str) -> None:
    result = _cli(env, "check")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and line in result.stderr, result.stderr


def test_unmigrated_database_is_one_line(tmp_path: Path) -> None:
    env = {"DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    result = _cli(env, "audit", "verify")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "run `peerpath migrate` first" in result.stderr


def test_audit_verify_runs_on_a_migrated_database(tmp_path: Path) -> None:
    env = {"DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}"}
    assert _cli(env, "migrate", "--noinput").returncode == 0
    result = _cli(env, "audit", "verify")
    assert result.returncode == 0, result.stderr
    assert "audit trail intact" in result.stdout


def test_help_lists_peerpaths_own_commands() -> None:
    result = _cli({"DEBUG": "true"}, "--help")
    assert result.returncode == 0
    own = result.stdout.split("Everything else is Django's")[0]
    for command in ("peerpath demo", "peerpath audit verify", "peerpath load_questionnaires"):
        assert command in own
    assert "[core]" in result.stdout  # Django's list follows


def test_the_checkouts_own_environment_defaults_to_development() -> None:
    if Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        pytest.skip("runs only in the checkout's own .venv (the one `make test` creates)")
    # No DEBUG and no SECRET_KEY: the development checkout still runs its commands.
    result = _cli({}, "check")
    assert result.returncode == 0, result.stderr
