"""Every page of the site, discovered from the URL conf, refuses anonymous visitors."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {"/account/sign-in/", "/account/sign-out/", "/healthz", "/i18n/setlang/"}
# The agency's public feed of its listed peer-run groups (Meeting Guide JSON): no personal data
# (tested in tests/test_group_feed.py).
PUBLIC |= {"/groups/feed/x.json"}
# The invitation link is opened before its owner can sign in; an unknown link answers 410 and
# names nobody (tested in core/tests/test_agency.py).
PUBLIC |= {"/account/invitation/x/"}
SKIP_PREFIXES = ("/admin/", "/static/")


def all_paths() -> list[str]:
    paths: list[str] = []

    def walk(patterns: list[object], prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                route = re.sub(r"<int:[^>]+>", "1", route)
                route = re.sub(r"<(?:str|slug|path):[^>]+>|<[^>]+>", "x", route)
                route = route.lstrip("^").rstrip("$").replace("\\Z", "")
                paths.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(paths))


PATHS = all_paths()


def test_the_sweep_sees_the_pages() -> None:
    assert {"/", "/people/", "/people/1/", "/api/v1/clients"} <= set(PATHS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", [p for p in PATHS if p not in PUBLIC and not p.startswith(SKIP_PREFIXES)]
)
def test_anonymous_visitors_are_refused(path: str) -> None:
    response = Client().get(path)
    if path.startswith("/api/v1/"):
        if path.rstrip("/").endswith(("/docs", "/openapi.json")):
            return
        assert response.status_code in {401, 404, 405}, path
    else:
        assert response.status_code in {302, 404, 405}, (path, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/account/sign-in/"), path
    assert response.status_code != 200
