"""Team meetings: pages per role, agendas built through the gate, the person's voice, audit."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from peerpath.clients import access
from peerpath.core.models import AuditEvent
from peerpath.meetings import actions
from peerpath.meetings.models import AgendaItem, TeamMeeting
from peerpath.testing import ROLES, CastTestCase, make_client, make_staff, query_count

READ = {
    "peer": 200,
    "supervisor": 200,
    "clinician": 404,
    "peer_client": 404,
    "outsider": 404,
    "anonymous": "login",
}
WRITE = {**READ, "supervisor": 403}


class MeetingTestCase(CastTestCase):
    def setUp(self) -> None:
        self.meeting = actions.meeting_create(
            actor=self.cast.peer,
            team=self.cast.team,
            kind=TeamMeeting.Kind.TREATMENT_PLANNING,
            starts_at=timezone.now() + timedelta(days=2),
        )
        grant = access.client_for_write(self.cast.peer, self.cast.client.pk)
        self.item = actions.agenda_add(actor=self.cast.peer, access=grant, meeting=self.meeting)
        self.item = actions.agenda_voice_save(
            actor=self.cast.peer,
            access=grant,
            item=self.item,
            expected_version=self.item.version,
            what_they_want="To keep my job and see my kids on weekends.",
            what_worries_them="That a new medicine makes me too tired to work.",
            view_of_plan="Fine with groups, not with more appointments at 8 am.",
        )


class MeetingPageTests(MeetingTestCase):
    def test_meeting_pages_for_team_members_only(self) -> None:
        for url in (reverse("meetings:detail", args=[self.meeting.pk]),):
            for role in ROLES:
                with self.subTest(role=role):
                    response = self.as_(role).get(url)
                    if role == "anonymous":
                        self.assertEqual(response.status_code, 302)
                    elif role in {"peer", "supervisor"}:
                        self.assertContains(response, "To keep my job")
                    else:
                        self.assertRefused(response, 404)

    def test_list_shows_only_my_teams(self) -> None:
        for role in ROLES:
            with self.subTest(role=role):
                response = self.as_(role).get(reverse("meetings:list"))
                if role == "anonymous":
                    self.assertEqual(response.status_code, 302)
                    continue
                shown = (
                    reverse("meetings:detail", args=[self.meeting.pk]) in response.content.decode()
                )
                self.assertEqual(shown, role in {"peer", "supervisor"})

    def test_agenda_hides_people_the_viewer_may_not_see(self) -> None:
        # A team member who is not on the person's care team and does not supervise: the
        # agenda is built from what the gate lets them see, so the person is not there at all.
        member = make_staff(self.cast.org, name="Terry Teammate", teams=(self.cast.team,))
        http = self.client_class()
        http.force_login(member)
        response = http.get(reverse("meetings:detail", args=[self.meeting.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Quillfeather")
        self.assertNotContains(response, "To keep my job")
        listing = http.get(reverse("meetings:list"))
        self.assertEqual(listing.context["meetings"][0].people, 0)

    def test_viewing_the_agenda_audits_each_person(self) -> None:
        other = make_client(self.cast.team, care_team=(self.cast.peer,))
        actions.agenda_add(
            actor=self.cast.peer,
            access=access.client_for_write(self.cast.peer, other.pk),
            meeting=self.meeting,
        )
        before = AuditEvent.objects.count()
        self.as_("supervisor").get(reverse("meetings:detail", args=[self.meeting.pk]))
        events = list(AuditEvent.objects.order_by("id")[before:])
        self.assertEqual({e.action for e in events}, {"meeting.agenda_view"})
        self.assertEqual({e.client_id for e in events}, {self.cast.client.pk, other.pk})

    def test_create_meeting_and_attendance(self) -> None:
        earlier = (timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
        response = self.as_("peer").post(
            reverse("meetings:create"),
            {"team": self.cast.team.pk, "kind": "huddle", "starts_at": earlier},
        )
        self.assertEqual(response.status_code, 302)
        meeting = TeamMeeting.objects.get(kind="huddle")
        response = self.as_("peer").post(
            reverse("meetings:attendance", args=[meeting.pk]),
            {"attendees": [self.cast.peer.pk, self.cast.supervisor.pk]},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(set(meeting.attendees.all()), {self.cast.peer, self.cast.supervisor})
        page = self.as_("peer").get(reverse("meetings:detail", args=[meeting.pk]))
        self.assertContains(page, "2 people came, 2 peers")
        # A team the user is not on, or staff from elsewhere: refused, nothing changes.
        bad = self.as_("peer").post(
            reverse("meetings:create"),
            {"team": self.cast.other_team.pk, "kind": "huddle", "starts_at": "2026-11-24T09:00"},
        )
        self.assertEqual(bad.status_code, 400)
        self.as_("peer").post(
            reverse("meetings:attendance", args=[meeting.pk]),
            {"attendees": [self.cast.outsider.pk]},
        )
        self.assertEqual(meeting.attendees.count(), 2)
        self.assertRefused(
            self.as_("clinician").post(
                reverse("meetings:attendance", args=[meeting.pk]), {"attendees": []}
            ),
            404,
        )


class VoiceTests(MeetingTestCase):
    def url(self) -> str:
        return reverse("meetings:item", args=[self.cast.client.pk, self.meeting.pk])

    def test_item_page_per_role(self) -> None:
        for role in ROLES:
            with self.subTest(role=role):
                response = self.as_(role).get(self.url())
                if READ[role] == "login":
                    self.assertEqual(response.status_code, 302)
                elif READ[role] == 200:
                    self.assertContains(response, "To keep my job")
                else:
                    self.assertRefused(response, READ[role])

    def test_save_per_role(self) -> None:
        for role in ROLES:
            with self.subTest(role=role):
                item = AgendaItem.objects.get(pk=self.item.pk)
                response = self.as_(role).post(
                    self.url(),
                    {
                        "part": "discussion",
                        "version": item.version,
                        "discussion": f"said by {role}",
                        "decisions": "Try evening groups.",
                    },
                )
                item.refresh_from_db()
                self.assertEqual(item.discussion == f"said by {role}", role == "peer")
                if role == "peer":
                    self.assertEqual(response.status_code, 302)
                elif role != "anonymous":
                    self.assertRefused(response, WRITE[role])

    def test_voice_is_audited_and_shown_on_the_record(self) -> None:
        self.assertEqual(
            AuditEvent.objects.filter(
                client_id=self.cast.client.pk, action="meeting.voice"
            ).count(),
            1,
        )
        record = self.as_("peer").get(reverse("clients:detail", args=[self.cast.client.pk]))
        self.assertContains(record, "Team meetings and their voice")
        self.assertContains(record, "That a new medicine makes me too tired")
        prepare = self.as_("peer").get(reverse("encounters:prepare", args=[self.cast.client.pk]))
        self.assertContains(prepare, "Upcoming team meetings")
        before = AuditEvent.objects.count()
        self.as_("supervisor").get(self.url())
        self.assertEqual(AuditEvent.objects.order_by("id")[before:][0].action, "meeting.item_view")

    def test_stale_save_is_refused_with_both_versions(self) -> None:
        version = self.item.version
        first = self.as_("peer").post(
            self.url(),
            {"part": "voice", "version": version, "what_they_want": "Theirs: a job coach"},
        )
        self.assertEqual(first.status_code, 302)
        second = self.as_("peer").post(
            self.url(), {"part": "voice", "version": version, "what_they_want": "Mine: a bike"}
        )
        self.assertEqual(second.status_code, 409)
        self.assertContains(second, "Someone else saved this", status_code=409)
        self.assertContains(second, "Theirs: a job coach", status_code=409)
        self.assertContains(second, "Mine: a bike", status_code=409)
        self.item.refresh_from_db()
        self.assertEqual(self.item.what_they_want, "Theirs: a job coach")

    def test_add_to_agenda_per_role(self) -> None:
        later = actions.meeting_create(
            actor=self.cast.peer,
            team=self.cast.team,
            kind="huddle",
            starts_at=timezone.now() + timedelta(days=5),
        )
        url = reverse("meetings:agenda_add", args=[self.cast.client.pk])
        for role in sorted(ROLES, key=lambda r: r == "peer"):
            with self.subTest(role=role):
                response = self.as_(role).post(url, {"meeting": later.pk})
                on = AgendaItem.objects.filter(meeting=later, client=self.cast.client).exists()
                self.assertEqual(on, role == "peer")
                if role not in {"peer", "anonymous"}:
                    self.assertRefused(response, WRITE[role])

    def test_item_of_another_meeting_is_404(self) -> None:
        other = actions.meeting_create(
            actor=self.cast.peer, team=self.cast.team, kind="huddle", starts_at=timezone.now()
        )
        url = reverse("meetings:item", args=[self.cast.client.pk, other.pk])
        self.assertEqual(self.as_("peer").get(url).status_code, 404)


class MeetingListQueryTests(CastTestCase):
    def test_meeting_list_query_count_is_constant(self) -> None:
        http = self.as_("peer")

        def grow(n: int) -> None:
            for i in range(n):
                meeting = actions.meeting_create(
                    actor=self.cast.peer,
                    team=self.cast.team,
                    kind="huddle",
                    starts_at=timezone.now() - timedelta(days=i + 1),
                )
                actions.agenda_add(
                    actor=self.cast.peer,
                    access=access.client_for_write(self.cast.peer, self.cast.client.pk),
                    meeting=meeting,
                )

        grow(2)
        small = query_count(lambda: http.get(reverse("meetings:list")))
        grow(30)
        large = query_count(lambda: http.get(reverse("meetings:list")))
        self.assertEqual(small, large)


class MeetingQueryCountTests(MeetingTestCase):
    def add_people(self, total: int) -> None:
        while AgendaItem.objects.filter(meeting=self.meeting).count() < total:
            person = make_client(self.cast.team, care_team=(self.cast.peer,))
            actions.agenda_add(
                actor=self.cast.peer,
                access=access.client_for_write(self.cast.peer, person.pk),
                meeting=self.meeting,
            )

    def test_the_meeting_page_costs_the_same_for_2_and_20_people_each_audited(self) -> None:
        http = self.as_("peer")
        url = reverse("meetings:detail", args=[self.meeting.pk])
        http.get(url)
        self.add_people(2)
        small = query_count(lambda: http.get(url))
        self.add_people(20)
        before = AuditEvent.objects.count()
        self.assertEqual(small, query_count(lambda: http.get(url)))
        events = AuditEvent.objects.filter(action="meeting.agenda_view").order_by("-id")[:20]
        self.assertEqual(len({e.client_id for e in events}), 20)
        self.assertEqual(AuditEvent.objects.count() - before, 20)
        from peerpath.core import audit

        self.assertTrue(audit.verify_organization(self.cast.org.pk).ok)
