"""The README's production steps work on a clean tree: collectstatic with DEBUG off, a clean
`check --deploy`, pages served with the production static storage, and a health check that fails
when the static files are not there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Run inside the production settings: fetch a page, the files it links to, and the health check.
FETCH = r"""
import json, re, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="peerpath.example.org", raise_request_exception=False)
page = client.get("/account/sign-in/", secure=True)
assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.content.decode())
served = {}
for url in assets:
    response = client.get(url, secure=True)
    served[url] = response.status_code
    if hasattr(response, "close"):
        response.close()
health = client.get("/healthz", secure=True)
print(json.dumps({"page": page.status_code, "assets": served,
                  "health": health.status_code, "health_body": health.json()}))
"""


def _env(tmp_path: Path, static_root: Path) -> dict[str, str]:
    unset = {"DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "REQUIRE_2FA", "STATIC_ROOT"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "peerpath.settings",
        "DEBUG": "false",
        "SECRET_KEY": "p" * 60 + "-production-path-test",
        "AUDIT_KEY": "q" * 40 + "-production-path-audit",
        "ALLOWED_HOSTS": "peerpath.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "STATIC_ROOT": str(static_root),
    }


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def _fetch(env: dict[str, str]) -> dict:
    result = _run(env, "-c", FETCH)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="uses its own SQLite file, so it runs once, in the SQLite pass",
)
def test_collectstatic_check_deploy_and_a_page_with_its_files(tmp_path: Path) -> None:
    static_root = tmp_path / "static"
    env = _env(tmp_path, static_root)

    # Before collectstatic the health check says what is wrong instead of "ok".
    before = _fetch(env)
    assert before["page"] == 500
    assert before["health"] == 503
    assert "collectstatic" in before["health_body"]["problem"]

    collected = _run(env, "-m", "peerpath.cli", "collectstatic", "--noinput")
    assert collected.returncode == 0, collected.stdout + collected.stderr
    assert (static_root / "staticfiles.json").exists()

    deploy = _run(env, "-m", "peerpath.cli", "check", "--deploy", "--fail-level", "WARNING")
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr

    after = _fetch(env)
    assert after["page"] == 200
    # The page links to hashed file names, and every one of them is served.
    assert any("uswds.min." in url and url.count(".") >= 3 for url in after["assets"])
    assert after["assets"] and set(after["assets"].values()) == {200}, after["assets"]
    assert after["health"] == 200 and after["health_body"] == {"status": "ok"}
