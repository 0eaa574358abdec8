"""The meetings finder, for each role."""

from __future__ import annotations

import re

from django.urls import reverse

from peerpath.directory import meetings, sample
from peerpath.directory.models import Meeting
from peerpath.testing import CastTestCase, query_count

URL = reverse("directory:meetings")


def import_feed(org: object, count: int = 40, seed: int = 9) -> None:
    meetings.feed_import(
        organization=org,  # type: ignore[arg-type]
        feed_name="county.json",
        feed=meetings.read_feed(sample.meeting_feed(count, seed)),
        actor=None,
    )


class MeetingsPageTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        import_feed(cls.cast.org)

    def names(self, response: object) -> list[str]:
        return re.findall(r'<h3 class="margin-bottom-05">([^<]+)</h3>', response.content.decode())  # type: ignore[attr-defined]

    def test_every_staff_member_finds_the_agencys_meetings_and_only_those(self) -> None:
        import_feed(self.cast.other_org, 3, seed=2)
        for role in ("peer", "supervisor", "clinician", "peer_client"):
            with self.subTest(role=role):
                response = self.as_(role).get(URL)
                self.assertContains(response, "40 meetings")
        self.assertContains(self.as_("outsider").get(URL), "3 meetings")
        self.assertEqual(self.as_("anonymous").get(URL).status_code, 302)

    def test_saturday_spanish_speaking_meetings_between_six_and_eight(self) -> None:
        response = self.as_("peer").get(
            URL, {"day": "5", "start_from": "18:00", "start_to": "20:00", "type": "S"}
        )
        found = self.names(response)
        expected = sorted(
            m.name
            for m in Meeting.objects.filter(organization=self.cast.org)
            if "S" in m.types
            and m.times.filter(weekday=5, starts__gte=18 * 60, starts__lte=20 * 60).exists()
        )
        self.assertEqual(sorted(found), expected)

    def test_online_meetings_and_distance(self) -> None:
        online = self.names(self.as_("peer").get(URL, {"attendance": "online"}))
        self.assertTrue(online)
        self.assertTrue(all("Online" in name for name in online))
        near = self.as_("peer").get(URL, {"near": "97401", "within": "5"})
        distances = [
            float(d) for d in re.findall(r"\(([\d.]+) miles away\)", near.content.decode())
        ]
        self.assertTrue(distances)
        self.assertEqual(distances, sorted(distances))
        self.assertTrue(all(d <= 5 for d in distances))

    def test_a_meeting_after_midnight_and_an_unknown_type_show_as_they_are(self) -> None:
        response = self.as_("peer").get(URL, {"type": "RB-LATE"})
        self.assertContains(response, "RB-LATE")
        self.assertContains(response, "11:30 p.m.\u201312:30 a.m.")

    def test_the_page_costs_the_same_for_40_or_200_meetings(self) -> None:
        http = self.as_("peer")
        small = query_count(lambda: http.get(URL, {"type": "O"}))
        import_feed(self.cast.org, 200, seed=3)
        self.assertEqual(query_count(lambda: http.get(URL, {"type": "O"})), small)

    def test_in_spanish_types_and_days_are_in_spanish(self) -> None:
        response = self.as_("peer").get(URL, {"type": "S"}, HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(response, "Español")
        self.assertContains(response, "Reuniones de ayuda mutua")
        self.assertRegex(response.content.decode(), r"\d+ reuniones?")
