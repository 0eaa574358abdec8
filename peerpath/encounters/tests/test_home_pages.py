"""Each role's home: the supervisor sees every peer they supervise at a glance, the program
manager sees the program in numbers, the privacy officer lands on the privacy desk."""

from __future__ import annotations

from django.urls import reverse

from peerpath.core.models import Role
from peerpath.measures.models import Alert, Questionnaire, Response
from peerpath.testing import CastTestCase, make_client, make_staff, query_count

from .helpers import bulk_contacts, draft_contact, signed_contact


class HomePageTests(CastTestCase):
    def test_supervisor_sees_each_peer_with_waiting_notes_alerts_and_last_contact(self) -> None:
        signed_contact(self.cast.peer, self.cast.client)
        signed_contact(self.cast.peer, self.cast.client)
        draft_contact(self.cast.peer, self.cast.client)
        # Two more people on the peer's caseload without any alert: they count for nothing.
        make_client(self.cast.team, care_team=(self.cast.peer,))
        make_client(self.cast.team, care_team=(self.cast.peer,))
        questionnaire = Questionnaire.objects.filter(name__icontains="phq").first()
        response = Response.objects.create(
            organization=self.cast.org,
            client=self.cast.client,
            questionnaire=questionnaire,
            authored_on="2026-11-30",
            total=1,
            resource={},
        )
        Alert.objects.create(
            organization=self.cast.org,
            client=self.cast.client,
            response=response,
            question_text="Q9",
            answer_display="Several days",
        )
        page = self.as_("supervisor").get(reverse("clients:my_day"))
        peers = next(p.context["peers"] for p in page.context["panels"] if "peers" in p.context)
        rows = {row.peer.pk: row for row in peers}
        peer = rows[self.cast.peer.pk]
        self.assertEqual((peer.waiting, peer.open_notes, peer.alerts), (2, 1, 1))
        self.assertIsNotNone(peer.last_contact)
        self.assertContains(page, "The staff you supervise")
        self.assertContains(page, self.cast.peer.full_name)
        # A peer's own home has no such table.
        self.assertNotContains(self.as_("peer").get(reverse("clients:my_day")), "you supervise")

    def test_supervisor_home_query_count_does_not_grow_with_peers(self) -> None:
        url = reverse("clients:my_day")
        before = query_count(lambda: self.as_("supervisor").get(url))
        for i in range(6):
            peer = make_staff(self.cast.org, Role.PEER_SPECIALIST, teams=(self.cast.team,))
            person = make_client(self.cast.team, care_team=(peer,))
            bulk_contacts(peer, person, 3 + i)
        after = query_count(lambda: self.as_("supervisor").get(url))
        self.assertEqual(before, after)

    def test_program_manager_sees_the_program_in_numbers(self) -> None:
        manager = make_staff(self.cast.org, Role.PROGRAM_MANAGER, name="Morgan Manager")
        signed_contact(self.cast.peer, self.cast.client)
        page = self.as_staff(manager).get(reverse("clients:my_day"))
        self.assertContains(page, "The program at a glance")
        glance = next(p.context["glance"] for p in page.context["panels"] if "glance" in p.context)
        self.assertEqual(glance.contacts_this_month, 1)
        self.assertEqual(glance.notes_waiting, 1)
        self.assertEqual(glance.teams, 3)
        self.assertGreaterEqual(glance.people_served, 2)
        self.assertGreaterEqual(glance.peers, 2)
        # Numbers only: no one served is named.
        self.assertNotContains(page, self.cast.client.family_name)
        self.assertNotContains(self.as_("peer").get(reverse("clients:my_day")), "at a glance")

    def test_privacy_officers_home_is_the_privacy_desk(self) -> None:
        officer = make_staff(self.cast.org, Role.PRIVACY_OFFICER, name="Pria Officer")
        response = self.as_staff(officer).get(reverse("clients:my_day"))
        self.assertRedirects(response, reverse("clients:privacy_desk"))
        desk = self.as_staff(officer).get(reverse("clients:privacy_desk"))
        self.assertNotContains(desk, "<span>My day</span>")
