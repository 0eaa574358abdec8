"""Importing a directory from the page: who may, the background run, its summary or problems."""

from __future__ import annotations

import io
import json
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from peerpath.core.models import ImportJob, Role
from peerpath.directory import actions, sample
from peerpath.directory.models import Entry, Record
from peerpath.testing import CastTestCase, make_staff, query_count

URL = reverse("directory:imports")
SERVICE = {
    "id": "0b8c8a2e-58bc-4cbb-9c22-5b2d1a2f7e10",
    "name": "Harbor Food Pantry",
    "status": "active",
    "phones": [{"id": "7f0f2c5e-1e43-4c1f-9e9f-3c8f9a6c2b11", "number": "555-0100"}],
}


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


class ImportPageTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.manager = make_staff(cls.cast.org, Role.PROGRAM_MANAGER, name="Mona Manager")
        cls.other_manager = make_staff(cls.cast.other_org, Role.PROGRAM_MANAGER, name="Otto Other")

    def test_only_those_who_run_the_agency_import(self) -> None:
        for role in ("peer", "supervisor", "clinician", "peer_client", "outsider"):
            with self.subTest(role=role):
                self.assertEqual(self.as_(role).get(URL).status_code, 403)
                response = self.as_(role).post(URL, {"file": upload("a.json", b"{}")})
                self.assertEqual(response.status_code, 403)
        self.assertEqual(self.as_("anonymous").get(URL).status_code, 302)
        self.assertEqual(self.as_staff(self.manager).get(URL).status_code, 200)
        self.assertFalse(ImportJob.objects.filter(kind=actions.JOB_KIND).exists())

    def test_a_json_file_is_imported_in_the_background_with_its_summary(self) -> None:
        http = self.as_staff(self.manager)
        response = http.post(URL, {"file": upload("pantry.json", json.dumps(SERVICE).encode())})
        job = ImportJob.objects.get(kind=actions.JOB_KIND)
        self.assertRedirects(response, reverse("directory:import", args=[job.pk]))
        self.assertEqual(job.status, ImportJob.Status.DONE)
        self.assertEqual(job.content, "")  # the file is not kept
        page = http.get(response["Location"])
        self.assertContains(page, 'id="import-done"')
        self.assertContains(page, "2 records read.")
        summary = page.content.decode().split('id="import-summary"')[1]
        self.assertRegex(summary, r"Added</th><td>1</td><td>2</td>")
        self.assertEqual(Record.objects.filter(organization=self.cast.org).count(), 2)
        self.assertEqual(Entry.objects.filter(organization=self.cast.org).count(), 1)
        search = self.as_("peer").get(reverse("directory:search"), {"q": "pantry"})
        self.assertContains(search, "Harbor Food Pantry")

    def test_a_zip_of_a_data_package_is_imported(self) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, text in sample.as_datapackage(sample.county(12, seed=4)).items():
                archive.writestr(f"county/{name}", text)
        self.as_staff(self.manager).post(URL, {"file": upload("county.zip", buffer.getvalue())})
        job = ImportJob.objects.get(kind=actions.JOB_KIND)
        self.assertEqual(job.status, ImportJob.Status.DONE, job.problems)
        self.assertEqual(job.summary["services"]["added"], 12)

    def test_a_broken_file_shows_every_problem_and_writes_nothing(self) -> None:
        broken = {**SERVICE, "status": "open", "phones": [{"number": "555-0100"}]}
        http = self.as_staff(self.manager)
        response = http.post(URL, {"file": upload("pantry.json", json.dumps(broken).encode())})
        page = http.get(response["Location"])
        self.assertContains(page, "Nothing was imported: 2 problems to fix")
        body = page.content.decode()
        self.assertIn("<code>/phones/0</code>", body)
        self.assertIn("<code>status</code>", body)
        self.assertFalse(Record.objects.exists())

    def test_in_spanish_the_problems_are_in_spanish(self) -> None:
        http = self.as_staff(self.manager)
        response = http.post(
            URL,
            {"file": upload("x.json", b'{"id": ')},
            HTTP_ACCEPT_LANGUAGE="es",
        )
        page = http.get(response["Location"], HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(page, "Esto no es JSON")
        self.assertContains(page, "línea 1")

    def test_only_json_and_zip_and_not_too_big(self) -> None:
        http = self.as_staff(self.manager)
        response = http.post(URL, {"file": upload("people.csv", b"id,name\n")})
        self.assertContains(response, "Choose a .json or a .zip file.")
        with override_settings(IMPORT_MAX_BYTES=1024 * 1024):
            response = http.post(URL, {"file": upload("big.json", b" " * (1024 * 1024 + 1))})
        self.assertContains(response, "larger than 1 MB")
        self.assertFalse(ImportJob.objects.exists())

    def test_another_agencys_import_is_not_found(self) -> None:
        self.as_staff(self.other_manager).post(
            URL, {"file": upload("pantry.json", json.dumps(SERVICE).encode())}
        )
        job = ImportJob.objects.get(kind=actions.JOB_KIND)
        response = self.as_staff(self.manager).get(reverse("directory:import", args=[job.pk]))
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(self.as_staff(self.manager).get(URL), "pantry.json", status_code=200)

    def test_a_running_import_shows_its_progress_and_refreshes_when_done(self) -> None:
        job = actions.import_job_create(
            organization=self.cast.org,
            actor=self.manager,
            file_name="pantry.json",
            data=json.dumps(SERVICE).encode(),
            language="en",
        )
        http = self.as_staff(self.manager)
        url = reverse("directory:import", args=[job.pk])
        partial = http.get(url, HTTP_HX_REQUEST="true")
        self.assertContains(partial, 'id="import-progress"')
        self.assertNotIn("HX-Refresh", partial)
        actions.import_job_run(job)
        partial = http.get(url, HTTP_HX_REQUEST="true")
        self.assertEqual(partial["HX-Refresh"], "true")

    def test_the_list_of_imports_costs_the_same_for_one_or_thirty(self) -> None:
        http = self.as_staff(self.manager)

        def make(n: int) -> None:
            for _ in range(n):
                actions.import_job_create(
                    organization=self.cast.org,
                    actor=self.manager,
                    file_name="pantry.json",
                    data=b"{}",
                    language="en",
                )

        make(1)
        one = query_count(lambda: http.get(URL))
        make(29)
        self.assertEqual(query_count(lambda: http.get(URL)), one)
        first = http.get(URL)
        self.assertEqual(first.content.decode().count("pantry.json</a>"), 20)
        self.assertContains(first, "after=")

    def test_directory_imports_stay_off_the_peoples_imports_list(self) -> None:
        self.as_staff(self.manager).post(
            URL, {"file": upload("pantry.json", json.dumps(SERVICE).encode())}
        )
        response = self.as_staff(self.manager).get(reverse("agency:imports"))
        self.assertNotContains(response, "pantry.json")

    def test_a_meeting_guide_feed_uploaded_here_is_imported_with_the_bad_meetings_listed(
        self,
    ) -> None:
        meetings_feed = [
            {"name": "Serenity", "slug": "s-1", "day": 2, "time": "19:30", "types": ["O"]},
            {"name": "Bad day", "slug": "s-2", "day": 9, "time": "19:30"},
        ]
        http = self.as_staff(self.manager)
        response = http.post(
            URL, {"file": upload("meetings.json", json.dumps(meetings_feed).encode())}
        )
        page = http.get(response["Location"])
        self.assertContains(page, "Meetings imported")
        self.assertContains(page, "1 added, 0 updated, 0 unchanged, 0 removed.")
        self.assertContains(page, "1 meeting was left out")
        self.assertContains(page, "<code>s-2</code>")
        self.assertFalse(Record.objects.exists())
        found = self.as_("peer").get(reverse("directory:meetings"))
        self.assertContains(found, "Serenity")
