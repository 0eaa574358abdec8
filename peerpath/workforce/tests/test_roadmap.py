"""The roadmap: stages with what is done and what is next, champions per team, and learning from
agencies that employ peers."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from peerpath.core.models import AuditEvent, Role
from peerpath.testing import CastTestCase, make_staff, make_team, query_count
from peerpath.workforce import roadmap, strategies
from peerpath.workforce.models import Champion, LearningActivity, Strategy

TODAY = timezone.localdate
URL = reverse("workforce:roadmap")


class RoadmapTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.manager = make_staff(cls.cast.org, Role.PROGRAM_MANAGER, name="Mo Manager")
        strategies.library_seed(cls.cast.org)

    def test_the_agency_is_at_the_first_stage_with_something_left_and_sees_the_next_step(
        self,
    ) -> None:
        http = self.as_staff(self.manager)
        page = http.get(URL)
        self.assertEqual(page.context["page"].roadmap.current.key, "exposure")
        self.assertContains(page, "What is next: Leaders and staff have heard from peer providers")
        for key in ("hear_peers", "first_wave", "champions"):
            http.post(reverse("workforce:step", args=[key]), {"done": "1"})
        page = http.get(URL)
        self.assertEqual(page.context["page"].roadmap.current.key, "adoption")
        self.assertContains(page, "What is next: Leadership has shared a statement")
        http.post(reverse("workforce:step", args=["champions"]), {"done": "0"})
        self.assertEqual(http.get(URL).context["page"].roadmap.current.key, "exposure")
        self.assertEqual(AuditEvent.objects.filter(action="roadmap.step").count(), 4)
        self.assertEqual(
            http.post(reverse("workforce:step", args=["nope"]), {"done": "1"}).status_code, 302
        )
        self.assertFalse(roadmap.roadmap_of({}).stages[0].done)

    def test_teams_without_a_champion_stand_out_and_a_champion_is_named_once(self) -> None:
        http = self.as_staff(self.manager)
        page = http.get(URL)
        self.assertContains(page, "None yet", count=3)  # Blue, Green and Harbor teams
        data = {"team": self.cast.team.pk, "staff": self.cast.peer.pk}
        http.post(reverse("workforce:champion"), data)
        again = http.post(reverse("workforce:champion"), data)
        self.assertContains(again, "already a champion of this team", status_code=400)
        self.assertEqual(Champion.objects.count(), 1)
        outsider = http.post(
            reverse("workforce:champion"),
            {"team": self.cast.team.pk, "staff": self.cast.outsider.pk},
        )
        self.assertEqual(outsider.status_code, 400)
        self.assertContains(http.get(URL), "None yet", count=2)

    def test_a_visit_tied_to_a_strategy_is_planned_then_what_was_learned_is_kept(self) -> None:
        http = self.as_staff(self.manager)
        research = Strategy.objects.get(organization=self.cast.org, key="research")
        response = http.post(
            reverse("workforce:activity"),
            {
                "kind": "visit",
                "host": "Lane County Peer Center",
                "planned_on": TODAY().isoformat(),
                "strategy": research.pk,
                "section": "fears",
            },
        )
        self.assertRedirects(response, URL)
        activity = LearningActivity.objects.get()
        self.assertEqual((activity.strategy, activity.section), (research, "fears"))
        page = http.get(URL)
        self.assertContains(page, "Share what research says about peer support")
        empty = http.post(
            reverse("workforce:activity_learned", args=[activity.pk]), {"learned": " "}
        )
        self.assertEqual(empty.status_code, 302)
        activity.refresh_from_db()
        self.assertIsNone(activity.done_on)
        http.post(
            reverse("workforce:activity_learned", args=[activity.pk]),
            {"learned": "Their peers join every morning huddle."},
        )
        activity.refresh_from_db()
        self.assertEqual(activity.done_on, TODAY())
        self.assertContains(http.get(URL), "Their peers join every morning huddle.")

    def test_a_session_not_yet_held_keeps_no_lessons(self) -> None:
        activity = roadmap.activity_plan(
            actor=self.manager,
            kind="questions",
            host="Peer providers of Metro",
            planned_on=TODAY() + timedelta(days=3),
            strategy=None,
            section="",
        )
        with self.assertRaises(strategies.PlanRefused):
            roadmap.activity_record(actor=self.manager, activity=activity, learned="Early")
        page = self.as_staff(self.manager).get(URL)
        self.assertContains(page, "After it has taken place, write here what you learned.")
        self.assertNotContains(page, f'id="learned-{activity.pk}"')

    def test_the_page_costs_the_same_queries_for_a_small_or_a_larger_agency(self) -> None:
        http = self.as_staff(self.manager)
        few = query_count(lambda: http.get(URL))
        for n in range(6):
            team = make_team(self.cast.program, f"Team {n}")
            person = make_staff(self.cast.org, Role.CLINICIAN, name=f"Champ {n}", teams=(team,))
            roadmap.champion_name(actor=self.manager, team=team, staff=person)
            roadmap.activity_plan(
                actor=self.manager,
                kind="visit",
                host=f"Agency {n}",
                planned_on=TODAY() + timedelta(days=n),
                strategy=None,
                section="",
            )
        self.assertEqual(query_count(lambda: http.get(URL)), few)

    def test_only_those_who_run_the_agency(self) -> None:
        posts = [
            reverse("workforce:step", args=["statement"]),
            reverse("workforce:champion"),
            reverse("workforce:activity"),
        ]
        for role in ("peer", "supervisor", "clinician", "peer_client", "outsider"):
            with self.subTest(role=role):
                self.assertEqual(self.as_(role).get(URL).status_code, 403)
                for url in posts:
                    self.assertEqual(self.as_(role).post(url, {"done": "1"}).status_code, 403)
        self.assertEqual(self.as_("anonymous").get(URL).status_code, 302)
        self.assertFalse(Champion.objects.exists())
