"""A new peer's orientation: the agency's template (PeerPath's by default, editable), the
checklist due from the start day, shadowing with reflections, and the development plan the
supervisor reviews; seen by the peer, their supervisor and those who run the agency only."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from peerpath.core.models import AuditEvent, Role, Staff
from peerpath.testing import CastTestCase, count_queries, make_staff
from peerpath.workforce import orientation
from peerpath.workforce.models import Orientation, OrientationItem, OrientationStep, Shadowing


class OrientationCase(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.manager = make_staff(cls.cast.org, Role.PROGRAM_MANAGER, name="Mo Manager")
        Staff.objects.filter(pk=cls.cast.peer.pk).update(supervisor=cls.cast.supervisor)
        cls.cast.peer.refresh_from_db()

    def start(self, days_ago: int = 4) -> Orientation:
        return orientation.start(
            actor=self.cast.supervisor,
            peer=self.cast.peer,
            starts_on=timezone.localdate() - timedelta(days=days_ago),
        )


class Starting(OrientationCase):
    def test_the_supervisor_starts_it_from_the_template_with_due_days(self) -> None:
        url = reverse("workforce:orientations")
        page = self.as_("supervisor").get(url).content.decode()
        form = page.split('id="start-form"')[1].split("</form>")[0]
        self.assertIn('<option value="" selected>', form)  # no peer chosen for anyone
        self.assertNotIn('name="starts_on" value=', form.replace('type="date" name', "name"))
        starts = timezone.localdate()
        response = self.as_("supervisor").post(
            url, {"peer": self.cast.peer.pk, "starts_on": starts.isoformat()}
        )
        self.assertEqual(response.status_code, 302)
        items = list(OrientationItem.objects.order_by("due_on", "id"))
        self.assertEqual(len(items), len(orientation.DEFAULT_STEPS))
        self.assertEqual(items[0].due_on, starts)  # day 1 is the first day
        confidentiality = next(i for i in items if i.key == "confidentiality")
        self.assertEqual(confidentiality.due_on, starts + timedelta(days=1))
        again = self.as_("supervisor").post(url, {"peer": self.cast.peer.pk, "starts_on": starts})
        self.assertEqual(again.status_code, 400)  # the peer is no longer offered
        self.assertEqual(Orientation.objects.count(), 1)

    def test_the_agency_edits_its_template_for_orientations_to_come(self) -> None:
        url = reverse("workforce:orientation_steps")
        http = self.as_staff(self.manager)
        self.assertContains(http.get(url), "Confidentiality and 42 CFR Part 2")
        http.post(url, {"title": "Meet the peer support group", "day": "4"})
        dual = OrientationStep.objects.get(key="dual_relationships")
        http.post(reverse("workforce:orientation_step_retire", args=[dual.pk]))
        self.start()
        keys = set(OrientationItem.objects.values_list("key", "title"))
        self.assertIn(("", "Meet the peer support group"), keys)
        self.assertNotIn(("dual_relationships", ""), keys)
        for role in ("supervisor", "peer"):
            self.assertEqual(self.as_(role).get(url).status_code, 403)
        bad = http.post(url, {"title": "", "day": "400"})
        self.assertEqual(bad.status_code, 400)


class WhoSeesIt(OrientationCase):
    def test_the_peer_their_supervisor_and_managers_only(self) -> None:
        self.start()
        url = reverse("workforce:peer_orientation", args=[self.cast.peer.pk])
        self.assertEqual(self.as_("supervisor").get(url).status_code, 200)
        self.assertEqual(self.as_staff(self.manager).get(url).status_code, 200)
        self.assertRedirects(self.as_("peer").get(url), reverse("workforce:my_orientation"))
        for role in ("clinician", "peer_client", "outsider"):
            self.assertEqual(self.as_(role).get(url).status_code, 404, role)
        self.assertEqual(
            self.as_("clinician").get(reverse("workforce:orientations")).status_code, 403
        )
        self.assertEqual(
            self.as_("clinician").get(reverse("workforce:my_orientation")).status_code, 403
        )

    def test_a_peer_without_an_orientation_is_told_so(self) -> None:
        page = self.as_("peer").get(reverse("workforce:my_orientation"))
        self.assertContains(page, "has not started an orientation for you")


class Progress(OrientationCase):
    def test_steps_done_and_past_their_day_are_counted_for_both(self) -> None:
        found = self.start(days_ago=4)
        first = OrientationItem.objects.order_by("due_on", "id").first()
        assert first is not None
        self.as_("peer").post(
            reverse("workforce:my_orientation"), {"action": "done", "item": first.pk}
        )
        progress = orientation.progress_of([found], timezone.localdate())[0]
        self.assertEqual(progress.done, 1)
        # Steps due on days 1-3 (the start was four days ago), minus the one done.
        due = OrientationItem.objects.filter(due_on__lt=timezone.localdate()).count()
        self.assertEqual(progress.overdue, due - 1)
        page = self.as_("supervisor").get(
            reverse("workforce:peer_orientation", args=[self.cast.peer.pk])
        )
        self.assertContains(page, f"1 of {len(orientation.DEFAULT_STEPS)} steps done")
        self.assertTrue(AuditEvent.objects.filter(action="orientation.done").exists())

    def test_shadowing_and_the_development_plan_reviewed_in_supervision(self) -> None:
        self.start()
        mine = reverse("workforce:my_orientation")
        today = timezone.localdate()
        self.as_("peer").post(
            mine,
            {
                "action": "shadowing",
                "on": today.isoformat(),
                "with_whom": "Maria, a peer specialist",
                "work": "peer",
                "reflection": "She lets people lead.",
            },
        )
        future = self.as_("peer").post(
            mine,
            {
                "action": "shadowing",
                "on": (today + timedelta(days=2)).isoformat(),
                "with_whom": "X",
                "work": "peer",
            },
        )
        self.assertEqual(future.status_code, 400)
        self.assertEqual(Shadowing.objects.count(), 1)
        self.as_("peer").post(mine, {"action": "plan", "skills": "Leading WRAP groups"})
        theirs = reverse("workforce:peer_orientation", args=[self.cast.peer.pk])
        page = self.as_("supervisor").get(theirs)
        self.assertContains(page, "She lets people lead.")
        self.assertContains(page, "Leading WRAP groups")
        self.assertNotContains(page, 'id="development-form"')  # the plan is the peer's to write
        self.as_("supervisor").post(theirs, {"action": "reviewed"})
        found = Orientation.objects.get()
        self.assertEqual((found.reviewed_on, found.reviewed_by), (today, self.cast.supervisor))
        self.assertContains(self.as_("peer").get(mine), "Reviewed in supervision on")

    def test_the_orientations_page_costs_the_same_queries_for_1_or_8_peers(self) -> None:
        self.start()
        url = reverse("workforce:orientations")
        http = self.as_staff(self.manager)
        http.get(url)
        with count_queries() as few:
            http.get(url)
        for n in range(7):
            peer = make_staff(self.cast.org, Role.PEER_SPECIALIST, name=f"New Peer {n}")
            orientation.start(actor=self.manager, peer=peer, starts_on=timezone.localdate())
        with count_queries() as many:
            page = http.get(url)
        self.assertEqual(len(many), len(few))
        self.assertContains(page, "New Peer 6")
