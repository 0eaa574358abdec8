"""Suite-wide test settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Hashing is deliberately slow (Argon2 in production); tests create many accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Sessions renew once per test unless a test says otherwise, so that query counts compared
    # across a slow step never differ by a renewal.
    settings.SESSION_RENEW_SECONDS = 10**9
    # Background tasks run at once, in the request or command that enqueues them.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    _let_test_flush_empty_the_audit_table()


def _let_test_flush_empty_the_audit_table() -> None:
    """The audit table refuses DELETE and TRUNCATE; a test database is still emptied between
    tests that commit (the triggers are lifted for the flush statement only)."""
    from django.db.backends.postgresql import base as postgres_base
    from django.db.backends.sqlite3 import base as sqlite_base

    from peerpath.core import db_triggers

    for operations in (postgres_base.DatabaseOperations, sqlite_base.DatabaseOperations):
        original = operations.sql_flush

        def sql_flush(self, style, tables, *, _original=original, **kwargs):  # type: ignore[no-untyped-def]
            statements = _original(self, style, tables, **kwargs)
            if "core_auditevent" not in tables or not statements:
                return statements
            return db_triggers.flush_statements(self.connection.vendor, list(statements))

        operations.sql_flush = sql_flush  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _english_between_tests() -> Iterator[None]:
    """A Spanish request must not leave Spanish active for the next test in this thread."""
    yield
    translation.activate("en")
