"""Tampering with the audit trail, as someone with the database but not the audit key would.

Each attack here once left `peerpath audit verify` saying "intact": deleting the newest events,
deleting an organization's whole trail, editing a row and recomputing the later hashes (the hash
was unkeyed SHA-256), TRUNCATE on PostgreSQL, DELETE on SQLite.
"""

from __future__ import annotations

import hashlib
import json
from io import StringIO
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from peerpath.core import audit
from peerpath.core.models import AuditEvent
from peerpath.testing import CastTestCase


def _as_superuser(*statements: tuple[str, list[object]]) -> None:
    """Run SQL with the append-only triggers out of the way, as a database superuser could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_delete")
        for sql, params in statements:
            cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def _verify(*args: str) -> tuple[bool, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=err)
    except CommandError:
        return False, err.getvalue()
    return True, out.getvalue()


class TamperingTests(CastTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.events = [
            audit.record(
                organization=self.cast.org,
                action="client.view",
                actor=self.cast.peer,
                client_id=self.cast.client.pk,
            )
            for _ in range(5)
        ]
        audit.record(organization=self.cast.other_org, action="test.b", actor=self.cast.outsider)
        self.tmp = TemporaryDirectory()
        self.checkpoint = Path(self.tmp.name) / "head.jsonl"
        call_command("audit", "checkpoint", "--output", str(self.checkpoint), stdout=StringIO())

    def tearDown(self) -> None:
        self.tmp.cleanup()
        super().tearDown()

    def test_an_intact_trail_matches_its_checkpoint(self) -> None:
        ok, out = _verify("--checkpoint", str(self.checkpoint))
        self.assertTrue(ok, out)
        self.assertIn("is still in its chain", out)

    def test_deleting_the_newest_events_is_found_by_the_checkpoint(self) -> None:
        _as_superuser(
            ("DELETE FROM core_auditevent WHERE id >= %s", [self.events[3].pk]),
        )
        self.assertTrue(_verify()[0])  # the chain that is left is consistent...
        ok, err = _verify("--checkpoint", str(self.checkpoint))
        self.assertFalse(ok)  # ...but its newest events are gone
        self.assertIn(f"organization {self.cast.org.pk}: event", err)
        self.assertIn("removed from the end of its chain", err)

    def test_deleting_a_whole_organizations_trail_is_found(self) -> None:
        _as_superuser(
            ("DELETE FROM core_auditevent WHERE organization_id = %s", [self.cast.other_org.pk]),
        )
        ok, err = _verify("--checkpoint", str(self.checkpoint))
        self.assertFalse(ok)
        self.assertIn(f"organization {self.cast.other_org.pk}", err)

    def test_rewriting_a_row_and_recomputing_the_chain_without_the_key_is_found(self) -> None:
        rows = list(AuditEvent.objects.filter(organization=self.cast.org).order_by("id"))
        target = rows[1]
        target.action = "client.nothing"
        statements = []
        previous = rows[0].hash
        for row in rows[1:]:
            row.previous_hash = previous
            # The attacker's best guess: the old unkeyed hash, or a key of their own.
            row.key_id = ""
            row.hash = hashlib.sha256(audit._canonical(row)).hexdigest()
            statements.append(
                (
                    "UPDATE core_auditevent SET action = %s, previous_hash = %s, key_id = %s, "
                    "hash = %s WHERE id = %s",
                    [row.action, row.previous_hash, row.key_id, row.hash, row.pk],
                )
            )
            previous = row.hash
        _as_superuser(*statements)
        ok, err = _verify()
        self.assertFalse(ok)
        self.assertIn(f"audit event {target.pk} has no key", err)
        with override_settings(AUDIT_KEYS=["an-attackers-own-key-of-enough-length-000"]):
            self.assertFalse(audit.verify_organization(self.cast.org.pk).ok)

    def test_a_changed_checkpoint_is_refused(self) -> None:
        lines = self.checkpoint.read_text().splitlines()
        entry = json.loads(lines[0])
        entry["count"] = entry["count"] - 1
        self.checkpoint.write_text(json.dumps(entry) + "\n")
        ok, err = _verify("--checkpoint", str(self.checkpoint))
        self.assertFalse(ok)
        self.assertIn("was changed after it was written", err)

    def test_the_database_refuses_delete_and_truncate(self) -> None:
        before = AuditEvent.objects.filter(organization=self.cast.org).count()
        with self.assertRaises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=self.events[0].pk).delete()
        if connection.vendor == "postgresql":
            with self.assertRaises(DatabaseError), transaction.atomic(), connection.cursor() as c:
                c.execute("TRUNCATE core_auditevent CASCADE")
        self.assertEqual(AuditEvent.objects.filter(organization=self.cast.org).count(), before)

    def test_a_rotated_key_keeps_one_chain(self) -> None:
        old = self.events[-1]
        new_key = "the-next-audit-key-after-rotation-" + "z" * 16
        with override_settings(AUDIT_KEYS=[new_key, *self._keys()]):
            later = audit.record(organization=self.cast.org, action="test.c", actor=self.cast.peer)
            self.assertEqual(later.previous_hash, old.hash)  # the new segment names the old
            self.assertNotEqual(later.key_id, old.key_id)
            self.assertTrue(audit.verify_organization(self.cast.org.pk).ok)
        with override_settings(AUDIT_KEYS=[new_key]):
            result = audit.verify_organization(self.cast.org.pk)
            self.assertIn("key this server does not have", result.problem)

    def _keys(self) -> list[str]:
        from django.conf import settings

        return list(settings.AUDIT_KEYS)


class ApplicationRoleTests(CastTestCase):
    """The database role docs/production.md gives the application cannot rewrite the trail."""

    def test_the_app_role_can_add_and_read_audit_rows_only(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("database roles are a PostgreSQL matter")
        event = audit.record(organization=self.cast.org, action="test.a", actor=self.cast.peer)
        with connection.cursor() as cursor:
            cursor.execute(
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
                "'peerpath_app_test') THEN CREATE ROLE peerpath_app_test NOLOGIN; END IF; END $$"
            )
            # The grants docs/production.md gives the application role on the audit table.
            cursor.execute("GRANT SELECT, INSERT ON core_auditevent TO peerpath_app_test")
            cursor.execute("GRANT USAGE ON SEQUENCE core_auditevent_id_seq TO peerpath_app_test")
        for statement in (
            "DELETE FROM core_auditevent",
            "UPDATE core_auditevent SET action = 'x'",
            "TRUNCATE core_auditevent",
            "ALTER TABLE core_auditevent DISABLE TRIGGER ALL",
        ):
            with (
                self.subTest(statement=statement),
                self.assertRaises(DatabaseError),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute("SET LOCAL ROLE peerpath_app_test")
                cursor.execute(statement)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL ROLE peerpath_app_test")
            cursor.execute("SELECT count(*) FROM core_auditevent WHERE id = %s", [event.pk])
            self.assertEqual(cursor.fetchone()[0], 1)
