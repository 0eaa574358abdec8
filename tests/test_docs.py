"""Every environment variable the settings read is documented in docs/settings.md."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_documented() -> None:
    source = (ROOT / "peerpath" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', source))
    docs = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert len(names) > 20
    missing = sorted(name for name in names if f"`{name}`" not in docs)
    assert not missing, f"document these in docs/settings.md: {missing}"


def test_readme_gives_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme
    assert "make test" in readme
    for picture in re.findall(r"\]\((docs/screenshots/[^)]+)\)", readme):
        assert (ROOT / picture).exists(), picture


def test_constraints_pin_every_installed_package() -> None:
    import sys
    from importlib import metadata

    if Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        import pytest

        pytest.skip("checks the checkout's own .venv (the one `make test` creates)")

    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    pinned = {
        norm(line.split("==")[0])
        for line in (ROOT / "constraints.txt").read_text().splitlines()
        if "==" in line
    }
    installed = {norm(d.metadata["Name"]) for d in metadata.distributions()}
    unpinned = sorted(installed - pinned - {"peerpath", "pip", "setuptools", "wheel"})
    assert not unpinned, f"pin these in constraints.txt: {unpinned}"
