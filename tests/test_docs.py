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
