"""Supporting peers at work: supervision sessions whose notes only the supervisor and the peers
who were there read, the agency's rule for how often, who is overdue (on the page and on My
day), the topics a peer asks for, and role fidelity: the share of each peer's time that is peer
work, month by month, against the agency's target, with caseloads."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from peerpath.clients import access
from peerpath.core.models import AuditEvent, Role, Staff
from peerpath.encounters import actions as contacts
from peerpath.testing import CastTestCase, count_queries, make_client, make_staff
from peerpath.workforce import support
from peerpath.workforce.models import SupervisionSession, SupervisionTopic, WorkforceRules
from peerpath.workforce.strategies import PlanRefused


class SupportCase(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        org = cls.cast.org
        cls.manager = make_staff(org, Role.PROGRAM_MANAGER, name="Mo Manager")
        cls.privacy = make_staff(org, Role.PRIVACY_OFFICER, name="Pia Privacy")
        cls.second_peer = make_staff(
            org, Role.PEER_SPECIALIST, name="Quinn Second", teams=(cls.cast.team,)
        )
        # Pat Peer and Quinn report to Sky Supervisor; Sky reports to the manager.
        Staff.objects.filter(pk__in=[cls.cast.peer.pk, cls.second_peer.pk]).update(
            supervisor=cls.cast.supervisor
        )
        Staff.objects.filter(pk=cls.cast.supervisor.pk).update(supervisor=cls.manager)
        for staff in (cls.cast.peer, cls.second_peer, cls.cast.supervisor):
            staff.refresh_from_db()

    def log(self, days_ago: int, kind: str = "one_to_one", peers: Any = None, **kw: Any) -> Any:
        return support.session_log(
            actor=self.cast.supervisor,
            kind=kind,
            held_on=timezone.localdate() - timedelta(days=days_ago),
            minutes=kw.pop("minutes", 45),
            peers=peers or [self.cast.peer],
            topics=kw.pop("topics", ["boundaries"]),
            notes=kw.pop("notes", "Pat set a limit on evening texts."),
            **kw,
        )


class SupervisionSessions(SupportCase):
    def test_a_supervisor_logs_a_one_to_one_with_topics(self) -> None:
        http = self.as_("supervisor")
        form = http.get(reverse("workforce:session_new")).content.decode()
        self.assertNotIn("checked", form.split('id="session-form"')[1])  # nothing answered
        response = http.post(
            reverse("workforce:session_new"),
            {
                "kind": "one_to_one",
                "held_on": timezone.localdate().isoformat(),
                "minutes": "50",
                "peers": [self.cast.peer.pk],
                "topics": ["boundaries", "self_care"],
                "notes": "Talked about a hard visit.",
            },
        )
        self.assertEqual(response.status_code, 302)
        session = SupervisionSession.objects.get()
        self.assertEqual(
            (session.kind, session.minutes, session.topics),
            ("one_to_one", 50, ["boundaries", "self_care"]),
        )
        self.assertEqual(list(session.peers.all()), [self.cast.peer])
        self.assertTrue(AuditEvent.objects.filter(action="supervision.log").exists())

    def test_bad_sessions_are_refused_and_nothing_is_saved(self) -> None:
        today = timezone.localdate()
        cases = [
            ({"kind": "one_to_one", "peers": [self.cast.peer, self.second_peer]}, "one peer"),
            ({"kind": "group", "peers": [self.cast.peer]}, "two peers or more"),
            ({"held_on": today + timedelta(days=1)}, "in the future"),
            ({"peers": [self.cast.clinician]}, "report to you"),
            ({"minutes": 2}, "5 minutes"),
        ]
        for change, message in cases:
            args: dict[str, Any] = {
                "actor": self.cast.supervisor,
                "kind": "one_to_one",
                "held_on": today,
                "minutes": 30,
                "peers": [self.cast.peer],
                "topics": [],
                "notes": "",
                **change,
            }
            with self.subTest(message=message), self.assertRaises(PlanRefused) as refused:
                support.session_log(**args)
            self.assertIn(message, str(refused.exception.message))
        self.assertFalse(SupervisionSession.objects.exists())

    def test_only_the_supervisor_and_the_peers_there_read_the_notes(self) -> None:
        session = self.log(3, notes="Pat is worried about a dual relationship.")
        url = reverse("workforce:session", args=[session.pk])
        for who in (self.as_("supervisor"), self.as_("peer")):
            self.assertContains(who.get(url), "Pat is worried about a dual relationship.")
        # The manager sees that it happened, not what was said.
        managed = self.as_staff(self.manager).get(url)
        self.assertEqual(managed.status_code, 200)
        self.assertNotContains(managed, "dual relationship.")
        self.assertContains(managed, 'id="notes-private"')
        # A peer who was not there, a clinician, the privacy officer, another agency: not found.
        for http in (
            self.as_staff(self.second_peer),
            self.as_("clinician"),
            self.as_staff(self.privacy),
            self.as_("outsider"),
        ):
            self.assertEqual(http.get(url).status_code, 404)
        reads = AuditEvent.objects.filter(action="supervision.read")
        self.assertEqual(
            sorted(reads.values_list("actor_id", flat=True)),
            sorted([self.cast.supervisor.pk, self.cast.peer.pk]),
        )

    def test_who_may_open_the_supervision_pages(self) -> None:
        for name in ("supervision", "fidelity"):
            url = reverse(f"workforce:{name}")
            self.assertEqual(self.as_("supervisor").get(url).status_code, 200)
            self.assertEqual(self.as_staff(self.manager).get(url).status_code, 200)
            for role in ("peer", "clinician", "outsider"):
                self.assertEqual(self.as_(role).get(url).status_code, 403, (name, role))
            self.assertEqual(self.as_staff(self.privacy).get(url).status_code, 403)
        new = reverse("workforce:session_new")
        self.assertEqual(self.as_("supervisor").get(new).status_code, 200)
        for role in ("peer", "clinician"):
            self.assertEqual(self.as_(role).get(new).status_code, 403)
        mine = reverse("workforce:my_supervision")
        self.assertEqual(self.as_("peer").get(mine).status_code, 200)
        self.assertEqual(self.as_("clinician").get(mine).status_code, 403)
        rules = reverse("workforce:support_rules")
        self.assertEqual(self.as_staff(self.manager).get(rules).status_code, 200)
        for role in ("supervisor", "peer", "clinician"):
            self.assertEqual(self.as_(role).get(rules).status_code, 403)


class Overdue(SupportCase):
    def test_the_agency_rule_says_who_is_overdue(self) -> None:
        self.log(10)  # Pat: a one-to-one 10 days ago (the default rule: every 14 days)
        self.log(20, peers=[self.second_peer])  # Quinn: 20 days ago
        self.log(5, kind="group", peers=[self.cast.peer, self.second_peer])
        rules = support.rules_for(self.cast.org.pk)
        today = timezone.localdate()
        rows = {
            r.peer.full_name: r
            for r in support.supervision_status([self.cast.peer, self.second_peer], rules, today)
        }
        self.assertFalse(rows["Pat Peer"].overdue)
        self.assertTrue(rows["Quinn Second"].one_to_one_overdue)
        self.assertFalse(rows["Quinn Second"].group_overdue)
        # The agency relaxes its rule to 21 days: nobody is overdue.
        WorkforceRules.objects.create(organization=self.cast.org, one_to_one_days=21)
        rules = support.rules_for(self.cast.org.pk)
        rows = {
            r.peer.full_name: r
            for r in support.supervision_status([self.cast.peer, self.second_peer], rules, today)
        }
        self.assertFalse(rows["Quinn Second"].overdue)

    def test_a_peer_without_a_session_is_overdue_once_here_longer_than_the_rule(self) -> None:
        rules = support.rules_for(self.cast.org.pk)
        today = timezone.localdate()
        new = support.supervision_status([self.second_peer], rules, today)[0]
        self.assertFalse(new.overdue)  # joined today
        Staff.objects.filter(pk=self.second_peer.pk).update(
            date_joined=timezone.now() - timedelta(days=20)
        )
        self.second_peer.refresh_from_db()
        since = support.supervision_status([self.second_peer], rules, today)[0]
        self.assertTrue(since.one_to_one_overdue)  # 20 days, no one-to-one: over 14
        self.assertFalse(since.group_overdue)  # 20 days, no group: within 31

    def test_overdue_peers_are_on_the_supervisors_my_day(self) -> None:
        Staff.objects.filter(pk=self.second_peer.pk).update(
            date_joined=timezone.now() - timedelta(days=40)
        )
        self.log(3)
        self.log(3, kind="group", peers=[self.cast.peer, self.second_peer])
        day = self.as_("supervisor").get("/")
        overdue = day.content.decode().split('id="supervision-overdue"')[1].split("</p>")[0]
        self.assertIn("Quinn Second", overdue)  # never had a one-to-one
        self.assertNotIn("Pat Peer", overdue)
        own = self.as_("peer").get("/")
        self.assertContains(own, 'id="my-supervision-line"')
        self.assertNotContains(self.as_("clinician").get("/"), 'id="supervision-overdue"')

    def test_the_supervision_page_costs_the_same_queries_for_2_or_12_peers(self) -> None:
        http = self.as_("supervisor")
        url = reverse("workforce:supervision")
        http.get(url)
        with count_queries() as few:
            http.get(url)
        for n in range(10):
            extra = make_staff(self.cast.org, Role.PEER_SPECIALIST, name=f"Extra Peer {n}")
            Staff.objects.filter(pk=extra.pk).update(supervisor=self.cast.supervisor)
            SupervisionTopic.objects.create(organization=self.cast.org, peer=extra, text="Pay")
            self.log(n + 1, peers=[Staff.objects.get(pk=extra.pk)])
        with count_queries() as many:
            page = http.get(url)
        self.assertEqual(len(many), len(few))
        self.assertContains(page, "Extra Peer 9")


class Topics(SupportCase):
    def test_a_peer_asks_for_a_topic_and_the_supervisor_marks_it_talked_over(self) -> None:
        http = self.as_("peer")
        http.post(reverse("workforce:my_supervision"), {"text": "Driving people everywhere"})
        topic = SupervisionTopic.objects.get()
        self.assertContains(
            self.as_("supervisor").get(reverse("workforce:supervision")),
            "Driving people everywhere",
        )
        form = self.as_("supervisor").get(reverse("workforce:session_new"))
        self.assertContains(form, "Pat Peer: Driving people everywhere")
        self.as_("supervisor").post(
            reverse("workforce:session_new"),
            {
                "kind": "one_to_one",
                "held_on": timezone.localdate().isoformat(),
                "minutes": "30",
                "peers": [self.cast.peer.pk],
                "discussed": [str(topic.pk)],
            },
        )
        topic.refresh_from_db()
        self.assertIsNotNone(topic.discussed_in)
        self.assertNotContains(http.get(reverse("workforce:my_supervision")), "Driving people")

    def test_an_empty_topic_is_refused(self) -> None:
        response = self.as_("peer").post(reverse("workforce:my_supervision"), {"text": "  "})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(SupervisionTopic.objects.exists())


class Fidelity(SupportCase):
    def contact(self, day: Any, minutes: int, services: list[str], tasks: list[str]) -> None:
        grant = access.client_for_write(self.cast.peer, self.cast.client.pk)
        contacts.contact_record(
            actor=self.cast.peer,
            access=grant,
            sign=True,
            occurred_at=timezone.make_aware(datetime.combine(day, time(10))),
            minutes=minutes,
            place="community",
            services=services,
            other_tasks=tasks,
            summary="Saw them.",
        )

    def test_time_is_split_among_the_kinds_of_work_a_contact_names(self) -> None:
        other = {"transport"}
        self.assertEqual(support.split_minutes(60, ["hope"], [], other), (60, 0))
        self.assertEqual(support.split_minutes(60, [], ["transport"], other), (0, 60))
        self.assertEqual(
            support.split_minutes(60, ["hope", "advocacy"], ["transport"], other), (40, 20)
        )
        self.assertEqual(support.split_minutes(60, [], [], other), (0, 0))

    def test_a_month_mostly_driving_falls_under_the_target(self) -> None:
        today = timezone.localdate()
        last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=3)
        self.contact(last_month, 55, ["hope"], [])
        self.contact(last_month, 45, [], ["transport"])
        self.contact(today.replace(day=1), 60, ["advocacy"], [])
        rules = support.rules_for(self.cast.org.pk)
        peers, teams = support.fidelity([self.cast.peer], rules, today)
        row = peers[0]
        self.assertEqual([m.share for m in row.months[-2:]], [55, 100])
        self.assertTrue(row.under_target)
        self.assertEqual(row.under_month.start, last_month.replace(day=1))
        self.assertEqual(row.caseload, 1)
        self.assertEqual(teams[0].label, "Blue Team")
        page = self.as_("supervisor").get(reverse("workforce:fidelity"))
        self.assertContains(page, 'id="under-target"')
        self.assertContains(page, f"?peer={self.cast.peer.pk}&amp;topic=role_clarity")
        # The agency counts transport as peer work: nobody is under the target.
        self.as_staff(self.manager).post(
            reverse("workforce:support_rules"),
            {
                "one_to_one_days": "14",
                "group_days": "31",
                "fidelity_target": "80",
                "caseload_target": "15",
                "other_work": ["clerical", "reception"],
            },
        )
        self.assertNotContains(
            self.as_("supervisor").get(reverse("workforce:fidelity")), 'id="under-target"'
        )

    def test_bad_rules_are_refused_and_change_nothing(self) -> None:
        response = self.as_staff(self.manager).post(
            reverse("workforce:support_rules"),
            {
                "one_to_one_days": "0",
                "group_days": "31",
                "fidelity_target": "120",
                "caseload_target": "15",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(WorkforceRules.objects.exists())

    def test_the_fidelity_page_costs_the_same_queries_for_2_or_12_peers(self) -> None:
        http = self.as_staff(self.manager)
        url = reverse("workforce:fidelity")
        self.contact(timezone.localdate(), 30, ["hope"], [])
        http.get(url)
        with count_queries() as few:
            http.get(url)
        for n in range(10):
            peer = make_staff(
                self.cast.org, Role.PEER_SPECIALIST, name=f"Extra {n}", teams=(self.cast.team,)
            )
            make_client(self.cast.team, care_team=(peer,))
        with count_queries() as many:
            page = http.get(url)
        self.assertEqual(len(many), len(few))
        self.assertContains(page, "Extra 9")
