"""Signing a contact leads on: link the goals it worked on, set the next step, then go to the
next person due or My day (no addendum form right after signing)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from peerpath.clients.models import Client
from peerpath.core.models import AuditEvent
from peerpath.encounters.tests.helpers import ROUTINE, draft_contact, form_data
from peerpath.plans import actions
from peerpath.plans.models import GoalNote
from peerpath.testing import ROLES, CastTestCase, make_client

from .helpers import writer


class FollowUpTests(CastTestCase):
    def setUp(self) -> None:
        grant = writer(self.cast)
        self.goal = actions.goal_create(
            actor=self.cast.peer,
            access=grant,
            own_words="I want to get my license back",
            life_area="work",
        )
        self.due = make_client(
            self.cast.team, given_name="Next", family_name="Due", care_team=(self.cast.peer,)
        )

    def sign(self):  # type: ignore[no-untyped-def]
        draft = draft_contact(self.cast.peer, self.cast.client)
        url = reverse("encounters:contact_edit", args=[self.cast.client.pk, draft.pk])
        response = self.as_("peer").post(url, {**form_data(draft, **ROUTINE), "action": "sign"})
        return draft, response

    def test_after_signing_the_page_offers_what_comes_next(self) -> None:
        draft, response = self.sign()
        self.assertTrue(response["Location"].endswith("?signed=1"))
        page = self.as_("peer").get(response["Location"])
        self.assertContains(page, "What comes next")
        self.assertContains(page, "“I want to get my license back”")
        self.assertContains(page, "Next person due: Next Due")
        self.assertContains(page, "Back to My day")
        self.assertNotContains(page, "Add addendum")
        # Later visits show the addendum form as before.
        later = self.as_("peer").get(
            reverse("encounters:contact_detail", args=[self.cast.client.pk, draft.pk])
        )
        self.assertContains(later, "Add addendum")
        self.assertNotContains(later, "What comes next")

    def test_follow_up_links_goals_and_sets_the_next_step(self) -> None:
        draft, _ = self.sign()
        url = reverse("plans:contact_follow_up", args=[self.cast.client.pk, draft.pk])
        due = timezone.localdate() + timedelta(days=7)
        before = AuditEvent.objects.count()
        response = self.as_("peer").post(
            url,
            {
                "goals": [str(self.goal.pk)],
                "next_step": "Call the DMV together",
                "next_step_due": due.isoformat(),
            },
        )
        self.assertEqual(response.status_code, 302)
        note = GoalNote.objects.get(goal=self.goal)
        self.assertEqual(note.contact_id, draft.pk)
        person = Client.objects.get(pk=self.cast.client.pk)
        self.assertEqual((person.next_step, person.next_step_due), ("Call the DMV together", due))
        self.assertEqual(
            [e.action for e in AuditEvent.objects.order_by("id")[before:]],
            ["goal.note_add", "client.update"],
        )

    def test_bad_follow_up_changes_nothing(self) -> None:
        draft, _ = self.sign()
        url = reverse("plans:contact_follow_up", args=[self.cast.client.pk, draft.pk])
        writes = AuditEvent.objects.filter(action__in=["goal.note_add", "client.update"])
        yesterday = timezone.localdate() - timedelta(days=1)
        for bad in (
            {"next_step": "x", "next_step_due": yesterday.isoformat()},
            {"next_step": "", "next_step_due": (yesterday + timedelta(days=3)).isoformat()},
            {"goals": ["987654"]},
        ):
            with self.subTest(bad=bad):
                response = self.as_("peer").post(url, bad, follow=True)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "usa-alert--error")
        self.assertFalse(writes.exists())
        self.assertFalse(GoalNote.objects.exists())

    def test_follow_up_per_role(self) -> None:
        draft, _ = self.sign()
        url = reverse("plans:contact_follow_up", args=[self.cast.client.pk, draft.pk])
        expected = {
            "peer": 302,
            "supervisor": 403,
            "clinician": 404,
            "peer_client": 404,
            "outsider": 404,
        }
        for role in ROLES:
            with self.subTest(role=role):
                response = self.as_(role).post(url, {"goals": [str(self.goal.pk)]})
                if role == "anonymous":
                    self.assertEqual(response.status_code, 302)
                    self.assertIn("sign-in", response["Location"])
                elif expected[role] == 302:
                    self.assertEqual(response.status_code, 302)
                else:
                    self.assertRefused(response, expected[role])
        self.assertEqual(GoalNote.objects.count(), 1)
