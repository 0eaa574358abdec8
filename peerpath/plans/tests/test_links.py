"""Goals link to the contacts they came from; WHAM plans link to sessions and WHAM groups."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from peerpath.core.models import AuditEvent
from peerpath.encounters.models import Attendance, Contact, Group, GroupSession
from peerpath.plans import actions
from peerpath.plans.models import GoalNote, WhamSessionLink
from peerpath.testing import CastTestCase

from .helpers import writer


class LinkTests(CastTestCase):
    def setUp(self) -> None:
        self.access = writer(self.cast)
        self.goal = actions.goal_create(
            actor=self.cast.peer, access=self.access, own_words="Get a job", life_area="work"
        )
        self.wham = actions.wham_plan_create(
            actor=self.cast.peer,
            access=self.access,
            factor="activity",
            goal="Walk more",
            started_on=timezone.localdate(),
        )
        self.contact = Contact.objects.create(
            organization=self.cast.org, client=self.cast.client, author=self.cast.peer
        )
        self.other_contact = Contact.objects.create(
            organization=self.cast.org,
            client=self.cast.peer_client_record,
            author=self.cast.clinician,
        )
        group = Group.objects.create(organization=self.cast.org, name="WHAM Tuesdays", kind="wham")
        self.session = GroupSession.objects.create(
            organization=self.cast.org, group=group, recorded_by=self.cast.peer
        )
        Attendance.objects.create(
            organization=self.cast.org,
            session=self.session,
            client=self.cast.client,
            status=Attendance.Status.PRESENT,
        )

    def url(self, name: str, *args: object) -> str:
        return reverse(f"plans:{name}", args=[self.cast.client.pk, *args])

    def test_progress_note_links_to_a_contact(self) -> None:
        page = self.as_("peer").get(self.url("goal", self.goal.pk) + "?form=note")
        self.assertContains(page, f'value="{self.contact.pk}"')
        self.assertNotContains(page, f'value="{self.other_contact.pk}"')
        response = self.as_("peer").post(
            self.url("goal_note_add", self.goal.pk),
            {
                "text": "Filled out two applications",
                "written_on": "2026-01-05",
                "contact": str(self.contact.pk),
            },
        )
        self.assertEqual(response.status_code, 302)
        note = GoalNote.objects.get()
        self.assertEqual(note.contact, self.contact)
        page = self.as_("peer").get(self.url("goal", self.goal.pk))
        self.assertContains(
            page, reverse("encounters:contact_detail", args=[self.cast.client.pk, self.contact.pk])
        )

    def test_a_contact_with_someone_else_cannot_be_linked(self) -> None:
        response = self.as_("peer").post(
            self.url("goal_note_add", self.goal.pk),
            {"text": "x", "written_on": "2026-01-05", "contact": str(self.other_contact.pk)},
        )
        self.assertEqual(response.status_code, 302)  # refused by the form, with a message
        self.assertFalse(GoalNote.objects.exists())
        with self.assertRaises(ValueError):
            actions.wham_session_link(
                actor=self.cast.peer, access=self.access, plan=self.wham, contact=self.other_contact
            )

    def test_wham_links_a_session_and_a_group_the_person_came_to(self) -> None:
        url = self.url("wham", self.wham.pk)
        for value in (f"contact-{self.contact.pk}", f"group-{self.session.pk}"):
            response = self.as_("peer").post(url, {"link-session": value})
            self.assertEqual(response.status_code, 302)
        self.assertEqual(WhamSessionLink.objects.count(), 2)
        self.assertEqual(AuditEvent.objects.filter(action="wham.link").count(), 2)
        page = self.as_("supervisor").get(url)
        self.assertContains(page, "WHAM Tuesdays on")
        self.assertContains(page, "One-to-one session on")
        refused = self.as_("supervisor").post(url, {"link-session": f"contact-{self.contact.pk}"})
        self.assertRefused(refused, 403)
        bad = self.as_("peer").post(url, {"link-session": f"contact-{self.other_contact.pk}"})
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(WhamSessionLink.objects.count(), 2)
