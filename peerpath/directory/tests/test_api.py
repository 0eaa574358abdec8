"""GET /api/v1/resources: the search, as JSON, a page at a time."""

from __future__ import annotations

from peerpath.directory.models import Entry
from peerpath.directory.tests.test_views import import_county
from peerpath.testing import CastTestCase

URL = "/api/v1/resources"


class ResourcesApiTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        import_county(cls.cast.org, 40)

    def test_every_entry_is_reached_through_next(self) -> None:
        http = self.as_("peer")
        seen: list[int] = []
        page = "1"
        while page:
            body = http.get(URL, {"page": page}).json()
            self.assertLessEqual(len(body["items"]), 20)
            seen += [item["id"] for item in body["items"]]
            page = body["next"]
        self.assertEqual(len(seen), body["total"])
        self.assertEqual(
            set(seen),
            set(Entry.objects.filter(organization=self.cast.org).values_list("pk", flat=True)),
        )

    def test_filters_distance_and_hours_come_back(self) -> None:
        body = (
            self.as_("peer")
            .get(
                URL,
                {
                    "category": "housing",
                    "near": "97401",
                    "within": "25",
                    "when": "at",
                    "day": "0",
                    "time": "10:00",
                },
            )
            .json()
        )
        self.assertTrue(body["items"])
        for item in body["items"]:
            self.assertLessEqual(item["miles"], 25)
            self.assertTrue(
                any(
                    h["weekday"] == 0
                    and h["opens"]
                    <= "10:00"
                    < (h["closes"] if h["closes"] != "00:00:00" else "24:00")
                    for h in item["hours"]
                )
            )
            self.assertTrue(item["service"])
        distances = [item["miles"] for item in body["items"]]
        self.assertEqual(distances, sorted(distances))

    def test_bad_input_is_refused_with_reasons(self) -> None:
        http = self.as_("peer")
        self.assertEqual(http.get(URL, {"near": "00000"}).status_code, 422)
        self.assertEqual(http.get(URL, {"within": "5"}).status_code, 422)
        self.assertEqual(http.get(URL, {"category": "spaceships"}).status_code, 422)
        self.assertEqual(http.get(URL, {"page": "0"}).status_code, 422)
        self.assertEqual(http.get(URL, {"page": "99"}).status_code, 422)

    def test_another_agency_sees_its_own_directory_and_a_visitor_nothing(self) -> None:
        body = self.as_("outsider").get(URL).json()
        self.assertEqual(body["total"], 0)
        self.assertEqual(self.as_("anonymous").get(URL).status_code, 401)
