"""On PostgreSQL, writers in different lanes of one organization's trail do not wait for each
other; writers in the same lane do, so each chain stays a chain."""

from __future__ import annotations

import threading
import unittest

from django.db import OperationalError, connection, transaction
from django.test import TransactionTestCase, override_settings

from peerpath.core import audit
from peerpath.core.models import AuditEvent, Role
from peerpath.testing import make_organization, make_staff


@unittest.skipUnless(connection.vendor == "postgresql", "row locking is PostgreSQL's")
@override_settings(AUDIT_LANES=2)
class LaneLockTests(TransactionTestCase):
    def test_a_held_lane_blocks_only_its_own_lane(self) -> None:
        org = make_organization("Lane Agency")
        first, other_lane, same_lane = (
            make_staff(org, Role.PEER_SPECIALIST, name=f"Peer {n}") for n in range(3)
        )
        self.assertEqual(audit.lane_for(first.pk), audit.lane_for(same_lane.pk))
        self.assertNotEqual(audit.lane_for(first.pk), audit.lane_for(other_lane.pk))

        holding, release = threading.Event(), threading.Event()
        failures: list[BaseException] = []

        def hold_the_lane() -> None:
            # A request that wrote its event and has not committed yet.
            try:
                with transaction.atomic():
                    audit.record(organization=org, action="test.held", actor=first)
                    holding.set()
                    release.wait(timeout=20)
            except BaseException as exc:
                failures.append(exc)
            finally:
                holding.set()
                connection.close()

        holder = threading.Thread(target=hold_the_lane)
        holder.start()
        try:
            self.assertTrue(holding.wait(timeout=20))

            def write(actor: object, action: str) -> None:
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL lock_timeout = '1s'")
                    audit.record(organization=org, action=action, actor=actor)

            write(other_lane, "test.other_lane")  # does not wait
            with self.assertRaises(OperationalError):
                write(same_lane, "test.same_lane")  # waits for the holder, and gives up
        finally:
            release.set()
            holder.join(timeout=20)
        self.assertEqual(failures, [])
        write(same_lane, "test.same_lane")  # the lane is free again
        result = audit.verify_organization(org.pk)
        self.assertTrue(result.ok, result.problem)
        written = AuditEvent.objects.filter(organization=org, action__startswith="test.")
        self.assertEqual(
            sorted(written.values_list("action", flat=True)),
            ["test.held", "test.other_lane", "test.same_lane"],
        )
