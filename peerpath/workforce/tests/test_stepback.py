"""'Done for today': one step, no reason asked; today's next steps move to tomorrow; only the
peer's own supervisor is told, on My day, until they mark it seen."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from peerpath.clients.models import Client
from peerpath.core.models import AuditEvent, Role, Staff
from peerpath.testing import CastTestCase, make_staff
from peerpath.workforce.models import StepBack


class StepBackTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Staff.objects.filter(pk=cls.cast.peer.pk).update(supervisor=cls.cast.supervisor)

    def test_a_peer_steps_back_in_one_step_and_todays_next_steps_move(self) -> None:
        today = timezone.localdate()
        client = self.cast.client  # Pat's person, with a next step due today
        self.assertEqual(client.next_step_due, today)
        day = self.as_("peer").get("/")
        self.assertContains(day, 'id="done-for-today"')
        form = day.content.decode().split('id="done-for-today"')[1].split("</form>")[0]
        self.assertNotIn("<textarea", form)  # no reason asked
        self.assertNotIn('<input type="text"', form)
        response = self.as_("peer").post(reverse("workforce:done_for_today"))
        self.assertRedirects(response, reverse("clients:my_day"))
        client.refresh_from_db()
        self.assertEqual(client.next_step_due, today + timedelta(days=1))
        found = StepBack.objects.get()
        self.assertEqual(found.moved, 1)
        event = AuditEvent.objects.get(action="step_back")
        self.assertEqual(event.details, {"moved": 1})
        self.assertContains(self.as_("peer").get("/"), 'id="stepped-back-today"')
        # A second press the same day changes nothing more.
        self.as_("peer").post(reverse("workforce:done_for_today"))
        self.assertEqual(StepBack.objects.count(), 1)
        self.assertEqual(Client.objects.get(pk=client.pk).next_step_due, today + timedelta(days=1))

    def test_only_their_supervisor_is_told_until_seen(self) -> None:
        self.as_("peer").post(reverse("workforce:done_for_today"))
        theirs = self.as_("supervisor").get("/")
        self.assertContains(theirs, "Pat Peer stepped back for the rest of the day")
        other = make_staff(self.cast.org, Role.PEER_SUPERVISOR, name="Other Supervisor")
        make_staff(self.cast.org, Role.PEER_SPECIALIST, name="Their Peer")
        Staff.objects.filter(full_name="Their Peer").update(supervisor=other)
        self.assertNotContains(self.as_staff(other).get("/"), "stepped back")
        found = StepBack.objects.get()
        url = reverse("workforce:step_back_seen", args=[found.pk])
        self.assertEqual(self.as_staff(other).post(url).status_code, 404)
        self.as_("supervisor").post(url)
        self.assertNotContains(self.as_("supervisor").get("/"), "stepped back for the rest")

    def test_the_supervisor_asks_a_colleague_who_serves_them_to_cover(self) -> None:
        from peerpath.clients.models import CareTeamMember

        colleague = make_staff(self.cast.org, Role.CASE_MANAGER, name="Cory Colleague")
        CareTeamMember.objects.create(
            organization=self.cast.org,
            client=self.cast.client,
            staff=colleague,
            role="case_manager",
        )
        stranger = make_staff(self.cast.org, Role.CASE_MANAGER, name="Stan Stranger")
        self.as_("peer").post(reverse("workforce:done_for_today"))
        found = StepBack.objects.get()
        theirs = self.as_("supervisor").get("/").content.decode()
        offered = theirs.split(f'id="colleague-{found.pk}"')[1].split("</select>")[0]
        self.assertIn("Cory Colleague", offered)
        self.assertNotIn("Stan Stranger", offered)  # serves none of Pat's people
        url = reverse("workforce:step_back_hand_over", args=[found.pk])
        self.as_("supervisor").post(url, {"colleague": stranger.pk})
        self.assertIsNone(StepBack.objects.get().covered_by)
        self.as_("supervisor").post(url, {"colleague": colleague.pk})
        self.assertEqual(StepBack.objects.get().covered_by, colleague)
        day = self.as_staff(colleague).get("/")
        self.assertContains(day, "Pat Peer stepped back for the rest of the day")
        self.assertContains(day, "Visit the housing office")
        # The person named on the colleague's My day is in that page's audit event.
        viewed = AuditEvent.objects.filter(actor=colleague, action="my_day.view").latest("id")
        self.assertIn(self.cast.client.pk, viewed.details["clients"])
        self.assertNotContains(self.as_staff(stranger).get("/"), "stepped back")
        self.assertNotContains(self.as_("supervisor").get("/"), 'id="stepped-back"')

    def test_only_peers_step_back(self) -> None:
        for role in ("clinician",):
            response = self.as_(role).post(reverse("workforce:done_for_today"))
            self.assertEqual(response.status_code, 403)
        self.assertEqual(self.as_("peer").get(reverse("workforce:done_for_today")).status_code, 405)
        self.assertFalse(StepBack.objects.exists())


class WorkUpTo(CastTestCase):
    def test_a_peer_keeps_the_time_before_a_hard_meeting_free(self) -> None:
        from datetime import datetime, time

        from peerpath.meetings.models import TeamMeeting

        today = timezone.localdate()
        late = timezone.make_aware(datetime.combine(today, time(23, 30)))
        if timezone.now() >= late:  # run just before midnight: the meeting is tomorrow
            late += timedelta(days=1)
        meeting = TeamMeeting.objects.create(
            organization=self.cast.org,
            team=self.cast.team,
            kind="treatment_planning",
            starts_at=late,
            created_by=self.cast.supervisor,
        )
        other = TeamMeeting.objects.create(
            organization=self.cast.org,
            team=self.cast.other_team,  # not Pat's team
            kind="huddle",
            starts_at=late,
            created_by=self.cast.supervisor,
        )
        url = reverse("workforce:work_up_to")
        page = self.as_("peer").get(url)
        self.assertContains(page, f'name="meeting" value="{meeting.pk}"')
        self.assertNotContains(page, f'name="meeting" value="{other.pk}"')
        self.assertNotContains(page, " selected>")  # nothing marked yet
        self.as_("peer").post(url, {"meeting": meeting.pk, "minutes": "60"})
        self.assertEqual(
            self.as_("peer").post(url, {"meeting": other.pk, "minutes": "60"}).status_code, 404
        )
        self.assertEqual(
            self.as_("peer").post(url, {"meeting": meeting.pk, "minutes": "7"}).status_code, 302
        )
        from peerpath.workforce.models import WorkUpTo as Mark

        self.assertEqual(Mark.objects.get().minutes_before, 60)  # 7 was refused
        if late.date() == today:
            day = self.as_("peer").get("/")
            self.assertContains(day, 'id="kept-free"')
            self.assertContains(day, "to work up to the Treatment-planning meeting of Blue Team")
        self.as_("peer").post(url, {"meeting": meeting.pk, "minutes": ""})
        self.assertFalse(Mark.objects.exists())
        self.assertEqual(self.as_("clinician").get(url).status_code, 403)
