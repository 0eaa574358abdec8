"""Resources an agency keeps itself: added and changed on a page, versioned, found, and left
alone by imports."""

from __future__ import annotations

from django.urls import reverse

from peerpath.core.models import AuditEvent, Role
from peerpath.directory import actions, sample, search, sources
from peerpath.directory.models import Entry, Record, RecordVersion
from peerpath.testing import CastTestCase, make_staff

NEW = reverse("directory:resource_new")
LANDLORD = {
    "name": "Second Chance Rentals",
    "provider": "Dana Ortiz, landlord",
    "description": "Apartments for people with a record. Call to ask what is open.",
    "category": "housing",
    "phone": "541-555-0199",
    "street": "450 River Rd",
    "city": "Eugene",
    "state": "OR",
    "postal_code": "97404",
    "days": ["0", "2", "4"],
    "opens": "10:00",
    "closes": "16:00",
    "languages": ["en", "es"],
    "cost": "fee",
    "what_to_bring": "Photo ID\nProof of income",
}


class AgencyResourceTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.manager = make_staff(cls.cast.org, Role.PROGRAM_MANAGER, name="Mona Manager")

    def add(self, **changes: object) -> object:
        return self.as_staff(self.manager).post(NEW, {**LANDLORD, **changes})

    def test_only_those_who_run_the_agency_add_or_change_resources(self) -> None:
        for role in ("peer", "supervisor", "clinician", "peer_client", "outsider"):
            with self.subTest(role=role):
                self.assertEqual(self.as_(role).get(NEW).status_code, 403)
                self.assertEqual(self.as_(role).post(NEW, LANDLORD).status_code, 403)
        self.assertEqual(self.as_("anonymous").get(NEW).status_code, 302)
        self.assertFalse(Record.objects.exists())

    def test_an_added_resource_is_found_by_words_category_language_hours_and_place(self) -> None:
        response = self.add()
        self.assertEqual(response.status_code, 302)  # type: ignore[attr-defined]
        service = Record.objects.get(table="service", source=Record.Source.AGENCY)
        self.assertEqual(service.created_by, self.manager)
        origin = search.point_for_postal_code("97401")
        found = list(
            search.find(
                self.cast.org,
                search.Criteria(
                    words="record apartments",
                    facets={"category": "housing", "language": "es"},
                    open_day=2,
                    open_minute=11 * 60,
                    origin=origin,
                    within_miles=10,
                ),
            )
        )
        self.assertEqual([entry.name for entry in found], ["Second Chance Rentals"])
        page = self.as_("peer").get(reverse("directory:search"), {"q": "second chance"})
        self.assertContains(page, "Second Chance Rentals")
        self.assertNotContains(page, "Kept by your agency")  # peers do not edit it
        manager_page = self.as_staff(self.manager).get(
            reverse("directory:search"), {"q": "second chance"}
        )
        self.assertContains(manager_page, "Kept by your agency")

    def test_a_change_keeps_the_earlier_version_with_who_and_what(self) -> None:
        self.add()
        service = Record.objects.get(table="service", source=Record.Source.AGENCY)
        url = reverse("directory:resource_edit", args=[service.hsds_id])
        form = self.as_staff(self.manager).get(url)
        self.assertContains(form, 'value="Second Chance Rentals"')
        self.assertContains(form, 'value="541-555-0199"')
        self.as_staff(self.manager).post(url, {**LANDLORD, "phone": "541-555-0111", "days": ["5"]})
        phone = Record.objects.get(table="phone", source=Record.Source.AGENCY)
        self.assertEqual((phone.data["number"], phone.version), ("541-555-0111", 2))
        earlier = RecordVersion.objects.get(record=phone)
        self.assertEqual(
            (earlier.version, earlier.data["number"], earlier.changed_fields, earlier.changed_by),
            (1, "541-555-0199", ["number"], self.manager),
        )
        entry = Entry.objects.get(service=service)
        self.assertEqual(list(entry.hours.values_list("weekday", flat=True)), [5])
        self.assertEqual(Entry.objects.filter(organization=self.cast.org).count(), 1)

    def test_removing_it_takes_it_out_of_searches_and_keeps_its_history(self) -> None:
        self.add()
        service = Record.objects.get(table="service", source=Record.Source.AGENCY)
        self.as_staff(self.manager).post(
            reverse("directory:resource_remove", args=[service.hsds_id])
        )
        service.refresh_from_db()
        self.assertIsNotNone(service.removed_at)
        self.assertFalse(Entry.objects.exists())
        self.assertTrue(RecordVersion.objects.filter(record=service).exists())
        self.assertEqual(
            AuditEvent.objects.filter(action__startswith="directory.resource_").count(), 2
        )

    def test_a_whole_directory_import_leaves_the_agencys_own_resources_alone(self) -> None:
        self.add()
        files = {k: v.encode() for k, v in sample.as_datapackage(sample.county(10, seed=3)).items()}
        summary = actions.hsds_import(
            organization=self.cast.org, dataset=sources.read_files(files), actor=None
        )
        self.assertEqual(summary["removed"], 0)
        found = search.find(self.cast.org, search.Criteria(words="second chance"))
        self.assertEqual([entry.name for entry in found], ["Second Chance Rentals"])

    def test_bad_input_is_explained_and_nothing_is_saved(self) -> None:
        response = self.add(
            street="", city="", state="", postal_code="", phone="", website="", days=[]
        )
        self.assertContains(response, "Give a way to reach it")  # type: ignore[arg-type]
        response = self.add(city="")
        self.assertContains(response, "Give the street, city, state and ZIP code")  # type: ignore[arg-type]
        response = self.add(opens="")
        self.assertContains(response, "Give the days, the opening time and the closing time")  # type: ignore[arg-type]
        self.assertFalse(Record.objects.exists())

    def test_another_agencys_resource_cannot_be_changed(self) -> None:
        self.add()
        service = Record.objects.get(table="service", source=Record.Source.AGENCY)
        other = make_staff(self.cast.other_org, Role.PROGRAM_MANAGER, name="Otto Other")
        url = reverse("directory:resource_edit", args=[service.hsds_id])
        self.assertEqual(self.as_staff(other).get(url).status_code, 404)
        self.assertEqual(self.as_staff(other).post(url, LANDLORD).status_code, 404)
