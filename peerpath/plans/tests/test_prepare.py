"""The prepare page shows the person's open goals and the next step of each."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from peerpath.plans import actions
from peerpath.testing import CastTestCase, query_count

from .helpers import writer


class PrepareGoalsTests(CastTestCase):
    def url(self) -> str:
        return reverse("encounters:prepare", args=[self.cast.client.pk])

    def add_goal(self, words: str) -> object:
        return actions.goal_create(
            actor=self.cast.peer, access=writer(self.cast), own_words=words, life_area="housing"
        )

    def test_open_goals_with_their_soonest_open_step(self) -> None:
        today = timezone.localdate()
        goal = self.add_goal("I want my own place by summer")
        grant = writer(self.cast)
        done = actions.goal_step_add(
            actor=self.cast.peer, access=grant, goal=goal, text="Get my ID", due_on=today
        )
        actions.goal_step_done(actor=self.cast.peer, access=grant, step=done, done_on=today)
        actions.goal_step_add(
            actor=self.cast.peer,
            access=grant,
            goal=goal,
            text="Visit two apartments",
            due_on=today + timedelta(days=9),
        )
        actions.goal_step_add(
            actor=self.cast.peer,
            access=grant,
            goal=goal,
            text="Call the housing office",
            due_on=today + timedelta(days=2),
        )
        response = self.as_("peer").get(self.url())
        self.assertContains(response, "Open goals and next steps")
        self.assertContains(response, "I want my own place by summer")
        self.assertContains(response, "Next step: Call the housing office")
        self.assertNotContains(response, "Get my ID")

    def test_no_goals_offers_to_write_one(self) -> None:
        response = self.as_("peer").get(self.url())
        self.assertContains(response, "No open goals yet.")

    def test_same_queries_for_1_and_30_goals(self) -> None:
        http = self.as_("peer")
        self.add_goal("Goal 0")
        http.get(self.url())
        one = query_count(lambda: http.get(self.url()))
        for n in range(1, 30):
            self.add_goal(f"Goal {n}")
        self.assertEqual(one, query_count(lambda: http.get(self.url())))
