"""Riverbend's surveys in the demo: results to show, a team too small to show, a survey waiting."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from peerpath.core.models import Staff
from peerpath.demo import agency
from peerpath.workforce.models import Wave


class DemoSurveyTests(TestCase):
    def test_two_waves_of_each_survey_with_results_and_a_team_too_small(self) -> None:
        org = agency.load()
        waves = Wave.objects.filter(organization=org)
        self.assertEqual(waves.count(), 4)
        tom = Staff.objects.get(email="tom.nguyen@riverbend.example")
        self.client.force_login(tom)
        later = waves.get(name="Six months later (staff survey)")
        before = waves.get(name="Before peers start (staff survey)")
        page = self.client.get(
            reverse("workforce:results", args=[later.pk]), {"compare": before.pk, "by": "team"}
        )
        results = page.context["results"]
        self.assertTrue(results.shown)
        self.assertIsNotNone(results.earlier)
        self.assertTrue(
            any(row.change is not None and row.change > 0 for row in page.context["rows"])
        )
        shown_teams = {group.label for group in results.groups}
        self.assertNotIn("Pathways Team", shown_teams)
        self.assertTrue(all(group.count >= 5 for group in results.groups))
        roadmap = self.client.get(reverse("workforce:roadmap"))
        self.assertEqual(roadmap.context["page"].roadmap.current.key, "implementation")
        self.assertContains(roadmap, "Lane County Peer Center")
        self.assertContains(self.client.get(reverse("clients:my_day")), 'id="readiness-actions"')
        positions = self.client.get(reverse("workforce:positions"))
        self.assertEqual(len(positions.context["page"].items), 3)
        below = [p.title for p in positions.context["page"].items if p.checks.below_living_wage]
        self.assertEqual(below, ["Part-time Peer Outreach Worker"])
        maria = Staff.objects.get(email="maria.lopez@riverbend.example")
        self.client.force_login(maria)
        self.assertContains(self.client.get(reverse("clients:my_day")), 'id="surveys-to-answer"')


class DemoHiringAndSupportTests(TestCase):
    def test_a_panel_with_scores_one_peer_overdue_and_a_month_of_driving(self) -> None:
        from django.utils import timezone

        from peerpath.workforce import support
        from peerpath.workforce.models import Candidate

        org = agency.load()
        jordan = Candidate.objects.get(organization=org, full_name="Jordan Ellis")
        self.assertEqual(jordan.scorecards.filter(submitted_at__isnull=False).count(), 2)
        avery = Candidate.objects.get(organization=org, full_name="Avery Thompson")
        self.assertEqual(avery.screen_reason, "paid_years")
        dana = Staff.objects.get(email="dana.whitfield@riverbend.example")
        today = timezone.localdate()
        rules = support.rules_for(org.pk)
        peers = list(support.peers_of(dana))
        overdue = {
            r.peer.full_name
            for r in support.supervision_status(peers, rules, today)
            if r.one_to_one_overdue
        }
        self.assertIn("James Carter", overdue)
        self.assertNotIn("Maria Lopez", overdue)
        rows, _teams = support.fidelity(peers, rules, today)
        james = next(r for r in rows if r.label == "James Carter")
        self.assertEqual(james.months[-2].share, 55)
        self.assertTrue(james.under_target)
        self.assertFalse(next(r for r in rows if r.label == "Maria Lopez").under_target)
