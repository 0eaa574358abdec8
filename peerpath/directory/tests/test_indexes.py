"""The resource search reads through its indexes (PostgreSQL's plan, read by EXPLAIN).

Sequential scans are turned off, as a plan on a tiny test table would choose one: what is checked
is that words, filters, opening hours and the place are each reached through their index, never
by reading a whole table.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from peerpath.directory import search
from peerpath.directory.tests.test_views import import_county
from peerpath.testing import make_organization


class SearchIndexTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = make_organization("Riverbend")
        import_county(cls.org, 40)

    def setUp(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("query plans are checked on PostgreSQL (the production engine)")

    def plan(self, criteria: search.Criteria) -> str:
        with CaptureQueriesContext(connection) as captured:
            list(search.find(self.org, criteria)[:20])
        sql = captured.captured_queries[-1]["sql"]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())

    def test_words_are_found_through_an_index(self) -> None:
        # The text index, or (on a table this small) the agency's own entries by an index
        # that leads with the agency: never the whole table.
        plan = self.plan(search.Criteria(words="food pantry"))
        self.assertRegex(plan, r"directory_entry_(words|place|name)")
        self.assertNotIn("Seq Scan", plan)

    def test_filters_and_hours_use_their_indexes(self) -> None:
        plan = self.plan(
            search.Criteria(
                facets={"category": "housing", "language": "es"}, open_day=5, open_minute=660
            )
        )
        self.assertIn("directory_facet_filter", plan)
        self.assertIn("directory_hours_open", plan)
        self.assertNotIn("Seq Scan", plan)

    def test_a_place_and_a_distance_use_the_place_index(self) -> None:
        origin = search.point_for_postal_code("97401")
        plan = self.plan(search.Criteria(origin=origin, within_miles=5))
        self.assertIn("directory_entry_place", plan)
        self.assertNotIn("Seq Scan", plan)
