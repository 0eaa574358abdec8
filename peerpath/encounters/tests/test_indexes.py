"""The lists that grow with every note use an index (PostgreSQL's plan, read by EXPLAIN).

A plan on a small test table would choose a sequential scan, so those are turned off: what is
checked is that the notes are reached through an index on the column the list filters by, never
by reading the whole table. (Which of two fitting indexes the planner picks on a tiny table
varies from run to run, so either is accepted.)
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from peerpath.clients import access as gate
from peerpath.encounters import queries
from peerpath.encounters.models import Contact
from peerpath.testing import CastTestCase

from .helpers import bulk_contacts


class ContactIndexTests(CastTestCase):
    def setUp(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("query plans are checked on PostgreSQL (the production engine)")
        bulk_contacts(self.cast.peer, self.cast.client, 30)

    def plan_of(self, run: Any) -> str:
        """The plan of the last query on the notes that `run` makes."""
        with CaptureQueriesContext(connection) as captured:
            run()
        selects = [
            q["sql"]
            for q in captured.captured_queries
            if q["sql"].startswith("SELECT") and 'FROM "encounters_contact"' in q["sql"]
        ]
        sql = selects[-1]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())

    def assertThroughIndex(self, plan: str, column: str) -> None:
        """Notes are found through an index that starts with `column`, never a full scan."""
        self.assertNotIn("Seq Scan on encounters_contact", plan)
        fitting = rf"(contact_{column}_\w+|encounters_contact_{column}_id_\w+)"
        self.assertRegex(plan, rf"(using|on) {fitting} on encounters_contact|on {fitting}\b")

    def test_each_supervised_peers_newest_signed_note(self) -> None:
        plan = self.plan_of(lambda: queries.supervised_peers(self.cast.supervisor))
        self.assertThroughIndex(plan, "author")

    def test_open_notes(self) -> None:
        self.assertThroughIndex(
            self.plan_of(lambda: queries.my_open_notes(self.cast.peer)), "author"
        )

    def test_a_persons_contact_history(self) -> None:
        grant = gate.client_for_read(self.cast.peer, self.cast.client.pk)
        plan = self.plan_of(lambda: queries.contact_history(self.cast.peer, grant, after=None))
        self.assertThroughIndex(plan, "client")
        self.assertTrue(Contact.objects.filter(client=self.cast.client).exists())
