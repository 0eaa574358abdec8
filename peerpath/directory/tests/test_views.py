"""The Resources page, for each role."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

from peerpath.core.models import AuditEvent, Role
from peerpath.directory import actions, sample, search, sources
from peerpath.testing import CastTestCase, make_staff, query_count

URL = reverse("directory:search")


def import_county(org: object, services: int, seed: int = 5) -> None:
    text = sample.as_service_list(sample.county(services, seed=seed)).encode()
    actions.hsds_import(
        organization=org,  # type: ignore[arg-type]
        dataset=sources.read_files({"county.json": text}),
        actor=None,
    )


class ResourcesPageTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        import_county(cls.cast.org, 60)
        cls.privacy_officer = make_staff(cls.cast.org, Role.PRIVACY_OFFICER, name="Pri Vacy")

    def test_every_staff_member_of_the_agency_searches_its_directory_and_only_its(self) -> None:
        import_county(self.cast.other_org, 30, seed=99)
        for role in ("peer", "supervisor", "clinician", "peer_client", "outsider"):
            with self.subTest(role=role):
                response = self.as_(role).get(URL, {"q": "food"})
                self.assertEqual(response.status_code, 200)
                total = int(re.search(r"(\d+) results?", response.content.decode()).group(1))
                org = self.cast.staff(role).organization  # type: ignore[union-attr]
                expected = search.find(org, search.Criteria(words="food")).count()
                self.assertGreater(expected, 0)
                self.assertEqual(total, expected)
        self.assertEqual(self.as_staff(self.privacy_officer).get(URL).status_code, 200)

    def test_a_visitor_is_sent_to_sign_in(self) -> None:
        response = self.as_("anonymous").get(URL)
        self.assertEqual(response.status_code, 302)
        self.assertIn("sign-in", response["Location"])

    def test_the_form_starts_empty_and_shows_no_results_until_asked(self) -> None:
        response = self.as_("peer").get(URL)
        self.assertNotContains(response, 'id="results"')
        # Every choice starts on "any": no answer nobody gave.
        self.assertNotRegex(response.content.decode(), r'value="[^"]+" selected')
        for name in ("q", "near"):
            self.assertRegex(response.content.decode(), rf'name="{name}"(?![^>]*value=)')

    def test_every_result_is_reachable_twenty_to_a_page(self) -> None:
        http = self.as_("peer")
        first = http.get(URL, {"category": ""})
        total = int(re.search(r"(\d+) results", first.content.decode()).group(1))
        self.assertGreater(total, 20)
        names: list[str] = []
        page = 1
        while True:
            response = http.get(URL, {"category": "", "page": page})
            found = re.findall(
                r'<h3 class="margin-bottom-05">([^<]+)</h3>', response.content.decode()
            )
            self.assertLessEqual(len(found), 20)
            names += found
            if "usa-pagination__next-page" not in response.content.decode():
                break
            page += 1
        self.assertEqual(len(names), total)

    def test_a_search_costs_the_same_queries_for_a_small_and_a_larger_directory(self) -> None:
        http = self.as_("peer")
        params = {"category": "housing", "near": "97401", "within": "25", "when": "now"}
        small = query_count(lambda: http.get(URL, params))
        import_county(self.cast.org, 200, seed=6)
        self.assertEqual(query_count(lambda: http.get(URL, params)), small)

    def test_an_unknown_zip_code_and_a_distance_without_a_place_are_explained(self) -> None:
        http = self.as_("peer")
        response = http.get(URL, {"near": "00000", "within": "5"})
        self.assertContains(response, "does not know this ZIP code")
        self.assertNotContains(response, 'id="results"')
        response = http.get(URL, {"within": "5"})
        self.assertContains(response, "Enter a ZIP code")
        response = http.get(URL, {"when": "at"})
        self.assertContains(response, "Choose a day and a time")

    def test_searching_resources_records_nothing_about_a_person(self) -> None:
        before = AuditEvent.objects.count()
        self.as_("peer").get(URL, {"q": "food"})
        self.assertEqual(AuditEvent.objects.count(), before)

    def test_in_spanish_the_page_and_the_hours_are_in_spanish(self) -> None:
        response = self.as_("peer").get(URL, {"category": "food"}, HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(response, 'lang="es"')
        self.assertContains(response, "Recursos")
        self.assertContains(response, "lunes a viernes")
        self.assertRegex(response.content.decode(), r"\d+ resultados")


class ResourceCardTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        import_county(cls.cast.org, 12)
        import_county(cls.cast.other_org, 3, seed=8)

    def text(self, response: object) -> str:
        from io import BytesIO

        from pypdf import PdfReader

        reader = PdfReader(BytesIO(response.content))  # type: ignore[attr-defined]
        return " ".join(page.extract_text() for page in reader.pages)

    def test_a_card_in_english_and_in_spanish(self) -> None:
        from peerpath.directory.models import Entry

        entry = Entry.objects.filter(organization=self.cast.org, latitude__isnull=False).first()
        assert entry is not None
        url = reverse("directory:card", args=[entry.pk])
        english = self.as_("peer").get(url)
        self.assertEqual(english["Content-Type"], "application/pdf")
        text = self.text(english)
        self.assertIn(entry.name, text)
        self.assertIn("When it is open", text)
        self.assertIn("Monday", text)
        self.assertIn(entry.phone, text)
        spanish = self.text(self.as_("peer").get(url, {"language": "es"}))
        self.assertIn("Cuándo está abierto", spanish)
        self.assertIn("lunes", spanish)
        self.assertEqual(self.as_("peer").get(url, {"language": "fr"}).status_code, 404)

    def test_another_agencys_card_is_not_found(self) -> None:
        from peerpath.directory.models import Entry

        theirs = Entry.objects.filter(organization=self.cast.other_org).first()
        assert theirs is not None
        response = self.as_("peer").get(reverse("directory:card", args=[theirs.pk]))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(
            self.as_("anonymous").get(reverse("directory:card", args=[theirs.pk])).status_code, 302
        )


def test_the_resource_card_reads_at_grade_8_or_below() -> None:
    """The card's own words (what PeerPath prints around the service's), plain for the person."""
    import textstat

    source = (
        Path(__file__).resolve().parents[1] / "templates" / "directory" / "card_pdf.html"
    ).read_text()
    phrases = re.findall(r'{% translate "([^"]+)"', source)
    phrases += re.findall(r"{% blocktranslate[^%]*%}(.*?){% endblocktranslate", source, re.S)
    text = " ".join(re.sub(r"{{[^}]+}}", "it", p).rstrip(".") + "." for p in phrases)
    assert textstat.flesch_kincaid_grade(text) <= 8, text


class NearThePersonTests(CastTestCase):
    """Resources nearest a person's address on file: through the gate, and recorded."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        import_county(cls.cast.org, 40)
        cls.cast.client.address = "450 River Rd, Eugene, OR 97404"
        cls.cast.client.save(update_fields=["address"])

    def test_the_care_team_finds_resources_nearest_the_person_and_the_look_is_recorded(
        self,
    ) -> None:
        record = self.as_("peer").get(reverse("clients:detail", args=[self.cast.client.pk]))
        self.assertContains(record, f"?for={self.cast.client.pk}")
        before = AuditEvent.objects.filter(action="directory.search_near_person").count()
        response = self.as_("peer").get(URL, {"for": self.cast.client.pk})
        self.assertContains(response, 'id="near-person"')
        self.assertNotContains(response, "450 River Rd")  # the address is not shown
        distances = [
            float(d) for d in re.findall(r"\(([\d.]+) miles away\)", response.content.decode())
        ]
        self.assertTrue(distances)
        self.assertEqual(distances, sorted(distances))
        event = AuditEvent.objects.filter(action="directory.search_near_person").latest("id")
        self.assertEqual(
            (event.client_id, event.actor_id), (self.cast.client.pk, self.cast.peer.pk)
        )
        self.assertEqual(
            AuditEvent.objects.filter(action="directory.search_near_person").count(), before + 1
        )

    def test_those_outside_the_persons_care_are_refused_and_learn_nothing(self) -> None:
        for role in ("clinician", "peer_client", "outsider"):
            with self.subTest(role=role):
                response = self.as_(role).get(URL, {"for": self.cast.client.pk})
                self.assertRefused(response, 404)
        self.assertRefused(self.as_("peer").get(URL, {"for": 987654321}), 404)
        self.assertRefused(self.as_("peer").get(URL, {"for": "x"}), 404)

    def test_an_address_without_a_zip_code_says_so_on_the_record(self) -> None:
        self.cast.client.address = "Under the bridge"
        self.cast.client.save(update_fields=["address"])
        record = self.as_("peer").get(reverse("clients:detail", args=[self.cast.client.pk]))
        self.assertContains(record, "has no ZIP code")
        # The search is still for the person (to refer them), measured from a ZIP code typed in.
        response = self.as_("peer").get(URL, {"for": self.cast.client.pk})
        self.assertContains(response, "has no ZIP code PeerPath knows")
        self.assertNotContains(response, "miles away")
        near = self.as_("peer").get(
            URL, {"for": self.cast.client.pk, "near": "97401", "within": "25"}
        )
        self.assertContains(near, "miles away")

    def test_within_a_distance_of_the_person_needs_no_zip_code_typed_in(self) -> None:
        response = self.as_("peer").get(URL, {"for": self.cast.client.pk, "within": "1"})
        self.assertNotContains(response, 'name="near"')
        distances = [
            float(d) for d in re.findall(r"\(([\d.]+) miles away\)", response.content.decode())
        ]
        wider = self.as_("peer").get(URL, {"for": self.cast.client.pk, "within": "25"})
        self.assertTrue(all(d <= 1 for d in distances))
        self.assertGreater(wider.content.decode().count("miles away"), len(distances))
