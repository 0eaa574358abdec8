"""Finding services in a generated county directory: words, filters, open at, distance."""

from __future__ import annotations

import math

from django.db import connection
from django.test import TestCase

from peerpath.directory import actions, index, queries, sample, search, sources
from peerpath.directory.models import Entry, Facet, Hours
from peerpath.testing import make_organization, query_count

SATURDAY, SUNDAY = 5, 6


def miles(a: search.Point, lat: float, lon: float) -> float:
    """Haversine, computed apart from the database's formula."""
    p1, p2 = math.radians(a.latitude), math.radians(lat)
    dp, dl = p2 - p1, math.radians(lon - a.longitude)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * search.EARTH_MILES * math.asin(math.sqrt(h))


class HoursTests(TestCase):
    def test_weekly_hours_by_day(self) -> None:
        rows = index.hours_of({"byday": "MO,WE", "opens_at": "09:00", "closes_at": "17:30"})
        self.assertEqual(rows, [(0, 540, 1050), (2, 540, 1050)])

    def test_hours_past_midnight_go_on_to_the_next_day(self) -> None:
        rows = index.hours_of({"byday": "SU", "opens_at": "19:00", "closes_at": "07:00"})
        self.assertEqual(rows, [(6, 1140, 1440), (0, 0, 420)])

    def test_daily_without_days_and_schedules_without_times(self) -> None:
        self.assertEqual(
            len(index.hours_of({"freq": "DAILY", "opens_at": "8:00", "closes_at": "9:00"})), 7
        )
        self.assertEqual(index.hours_of({"byday": "MO", "description": "By appointment"}), [])


class SearchTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = make_organization("Riverbend")
        cls.other = make_organization("Elsewhere")
        tables = sample.county(150, seed=11)
        text = sample.as_service_list(tables).encode()
        for org in (cls.org, cls.other):
            dataset = sources.read_files({"county.json": text})
            actions.hsds_import(organization=org, dataset=dataset, actor=None)
        cls.origin = search.point_for_postal_code("97401")

    def find(self, **criteria: object) -> list[Entry]:
        return list(search.find(self.org, search.Criteria(**criteria)))  # type: ignore[arg-type]

    def open_at(self, entry: Entry, day: int, minute: int) -> bool:
        return any(h.opens <= minute < h.closes for h in entry.hours.filter(weekday=day))

    def test_every_service_at_every_place_is_found_by_no_criteria_and_only_this_agency(
        self,
    ) -> None:
        found = self.find()
        self.assertEqual(len(found), Entry.objects.filter(organization=self.org).count())
        self.assertTrue(all(entry.organization_id == self.org.pk for entry in found))
        self.assertEqual([e.name for e in found], sorted(e.name for e in found))

    def test_words_find_by_prefix_and_rank_names_first(self) -> None:
        found = self.find(words="shelt")
        self.assertTrue(found)
        self.assertTrue(all("shelter" in entry.text.lower() for entry in found))
        self.assertIn("Shelter", found[0].name)
        self.assertEqual(self.find(words="zzzunknownword"), [])

    def test_housing_open_on_saturday_within_five_miles_nearest_first(self) -> None:
        assert self.origin is not None
        found = self.find(
            facets={"category": "housing"},
            open_day=SATURDAY,
            open_minute=11 * 60,
            origin=self.origin,
            within_miles=5,
        )
        self.assertTrue(found)
        for entry in found:
            self.assertLessEqual(miles(self.origin, entry.latitude, entry.longitude), 5.01)
            self.assertTrue(self.open_at(entry, SATURDAY, 11 * 60))
            self.assertTrue(entry.facets.filter(kind="category", value="housing").exists())
        distances = [search.miles_between(entry.nearness) for entry in found]  # type: ignore[attr-defined]
        self.assertEqual(distances, sorted(distances))
        # Everything the filters leave out really is out: checked one entry at a time.
        expected = {
            entry.pk
            for entry in Entry.objects.filter(organization=self.org, latitude__isnull=False)
            if miles(self.origin, entry.latitude, entry.longitude) <= 5
            and self.open_at(entry, SATURDAY, 11 * 60)
            and entry.facets.filter(kind="category", value="housing").exists()
        }
        self.assertEqual({entry.pk for entry in found}, expected)

    def test_an_overnight_shelter_is_open_at_two_on_sunday_morning(self) -> None:
        found = self.find(facets={"category": "housing"}, open_day=SUNDAY, open_minute=120)
        self.assertTrue(found)
        self.assertTrue(all(self.open_at(entry, SUNDAY, 120) for entry in found))

    def test_language_cost_access_and_mode_filters(self) -> None:
        for kind, value in (
            ("language", "es"),
            ("cost", "free"),
            ("access", "wheelchair"),
            ("mode", "online"),
        ):
            with self.subTest(kind=kind):
                found = self.find(facets={kind: value})
                self.assertTrue(found)
                with_it = Facet.objects.filter(
                    organization=self.org, kind=kind, value=value
                ).values_list("entry_id", flat=True)
                self.assertEqual({entry.pk for entry in found}, set(with_it))
        online = self.find(facets={"mode": "online"})
        self.assertTrue(all(entry.latitude is None for entry in online))

    def test_a_page_of_results_is_a_few_queries_whatever_it_holds(self) -> None:
        criteria = search.Criteria(
            words="food",
            facets={"language": "es", "cost": "free"},
            open_day=1,
            open_minute=600,
            origin=self.origin,
            within_miles=10,
        )
        # The count, the page and its hours (on SQLite: the ranks, the matches in order, the
        # page and its hours).
        expected = 3 if connection.vendor == "postgresql" else 4
        self.assertEqual(
            query_count(lambda: list(queries.results(self.org, criteria, 1).object_list)),
            expected,
        )
        everything = search.Criteria(words="help")
        self.assertEqual(
            query_count(lambda: list(queries.results(self.org, everything, 1).object_list)),
            expected,
        )

    def test_a_zip_code_or_an_address_with_one_is_a_place(self) -> None:
        self.assertIsNotNone(search.point_for_postal_code("450 River Rd, Eugene, OR 97401-1234"))
        self.assertIsNone(search.point_for_postal_code("450 River Rd"))
        self.assertIsNone(search.point_for_postal_code("00000"))

    def test_a_second_import_rebuilds_the_index_to_the_same(self) -> None:
        before = Entry.objects.filter(organization=self.org).count()
        hours = Hours.objects.filter(organization=self.org).count()
        text = sample.as_service_list(sample.county(150, seed=11)).encode()
        summary = actions.hsds_import(
            organization=self.org, dataset=sources.read_files({"c.json": text}), actor=None
        )
        self.assertEqual(summary["added"] + summary["updated"], 0)
        self.assertEqual(Entry.objects.filter(organization=self.org).count(), before)
        self.assertEqual(Hours.objects.filter(organization=self.org).count(), hours)
        self.assertEqual(len(self.find(words="pantry")), len(self.find(words="PANTRY")))


class WeekTests(TestCase):
    """Hours as a person reads them."""

    def week(self, *spans: tuple[int, int, int]) -> list[str]:
        rows = [Hours(weekday=d, opens=o, closes=c) for d, o, c in spans]
        return [
            f"{o.first_day}-{o.last_day} {o.opens_at:%H:%M}-{o.closes_at:%H:%M}"
            for o in queries.week(rows)
        ]

    def test_weekdays_together_and_saturday_apart(self) -> None:
        spans = [(d, 540, 1020) for d in range(5)] + [(5, 600, 840)]
        self.assertEqual(self.week(*spans), ["Monday-Friday 09:00-17:00", "Saturday- 10:00-14:00"])

    def test_a_night_shelter_reads_seven_pm_to_seven_am(self) -> None:
        spans = [
            row
            for day in range(7)
            for row in index.hours_of(
                {"byday": index.DAY_CODES_ALL[day], "opens_at": "19:00", "closes_at": "07:00"}
            )
        ]
        self.assertEqual(self.week(*spans), ["Monday-Sunday 19:00-07:00"])
