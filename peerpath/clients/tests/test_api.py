"""The JSON API: generated OpenAPI, audited reads, and the gate's answers."""

from __future__ import annotations

from peerpath.core.models import AuditEvent
from peerpath.testing import CastTestCase


class ApiTests(CastTestCase):
    def test_openapi_describes_the_client_endpoints(self) -> None:
        schema = self.as_("peer").get("/api/v1/openapi.json").json()
        self.assertEqual(schema["info"]["title"], "PeerPath API")
        self.assertIn("/api/v1/clients", schema["paths"])
        self.assertIn("/api/v1/clients/{client_id}", schema["paths"])

    def test_reading_a_record_is_audited_once(self) -> None:
        before = AuditEvent.objects.count()
        response = self.as_("peer").get(f"/api/v1/clients/{self.cast.client.pk}")
        self.assertEqual(response.status_code, 200)
        event = AuditEvent.objects.order_by("id")[before:].get()
        self.assertEqual((event.action, event.client_id), ("client.view", self.cast.client.pk))

    def test_care_team_is_listed(self) -> None:
        body = self.as_("supervisor").get(f"/api/v1/clients/{self.cast.client.pk}").json()
        self.assertEqual([m["staff_name"] for m in body["care_team"]], ["Pat Peer"])
        self.assertFalse(body["can_write"])

    def test_search_filters_by_name(self) -> None:
        http = self.as_("peer")
        self.assertEqual(len(http.get("/api/v1/clients", {"q": "quill"}).json()["items"]), 1)
        nobody = http.get("/api/v1/clients", {"q": "nobody-by-this-name"}).json()
        self.assertEqual(nobody, {"items": [], "next": None})


class ClientListApiPagingTests(CastTestCase):
    def test_every_person_is_reachable_through_the_api_pages(self) -> None:
        from peerpath.clients.tests.test_people_list import bulk_caseload

        bulk_caseload(self.cast, 120)
        http = self.as_("peer")
        seen: list[str] = []
        params: dict[str, str] = {"sort": "newest"}
        while True:
            page = http.get("/api/v1/clients", params).json()
            seen += [row["display_name"] for row in page["items"]]
            if not page["next"]:
                break
            params["after"] = page["next"]
        self.assertEqual(len(seen), 121)
        self.assertEqual(seen[-1], "Jordana Quillfeather")  # the oldest taken in comes last
        bad = http.get("/api/v1/clients", {"after": "garbage"})
        self.assertEqual(bad.status_code, 422)
