"""The API against its own OpenAPI schema, with schemathesis (bounded so CI stays quick).

Every operation is called with generated input, signed in as a care-team member: no answer may
be a server error, and every answer's status, content type and body must be the ones the schema
declares (errors included).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client as HttpClient

from peerpath.testing import make_cast

schemathesis = pytest.importorskip("schemathesis")


@pytest.fixture
def signed_in(db: Any) -> tuple[HttpClient, dict[str, Any], int]:
    cast = make_cast()
    http = HttpClient(enforce_csrf_checks=False)
    http.force_login(cast.peer)
    schema = http.get("/api/v1/openapi.json").json()
    return http, schema, cast.client.pk


def _call(http: HttpClient, case: Any) -> Any:
    url = case.formatted_path
    method = case.method.lower()
    if method == "get":
        return http.get(url, case.query or {})
    from schemathesis.core import NotSet

    # An operation without a request body (DELETE) has none to send.
    no_body = case.body is None or isinstance(case.body, NotSet)
    body = "" if no_body else json.dumps(case.body)
    if case.query:
        from urllib.parse import urlencode

        url = f"{url}?{urlencode(case.query, doseq=True)}"
    return getattr(http, method)(url, body, content_type="application/json")


def _checker(op: Any, http: HttpClient, client_id: int, problems: list[str], seen: Any) -> Any:
    from hypothesis import HealthCheck, given, settings

    declared = {str(code) for code in op.definition.raw.get("responses", {})}
    name = f"{op.method.upper()} {op.path}"

    @settings(
        max_examples=15,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=op.as_strategy())
    def check(case: Any) -> None:
        if "client_id" in (case.path_parameters or {}):
            case.path_parameters["client_id"] = client_id
        response = _call(http, case)
        where = f"{case.method} {case.formatted_path} -> {response.status_code}"
        seen.setdefault(name, set()).add(response.status_code)
        if response.status_code >= 500:
            problems.append(f"{where}: server error")
        elif str(response.status_code) not in declared:
            problems.append(f"{where}: status not declared ({sorted(declared)})")
        elif "json" not in response.get("Content-Type", ""):
            problems.append(f"{where}: not JSON")
        elif response.status_code >= 400 and "detail" not in response.json():
            problems.append(f"{where}: an error without the declared detail")

    return check


def test_every_operation_answers_as_its_schema_says(signed_in: Any) -> None:
    http, raw, client_id = signed_in
    schema = schemathesis.openapi.from_dict(raw)
    problems: list[str] = []
    seen: dict[str, set[int]] = {}
    for operation in schema.get_all_operations():
        _checker(operation.ok(), http, client_id, problems, seen)()

    # The allowed values are declared, so generated input mostly gets through.
    contact = raw["components"]["schemas"]["ContactIn"]["properties"]
    assert "enum" in contact["place"] and "enum" in contact["services"]["items"]
    # Every operation was exercised, and not only refused: some input got through.
    assert len(seen) == sum(len(v) for v in raw["paths"].values()), seen
    assert any(code < 300 for codes in seen.values() for code in codes), seen
    assert problems == [], "\n".join(sorted(set(problems))[:30])
