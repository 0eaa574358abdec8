"""The audit trail: one event per view and per edit, in the edit's transaction, tamper-evident."""

from __future__ import annotations

import itertools
from io import StringIO
from unittest import mock

from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from peerpath.clients import access, actions
from peerpath.core import audit
from peerpath.core.models import AuditEvent
from peerpath.testing import CastTestCase


def _tamper(sql: str, params: list[object]) -> None:
    """Change a stored row behind the application's back, as an attacker with SQL access might."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # As a superuser would: switch off ordinary triggers for this one statement.
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_delete")
            cursor.execute(sql, params)


class AuditTrailTests(CastTestCase):
    def test_viewing_a_record_writes_exactly_one_event(self) -> None:
        before = AuditEvent.objects.count()
        response = self.as_("peer").get(reverse("clients:detail", args=[self.cast.client.pk]))
        self.assertEqual(response.status_code, 200)
        events = list(AuditEvent.objects.order_by("id")[before:])
        self.assertEqual(len(events), 1)
        event = events[0]
        self.assertEqual(event.action, "client.view")
        self.assertEqual(event.actor, self.cast.peer)
        self.assertEqual(event.client_id, self.cast.client.pk)
        self.assertEqual(event.organization_id, self.cast.org.pk)
        self.assertEqual(event.purpose, "treatment")
        self.assertEqual(event.request_id, response["X-Request-ID"])
        self.assertEqual(event.ip_address, "127.0.0.1")

    def test_a_refused_view_records_the_attempt_and_nothing_of_the_person(self) -> None:
        before = AuditEvent.objects.count()
        self.as_("clinician").get(reverse("clients:detail", args=[self.cast.client.pk]))
        event = AuditEvent.objects.order_by("id")[before:].get()
        self.assertEqual((event.action, event.purpose), ("client.access_refused", "refused"))
        self.assertEqual(set(event.details), {"path"})

    def test_a_search_is_one_event_naming_everyone_found(self) -> None:
        before = AuditEvent.objects.count()
        self.as_("peer").get(reverse("clients:list") + "?q=Quill")
        event = AuditEvent.objects.order_by("id")[before:].get()
        self.assertEqual((event.action, event.client_id), ("client.search", None))
        self.assertEqual(event.details, {"query": "Quill", "clients": [self.cast.client.pk]})

    def test_edit_and_its_event_share_one_transaction(self) -> None:
        grant = access.client_for_write(self.cast.peer, self.cast.client.pk)
        before = AuditEvent.objects.count()
        with (
            mock.patch.object(audit, "compute_hash", side_effect=DatabaseError("disk full")),
            self.assertRaises(DatabaseError),
        ):
            actions.client_update(
                actor=self.cast.peer,
                access=grant,
                expected_version=1,
                changes={"next_step": "Should not be saved"},
            )
        self.cast.client.refresh_from_db()
        self.assertNotEqual(self.cast.client.next_step, "Should not be saved")
        self.assertEqual(self.cast.client.version, 1)
        self.assertEqual(AuditEvent.objects.count(), before)

    def test_chain_links_each_event_to_the_one_before_in_its_organization(self) -> None:
        for _ in range(3):
            audit.record(organization=self.cast.org, action="test.a", actor=self.cast.peer)
            audit.record(
                organization=self.cast.other_org, action="test.b", actor=self.cast.outsider
            )
        for org in (self.cast.org, self.cast.other_org):
            trail = AuditEvent.objects.filter(organization=org).order_by("id")
            for lane in set(trail.values_list("lane", flat=True)):
                events = list(trail.filter(lane=lane))
                self.assertEqual(events[0].previous_hash, audit.GENESIS)
                for earlier, later in itertools.pairwise(events):
                    self.assertEqual(later.previous_hash, earlier.hash)
        self.assertTrue(all(result.ok for result in audit.verify_all()))

    def test_verify_passes_on_an_intact_trail(self) -> None:
        audit.record(organization=self.cast.org, action="test.a", actor=self.cast.peer)
        out = StringIO()
        call_command("audit", "verify", stdout=out)
        self.assertIn("audit trail intact", out.getvalue())

    def test_verify_names_the_first_changed_event(self) -> None:
        events = [
            audit.record(
                organization=self.cast.org,
                action="client.view",
                actor=self.cast.peer,
                client_id=self.cast.client.pk,
            )
            for _ in range(4)
        ]
        target = events[2]
        _tamper(
            "UPDATE core_auditevent SET action = %s WHERE id = %s", ["client.nothing", target.pk]
        )
        err = StringIO()
        with self.assertRaises(CommandError):
            call_command("audit", "verify", stdout=StringIO(), stderr=err)
        self.assertIn(f"audit event {target.pk} was changed after it was written", err.getvalue())
        result = audit.verify_organization(self.cast.org.pk)
        self.assertEqual(result.broken_event_id, target.pk)

    def test_verify_detects_a_removed_event(self) -> None:
        events = [
            audit.record(organization=self.cast.org, action="client.view", actor=self.cast.peer)
            for _ in range(3)
        ]
        _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
        result = audit.verify_organization(self.cast.org.pk)
        self.assertEqual(result.broken_event_id, events[2].pk)
        # Reported as a gap between the two events around the removed one.
        self.assertIn(f"does not follow event {events[0].pk}", result.problem)
        self.assertIn(
            f"events between {events[0].pk} and {events[2].pk} were removed", result.problem
        )

    def test_database_refuses_to_update_an_event(self) -> None:
        event = audit.record(organization=self.cast.org, action="test.a", actor=self.cast.peer)
        with self.assertRaises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(action="test.changed")
        event.refresh_from_db()
        self.assertEqual(event.action, "test.a")

    def test_postgresql_refuses_to_delete_an_event(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("DELETE is refused by a trigger on PostgreSQL only")
        event = audit.record(organization=self.cast.org, action="test.a", actor=self.cast.peer)
        with self.assertRaises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).delete()
        self.assertTrue(AuditEvent.objects.filter(pk=event.pk).exists())


class VerifyInBatchesTests(CastTestCase):
    def test_a_chain_is_read_a_batch_at_a_time_with_progress_and_the_same_result(self) -> None:
        from peerpath.core import audit

        org = self.cast.org
        for n in range(23):
            audit.record(organization=org, action=f"test.event{n}")
        total = AuditEvent.objects.filter(organization=org).count()
        seen: list[int] = []
        result = audit.verify_organization(
            org.pk, batch_size=4, progress=lambda _org, checked: seen.append(checked), every=5
        )
        self.assertTrue(result.ok)
        self.assertEqual(result.checked, total)
        self.assertEqual(
            result.head_id, AuditEvent.objects.filter(organization=org).latest("id").pk
        )
        self.assertEqual(seen, list(range(5, total + 1, 5)))
        self.assertEqual(audit.verify_organization(org.pk).checked, total)
        self.assertIn(org.pk, audit.organizations_with_events())


class LaneTests(CastTestCase):
    """An organization's trail is written in several chains, one per lane of staff."""

    def _staff_in_two_lanes(self) -> tuple[object, object]:
        peer, supervisor = self.cast.peer, self.cast.supervisor
        self.assertNotEqual(audit.lane_for(peer.pk), audit.lane_for(supervisor.pk))
        return peer, supervisor

    def test_each_staff_members_events_chain_in_their_lane(self) -> None:
        peer, supervisor = self._staff_in_two_lanes()
        for _ in range(3):
            audit.record(organization=self.cast.org, action="test.a", actor=peer)
            audit.record(organization=self.cast.org, action="test.b", actor=supervisor)
        audit.record(organization=self.cast.org, action="test.system")
        for actor in (peer, supervisor):
            lane = audit.lane_for(actor.pk)
            events = list(
                AuditEvent.objects.filter(organization=self.cast.org, lane=lane).order_by("id")
            )
            self.assertTrue(all(event.actor_id == actor.pk for event in events))
            for earlier, later in itertools.pairwise(events):
                self.assertEqual(later.previous_hash, earlier.hash)
        system = AuditEvent.objects.get(action="test.system")
        self.assertEqual(system.lane, 0)
        self.assertTrue(all(result.ok for result in audit.verify_all()))

    def test_a_removed_event_in_one_lane_is_found_and_the_lane_named(self) -> None:
        peer, supervisor = self._staff_in_two_lanes()
        for _ in range(3):
            audit.record(organization=self.cast.org, action="test.a", actor=peer)
            audit.record(organization=self.cast.org, action="test.b", actor=supervisor)
        lane = audit.lane_for(supervisor.pk)
        middle = AuditEvent.objects.filter(action="test.b").order_by("id")[1]
        _tamper("DELETE FROM core_auditevent WHERE id = %s", [middle.pk])
        result = audit.verify_organization(self.cast.org.pk)
        self.assertFalse(result.ok)
        self.assertGreater(result.broken_event_id, middle.pk)
        self.assertIn(f"lane {lane}", result.problem)
        self.assertIn("does not follow event", result.problem)

    def test_moving_an_event_to_another_lane_breaks_both_chains(self) -> None:
        peer, supervisor = self._staff_in_two_lanes()
        audit.record(organization=self.cast.org, action="test.a", actor=peer)
        moved = audit.record(organization=self.cast.org, action="test.a", actor=peer)
        audit.record(organization=self.cast.org, action="test.b", actor=supervisor)
        _tamper(
            "UPDATE core_auditevent SET lane = %s WHERE id = %s",
            [audit.lane_for(supervisor.pk), moved.pk],
        )
        result = audit.verify_organization(self.cast.org.pk)
        self.assertEqual(result.broken_event_id, moved.pk)

    def test_removing_the_newest_events_of_one_lane_is_found_by_the_checkpoint(self) -> None:
        peer, supervisor = self._staff_in_two_lanes()
        for _ in range(3):
            audit.record(organization=self.cast.org, action="test.b", actor=supervisor)
        audit.record(organization=self.cast.org, action="test.a", actor=peer)
        entries = audit.checkpoint()
        self.assertEqual(audit.check_checkpoint(entries), [])
        # The supervisor's newest event is not the organization's newest: only the count of
        # events up to the checkpointed head shows that it went.
        newest_b = AuditEvent.objects.filter(action="test.b").latest("id")
        _tamper("DELETE FROM core_auditevent WHERE id = %s", [newest_b.pk])
        self.assertTrue(audit.verify_organization(self.cast.org.pk).ok)
        problems = audit.check_checkpoint(entries)
        self.assertEqual(len(problems), 1)
        self.assertIn("1 event(s)", problems[0])

    def test_events_from_before_lanes_still_verify(self) -> None:
        with self.settings(AUDIT_LANES=1):
            audit.record(organization=self.cast.org, action="test.a", actor=self.cast.supervisor)
        audit.record(organization=self.cast.org, action="test.b", actor=self.cast.supervisor)
        lanes = list(
            AuditEvent.objects.filter(organization=self.cast.org)
            .order_by("id")
            .values_list("lane", flat=True)
        )
        self.assertEqual(lanes[-2:], [0, audit.lane_for(self.cast.supervisor.pk)])
        self.assertTrue(audit.verify_organization(self.cast.org.pk).ok)
