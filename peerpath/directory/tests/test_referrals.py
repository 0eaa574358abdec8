"""Closed-loop referrals: consent, the FHIR Task states, follow-ups, outcomes and barriers."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.task import Task

from peerpath.clients.access import client_for_read, client_for_write
from peerpath.clients.consents import consent_record, consent_revoke
from peerpath.clients.models import Consent, Disclosure, Enrollment
from peerpath.core.models import AuditEvent
from peerpath.directory import referral_queries, referrals
from peerpath.directory.models import Entry, Referral, ReferralBarrier, ReferralChange
from peerpath.directory.tests.test_views import import_county
from peerpath.testing import CastTestCase, make_cast, make_client, query_count

S = Referral.Status
TODAY = timezone.localdate


def refer(cast: Any, entry: Entry, **overrides: Any) -> Referral:
    fields: dict[str, Any] = {
        "actor": cast.peer,
        "access": client_for_write(cast.peer, cast.client.pk),
        "entry": entry,
        "reason": "Needs a safe place to sleep this week",
        "shared_information": "Name, phone number, needs housing",
        "consent_given": True,
        "follow_up_on": TODAY() + timedelta(days=7),
        "warm_handoff": True,
    }
    fields.update(overrides)
    return referrals.referral_create(**fields)


def make_part2(cast: Any) -> None:
    """Enroll the cast's person in a substance use program: their record is under Part 2."""
    Enrollment.objects.create(
        organization=cast.org,
        client=cast.client,
        program=cast.other_program,
        started_on=TODAY() - timedelta(days=10),
    )


class ReferralActionTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        import_county(cls.cast.org, 20)
        cls.entry = Entry.objects.filter(organization=cls.cast.org).order_by("pk").first()

    def access(self) -> Any:
        return client_for_write(self.cast.peer, self.cast.client.pk)

    def move(
        self, referral: Referral, to_status: str, note: str = "", version: int = 0
    ) -> Referral:
        return referrals.referral_status_change(
            actor=self.cast.peer,
            access=self.access(),
            referral=referral,
            to_status=to_status,
            note=note,
            expected_version=version or Referral.objects.get(pk=referral.pk).version,
        )

    def test_a_referral_keeps_the_service_as_it_was_its_history_and_a_disclosure(self) -> None:
        referral = refer(self.cast, self.entry)
        self.assertEqual(referral.status, S.REQUESTED)
        self.assertEqual(
            (referral.service_name, referral.address, referral.phone),
            (self.entry.name, self.entry.address, self.entry.phone),
        )
        change = ReferralChange.objects.get(referral=referral)
        self.assertEqual((change.from_status, change.to_status), ("", S.REQUESTED))
        # Telling the service about the person is a disclosure, in their accounting.
        disclosure = Disclosure.objects.get(client=self.cast.client)
        self.assertEqual(disclosure.method, Disclosure.Method.SEND)
        self.assertEqual(disclosure.information, "Name, phone number, needs housing")
        self.assertFalse(disclosure.is_part2)
        self.assertEqual(referral.disclosure, disclosure)
        self.assertTrue(AuditEvent.objects.filter(action="referral.create").exists())

    def test_sharing_nothing_discloses_nothing(self) -> None:
        refer(self.cast, self.entry, shared_information="")
        self.assertFalse(Disclosure.objects.exists())

    def test_without_the_persons_consent_nothing_is_written(self) -> None:
        with self.assertRaises(referrals.ReferralRefused) as refused:
            refer(self.cast, self.entry, consent_given=False)
        self.assertEqual(refused.exception.field, "consent_given")
        self.assertFalse(Referral.objects.exists())
        self.assertFalse(Disclosure.objects.exists())

    def test_a_follow_up_in_the_past_is_refused(self) -> None:
        with self.assertRaises(referrals.ReferralRefused) as refused:
            refer(self.cast, self.entry, follow_up_on=TODAY() - timedelta(days=1))
        self.assertEqual(refused.exception.field, "follow_up_on")
        self.assertFalse(Referral.objects.exists())

    def test_a_reader_cannot_refer(self) -> None:
        grant = client_for_read(self.cast.supervisor, self.cast.client.pk)
        self.assertFalse(grant.can_write)
        with self.assertRaises(PermissionError):
            refer(self.cast, self.entry, actor=self.cast.supervisor, access=grant)

    def test_a_service_of_another_agency_is_refused(self) -> None:
        import_county(self.cast.other_org, 3, seed=9)
        elsewhere = Entry.objects.filter(organization=self.cast.other_org).first()
        with self.assertRaises(referrals.ReferralRefused):
            refer(self.cast, elsewhere)

    def test_a_part2_record_needs_a_valid_part2_consent_to_send(self) -> None:
        make_part2(self.cast)
        with self.assertRaises(referrals.ReferralRefused) as refused:
            refer(self.cast, self.entry)
        self.assertEqual(refused.exception.field, "part2_consent")
        self.assertFalse(Referral.objects.exists())
        self.assertFalse(Disclosure.objects.exists())
        consent = consent_record(
            actor=self.cast.peer,
            access=self.access(),
            scope=Consent.Scope.RECORDS,
            information="Name and that housing help is needed",
            recipient="Riverbend Housing Coalition",
            purpose=Consent.Purpose.OTHER,
            purpose_detail="Housing referral",
            signed_on=TODAY(),
            expires_on=TODAY() + timedelta(days=180),
        )
        referral = refer(self.cast, self.entry, part2_consent=consent)
        disclosure = Disclosure.objects.get(client=self.cast.client)
        self.assertTrue(disclosure.is_part2)
        self.assertEqual(disclosure.consent, consent)
        self.assertTrue(disclosure.notice)
        self.assertEqual(referral.part2_consent, consent)
        consent_revoke(actor=self.cast.peer, access=self.access(), consent=consent, note="Asked")
        with self.assertRaises(referrals.ReferralRefused):
            refer(self.cast, self.entry, part2_consent=Consent.objects.get(pk=consent.pk))
        self.assertEqual(Referral.objects.count(), 1)

    def test_a_draft_tells_nobody_until_it_is_sent(self) -> None:
        referral = refer(self.cast, self.entry, draft=True)
        self.assertEqual(referral.status, S.DRAFT)
        self.assertFalse(Disclosure.objects.exists())
        sent = self.move(referral, S.REQUESTED)
        self.assertEqual(sent.status, S.REQUESTED)
        self.assertEqual(Disclosure.objects.filter(client=self.cast.client).count(), 1)

    def test_status_follows_the_task_states_and_each_change_is_kept(self) -> None:
        referral = refer(self.cast, self.entry)
        for to_status, note in ((S.RECEIVED, ""), (S.ACCEPTED, ""), (S.IN_PROGRESS, "")):
            referral = self.move(referral, to_status, note=note)
        self.assertEqual(referral.status, S.IN_PROGRESS)
        with self.assertRaises(referrals.ReferralRefused):  # back to an earlier state
            self.move(referral, S.RECEIVED)
        with self.assertRaises(referrals.ReferralRefused) as refused:  # no reason given
            self.move(referral, S.CANCELLED, note=" ")
        self.assertEqual(refused.exception.field, "note")
        steps = list(
            ReferralChange.objects.filter(referral=referral).values_list("from_status", "to_status")
        )
        self.assertEqual(
            steps,
            [
                ("", S.REQUESTED),
                (S.REQUESTED, S.RECEIVED),
                (S.RECEIVED, S.ACCEPTED),
                (S.ACCEPTED, S.IN_PROGRESS),
            ],
        )

    def test_a_stale_change_is_refused_and_changes_nothing(self) -> None:
        referral = refer(self.cast, self.entry)
        opened_at = referral.version
        self.move(referral, S.RECEIVED, version=opened_at)
        with self.assertRaises(referrals.StaleReferral) as stale:
            self.move(referral, S.CANCELLED, note="Moved away", version=opened_at)
        self.assertEqual(stale.exception.current.status, S.RECEIVED)
        self.assertEqual(Referral.objects.get().status, S.RECEIVED)

    def record(self, referral: Referral, outcome: str, **fields: Any) -> Referral:
        values: dict[str, Any] = {
            "note": "",
            "barriers": [],
            "barrier_note": "",
            "next_follow_up": None,
        }
        values.update(fields)
        return referrals.referral_outcome_record(
            actor=self.cast.peer,
            access=self.access(),
            referral=referral,
            outcome=outcome,
            expected_version=Referral.objects.get(pk=referral.pk).version,
            **values,
        )

    def test_each_outcome_closes_the_loop_in_its_task_state(self) -> None:
        expected = {
            Referral.Outcome.GOT_SERVICE: S.COMPLETED,
            Referral.Outcome.NOT_ELIGIBLE: S.REJECTED,
            Referral.Outcome.DID_NOT_GO: S.FAILED,
        }
        for outcome, status in expected.items():
            with self.subTest(outcome=outcome):
                referral = self.record(refer(self.cast, self.entry), outcome, note="Why")
                self.assertEqual((referral.status, referral.outcome), (status, outcome))
                self.assertEqual(referral.outcome_on, TODAY())
                self.assertFalse(referral.loop_open)

    def test_not_eligible_and_did_not_go_need_a_why(self) -> None:
        referral = refer(self.cast, self.entry)
        for outcome in (Referral.Outcome.NOT_ELIGIBLE, Referral.Outcome.DID_NOT_GO):
            with self.subTest(outcome=outcome), self.assertRaises(referrals.ReferralRefused):
                self.record(referral, outcome)
        self.assertEqual(Referral.objects.get().outcome, "")

    def test_a_waiting_list_keeps_the_loop_open_until_the_new_follow_up(self) -> None:
        referral = refer(self.cast, self.entry)
        with self.assertRaises(referrals.ReferralRefused) as refused:
            self.record(referral, Referral.Outcome.WAITING_LIST)
        self.assertEqual(refused.exception.field, "next_follow_up")
        later = TODAY() + timedelta(days=30)
        referral = self.record(referral, Referral.Outcome.WAITING_LIST, next_follow_up=later)
        self.assertEqual(referral.status, S.ACCEPTED)
        self.assertEqual(referral.follow_up_on, later)
        self.assertTrue(referral.loop_open)
        referral = self.record(referral, Referral.Outcome.GOT_SERVICE)
        self.assertEqual(referral.status, S.COMPLETED)

    def test_barriers_are_kept_with_the_service_and_other_needs_words(self) -> None:
        referral = refer(self.cast, self.entry)
        with self.assertRaises(referrals.ReferralRefused):
            self.record(referral, Referral.Outcome.GOT_SERVICE, barriers=["other"])
        with self.assertRaises(referrals.ReferralRefused):
            self.record(referral, Referral.Outcome.GOT_SERVICE, barriers=["bribery"])
        self.assertFalse(ReferralBarrier.objects.exists())
        self.record(
            referral,
            Referral.Outcome.GOT_SERVICE,
            barriers=["documents", "transport", "other", "documents"],
            barrier_note="Asked for a fixed address",
        )
        rows = ReferralBarrier.objects.filter(referral=referral).order_by("kind")
        self.assertEqual([b.kind for b in rows], ["documents", "other", "transport"])
        self.assertEqual({b.service_id for b in rows}, {self.entry.service_id})
        self.assertEqual(rows[1].note, "Asked for a fixed address")

    def test_a_closed_or_draft_referral_takes_no_outcome(self) -> None:
        draft = refer(self.cast, self.entry, draft=True)
        with self.assertRaises(referrals.ReferralRefused):
            self.record(draft, Referral.Outcome.GOT_SERVICE)
        done = self.record(refer(self.cast, self.entry), Referral.Outcome.GOT_SERVICE)
        with self.assertRaises(referrals.ReferralRefused):
            self.record(done, Referral.Outcome.DID_NOT_GO, note="Changed mind")


class FhirTaskTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        import_county(cls.cast.org, 5)
        cls.entry = Entry.objects.filter(organization=cls.cast.org).first()

    def task_of(self, referral: Referral) -> dict[str, Any]:
        grant = client_for_read(self.cast.peer, self.cast.client.pk)
        shown = referral_queries.referral_detail(self.cast.peer, grant, referral.pk)
        return referrals.as_fhir_task(shown)

    def test_every_state_reads_as_a_valid_fhir_task(self) -> None:
        referral = refer(self.cast, self.entry)
        for status in S.values:
            with self.subTest(status=status):
                Referral.objects.filter(pk=referral.pk).update(status=status)
                task = self.task_of(referral)
                parsed = Task.parse_obj(task)
                self.assertEqual(parsed.status, status)
                self.assertEqual(parsed.intent, "order")

    def test_the_task_names_the_person_the_service_the_follow_up_and_the_outcome(self) -> None:
        referral = refer(self.cast, self.entry)
        referrals.referral_outcome_record(
            actor=self.cast.peer,
            access=client_for_write(self.cast.peer, self.cast.client.pk),
            referral=referral,
            outcome=Referral.Outcome.NOT_ELIGIBLE,
            note="Income too high for the program",
            barriers=["documents"],
            barrier_note="",
            next_follow_up=None,
            expected_version=referral.version,
        )
        task = self.task_of(referral)
        self.assertEqual(task["for"], {"reference": f"Patient/{self.cast.client.pk}"})
        self.assertEqual(task["focus"]["identifier"]["value"], self.entry.service.hsds_id)
        self.assertEqual(task["restriction"]["period"]["end"], referral.follow_up_on.isoformat())
        self.assertEqual(task["status"], "rejected")
        self.assertEqual(task["output"][0]["valueCode"], "not_eligible")
        self.assertEqual(task["statusReason"]["text"], "Income too high for the program")
        self.assertIn({"type": {"text": "warm hand-off"}, "valueBoolean": True}, task["input"])


class ReferralPageTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        import_county(cls.cast.org, 30)
        cls.entry = Entry.objects.filter(organization=cls.cast.org).order_by("pk").first()

    def new_url(self, entry: Entry | None = None) -> str:
        url = reverse("directory:referral_new", args=[self.cast.client.pk])
        return f"{url}?entry={(entry or self.entry).pk}"

    def form(self, **overrides: str) -> dict[str, str]:
        data = {
            "reason": "Wants her own place",
            "shared_information": "Name and phone",
            "consent_given": "on",
            "warm_handoff": "no",
            "follow_up_on": (TODAY() + timedelta(days=7)).isoformat(),
        }
        data.update(overrides)
        return data

    def test_the_care_team_refers_from_a_search_for_the_person(self) -> None:
        search = self.as_("peer").get(reverse("directory:search"), {"for": self.cast.client.pk})
        self.assertContains(search, reverse("directory:referral_new", args=[self.cast.client.pk]))
        page = self.as_("peer").get(self.new_url())
        self.assertContains(page, self.entry.name)
        # No answer nobody gave: the hand-off and the follow-up date start empty.
        self.assertNotContains(page, "checked")
        self.assertRegex(page.content.decode(), r'name="follow_up_on"(?![^>]*value=)')
        response = self.as_("peer").post(self.new_url(), self.form())
        referral = Referral.objects.get()
        self.assertRedirects(
            response,
            reverse("directory:referral", args=[self.cast.client.pk, referral.pk]),
        )
        self.assertEqual(referral.created_by, self.cast.peer)
        self.assertFalse(referral.warm_handoff)

    def test_a_form_without_consent_says_why_and_saves_nothing(self) -> None:
        data = self.form()
        del data["consent_given"]
        response = self.as_("peer").post(self.new_url(), data)
        self.assertContains(response, "a referral needs their consent", status_code=200)
        self.assertFalse(Referral.objects.exists())

    def test_a_part2_record_asks_for_the_signed_consent(self) -> None:
        make_part2(self.cast)
        page = self.as_("peer").get(self.new_url())
        self.assertContains(page, "has no valid consent")
        response = self.as_("peer").post(self.new_url(), self.form())
        self.assertContains(response, "A valid consent is needed", status_code=200)
        self.assertFalse(Referral.objects.exists())

    def test_only_the_care_team_refers(self) -> None:
        for role, status in (
            ("supervisor", 403),
            ("clinician", 404),
            ("peer_client", 404),
            ("outsider", 404),
        ):
            with self.subTest(role=role):
                self.assertRefused(self.as_(role).get(self.new_url()), status)
                self.assertRefused(self.as_(role).post(self.new_url(), self.form()), status)
        self.assertFalse(Referral.objects.exists())
        self.assertEqual(self.as_("anonymous").get(self.new_url()).status_code, 302)
        # A supervisor reads the person's record but refers nobody: no Refer button.
        search = self.as_("supervisor").get(
            reverse("directory:search"), {"for": self.cast.client.pk}
        )
        self.assertNotContains(search, "?entry=")

    def test_an_unknown_or_removed_service_is_not_found(self) -> None:
        self.assertEqual(self.as_("peer").get(self.new_url().split("?")[0]).status_code, 404)
        self.entry.service.removed_at = timezone.now()
        self.entry.service.save(update_fields=["removed_at"])
        self.assertEqual(self.as_("peer").get(self.new_url()).status_code, 404)

    def test_the_referral_page_is_read_by_those_the_record_allows_and_each_read_recorded(
        self,
    ) -> None:
        referral = refer(self.cast, self.entry)
        url = reverse("directory:referral", args=[self.cast.client.pk, referral.pk])
        before = AuditEvent.objects.filter(action="referral.view").count()
        page = self.as_("peer").get(url)
        self.assertContains(page, 'id="outcome-form"')
        self.assertContains(page, reverse("directory:card", args=[self.entry.pk]))
        supervisor = self.as_("supervisor").get(url)
        self.assertContains(supervisor, self.entry.name)
        self.assertNotContains(supervisor, 'id="outcome-form"')  # reads, never writes
        self.assertEqual(AuditEvent.objects.filter(action="referral.view").count(), before + 2)
        for role in ("clinician", "peer_client", "outsider"):
            with self.subTest(role=role):
                self.assertRefused(self.as_(role).get(url), 404)
        other = make_client(self.cast.team, care_team=(self.cast.peer,))
        wrong_person = reverse("directory:referral", args=[other.pk, referral.pk])
        self.assertEqual(self.as_("peer").get(wrong_person).status_code, 404)

    def test_recording_the_outcome_on_the_page(self) -> None:
        referral = refer(self.cast, self.entry)
        url = reverse("directory:referral_outcome", args=[self.cast.client.pk, referral.pk])
        bad = self.as_("peer").post(url, {"outcome": "did_not_go", "version": referral.version})
        self.assertContains(bad, "Say why", status_code=400)
        response = self.as_("peer").post(
            url,
            {
                "outcome": "got_service",
                "barriers": ["documents", "cost"],
                "note": "Moved in on Friday",
                "version": referral.version,
            },
        )
        self.assertEqual(response.status_code, 302)
        referral.refresh_from_db()
        self.assertEqual((referral.status, referral.outcome), (S.COMPLETED, "got_service"))
        page = self.as_("peer").get(response["Location"])
        self.assertContains(page, "Documents asked for")
        self.assertNotContains(page, 'id="outcome-form"')  # the loop is closed
        self.assertEqual(
            self.as_("supervisor").post(url, {"outcome": "got_service", "version": 1}).status_code,
            403,
        )

    def test_a_change_made_meanwhile_shows_a_conflict_and_nothing_is_saved(self) -> None:
        referral = refer(self.cast, self.entry)
        url = reverse("directory:referral_status", args=[self.cast.client.pk, referral.pk])
        first = self.as_("peer").post(url, {"to_status": "received", "version": 1})
        self.assertEqual(first.status_code, 302)
        second = self.as_("peer").post(
            url, {"to_status": "cancelled", "note": "No longer needed", "version": 1}
        )
        self.assertContains(second, "Someone changed this referral", status_code=409)
        self.assertEqual(Referral.objects.get().status, S.RECEIVED)

    def test_the_newest_referral_is_first_and_every_one_is_reachable(self) -> None:
        for day in range(30):
            made = refer(self.cast, self.entry, reason=f"Reason {day}")
            Referral.objects.filter(pk=made.pk).update(
                created_at=timezone.now() - timedelta(days=30 - day)
            )
        newest = Referral.objects.order_by("-created_at").first()
        url = reverse("directory:person_referrals", args=[self.cast.client.pk])
        http = self.as_("peer")
        first = http.get(url)
        links = first.content.decode().count("/referrals/") - 1
        self.assertContains(
            first, reverse("directory:referral", args=[self.cast.client.pk, newest.pk])
        )
        seen = set()
        page = first
        while True:
            import re

            seen |= set(re.findall(r"/referrals/(\d+)/", page.content.decode()))
            nxt = re.search(r'href="\?(after=[^"#]+)', page.content.decode())
            if not nxt:
                break
            page = http.get(f"{url}?{nxt.group(1)}")
        self.assertEqual(len(seen), 30)
        self.assertGreater(links, 0)
        record = http.get(reverse("clients:detail", args=[self.cast.client.pk]))
        self.assertContains(record, "See all 30 referrals")

    def test_the_persons_referral_list_costs_the_same_queries_for_3_or_25(self) -> None:
        url = reverse("directory:person_referrals", args=[self.cast.client.pk])
        http = self.as_("peer")
        for _ in range(3):
            refer(self.cast, self.entry)
        few = query_count(lambda: http.get(url))
        for _ in range(22):
            refer(self.cast, self.entry)
        many = query_count(lambda: http.get(url))
        self.assertEqual(few, many)


class FollowUpTests(CastTestCase):
    """Follow-ups due on the peer's My day; past due ones flagged to the supervisor."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        import_county(cls.cast.org, 10)
        cls.entry = Entry.objects.filter(organization=cls.cast.org).order_by("pk").first()

    def due_on(self, referral: Referral, day: Any) -> None:
        Referral.objects.filter(pk=referral.pk).update(follow_up_on=day)

    def my_day(self, role: str) -> str:
        return self.as_(role).get(reverse("clients:my_day")).content.decode()

    def test_a_follow_up_shows_on_its_day_and_leaves_when_the_outcome_is_recorded(self) -> None:
        referral = refer(self.cast, self.entry)
        self.assertNotIn('id="referral-follow-ups"', self.my_day("peer"))
        self.due_on(referral, TODAY())
        page = self.my_day("peer")
        self.assertIn('id="referral-follow-ups"', page)
        self.assertIn(referral.service_name, page)
        # Due today is not yet late: the supervisor is not told.
        self.assertNotIn('id="referrals-overdue"', self.my_day("supervisor"))
        referrals.referral_outcome_record(
            actor=self.cast.peer,
            access=client_for_write(self.cast.peer, self.cast.client.pk),
            referral=referral,
            outcome=Referral.Outcome.GOT_SERVICE,
            note="",
            barriers=[],
            barrier_note="",
            next_follow_up=None,
            expected_version=referral.version,
        )
        self.assertNotIn('id="referral-follow-ups"', self.my_day("peer"))

    def test_a_referral_with_no_outcome_after_its_follow_up_is_flagged_to_the_supervisor(
        self,
    ) -> None:
        referral = refer(self.cast, self.entry)
        self.due_on(referral, TODAY() - timedelta(days=3))
        page = self.my_day("supervisor")
        self.assertIn('id="referrals-overdue"', page)
        self.assertIn(self.cast.client.display_name, page)
        self.assertIn("Pat Peer", page)
        self.assertIn("past due since", self.my_day("peer"))
        for role in ("clinician", "outsider"):
            with self.subTest(role=role):
                self.assertNotIn(referral.service_name, self.my_day(role))
        listed = self.as_("supervisor").get(reverse("directory:referrals"), {"view": "overdue"})
        self.assertContains(listed, self.cast.client.display_name)
        event = AuditEvent.objects.filter(action="referral.list").latest("id")
        self.assertEqual(event.details["clients"], [self.cast.client.pk])

    def test_a_restricted_record_is_never_flagged_to_the_supervisor(self) -> None:
        self.cast.client.is_restricted = True
        self.cast.client.save(update_fields=["is_restricted"])
        referral = refer(self.cast, self.entry)
        self.due_on(referral, TODAY() - timedelta(days=3))
        self.assertIn(referral.service_name, self.my_day("peer"))
        self.assertNotIn(self.cast.client.display_name, self.my_day("supervisor"))
        listed = self.as_("supervisor").get(reverse("directory:referrals"), {"view": "overdue"})
        self.assertNotContains(listed, self.cast.client.display_name)

    def test_my_day_costs_the_same_queries_for_1_or_15_follow_ups(self) -> None:
        def fill(n: int) -> None:
            for _ in range(n):
                self.due_on(refer(self.cast, self.entry), TODAY() - timedelta(days=1))

        fill(1)
        few = (
            query_count(lambda: self.my_day("peer")),
            query_count(lambda: self.my_day("supervisor")),
        )
        fill(14)
        many = (
            query_count(lambda: self.my_day("peer")),
            query_count(lambda: self.my_day("supervisor")),
        )
        self.assertEqual(few, many)
        self.assertIn("See all 15 follow-ups", self.my_day("peer"))

    def test_the_referrals_list_pages_every_open_loop_oldest_follow_up_first(self) -> None:
        for day in range(30):
            self.due_on(refer(self.cast, self.entry), TODAY() - timedelta(days=day))
        http = self.as_("peer")
        first = http.get(reverse("directory:referrals"), {"view": "due"})
        dates = first.context["page"].items
        self.assertEqual(len(dates), referral_queries.PAGE_ROWS)
        self.assertEqual(dates[0].follow_up_on, TODAY() - timedelta(days=29))
        second = http.get(
            reverse("directory:referrals"),
            {"view": "due", "after": first.context["page"].next_cursor},
        )
        self.assertEqual(len(second.context["page"].items), 30 - referral_queries.PAGE_ROWS)
        few = query_count(lambda: http.get(reverse("directory:referrals"), {"view": "open"}))
        for _ in range(5):
            refer(self.cast, self.entry)
        self.assertEqual(
            query_count(lambda: http.get(reverse("directory:referrals"), {"view": "open"})), few
        )
        self.assertEqual(http.get(reverse("directory:referrals"), {"view": "x"}).status_code, 404)


class ServiceOutcomeTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        import_county(cls.cast.org, 10)
        cls.entries = list(Entry.objects.filter(organization=cls.cast.org).order_by("pk")[:3])

    def close(self, entry: Entry, outcome: str, barriers: list[str]) -> None:
        referral = refer(self.cast, entry)
        referrals.referral_outcome_record(
            actor=self.cast.peer,
            access=client_for_write(self.cast.peer, self.cast.client.pk),
            referral=referral,
            outcome=outcome,
            note="Because",
            barriers=barriers,
            barrier_note="",
            next_follow_up=TODAY() + timedelta(days=9),
            expected_version=referral.version,
        )

    def test_outcomes_and_barriers_are_gathered_per_service_without_names(self) -> None:
        first, second, _ = self.entries
        self.close(first, "got_service", ["documents"])
        self.close(first, "not_eligible", ["documents", "cost"])
        self.close(first, "did_not_go", ["transport"])
        self.close(second, "waiting_list", [])
        response = self.as_("peer").get(reverse("directory:outcomes"))
        rows = response.context["page"].items
        self.assertEqual([r.service_id for r in rows], [first.service_id, second.service_id])
        top = rows[0]
        self.assertEqual(
            (top.referred, top.got_service, top.not_eligible, top.did_not_go), (3, 1, 1, 1)
        )
        self.assertEqual(top.barriers[0], ("Documents asked for", 2))
        self.assertEqual(rows[1].waiting_list, 1)
        self.assertNotContains(response, self.cast.client.display_name)
        # The other agency sees none of it.
        self.assertEqual(
            self.as_("outsider").get(reverse("directory:outcomes")).context["page"].items, []
        )
        # A search result says that people met barriers there.
        search = self.as_("peer").get(reverse("directory:search"), {"q": first.name})
        self.assertContains(search, "People we referred met 4 barriers here")

    def test_the_page_costs_the_same_queries_for_2_or_12_services(self) -> None:
        http = self.as_("peer")
        for entry in self.entries[:2]:
            self.close(entry, "got_service", ["cost"])
        few = query_count(lambda: http.get(reverse("directory:outcomes")))
        for entry in Entry.objects.filter(organization=self.cast.org)[2:10]:
            self.close(entry, "did_not_go", ["language"])
        self.assertEqual(query_count(lambda: http.get(reverse("directory:outcomes"))), few)


class ReferralApiTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        import_county(cls.cast.org, 10)
        cls.entry = Entry.objects.filter(organization=cls.cast.org).order_by("pk").first()

    def url(self, *rest: object) -> str:
        return "/".join([f"/api/v1/clients/{self.cast.client.pk}/referrals", *map(str, rest)])

    def post(self, role: str, url: str, body: dict[str, Any]) -> Any:
        return self.as_(role).post(url, json.dumps(body), content_type="application/json")

    def body(self, **overrides: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "resource": self.entry.pk,
            "reason": "Food for the week",
            "consent_given": True,
            "follow_up_on": (TODAY() + timedelta(days=3)).isoformat(),
            "warm_handoff": False,
        }
        body.update(overrides)
        return body

    def test_refer_follow_and_close_the_loop_as_fhir_tasks(self) -> None:
        created = self.post("peer", self.url(), self.body())
        self.assertEqual(created.status_code, 201)
        task = created.json()
        Task.parse_obj(task)
        self.assertEqual(
            (task["status"], task["for"]["reference"]),
            ("requested", f"Patient/{self.cast.client.pk}"),
        )
        number = int(task["id"])
        moved = self.post("peer", self.url(number, "status"), {"status": "accepted", "version": 1})
        self.assertEqual(moved.json()["status"], "accepted")
        stale = self.post(
            "peer", self.url(number, "status"), {"status": "failed", "note": "x", "version": 1}
        )
        self.assertEqual(stale.status_code, 409)
        closed = self.post(
            "peer",
            self.url(number, "outcome"),
            {"outcome": "got_service", "barriers": ["cost"], "version": 2},
        )
        self.assertEqual(closed.json()["status"], "completed")
        listed = self.as_("peer").get(self.url()).json()
        self.assertEqual([item["id"] for item in listed["items"]], [number])
        before = AuditEvent.objects.filter(action="referral.view").count()
        self.assertEqual(self.as_("supervisor").get(self.url(number)).json()["status"], "completed")
        self.assertEqual(AuditEvent.objects.filter(action="referral.view").count(), before + 1)

    def test_bad_input_gets_a_clear_message_and_changes_nothing(self) -> None:
        for body, words in (
            (self.body(consent_given=False), "consent_given"),
            (self.body(follow_up_on="2000-01-01"), "follow_up_on"),
            (self.body(part2_consent=123), "part2_consent"),
        ):
            with self.subTest(words=words):
                response = self.post("peer", self.url(), body)
                self.assertEqual(response.status_code, 422)
                self.assertIn(words, response.content.decode())
        self.assertEqual(self.post("peer", self.url(), self.body(resource=999999)).status_code, 404)
        self.assertFalse(Referral.objects.exists())

    def test_the_gate_decides_who_reads_and_who_writes(self) -> None:
        number = refer(self.cast, self.entry).pk
        self.assertEqual(self.post("supervisor", self.url(), self.body()).status_code, 403)
        for role in ("clinician", "peer_client", "outsider"):
            with self.subTest(role=role):
                self.assertEqual(self.as_(role).get(self.url()).status_code, 404)
                self.assertEqual(self.as_(role).get(self.url(number)).status_code, 404)
                self.assertEqual(self.post(role, self.url(), self.body()).status_code, 404)
        self.assertEqual(Referral.objects.count(), 1)
