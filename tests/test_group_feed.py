"""The agency's peer-run groups as a public Meeting Guide feed: who lists a group, what the
feed holds (and never holds), and that a Meeting Guide reader takes it as it is."""

from __future__ import annotations

import json
from datetime import time
from typing import Any

from django.test import Client as HttpClient
from django.urls import reverse

from peerpath.core.models import AuditEvent, Role
from peerpath.directory import meetings as meeting_guide
from peerpath.encounters import actions, listing
from peerpath.encounters.models import GroupListing
from peerpath.testing import CastTestCase, make_staff, query_count


class GroupFeedTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        org = cls.cast.org
        cls.group = actions.group_create(
            actor=cls.cast.peer,
            organization=org,
            name="Tuesday Recovery Circle",
            kind="peer_support",
            facilitators=[cls.cast.peer],
        )
        cls.manager = make_staff(org, Role.PROGRAM_MANAGER, name="Mo Manager")
        cls.listing_url = reverse("encounters:group_listing", args=[cls.group.pk])
        cls.feed_url = reverse("encounters:group_feed", args=[org.slug])

    def form(self, **overrides: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "is_published": "on",
            "days": ["1", "3"],
            "starts": "18:30",
            "ends": "20:00",
            "attendance": "hybrid",
            "place": "Riverbend Center, room 2",
            "address": "120 Main St",
            "city": "Eugene",
            "state": "or",
            "postal_code": "97401",
            "region": "Downtown",
            "conference_url": "https://meet.example.org/circle",
            "types": ["O", "S"],
            "notes": "Enter by the side door.",
        }
        data.update(overrides)
        return data

    def feed(self) -> list[dict[str, Any]]:
        response = HttpClient().get(self.feed_url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        return json.loads(response.content)

    def test_a_facilitator_lists_the_group_and_anyone_reads_it_in_meeting_guide_form(
        self,
    ) -> None:
        response = self.as_("peer").post(self.listing_url, self.form())
        self.assertRedirects(response, reverse("encounters:group_detail", args=[self.group.pk]))
        self.assertTrue(AuditEvent.objects.filter(action="group.listing").exists())
        (meeting,) = self.feed()
        self.assertEqual(meeting["name"], "Tuesday Recovery Circle")
        self.assertEqual(meeting["day"], [2, 4])  # Tuesday and Thursday; Sunday is 0
        self.assertEqual((meeting["time"], meeting["end_time"]), ("18:30", "20:00"))
        self.assertEqual(meeting["types"], ["O", "S", "ONL"])
        self.assertEqual(meeting["conference_url"], "https://meet.example.org/circle")
        self.assertEqual(meeting["formatted_address"], "120 Main St, Eugene, OR 97401, USA")
        self.assertEqual(meeting["slug"], f"{self.cast.org.slug}-group-{self.group.pk}")

    def test_the_feed_names_nobody(self) -> None:
        from peerpath.encounters.models import GroupMember

        GroupMember.objects.create(
            organization=self.cast.org, group=self.group, client=self.cast.client
        )
        listing.group_listing_save(
            actor=self.cast.peer,
            group=self.group,
            is_published=True,
            days=[0],
            starts=time(10),
            ends=None,
            attendance="in_person",
            address="1 Elm St",
            city="Eugene",
        )
        text = HttpClient().get(self.feed_url).content.decode()
        for name in (
            self.cast.peer.full_name,
            self.cast.client.given_name,
            self.cast.client.family_name,
            self.cast.peer.email,
        ):
            self.assertNotIn(name, text)

    def test_only_listed_groups_that_still_meet_of_that_agency(self) -> None:
        self.as_("peer").post(self.listing_url, self.form())
        self.as_("peer").post(self.listing_url, self.form(is_published=""))
        self.assertEqual(self.feed(), [])
        self.as_("peer").post(self.listing_url, self.form())
        self.group.is_active = False
        self.group.save(update_fields=["is_active"])
        self.assertEqual(self.feed(), [])
        other = reverse("encounters:group_feed", args=[self.cast.other_org.slug])
        self.assertEqual(json.loads(HttpClient().get(other).content), [])
        missing = reverse("encounters:group_feed", args=["no-such-agency"])
        self.assertEqual(HttpClient().get(missing).status_code, 404)

    def test_a_meeting_guide_reader_takes_the_feed_with_nothing_refused(self) -> None:
        self.as_("peer").post(self.listing_url, self.form())
        second = actions.group_create(
            actor=self.cast.peer,
            organization=self.cast.org,
            name="Saturday WRAP Group",
            kind="wrap",
            facilitators=[self.cast.peer],
        )
        listing.group_listing_save(
            actor=self.cast.peer,
            group=second,
            is_published=True,
            days=[5],
            starts=time(23, 0),
            ends=time(0, 30),  # ends after midnight
            attendance="online",
            conference_url="https://meet.example.org/wrap",
            types=["W"],
        )
        read = meeting_guide.read_feed(HttpClient().get(self.feed_url).content.decode())
        self.assertEqual(read.problem, "")
        self.assertEqual(read.refused, [])
        self.assertEqual(len(read.meetings), 2)

    def test_bad_input_gets_a_clear_message_and_changes_nothing(self) -> None:
        for overrides, words in (
            ({"days": []}, "This field is required"),
            ({"attendance": "in_person", "address": ""}, "street address and city"),
            ({"attendance": "online", "conference_url": ""}, "link to join online"),
            ({"postal_code": "ABCDE"}, "ZIP code such as 97401"),
            ({"types": ["ZZ"]}, "Select a valid choice"),
            ({"ends": "18:30"}, "same as the start time"),
        ):
            with self.subTest(words=words):
                response = self.as_("peer").post(self.listing_url, self.form(**overrides))
                self.assertContains(response, words, status_code=400)
        self.assertFalse(GroupListing.objects.exists())

    def test_the_form_starts_empty_and_shows_what_was_saved(self) -> None:
        page = self.as_("peer").get(self.listing_url)
        self.assertNotContains(page, "checked")
        self.assertContains(page, self.feed_url)
        self.as_("peer").post(self.listing_url, self.form())
        again = self.as_("peer").get(self.listing_url).content.decode()
        self.assertIn('value="120 Main St"', again)
        self.assertIn('value="18:30"', again)

    def test_facilitators_and_those_who_run_the_agency_list_a_group_no_one_else(self) -> None:
        self.assertEqual(self.as_staff(self.manager).get(self.listing_url).status_code, 200)
        for role, status in (
            ("supervisor", 403),
            ("clinician", 403),
            ("peer_client", 403),
            ("outsider", 404),
        ):
            with self.subTest(role=role):
                self.assertEqual(self.as_(role).get(self.listing_url).status_code, status)
                self.assertEqual(
                    self.as_(role).post(self.listing_url, self.form()).status_code, status
                )
        self.assertFalse(GroupListing.objects.exists())
        self.assertEqual(self.as_("anonymous").get(self.listing_url).status_code, 302)

    def test_the_feed_costs_the_same_queries_for_one_group_or_ten(self) -> None:
        self.as_("peer").post(self.listing_url, self.form())
        one = query_count(lambda: HttpClient().get(self.feed_url))
        for n in range(9):
            group = actions.group_create(
                actor=self.cast.peer,
                organization=self.cast.org,
                name=f"Group {n}",
                kind="peer_support",
                facilitators=[self.cast.peer],
            )
            listing.group_listing_save(
                actor=self.cast.peer,
                group=group,
                is_published=True,
                days=[n % 7],
                starts=time(9),
                ends=None,
                attendance="online",
                conference_url="https://meet.example.org/g",
            )
        self.assertEqual(query_count(lambda: HttpClient().get(self.feed_url)), one)
        self.assertEqual(len(self.feed()), 10)


def test_the_demo_agency_publishes_its_groups(db: Any) -> None:
    from peerpath.demo import agency

    org = agency.load()
    response = HttpClient().get(reverse("encounters:group_feed", args=[org.slug]))
    meetings = json.loads(response.content)
    assert {m["name"] for m in meetings} == {"Tuesday WRAP group", "Thursday peer support group"}
    read = meeting_guide.read_feed(response.content.decode())
    assert read.refused == [] and len(read.meetings) == 2
