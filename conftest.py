"""Suite-wide test settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Hashing is deliberately slow (Argon2 in production); tests create many accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_between_tests() -> Iterator[None]:
    """A Spanish request must not leave Spanish active for the next test in this thread."""
    yield
    translation.activate("en")
