"""The authorization sweep: every client-data URL and API route in the URL conf, for the cast.

Nothing here is a hand-written list. The URL conf is walked (all apps, the API included), and:

* every route with a `client_id` (pages and `/api/v1/`), and every `/api/v1/` route with the id
  of one person's object (a model with a `client` field), is requested for an ordinary record
  and for a restricted one (a staff member who is also a client), by everyone who must be
  refused: the clinician on another team, the peer who is also a client (for their own record
  too), an outsider from another organization, a co-worker of the restricted client, the
  supervisor who supervises them at work, the supervisor of the team that serves them, the
  privacy officer (for an ordinary record), and the anonymous visitor;
* pages of things a restricted person is linked to (a team meeting with them on the agenda) are
  fetched by the same people: the restricted name must never appear;
* every refusal must be a 404 or 403 (anonymous: sign-in redirect, API 401) whose body does not
  contain the person's name. A request turned away before the gate (405 method, 400/422 bad input)
  is accepted only when a record that does not exist gets exactly the same answer, so it reveals
  nothing;
* every list page and list API (routes without ids) is fetched, plain and with a name search, by
  everyone outside the restricted record's care team: the restricted name must never appear.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from peerpath.clients.models import Client
from peerpath.clients.tests.cast import PrivacyCastTestCase

PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
SKIP_PREFIXES = ("admin/", "i18n/", "account/", "static/", "api/v1/docs", "api/v1/openapi.json")
WEB_METHODS = ("get", "post")
API_METHODS = ("get", "post", "put", "patch", "delete")
PRE_GATE = {400, 405, 422}
MISSING_ID = 987654321
# Who must be refused, for each record.
# (For an ordinary record the co-worker and the two supervisors are simply other staff, like
# the clinician; they are swept against the restricted record, where their relationship matters.)
REFUSED_ORDINARY = ("clinician", "peer_client", "outsider", "privacy_officer")
# The privacy officer's duties that reach any record of their organization (never for treatment):
# making a person's full record for them (right of access). Everyone else is still swept.
PRIVACY_DUTIES = {"people/<int:client_id>/full-record/"}
REFUSED_RESTRICTED = (
    "peer",
    "supervisor",
    "peer_client",
    "outsider",
    "coworker",
    "harbor_supervisor",
    "green_supervisor",
)


@dataclass(frozen=True)
class Route:
    route: str
    params: tuple[tuple[str, str], ...]  # (converter, name)

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/v1/")

    @property
    def names(self) -> set[str]:
        return {name for _, name in self.params}


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def discover() -> list[Route]:
    routes: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES) or route.startswith("^"):
            continue
        params = tuple(
            (m.group("converter") or "str", m.group("name")) for m in PARAM.finditer(route)
        )
        routes.setdefault(route, Route(route, params))
    return sorted(routes.values(), key=lambda r: r.route)


@functools.cache
def _models_by_name() -> dict[str, type[models.Model]]:
    return {model._meta.model_name: model for model in apps.get_models()}  # type: ignore[misc]


@functools.cache
def _sub_object_id(name: str, client_pk: int) -> int:
    return sub_object_id(name, Client.objects.get(pk=client_pk))


def is_client_object(name: str) -> bool:
    """Whether an id in a URL names one person's object (a model with a `client` field)."""
    model = _models_by_name().get(name.removesuffix("_id").replace("_", ""))
    return model is not None and "client" in {f.name for f in model._meta.get_fields()}


def sub_object_id(name: str, client: Client) -> int:
    """A sensible value for another id in the URL: an object of that kind of this person's."""
    model = _models_by_name().get(name.removesuffix("_id").replace("_", ""))
    if model is None:
        return 1
    field_names = {f.name for f in model._meta.get_fields()}
    objects = model._default_manager.all()
    if "client" in field_names:
        objects = objects.filter(client=client)
    pk = objects.order_by("pk").values_list("pk", flat=True).first()
    return int(pk) if pk is not None else 1


def related_object_id(name: str, client: Client) -> int | None:
    """For an id outside a person's URL (e.g. a meeting): an object linked to this person.

    Looks for a model named like the id (`meeting_id` -> TeamMeeting) and a model that links it
    to a client (an agenda item), and returns one such object's id.
    """
    stem = name.removesuffix("_id").replace("_", "")
    targets = [m for m in apps.get_models() if m._meta.model_name.endswith(stem)]
    for target in targets:
        for link in apps.get_models():
            fields = {f.name: f for f in link._meta.get_fields() if f.is_relation}
            client_field = fields.get("client")
            if client_field is None or client_field.related_model is not Client:
                continue
            for field in fields.values():
                if field.many_to_one and field.related_model is target:
                    value = (
                        link._default_manager.filter(client=client)
                        .values_list(field.attname, flat=True)
                        .first()
                    )
                    if value is not None:
                        return int(value)
    return None


def build(route: Route, client_id: int, client: Client) -> str:
    def fill(match: re.Match[str]) -> str:
        converter, name = match.group("converter") or "str", match.group("name")
        if name == "client_id":
            return str(client_id)
        if converter == "int" or name.endswith("_id") or name == "number":
            return str(_sub_object_id(name, client.pk))
        if converter == "uuid":
            return "00000000-0000-0000-0000-000000000000"
        return "x"

    return "/" + PARAM.sub(fill, route.route)


def main_text(response: Any) -> str:
    """The body, without the page header that names the signed-in staff member."""
    body = response.content.decode(errors="replace") if hasattr(response, "content") else ""
    if "<main" in body:
        return body.split("<main", 1)[1].split("</main>", 1)[0]
    return body


class AuthorizationSweep(PrivacyCastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # A name that belongs to the restricted record only (the staff account is "Robin Both").
        Client.objects.filter(pk=cls.cast.peer_client_record.pk).update(preferred_name="Robbie")
        cls.refer_both()

    @classmethod
    def refer_both(cls) -> None:
        """A referral of each record, so that referral pages are swept with a real one."""
        from peerpath.clients.access import client_for_write
        from peerpath.directory import referrals
        from peerpath.directory.models import Entry
        from peerpath.directory.tests.test_views import import_county

        import_county(cls.cast.org, 3)
        entry = Entry.objects.filter(organization=cls.cast.org).first()
        for staff, person in (
            (cls.cast.peer, cls.cast.client),
            (cls.cast.clinician, cls.cast.peer_client_record),
        ):
            referrals.referral_create(
                actor=staff,
                access=client_for_write(staff, person.pk),
                entry=entry,
                reason="Housing",
                shared_information="",
                consent_given=True,
                follow_up_on=timezone.localdate(),
                warm_handoff=False,
            )

    def setUp(self) -> None:
        _sub_object_id.cache_clear()
        self.routes = discover()
        self.failures: list[str] = []
        self.http: dict[str, HttpClient] = {}

    def client_for(self, role: str) -> HttpClient:
        if role not in self.http:
            self.http[role] = self.as_(role)
        return self.http[role]

    def request(self, role: str, method: str, url: str, api: bool) -> Any:
        http = self.client_for(role)
        if method == "get":
            return http.get(url)
        if api:
            return getattr(http, method)(url, data=json.dumps({}), content_type="application/json")
        return http.post(url, {})

    def test_discovery_finds_the_known_routes(self) -> None:
        routes = {r.route for r in self.routes}
        self.assertIn("people/<int:client_id>/", routes)
        self.assertIn("people/<int:client_id>/consents/", routes)
        self.assertTrue(any(r.is_api and "client_id" in r.names for r in self.routes))

    def check_refusal(
        self, role: str, method: str, route: Route, client: Client, names: tuple[str, ...]
    ) -> None:
        url = build(route, client.pk, client)
        response = self.request(role, method, url, route.is_api)
        status = response.status_code
        where = f"{method.upper()} {url} as {role}: {status}"
        if role == "privacy_officer" and route.route in PRIVACY_DUTIES:
            if status != 200:
                self.failures.append(f"{where}: the privacy officer's duty was refused")
            return
        if role == "anonymous":
            login = reverse("core:login")
            ok = (
                status == 401
                if route.is_api
                else (status == 302 and login in response.get("Location", ""))
            )
        else:
            ok = status in (403, 404)
        if not ok and status in PRE_GATE:
            missing = self.request(role, method, build(route, MISSING_ID, client), route.is_api)
            ok = missing.status_code == status
            where += f" (missing record: {missing.status_code})"
        if not ok:
            self.failures.append(f"{where}: not a refusal")
        text = (
            main_text(response)
            if role == "peer_client"
            else (response.content.decode(errors="replace"))
        )
        for name in names:
            if name in text:
                self.failures.append(f"{where}: body contains {name!r}")

    def sweep(self, client: Client, roles: tuple[str, ...], names: tuple[str, ...]) -> int:
        checked = 0
        for route in self.routes:
            person_ids = [n for n in route.names if n.endswith("_id") and is_client_object(n)]
            if "client_id" not in route.names and not (route.is_api and person_ids):
                continue
            for method in API_METHODS if route.is_api else WEB_METHODS:
                for role in (*roles, "anonymous"):
                    self.check_refusal(role, method, route, client, names)
                    checked += 1
        return checked

    def test_ordinary_record(self) -> None:
        checked = self.sweep(self.cast.client, REFUSED_ORDINARY, ("Jordana", "Quillfeather"))
        self.assertGreater(checked, 100)
        self.assertEqual(self.failures, [], "\n".join(self.failures))

    def test_restricted_record(self) -> None:
        # The record is really there for its care team and the privacy officer.
        detail = reverse("clients:detail", args=[self.cast.peer_client_record.pk])
        for role in ("clinician", "privacy_officer"):
            self.assertContains(self.client_for(role).get(detail), "Robbie")
        checked = self.sweep(self.cast.peer_client_record, REFUSED_RESTRICTED, ("Robbie",))
        self.assertGreater(checked, 100)
        self.assertEqual(self.failures, [], "\n".join(self.failures))

    def test_pages_linked_to_a_restricted_person_never_name_them(self) -> None:
        """Pages of things a person is linked to (a meeting with them on the agenda, ...)."""
        record = self.cast.peer_client_record
        if apps.is_installed("peerpath.meetings"):
            meeting_model = apps.get_model("meetings", "TeamMeeting")
            meeting = meeting_model.objects.create(
                organization=self.cast.org,
                team=self.cast.other_team,
                kind=meeting_model.Kind.choices[0][0],
                starts_at=timezone.now(),
                created_by=self.cast.clinician,
            )
            for person in (record, self.cast.client):
                meeting.agenda.create(
                    organization=self.cast.org, client=person, added_by=self.cast.clinician
                )
        linked = seen_by_care_team = 0
        for route in self.routes:
            if route.is_api or "client_id" in route.names or not route.params:
                continue
            ids = {name: related_object_id(name, record) for _, name in route.params}
            if None in ids.values():
                continue
            linked += 1
            url = "/" + PARAM.sub(lambda m, ids=ids: str(ids[m.group("name")]), route.route)
            for role in (*REFUSED_RESTRICTED, "anonymous"):
                response = self.client_for(role).get(url)
                if "Robbie" in main_text(response):
                    self.failures.append(f"GET {url} as {role} names the restricted person")
            # The control: somewhere the care team does see them (e.g. the meeting's agenda).
            if "Robbie" in main_text(self.client_for("clinician").get(url)):
                seen_by_care_team += 1
        if apps.is_installed("peerpath.meetings"):
            self.assertGreater(linked, 0)
            self.assertGreater(seen_by_care_team, 0)
        self.assertEqual(self.failures, [], "\n".join(self.failures))

    def test_lists_never_name_a_restricted_person(self) -> None:
        outside = (*REFUSED_RESTRICTED, "anonymous")
        lists = [r for r in self.routes if not r.params]
        self.assertTrue(any(r.route == "people/" for r in lists))
        for route in lists:
            for query in ("", "?q=Robb", "?q=Both"):
                url = "/" + route.route + query
                for role in outside:
                    if role == "peer_client" and route.route == "me/record/":
                        continue  # their own record, seen as a client sees it
                    response = self.client_for(role).get(url)
                    if "Robbie" in main_text(response):
                        self.failures.append(f"GET {url} as {role} names the restricted person")
        self.assertEqual(self.failures, [], "\n".join(self.failures))
