"""Every app's Spanish catalog is complete, compiled, and covers every translatable string."""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = sorted(p.parent for p in (ROOT / "peerpath").glob("*/templates"))
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def catalog(app: Path) -> Path:
    return app / "locale" / "es" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("app", APPS, ids=lambda p: p.name)
def test_catalog_is_complete_and_compiled(app: Path) -> None:
    po = polib.pofile(str(catalog(app)))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{app.name}: untranslated: {untranslated}"
    assert not fuzzy, f"{app.name}: fuzzy: {fuzzy}"
    with open(catalog(app).with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        e.msgid
        for e in po.translated_entries()
        if not e.msgid_plural and compiled.gettext(e.msgid) != e.msgstr
    ]
    assert not stale, f"{app.name}: .mo is older than .po (run make messages): {stale[:5]}"


@pytest.mark.parametrize("app", APPS, ids=lambda p: p.name)
def test_every_string_in_the_code_is_in_the_catalog(app: Path, tmp_path: Path) -> None:
    if shutil.which("xgettext") is None:
        if CI:
            pytest.fail("xgettext (gettext) is required under CI=true")
        pytest.skip("xgettext not installed (make test installs gettext)")
    copy = tmp_path / app.name
    shutil.copytree(app, copy, ignore=shutil.ignore_patterns("static", "tests", "__pycache__"))
    (copy / "locale" / "es" / "LC_MESSAGES" / "django.po").unlink(missing_ok=True)
    env = {
        **os.environ,
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "peerpath.settings",
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "es", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    fresh = {e.msgid for e in polib.pofile(str(catalog(copy)))}
    committed = {e.msgid for e in polib.pofile(str(catalog(app)))}
    missing = sorted(fresh - committed)
    assert not missing, f"{app.name}: not in the catalog (run make messages): {missing}"
