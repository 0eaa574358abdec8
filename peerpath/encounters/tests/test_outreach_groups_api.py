"""Outreach, groups and attendance, the language checker, and the API, per role."""

from __future__ import annotations

import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from peerpath.clients.models import Client
from peerpath.core.models import AuditEvent
from peerpath.encounters import actions, language
from peerpath.encounters.models import (
    Attendance,
    Contact,
    Engagement,
    Group,
    GroupMember,
    GroupSession,
    LanguageTerm,
    OutreachAttempt,
)
from peerpath.testing import ROLES, CastTestCase, make_client, make_staff, query_count

from .helpers import ROUTINE, signed_contact

API_READ = {
    "peer": 200,
    "supervisor": 200,
    "clinician": 404,
    "peer_client": 404,
    "outsider": 404,
    "anonymous": 401,
}
API_WRITE = {**API_READ, "supervisor": 403, "peer": 201}


def when(moment) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"attempted_on": moment.date().isoformat(), "attempted_time": moment.strftime("%H:%M")}


class OutreachTests(CastTestCase):
    def test_attempt_updates_engagement_and_is_audited(self) -> None:
        url = reverse("encounters:outreach", args=[self.cast.client.pk])
        before = AuditEvent.objects.count()
        tomorrow = timezone.localdate() + timedelta(days=1)
        response = self.as_("peer").post(
            url,
            {
                **when(timezone.localtime()),
                "method": "phone",
                "outcome": "no_answer",
                "next_try_on": tomorrow.isoformat(),
            },
        )
        self.assertEqual(response.status_code, 302)
        engagement = Engagement.objects.get(client=self.cast.client)
        self.assertEqual((engagement.status, engagement.next_attempt_on), ("new", tomorrow))
        # Entered afterwards: the home visit was three days ago.
        earlier = timezone.localtime() - timedelta(days=3)
        self.as_("peer").post(url, {**when(earlier), "method": "home_visit", "outcome": "reached"})
        engagement.refresh_from_db()
        self.assertEqual(engagement.status, "engaging")
        self.assertEqual(engagement.last_reached_on, earlier.date())
        attempt = OutreachAttempt.objects.get(method="home_visit")
        self.assertEqual(timezone.localtime(attempt.attempted_at).date(), earlier.date())
        self.assertEqual(
            [e.action for e in AuditEvent.objects.order_by("id")[before:]],
            ["outreach.record", "outreach.record"],
        )
        page = self.as_("peer").get(url)
        self.assertContains(page, "Home visit")
        self.assertEqual(AuditEvent.objects.last().action, "outreach.view")

    def test_not_reached_in_n_days_label(self) -> None:
        today = timezone.localdate()
        engagement = Engagement(status="engaging", last_reached_on=today - timedelta(days=30))
        from peerpath.encounters.queries import engagement_label

        person = self.cast.client
        person.last_contact_on = None
        self.assertEqual(engagement_label(person, None, today), "Not reached yet")
        self.assertEqual(engagement_label(person, engagement, today), "Not reached in 30 days")
        # A contact (or a group they came to) counts as reaching them.
        person.last_contact_on = today - timedelta(days=2)
        self.assertEqual(engagement_label(person, engagement, today), "Engaging")
        self.assertEqual(engagement_label(person, None, today), "New")
        engagement.status = "closed"
        self.assertEqual(engagement_label(person, engagement, today), "Closed")

    def test_silent_answers_are_not_given(self) -> None:
        """Method and outcome start empty and must be chosen; the time can be earlier."""
        url = reverse("encounters:outreach", args=[self.cast.client.pk])
        page = self.as_("peer").get(url).content.decode()
        for name in ("method", "outcome"):
            select = page.split(f'name="{name}"')[1].split("</select>")[0]
            self.assertNotRegex(select, r'<option value="[^"]+" selected')
        response = self.as_("peer").post(url, {**when(timezone.localtime()), "note": "x"})
        self.assertEqual(response.status_code, 400)
        future = timezone.localtime() + timedelta(days=2)
        response = self.as_("peer").post(
            url, {**when(future), "method": "phone", "outcome": "reached"}
        )
        self.assertContains(response, "cannot be in the future", status_code=400)
        self.assertFalse(OutreachAttempt.objects.exists())

    def test_bad_attempt_changes_nothing(self) -> None:
        url = reverse("encounters:outreach", args=[self.cast.client.pk])
        yesterday = timezone.localdate() - timedelta(days=1)
        now = when(timezone.localtime())
        for bad in (
            {**now, "method": "pigeon", "outcome": "reached"},
            {**now, "method": "phone", "outcome": "reached", "next_try_on": yesterday.isoformat()},
        ):
            with self.subTest(bad=bad):
                response = self.as_("peer").post(url, bad)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "usa-error-message", status_code=400)
        self.assertFalse(OutreachAttempt.objects.exists())


class GroupTests(CastTestCase):
    def setUp(self) -> None:
        self.group = actions.group_create(
            actor=self.cast.peer,
            organization=self.cast.org,
            name="Tuesday WRAP group",
            kind=Group.Kind.WRAP,
            facilitators=[self.cast.peer],
        )
        from peerpath.clients import access

        actions.group_member_add(
            actor=self.cast.peer,
            access=access.client_for_write(self.cast.peer, self.cast.client.pk),
            group=self.group,
        )
        # Someone the peer may not see, in the same group.
        self.other = make_client(
            self.cast.other_team,
            given_name="Other",
            family_name="Member",
            care_team=(self.cast.clinician,),
        )
        # A restricted record: only its care team sees it, even on a group roster.
        self.private = make_client(
            self.cast.other_team,
            given_name="Private",
            family_name="Member",
            care_team=(self.cast.clinician,),
            is_restricted=True,
        )
        for person in (self.other, self.private):
            GroupMember.objects.create(organization=self.cast.org, group=self.group, client=person)

    def test_pages_per_role(self) -> None:
        list_url = reverse("encounters:group_list")
        detail_url = reverse("encounters:group_detail", args=[self.group.pk])
        for role in ROLES:
            with self.subTest(role=role):
                listing = self.as_(role).get(list_url)
                detail = self.as_(role).get(detail_url)
                if role == "anonymous":
                    self.assertEqual((listing.status_code, detail.status_code), (302, 302))
                    continue
                self.assertEqual(listing.status_code, 200)
                self.assertEqual(
                    "Tuesday WRAP group" in listing.content.decode(), role != "outsider"
                )
                self.assertNotIn("Quillfeather", listing.content.decode())
                if role == "outsider":
                    self.assertRefused(detail, 404)
                    continue
                body = detail.content.decode()
                # Members show only to those the gate lets see them; a facilitator (the peer)
                # sees every member whose record is not restricted, but never the restricted one.
                self.assertEqual("Quillfeather" in body, role in {"peer", "supervisor"})
                self.assertEqual("Other Member" in body, role in {"peer", "clinician"})
                self.assertEqual("Private Member" in body, role == "clinician")

    def test_recording_a_session_costs_the_same_for_2_and_16_people(self) -> None:
        from peerpath.core import audit
        from peerpath.testing import query_count

        url = reverse("encounters:session_new", args=[self.group.pk])
        http = self.as_("peer")

        def record(people: list[int], topic: str) -> int:
            data = {"held_on": timezone.localdate().isoformat(), "topic": topic, "guests": "0"}
            data |= {f"attendance-{pk}": "present" for pk in people}
            return query_count(lambda: self.assertEqual(http.post(url, data).status_code, 302))

        def grow(total: int) -> list[int]:
            from peerpath.clients import access

            while (
                GroupMember.objects.filter(
                    group=self.group, client__care_team__staff=self.cast.peer
                ).count()
                < total
            ):
                person = make_client(self.cast.team, care_team=(self.cast.peer,))
                actions.group_member_add(
                    actor=self.cast.peer,
                    access=access.client_for_write(self.cast.peer, person.pk),
                    group=self.group,
                )
            return list(
                GroupMember.objects.filter(group=self.group)
                .exclude(client=self.private)
                .values_list("client_id", flat=True)
            )

        small = record(grow(2), "Small room")
        large = record(grow(16), "Full room")
        self.assertEqual(small, large)
        self.assertEqual(AuditEvent.objects.filter(action="group.attendance").count(), 3 + 17)
        self.assertTrue(audit.verify_organization(self.cast.org.pk).ok)

    def test_attendance_for_the_whole_room(self) -> None:
        url = reverse("encounters:session_new", args=[self.group.pk])
        page = self.as_("peer").get(url)
        self.assertContains(page, "Jordana Quillfeather")
        self.assertContains(page, "Other Member")
        self.assertNotContains(page, "Private")
        # Nobody starts marked: every mark is a choice someone made.
        self.assertNotIn(" checked", page.content.decode().split("<tbody>")[1].split("</tbody>")[0])
        before = AuditEvent.objects.count()
        response = self.as_("peer").post(
            url,
            {
                "held_on": timezone.localdate().isoformat(),
                "topic": "Wellness toolbox",
                "note": "Good energy.",
                f"attendance-{self.cast.client.pk}": "present",
                f"attendance-{self.other.pk}": "absent",
                "guests": "2",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            sorted(Attendance.objects.values_list("client_id", "status")),
            sorted([(self.cast.client.pk, "present"), (self.other.pk, "absent")]),
        )
        self.assertEqual(
            [e.action for e in AuditEvent.objects.order_by("id")[before:]],
            ["group.session_record", "group.attendance", "group.attendance"],
        )
        # Coming to the group counts as being reached.
        person = Client.objects.get(pk=self.cast.client.pk)
        self.assertEqual(person.last_contact_on, timezone.localdate())
        self.assertEqual(person.engagement.last_reached_on, timezone.localdate())
        detail = self.as_("peer").get(reverse("encounters:group_detail", args=[self.group.pk]))
        self.assertContains(detail, "1 came")
        self.assertContains(detail, "2 guests")
        record = self.as_("peer").get(reverse("clients:detail", args=[self.cast.client.pk]))
        self.assertContains(record, "Tuesday WRAP group")
        self.assertContains(record, "Came")

    def test_missing_mark_or_non_facilitator_changes_nothing(self) -> None:
        url = reverse("encounters:session_new", args=[self.group.pk])
        response = self.as_("peer").post(url, {"held_on": timezone.localdate().isoformat()})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Mark attendance for every member", status_code=400)
        # Marking some but not all members changes nothing either.
        response = self.as_("peer").post(
            url,
            {
                "held_on": timezone.localdate().isoformat(),
                f"attendance-{self.cast.client.pk}": "present",
            },
        )
        self.assertContains(response, "Mark attendance for every member", status_code=400)
        for role in ("supervisor", "clinician"):
            self.assertRefused(self.as_(role).get(url), 403)
        self.assertRefused(self.as_("outsider").get(url), 404)
        self.assertFalse(Attendance.objects.exists())

    def test_co_facilitator_sees_the_room_and_walk_ins_come(self) -> None:
        from peerpath.clients.models import CareTeamMember

        co = make_staff(self.cast.org, teams=(self.cast.other_team,), name="Cole Cofacil")
        self.group.facilitators.add(co)
        walk_in = make_client(self.cast.other_team, given_name="Walker", family_name="Inn")
        CareTeamMember.objects.create(
            organization=self.cast.org, client=walk_in, staff=co, role="peer"
        )
        url = reverse("encounters:session_new", args=[self.group.pk])
        page = self.as_staff(co).get(url)
        self.assertContains(page, "Jordana Quillfeather")
        self.assertContains(page, "Other Member")
        self.assertNotContains(page, "Private")
        self.assertContains(page, "Walker Inn")  # from the co-facilitator's caseload
        response = self.as_staff(co).post(
            url,
            {
                "held_on": timezone.localdate().isoformat(),
                f"attendance-{self.cast.client.pk}": "present",
                f"attendance-{self.other.pk}": "excused",
                "walk_ins": [str(walk_in.pk)],
            },
        )
        self.assertEqual(response.status_code, 302)
        marks = dict(Attendance.objects.values_list("client_id", "status"))
        self.assertEqual(
            marks,
            {self.cast.client.pk: "present", self.other.pk: "excused", walk_in.pk: "present"},
        )
        self.assertTrue(Attendance.objects.get(client=walk_in).walk_in)
        # The lead sees what the co-facilitator recorded: two came.
        detail = self.as_("peer").get(reverse("encounters:group_detail", args=[self.group.pk]))
        self.assertContains(detail, "2 came")

    def test_a_session_with_nobody_is_refused(self) -> None:
        empty = actions.group_create(
            actor=self.cast.peer,
            organization=self.cast.org,
            name="Empty group",
            kind=Group.Kind.WRAP,
            facilitators=[self.cast.peer],
        )
        url = reverse("encounters:session_new", args=[empty.pk])
        response = self.as_("peer").post(url, {"held_on": timezone.localdate().isoformat()})
        self.assertContains(response, "Nobody is recorded yet", status_code=400)
        self.assertFalse(GroupSession.objects.filter(group=empty).exists())

    def test_newest_session_is_first_after_the_old_cap(self) -> None:
        today = timezone.localdate()
        GroupSession.objects.bulk_create(
            GroupSession(
                organization=self.cast.org,
                group=self.group,
                held_on=today - timedelta(days=i + 1),
                topic=f"Week {i}",
                recorded_by=self.cast.peer,
            )
            for i in range(30)
        )
        newest = GroupSession.objects.create(
            organization=self.cast.org,
            group=self.group,
            held_on=today,
            topic="Newest topic",
            recorded_by=self.cast.peer,
        )
        url = reverse("encounters:group_detail", args=[self.group.pk])
        first = self.as_("peer").get(url)
        sessions = list(first.context["sessions"])
        self.assertEqual(sessions[0].pk, newest.pk)
        self.assertEqual(len(sessions), 20)
        # The oldest is reachable through the pages.
        seen = [s.pk for s in sessions]
        page = first.context["sessions"]
        while page.has_next:
            page = self.as_("peer").get(f"{url}?{page.next_query()}").context["sessions"]
            seen += [s.pk for s in page]
        self.assertEqual(len(seen), 31)
        self.assertEqual(len(set(seen)), 31)
        self.assertEqual(GroupSession.objects.get(pk=seen[-1]).held_on, today - timedelta(days=30))

    def test_join_group_from_the_record_per_role(self) -> None:
        other = Group.objects.create(organization=self.cast.org, name="IMR", kind="imr")
        url = reverse("encounters:group_join", args=[self.cast.client.pk])
        for role in sorted(ROLES, key=lambda r: r == "peer"):  # the peer last
            with self.subTest(role=role):
                response = self.as_(role).post(url, {"group": other.pk})
                joined = GroupMember.objects.filter(group=other, client=self.cast.client).exists()
                self.assertEqual(joined, role == "peer")
                if role not in {"peer", "anonymous"}:
                    self.assertRefused(response, 403 if role == "supervisor" else 404)

    def test_create_group(self) -> None:
        response = self.as_("peer").post(
            reverse("encounters:group_create"),
            {
                "name": "Peer support circle",
                "kind": "peer_support",
                "facilitators": [self.cast.peer.pk],
            },
        )
        self.assertEqual(response.status_code, 302)
        response = self.as_("peer").post(
            reverse("encounters:group_create"),
            {
                "name": "peer support circle",
                "kind": "peer_support",
                "facilitators": [self.cast.outsider.pk],
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Group.objects.filter(name__iexact="peer support circle").count(), 1)


class LanguageTests(CastTestCase):
    def test_defaults_are_loaded_in_both_languages(self) -> None:
        defaults = LanguageTerm.objects.filter(organization__isnull=True)
        self.assertTrue(defaults.filter(language="en", term="junkie").exists())
        self.assertTrue(defaults.filter(language="es", term="adicto").exists())
        self.assertTrue(all(t.suggestion for t in defaults))

    def test_flags_whole_words_plurals_and_phrases(self) -> None:
        flags = language.check_note(
            self.cast.org.pk,
            "Two addicts came. He suffers  from anxiety. The Addiction clinic; frequent flyer.",
        )
        found = [f.found for f in flags]
        self.assertEqual(found, ["addicts", "suffers  from", "frequent flyer"])
        spanish = language.check_note(self.cast.org.pk, "Dijo que está limpia y no es un adicto.")
        self.assertEqual([f.term for f in spanish], ["limpia", "adicto"])

    def test_organization_can_extend_and_turn_off(self) -> None:
        LanguageTerm.objects.create(
            organization=self.cast.org,
            language="en",
            term="clean",
            suggestion="x",
            is_active=False,
        )
        LanguageTerm.objects.create(
            organization=self.cast.org, language="en", term="lazy", suggestion="low energy"
        )
        flags = language.check_note(self.cast.org.pk, "Clean test, lazy day.")
        self.assertEqual([f.term for f in flags], ["lazy"])
        other = language.check_note(self.cast.other_org.pk, "Clean test, lazy day.")
        self.assertEqual([f.term for f in other], ["clean"])


class ApiTests(CastTestCase):
    def post(self, role: str, url: str, body: dict):  # type: ignore[no-untyped-def]
        return self.as_(role).post(url, json.dumps(body), content_type="application/json")

    def test_contacts_per_role(self) -> None:
        signed_contact(self.cast.peer, self.cast.client)
        url = f"/api/v1/clients/{self.cast.client.pk}/contacts"
        for role in ROLES:
            with self.subTest(role=role):
                response = self.as_(role).get(url)
                if API_READ[role] == 200:
                    self.assertEqual(response.status_code, 200)
                    self.assertGreaterEqual(len(response.json()["items"]), 1)
                else:
                    self.assertRefused(response, API_READ[role])
                before = Contact.objects.count()
                response = self.post(role, url, {**ROUTINE, "sign": True})
                if role == "peer":
                    self.assertEqual(response.status_code, 201, response.content)
                    self.assertEqual(response.json()["status"], "signed")
                else:
                    self.assertRefused(response, API_WRITE[role])
                    self.assertEqual(Contact.objects.count(), before)

    def test_bad_contact_changes_nothing(self) -> None:
        url = f"/api/v1/clients/{self.cast.client.pk}/contacts"
        before = AuditEvent.objects.count()
        for bad in (
            {"services": ["magic"]},
            {"minutes": 0},
            {"place": "moon"},
            {"sign": True, "summary": ""},
        ):
            with self.subTest(bad=bad):
                response = self.post("peer", url, {**ROUTINE, **bad})
                self.assertEqual(response.status_code, 422, response.content)
        self.assertFalse(Contact.objects.exists())
        self.assertEqual(AuditEvent.objects.count(), before)

    def test_outreach_per_role(self) -> None:
        url = f"/api/v1/clients/{self.cast.client.pk}/outreach"
        for role in ROLES:
            with self.subTest(role=role):
                response = self.post(role, url, {"method": "text", "outcome": "message"})
                if role == "peer":
                    self.assertEqual(response.status_code, 201)
                else:
                    self.assertRefused(response, API_WRITE[role])
                response = self.as_(role).get(url)
                if API_READ[role] == 200:
                    self.assertEqual(len(response.json()), 1)
                else:
                    self.assertRefused(response, API_READ[role])

    def test_attendance(self) -> None:
        group = actions.group_create(
            actor=self.cast.peer,
            organization=self.cast.org,
            name="G",
            kind="wham",
            facilitators=[self.cast.peer],
        )
        GroupMember.objects.create(organization=self.cast.org, group=group, client=self.cast.client)
        url = f"/api/v1/groups/{group.pk}/sessions"
        body = {
            "held_on": timezone.localdate().isoformat(),
            "attendance": [{"client_id": self.cast.client.pk, "status": "present"}],
        }
        self.assertRefused(self.post("supervisor", url, body), 403)
        self.assertRefused(self.post("outsider", url, body), 404)
        stranger = {
            **body,
            "attendance": [{"client_id": self.cast.outsider_client.pk, "status": "present"}],
        }
        self.assertRefused(self.post("peer", url, stranger), 422, "Farland")
        self.assertFalse(Attendance.objects.exists())
        self.assertEqual(self.post("peer", url, body).status_code, 201)
        read = f"/api/v1/clients/{self.cast.client.pk}/attendance"
        for role in ROLES:
            with self.subTest(role=role):
                response = self.as_(role).get(read)
                if API_READ[role] == 200:
                    self.assertEqual(response.json()[0]["status"], "present")
                else:
                    self.assertRefused(response, API_READ[role])

    def test_openapi_lists_the_endpoints(self) -> None:
        schema = self.as_("peer").get("/api/v1/openapi.json").json()
        for path in (
            "/api/v1/clients/{client_id}/contacts",
            "/api/v1/clients/{client_id}/outreach",
            "/api/v1/clients/{client_id}/attendance",
            "/api/v1/groups/{group_id}/sessions",
        ):
            self.assertIn(path, schema["paths"])


class GroupListQueryTests(CastTestCase):
    def test_group_pages_query_counts_are_constant(self) -> None:
        from peerpath.clients import access as gate

        group = actions.group_create(
            actor=self.cast.peer,
            organization=self.cast.org,
            name="Big group",
            kind="imr",
            facilitators=[self.cast.peer],
        )
        http = self.as_("peer")
        urls = (
            reverse("encounters:group_list"),
            reverse("encounters:group_detail", args=[group.pk]),
        )

        def grow(n: int) -> None:
            for i in range(n):
                Group.objects.create(organization=self.cast.org, name=f"Group {n}-{i}", kind="wrap")
                person = make_client(self.cast.team, care_team=(self.cast.peer,))
                actions.group_member_add(
                    actor=self.cast.peer,
                    access=gate.client_for_write(self.cast.peer, person.pk),
                    group=group,
                )
            actions.group_session_record(
                actor=self.cast.peer,
                group=group,
                held_on=timezone.localdate(),
                topic="",
                note="",
                attendance={m.client_id: "present" for m in group.members.all()},
                roster_ids={m.client_id for m in group.members.all()},
            )

        grow(2)
        small = [query_count(lambda u=url: http.get(u)) for url in urls]
        grow(25)
        large = [query_count(lambda u=url: http.get(u)) for url in urls]
        self.assertEqual(small, large)

    def test_roster_view_is_audited(self) -> None:
        from peerpath.clients import access as gate

        group = actions.group_create(
            actor=self.cast.peer,
            organization=self.cast.org,
            name="G",
            kind="imr",
            facilitators=[self.cast.peer],
        )
        actions.group_member_add(
            actor=self.cast.peer,
            access=gate.client_for_write(self.cast.peer, self.cast.client.pk),
            group=group,
        )
        before = AuditEvent.objects.count()
        self.as_("supervisor").get(reverse("encounters:group_detail", args=[group.pk]))
        event = AuditEvent.objects.order_by("id")[before:][0]
        self.assertEqual(event.action, "group.roster_view")
        self.assertEqual(event.details["clients"], [self.cast.client.pk])
