"""Loaded by pytest before Django: tests run with development settings unless told otherwise."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("REQUIRE_2FA", "false")
# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
